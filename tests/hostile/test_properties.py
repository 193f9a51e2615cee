"""Property tests (hypothesis) with hostile text: the intent parser, the Slack text grammar and
both renderers never raise, hold every platform limit, and render no live mention and no
masked link. Example counts and seeds come from the profile in tests/conftest.py."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.render import escape_plain
from adapters.slack.translate import parse_news_text, slack_to_plain
from adapters.urls import safe_http_url
from bot.intents import MAX_COUNT, Intent, from_command, parse
from bot.messages import Answer, Card, QuoteLine, Visibility
from tests.hostile.answers import STORY_URL, WHEN
from tests.hostile.rendered import discord_problems, slack_problems

FRAGMENTS = [
    "@everyone", "@here", "@channel", "<@123456789012345678>", "<@!1>", "<@&2>", "<#3>",
    "<!channel>", "<!here>", "<!subteam^S1|x>", "<https://evil.example|safe>", "<t:1:R>",
    "[x](https://evil.example)", "[", "]", "(", ")", "](", "<", ">", "|", "&", "&amp;", "&lt;",
    "*", "_", "~", "`", "\\", "#", "-#", ">", "\n", " ", "  ", "\t", "\u200b", "\u2060", "\u202e",
    "²", "①", "١", "１", "9" * 25, "latest", "summary", "quote", "digest", "feeds", "about", '"',
    "“", "Zalgo\u0301\u0301\u0301", "👩🏽‍💻", "é",
]
hostile = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=24
).map("".join)
long_hostile = st.tuples(hostile, st.integers(min_value=20, max_value=400)).map(
    lambda pair: pair[0] * pair[1]
)
texts = st.one_of(hostile, hostile, long_hostile)
# A command word, then hostile arguments: "latest ²", "quote @here about [x](...)".
commands = st.tuples(
    st.sampled_from(["latest", "show me the latest", "summary", "quote", "who said", "search",
                     "digest unsubscribe", "digest subscribe", "feeds remove", "feeds add"]),
    st.one_of(texts, st.sampled_from(["²", "¹⁰", "①", "١٢", "9" * 5000, "-3", "0"])),
).map(" ".join)
questions = st.one_of(texts, commands)
urls = st.one_of(st.none(), st.just(STORY_URL), hostile.map(lambda t: "https://x.example/" + t))


@st.composite
def cards(draw: st.DrawFn) -> Card:
    """A story whose every text is drawn independently."""
    return Card(
        title=draw(texts), ref="hostile", body=draw(texts), url=draw(urls),
        source=draw(st.one_of(st.none(), texts)), published_at=draw(st.sampled_from([None, WHEN])),
        kind=draw(st.sampled_from(["full", "teaser"])),
        summary=tuple(draw(st.lists(texts, max_size=3))),
        quotes=tuple(QuoteLine(draw(texts), draw(texts), draw(texts), "direct", draw(st.booleans()))
                     for _ in range(draw(st.integers(0, 2)))),
        fields=tuple((draw(texts), draw(texts)) for _ in range(draw(st.integers(0, 2)))),
    )


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    """Any answer the engine could give, full of hostile text."""
    return Answer(
        intent=draw(st.sampled_from([Intent.SUMMARY, Intent.STORY, Intent.LATEST, Intent.HELP])),
        lead=draw(texts),
        cards=tuple(draw(st.lists(cards(), max_size=2))),
        notice=draw(st.one_of(st.none(), texts)),
        candidates=tuple(draw(st.lists(cards(), max_size=3))),
        visibility=draw(st.sampled_from(list(Visibility))),
    )


def _urls(answer: Answer) -> list[str]:
    return [c.url for c in (*answer.cards, *answer.candidates) if c.url]


@given(questions)
def test_intent_parser_never_raises_and_counts_stay_in_range(text: str) -> None:
    parsed = parse(text)
    assert parsed.intent in Intent
    assert parsed.count is None or 1 <= parsed.count <= MAX_COUNT
    counted = from_command("latest", {"count": text})
    assert counted.count is None or 1 <= counted.count <= MAX_COUNT


@given(questions)
def test_slack_text_grammar(text: str) -> None:
    plain = slack_to_plain(text)
    assert plain == plain.strip()
    assert not re.search(r"\s\s", plain)
    parsed = parse_news_text(text)
    assert (parsed.command is None) == (parsed.problem is not None) or parsed.command == "help"
    for name, value in parsed.args:
        if name == "count":
            assert value.isascii()
            assert value.isdigit()
            assert 1 <= int(value) <= MAX_COUNT


@given(answers())
def test_discord_rendering_holds_limits_and_nothing_is_live(answer: Answer) -> None:
    allowed = frozenset(u for u in (safe_http_url(u, 2048) for u in _urls(answer)) if u)
    assert discord_problems(answer, allowed) == []


@given(answers())
def test_slack_rendering_holds_limits_and_nothing_is_live(answer: Answer) -> None:
    allowed = frozenset(
        escape_plain(u) for u in (safe_http_url(u, 3000) for u in _urls(answer)) if u
    )
    assert slack_problems(answer, allowed) == []
