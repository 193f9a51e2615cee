"""The console renderer: plain text, dates in UTC, a stored-time date marked as such."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console import render
from bot.answering.texts import ESTIMATED_DATE
from bot.intents import Intent
from bot.messages import Answer, Card

WHEN = datetime(2024, 6, 21, 9, 30, tzinfo=UTC)


def test_a_real_date_is_shown_as_is() -> None:
    text = render(Answer(Intent.SUMMARY, "Here it is",
                         (Card("Ban decried", "s", published_at=WHEN),)))
    assert "2024-06-21 09:30 UTC" in text
    assert ESTIMATED_DATE not in text


def test_a_date_that_is_the_time_stored_says_so() -> None:
    card = Card("Ban decried", "s", published_at=WHEN, published_estimated=True)
    text = render(Answer(Intent.SUMMARY, "Here it is", (card,)))
    assert f"2024-06-21 09:30 UTC ({ESTIMATED_DATE})" in text
