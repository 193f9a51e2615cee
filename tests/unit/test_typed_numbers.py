"""Numbers typed by people: ASCII decimal digits only, everywhere one is read."""

from __future__ import annotations

import pytest

from adapters.slack.translate import parse_news_text
from bot.digests.commands import parse_id
from bot.digests.schedule import DigestInputError, normalise_schedule
from bot.feeds.commands import FeedInputError, parse_feed_id
from bot.feeds.fetch import retry_after
from bot.intents import Intent, from_command, parse
from bot.numbers import SATURATED, ascii_int, signed_ascii_int

# Each is a "digit" to str.isdigit() or to int(), and none is a number a person typed in ASCII.
NOT_ASCII = ["²", "¹⁰", "①", "١٢", "１２", "٣", "𝟙", "1_000", " 7", "7 ", "+7", "", "0x10", "1e3"]


@pytest.mark.parametrize("text", NOT_ASCII)
def test_only_ascii_digits_are_a_number(text: str) -> None:
    assert ascii_int(text) is None


def test_ascii_numbers_and_their_bounds() -> None:
    assert ascii_int("0") == 0
    assert ascii_int("007") == 7
    assert ascii_int("9" * 5000) == SATURATED  # int() would raise past 4,300 digits
    assert signed_ascii_int("-3") == -3
    assert signed_ascii_int("+3") == 3
    assert signed_ascii_int("-²") is None


@pytest.mark.parametrize("count", ["²", "¹⁰", "①", "١٢"])
def test_slack_latest_with_a_unicode_digit_is_a_usage_problem(count: str) -> None:
    parsed = parse_news_text(f"latest {count}")
    assert parsed.command is None
    assert parsed.problem is not None
    assert "number from 1 to" in parsed.problem


def test_free_text_latest_never_raises_on_huge_or_foreign_numbers() -> None:
    huge = parse(f"latest {'9' * 5000}")  # int() raised ValueError here
    assert huge.intent is Intent.LATEST
    assert huge.count == 10
    assert parse("latest ١٢").count is None  # \\d matched Arabic-Indic digits
    assert parse("latest -2").note is not None


@pytest.mark.parametrize("count", ["²", "①", "١", " 3 "])
def test_slash_command_count_option(count: str) -> None:
    parsed = from_command("latest", {"count": count})
    assert parsed.count == (3 if count.strip() == "3" else None)


@pytest.mark.parametrize("value", ["²", "#①", "١", "３"])
def test_ids_refuse_unicode_digits_with_a_message(value: str) -> None:
    with pytest.raises(DigestInputError, match="not a digest id"):
        parse_id(value)
    with pytest.raises(FeedInputError, match="not a feed id"):
        parse_feed_id(value)
    assert parse_id("#" + "9" * 5000) == SATURATED  # no such digest, but no crash either


def test_schedule_times_and_weekdays_are_ascii() -> None:
    with pytest.raises(DigestInputError):
        normalise_schedule("daily ０９:００")
    assert normalise_schedule("daily 9:05") == "daily 09:05"


def test_retry_after_with_a_superscript_is_ignored() -> None:
    from datetime import UTC, datetime

    assert retry_after("²", datetime.now(UTC)) is None  # float("²") raised
    assert retry_after("30", datetime.now(UTC)) == 30.0


@pytest.mark.parametrize(("line", "field"), [
    ("cron 0 9 * * ٣", "٣"),  # APScheduler read it as 3 = Thursday; cron's 3 is Wednesday
    ("0 ١ * * *", "١"),
    ("cron */١٥ * * * *", "*/١٥"),
    ("cron 0 9 1-٣١ * *", "1-٣١"),
])
def test_cron_fields_are_ascii(line: str, field: str) -> None:
    """Cron fields go to APScheduler, which reads them with ``\\d`` and ``int()``: the
    weekday number skipped our Sunday-first translation and named the wrong day."""
    with pytest.raises(DigestInputError, match="use the digits 0-9") as caught:
        normalise_schedule(line)
    assert field in caught.value.message
    assert normalise_schedule("cron 0 9 * * 3") == "cron 0 9 * * 3"


@pytest.mark.parametrize("limit", ["١٠", "１０", "1_0", " 10", "+10", "²"])
def test_stories_limit_is_ascii(limit: str) -> None:
    """``newsbot stories --limit ١٠`` listed ten stories: ``int()`` reads other scripts."""
    import argparse

    from bot.cli import _story_limit

    with pytest.raises(argparse.ArgumentTypeError, match="not a number"):
        _story_limit(limit)
    assert _story_limit("10") == 10
