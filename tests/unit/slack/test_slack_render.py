"""Answer -> Block Kit (pure): escaping, quotes, limits, splitting."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from adapters.slack.render import (
    MAX_BLOCKS,
    SlackMessage,
    block_text_size,
    chunk_sentences,
    date_token,
    escape_mrkdwn,
    quote_line,
    render_answer,
    response_type,
    truncate,
)
from bot.answering.texts import ESTIMATED_DATE
from bot.intents import Intent
from bot.messages import Answer, Card, QuoteLine, Visibility


def test_escaping_makes_mentions_inert() -> None:
    assert escape_mrkdwn("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;"
    assert "@channel" not in escape_mrkdwn("hey @channel and @here")


def test_emphasis_characters_cannot_restyle() -> None:
    out = escape_mrkdwn("*bold* _it_ ~strike~ `code` snake_case 2*3")
    for mark in ("*bold*", "_it_", "~strike~", "`"):
        assert mark not in out
    assert "snake_case" in out
    assert "2*3" in out


def test_verbatim_quotes_in_marks_reported_not() -> None:
    direct = quote_line(QuoteLine("Jane Doe", "said", "We won", "direct", True))
    reported = quote_line(QuoteLine("John Roe", "said", "they had lost", "reported", False))
    assert direct == "*Jane Doe* said: “We won”"
    assert "“" not in reported
    assert '"' not in reported
    assert reported.startswith("*John Roe* said")


def test_date_token() -> None:
    when = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    token = date_token(when)
    assert (
        token
        == f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|2026-11-27 09:30 UTC>"
    )
    estimated = date_token(when, estimated=True)
    assert estimated.startswith("<!date^")
    assert estimated.endswith(f"({ESTIMATED_DATE})")


def test_card_blocks() -> None:
    card = Card(
        title="T" * 400,
        ref="a",
        url="https://x.test/a",
        source="Src",
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
        kind="teaser",
        summary=("One.", "Two."),
        fields=(("Section", "World"),),
    )
    (message,) = render_answer(Answer(Intent.SUMMARY, "Lead", (card,)))
    types = [b["type"] for b in message.blocks]
    assert types == ["section", "divider", "header", "context", "section", "section", "actions"]
    header = message.blocks[2]["text"]["text"]
    assert len(header) <= 150
    assert header.endswith("…")
    assert "only a teaser is stored" in json.dumps(message.blocks).lower()
    assert message.blocks[-1]["elements"][0]["url"] == "https://x.test/a"
    assert message.text.startswith("Lead")


def test_non_http_urls_get_no_button() -> None:
    card = Card(title="T", ref="a", url="javascript:alert(1)")
    (message,) = render_answer(Answer(Intent.SUMMARY, "", (card,)))
    assert all(b["type"] != "actions" for b in message.blocks)


def test_candidates_listed() -> None:
    cands = tuple(
        Card(title=f"Story {i}", ref=str(i), url=f"https://x.test/{i}") for i in range(12)
    )
    answer = Answer(Intent.SUMMARY, "", notice="Which one?", candidates=cands)
    (message,) = render_answer(answer)
    text = json.dumps(message.blocks)
    assert "<https://x.test/0|Story 0>" in text
    assert "and 2 more" in text
    assert response_type(answer) == "ephemeral"


def test_response_types() -> None:
    story = Answer(Intent.SUMMARY, "x", (Card(title="t", ref="a"),))
    assert response_type(story) == "in_channel"
    assert response_type(story, public_answers=False) == "ephemeral"
    assert response_type(Answer(Intent.HELP, "x")) == "ephemeral"
    private = Answer(Intent.SUMMARY, "x", visibility=Visibility.EPHEMERAL)
    assert response_type(private) == "ephemeral"


def test_overlong_sentence_cut_without_breaking_entities() -> None:
    chunks = chunk_sentences(["a&b " * 2000], limit=500)
    assert all(len(c) <= 500 for c in chunks)
    assert all(not c.endswith(("&", "&am", "&amp")) for c in chunks)


def test_many_cards_split_with_limits_and_cap() -> None:
    cards = tuple(
        Card(title=f"Story {i}", ref=str(i), summary=("S. " * 400,)) for i in range(30)
    )
    messages = render_answer(Answer(Intent.LATEST, "Latest", cards))
    assert len(messages) > 2
    for message in messages:
        assert len(message.blocks) <= MAX_BLOCKS
        assert block_text_size(list(message.blocks)) < 12_000
    capped = render_answer(Answer(Intent.LATEST, "Latest", cards), max_messages=2)
    assert len(capped) == 2
    assert "more part(s) not shown" in json.dumps(capped[-1].blocks)


def test_candidate_url_cannot_break_out_of_its_link() -> None:
    hostile = "https://news.example/x|<!channel> Claim your prize>https://phish.example"
    card = Card(title="Bridge", ref="b", url=hostile)
    answer = Answer(intent=Intent.SUMMARY, lead="Which one?", candidates=(card,))
    (message,) = render_answer(answer)
    lines = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    (line,) = [row for text in lines for row in text.splitlines() if "Bridge" in row]
    assert line == (
        "• <https://news.example/x%7C%3C!channel%3E%20Claim%20your%20prize%3E"
        "https://phish.example|Bridge>"
    )
    assert line.count("<") == line.count(">") == 1  # one link, nothing after it
    assert "<!channel>" not in json.dumps(message.blocks)


def test_button_url_is_percent_encoded() -> None:
    card = Card(title="Bridge", ref="b", url="https://news.example/a b|c")
    (message,) = render_answer(Answer(intent=Intent.SUMMARY, lead="", cards=(card,)))
    (actions,) = [b for b in message.blocks if b["type"] == "actions"]
    assert actions["elements"][0]["url"] == "https://news.example/a%20b%7Cc"


def _sections(message: SlackMessage) -> list[str]:
    return [b["text"]["text"] for b in message.blocks if b["type"] == "section" and "text" in b]


def test_long_quote_cut_at_a_sentence_inside_its_marks() -> None:
    text = " ".join(f"Sentence {i} of what she said." for i in range(200))  # about 6,000
    quote = QuoteLine("Jane Doe", "said", text, "direct", True)
    card = Card(title="T", ref="a", quotes=(quote,))
    (message,) = render_answer(Answer(Intent.QUOTE, "", (card,)))
    (line,) = [t for t in _sections(message) if t.startswith("*Jane Doe*")]
    assert len(line) <= 3000
    assert line.startswith("*Jane Doe* said: “Sentence 0 of what she said.")
    assert line.endswith("said. …”")  # whole sentences, the marker, then the closing mark
    assert len(line) > 2500


def test_long_lead_notice_and_field_cut_at_sentences() -> None:
    long = " ".join(f"Point {i} is made here." for i in range(300))  # about 7,000
    card = Card(title="T", ref="a", fields=(("Background", long),))
    (message,) = render_answer(Answer(Intent.SUMMARY, "Also. " + long, (card,), notice=long))
    notice, lead = _sections(message)[:2]
    for text in (notice, lead):
        assert len(text) <= 3000
        assert text.endswith("made here. …")
    (fields,) = [b["fields"] for b in message.blocks if "fields" in b]
    value = fields[0]["text"]
    assert value.startswith("*Background*\nPoint 0 is made here.")
    assert value.endswith("made here. …")
    assert len(value) <= 2000


def test_section_and_truncate_never_cut_inside_an_entity() -> None:
    for pad in range(2990, 3000):
        text = _section_text("x" * pad + "&amp;" * 3)
        assert len(text) <= 3000
        assert not re.search(r"&(?!amp;)", text), pad
    for limit in range(10, 20):
        cut = truncate("a" * 8 + "&amp;" * 5, limit)
        assert len(cut) <= limit
        assert not re.search(r"&(?!amp;)", cut), (limit, cut)


def _section_text(mrkdwn: str) -> str:
    from adapters.slack.render import _section

    return str(_section(mrkdwn)["text"]["text"])


def test_notice_equal_to_lead_is_shown_once() -> None:
    message = "I could not find that story."
    answer = Answer(Intent.SUMMARY, message, notice=message, visibility=Visibility.EPHEMERAL)
    (rendered,) = render_answer(answer)
    assert json.dumps(rendered.blocks).count("could not find") == 1
    assert rendered.text == message


def test_a_broadcast_word_cut_short_is_still_defused() -> None:
    """Found by the property tests: "@everyonequote" was left as is (no word boundary), and a
    cut right after "@everyone" then made it the broadcast word."""
    from adapters.slack.render import escape_plain, truncate

    cut = truncate(escape_plain("x" * 10 + " @everyonequote"), 23)
    assert "@everyone" not in cut
    assert "@\u2060everyone" in cut
