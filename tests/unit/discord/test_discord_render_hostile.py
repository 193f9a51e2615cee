"""Discord rendering of blank and link-laden text, found by the hostile property tests."""

from __future__ import annotations

import pytest

from adapters.discord.escape import clean, plain
from adapters.discord.render import render
from bot.intents import Intent
from bot.messages import Answer, Card, QuoteLine
from tests.fakes.chat_markup import discord_link_targets
from tests.fakes.discord_limits import message_violations


def _payloads(answer: Answer) -> list[dict[str, object]]:
    return [{"content": m.content, "embeds": [e.to_dict() for e in m.embeds]}
            for m in render(answer)]


def test_a_quote_without_speaker_or_text_still_makes_a_valid_field() -> None:
    quotes = (QuoteLine("", "", "", "direct", False), QuoteLine(" ", " ", " ", "reported", True))
    card = Card(title="t", ref="a", quotes=quotes, fields=((" ", " "),))
    for payload in _payloads(Answer(intent=Intent.SUMMARY, lead="", cards=(card,))):
        assert message_violations(payload) == []


def test_every_masked_link_is_escaped_not_only_the_first() -> None:
    text = "[one](https://a.example) [two](https://evil.example) a\\[three](https://evil.example)"
    assert discord_link_targets(clean(text)) == []
    assert discord_link_targets(plain(text)) == []
    assert "evil.example" in clean(text)  # the words stay, shown literally


@pytest.mark.timeout(20)  # discord.utils.escape_markdown took minutes here (quadratic)
def test_long_runs_of_markup_characters_render_promptly() -> None:
    """A 60,000-character sentence of ``<`` or blank lines once stalled the event loop for
    minutes; figures: bench/escape_bench.py."""
    for run in ("<" * 60_000, "\n" * 60_000, "[" * 60_000):
        card = Card(title=run, ref="a", summary=(run,), source=run)
        for payload in _payloads(Answer(intent=Intent.SUMMARY, lead=run, cards=(card,))):
            assert message_violations(payload) == []


def test_a_blank_lead_does_not_make_an_empty_message() -> None:
    """Found by the property tests: a lead of "\\n" was sent as the whole content."""
    for lead in ("\n", "   ", "\u3000"):
        for payload in _payloads(Answer(intent=Intent.SUMMARY, lead=lead)):
            assert message_violations(payload) == []
