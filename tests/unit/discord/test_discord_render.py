"""Answer -> embeds: content, escaping, mentions, and every Discord limit (pure)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.discord import render
from adapters.discord.render import (
    MAX_CONTENT,
    MAX_EMBEDS,
    MAX_TOTAL,
    OutMessage,
    embed_size,
    fit,
    ulen,
)
from bot.answering.texts import ESTIMATED_DATE
from bot.intents import Intent
from bot.messages import Answer, Card, QuoteLine, Visibility

WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
UNIX = int(WHEN.timestamp())


def card(**changes: Any) -> Card:
    fields: dict[str, Any] = {
        "title": "Council approves bridge",
        "ref": "a1",
        "url": "https://news.example/a1",
        "source": "Example News",
        "published_at": WHEN,
        "summary": ("The council approved it.", "Work starts in May."),
    }
    fields.update(changes)
    return Card(**fields)


def check_limits(messages: list[OutMessage]) -> None:
    for message in messages:
        assert ulen(message.content or "") <= MAX_CONTENT
        assert len(message.embeds) <= MAX_EMBEDS
        assert sum(embed_size(e) for e in message.embeds) <= MAX_TOTAL
        for embed in message.embeds:
            data = embed.to_dict()
            assert ulen(data.get("title", "")) <= 256
            assert ulen(data.get("description", "")) <= 4096
            assert len(data.get("fields", [])) <= 25
            for f in data.get("fields", []):
                assert 0 < ulen(f["name"]) <= 256
                assert 0 < ulen(f["value"]) <= 1024
            assert ulen(data.get("footer", {}).get("text", "")) <= 2048


def test_ordinary_card() -> None:
    quotes = (
        QuoteLine("Jane Doe", "said", "It is a great day.", "direct", True),
        QuoteLine("John Roe", "warned", "costs could rise", "reported", False),
    )
    (message,) = render.render(Answer(intent=Intent.SUMMARY, lead="Here.",
                                      cards=(card(quotes=quotes),)))
    assert message.content == "Here."
    (embed,) = message.embeds
    assert embed.title == "Council approves bridge"
    assert embed.url == "https://news.example/a1"
    assert embed.description == "The council approved it. Work starts in May."
    assert [(f.name, f.value) for f in embed.fields] == [
        ("Jane Doe — said", "“It is a great day.”"),
        ("John Roe — warned", "costs could rise"),
        ("Source", f"Example News · <t:{UNIX}:f> (<t:{UNIX}:R>)"),
    ]
    assert embed.footer.text == "Source: Example News"


def test_teaser_estimated_date_and_bad_url() -> None:
    teaser = card(kind="teaser", published_estimated=True, url="javascript:alert(1)")
    (embed,) = render.render(Answer(intent=Intent.SUMMARY, lead="", cards=(teaser,)))[0].embeds
    assert embed.description is not None
    assert embed.description.endswith(render.TEASER_NOTE)
    assert "only a teaser is stored" in embed.description.lower()
    assert embed.url is None
    value = str(embed.fields[-1].value)
    assert value.startswith("Example News · <t:")
    assert value.endswith(f"({ESTIMATED_DATE})")


def test_body_used_when_no_summary_and_naive_date_is_utc() -> None:
    naive = datetime(2026, 3, 1, 12, 0)  # noqa: DTZ001 - the renderer must cope
    (embed,) = render.render(
        Answer(intent=Intent.SUMMARY, lead="", cards=(card(summary=(), body="First. Second."),))
    )[0].embeds
    assert embed.description == "First. Second."
    assert render.timestamp_text(naive) == f"<t:{UNIX}:f> (<t:{UNIX}:R>)"


def test_markdown_and_mentions_are_escaped() -> None:
    hostile = "**bold** @everyone @here <@&123456789012345678> <@!123456789012345678> `code`"
    answer = Answer(intent=Intent.SEARCH, lead=hostile,
                    cards=(card(title=hostile, summary=(hostile,)),))
    (message,) = render.render(answer)
    everything = [
        message.content or "",
        message.embeds[0].title or "",
        message.embeds[0].description or "",
    ]
    for text in everything:
        assert "\\*\\*bold\\*\\*" in text
        assert "@everyone" not in text
        assert "@here" not in text
        assert "<@&1" not in text
        assert "\\`code\\`" in text
    payload: dict[str, object] = dict(render.NO_MENTIONS.to_dict())
    assert payload == {"parse": []}


@pytest.mark.parametrize(
    "token",
    ["<@&123>", "<@1>", "<@!42>", "<#7>", "</news summary:1>", "<t:0:R>", "<@&123456789012345678>"],
)
def test_mention_like_tokens_are_inert_whatever_the_digits(token: str) -> None:
    hostile = f"See {token} and @everyone or @here now."
    answer = Answer(
        intent=Intent.SEARCH,
        lead=hostile,
        notice=hostile,
        cards=(card(title=hostile, summary=(hostile,), source=hostile, fields=((hostile, "v"),)),),
    )
    for message in render.render(answer):
        texts = [message.content or ""]
        for embed in message.embeds:
            data = embed.to_dict()
            texts += [data.get("title", ""), data.get("description", "")]
            texts += [data.get("footer", {}).get("text", "")]
            texts += [f["name"] + f["value"] for f in data.get("fields", [])]
        ours = (f"<t:{UNIX}:f>", f"<t:{UNIX}:R>")  # the renderer's own date tokens
        for text in texts:
            assert token not in text
            assert "@everyone" not in text
            assert "@here" not in text
            assert not re.search(r"<(?:[@#/]|t:)", text.replace(ours[0], "").replace(ours[1], ""))


def test_error_is_ephemeral_and_notice_prominent() -> None:
    answer = Answer(intent=Intent.SUMMARY, lead="", notice="No story called 'x'.")
    (message,) = render.render(answer)
    assert message.content == "**Note:** No story called 'x'."
    assert not message.embeds
    assert render.is_ephemeral(answer)
    assert render.is_ephemeral(Answer(intent=Intent.HELP, lead="hi",
                                      visibility=Visibility.EPHEMERAL))
    assert not render.is_ephemeral(Answer(intent=Intent.HELP, lead="hi"))


def test_candidates_listed() -> None:
    candidates = tuple(card(title=f"Story {i}", url=f"https://n.example/{i}") for i in range(20))
    answer = Answer(intent=Intent.SUMMARY, lead="Which one?", candidates=candidates)
    (message,) = render.render(answer)
    (embed,) = message.embeds
    assert embed.description is not None
    assert embed.description.startswith("• [Story 0](https://n.example/0) — Example News")
    assert embed.description.endswith("… and 5 more")


def test_empty_answer_still_sends_something() -> None:
    (message,) = render.render(Answer(intent=Intent.SEARCH, lead=""))
    assert message.content == "…"


def test_fit_cuts_at_sentence_boundary_with_marker() -> None:
    text = "One sentence here. Two sentences here. Three sentences here."
    assert fit(text, 100) == text
    assert fit(text, 45) == "One sentence here. Two sentences here. …"
    assert fit("x" * 50, 20).endswith(" …")
    assert ulen(fit("word " * 100, 33)) <= 33
    assert ulen(fit("😀" * 100, 33)) <= 33


def test_every_limit_held_for_huge_answers() -> None:
    long_quote = QuoteLine("S" * 300, "said", "Q. " * 600, "direct", True)
    monster = card(
        title="T" * 1000,
        summary=tuple(f"Sentence {i} " + "word " * 30 + "." for i in range(600)),
        quotes=(long_quote,) * 40,
        fields=tuple((f"F{i}" * 100, "v" * 2000) for i in range(30)),
        source="Src " * 1000,
    )
    answer = Answer(
        intent=Intent.LATEST,
        lead="L" * 5000,
        notice="N" * 500,
        cards=(monster, *tuple(card(title=f"C{i}") for i in range(30))),
        candidates=tuple(card(title="c" * 300) for _ in range(40)),
    )
    messages = render.render(answer)
    check_limits(messages)
    assert len(messages) > 3
    assert messages[0].content is not None
    assert messages[0].content.endswith("…")
    assert all(m.content is None for m in messages[1:])
    titles = [e.title for m in messages for e in m.embeds if e.title]
    assert titles[1:31] == [f"C{i}" for i in range(30)]  # order kept, nothing dropped


@pytest.mark.parametrize("char", ["a", "😀", "é"])
def test_limits_in_utf16_units(char: str) -> None:
    answer = Answer(intent=Intent.SEARCH, lead=char * 3000, cards=(card(summary=(char * 9000,)),))
    check_limits(render.render(answer))


def test_candidate_url_cannot_inject_a_masked_link() -> None:
    hostile = "https://news.example/x)[Claim_your_prize](https://phish.example"
    candidates = (card(title="Bridge", url=hostile), card(title="Other", url="https://n.example/ok"))
    (message,) = render.render(Answer(intent=Intent.SUMMARY, lead="Which?", candidates=candidates))
    (embed,) = message.embeds
    description = embed.description or ""
    assert description.splitlines()[0] == (
        "• [Bridge](https://news.example/x%29[Claim_your_prize]%28https://phish.example)"
        " — Example News"
    )
    assert len(re.findall(r"\]\(", description)) == 2  # one masked link per candidate


def test_title_link_is_percent_encoded() -> None:
    (embed,) = render.render(
        Answer(intent=Intent.SUMMARY, lead="", cards=(card(url="https://n.example/a b<c>"),))
    )[0].embeds
    assert embed.url == "https://n.example/a%20b%3Cc%3E"


def test_notice_equal_to_lead_is_shown_once() -> None:
    message = "No stories match that."
    (rendered,) = render.render(Answer(intent=Intent.SEARCH, lead=message, notice=message))
    assert rendered.content == "**Note:** No stories match that."
