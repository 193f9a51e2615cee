"""Schedules: parsing, clear messages for bad input, and fire times across clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digests.schedule import (
    DigestInputError,
    UtcCronTrigger,
    build_trigger,
    latest_fire,
    parse_schedule,
    slot_key,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def fires(trigger: UtcCronTrigger, start: datetime, end: datetime) -> list[datetime]:
    found: list[datetime] = []
    previous: datetime | None = None
    moment = start
    while True:
        nxt = trigger.get_next_fire_time(previous, moment)
        if nxt is None or nxt > end:
            return found
        found.append(nxt)
        previous, moment = nxt, nxt + timedelta(milliseconds=10)


@pytest.mark.parametrize(("text", "canonical"), [
    ("daily 09:00", "daily 09:00"),
    ("Daily at 9:05", "daily 09:05"),
    ("weekdays 08:30", "weekdays 08:30"),
    ("weekly mon 09:00", "weekly mon 09:00"),
    ("weekly Friday 17:45", "weekly fri 17:45"),
    ("0 9 * * 1-5", "cron 0 9 * * 1-5"),
    ("cron 30 7 1 * *", "cron 30 7 1 * *"),
])
def test_schedules_are_normalised(text: str, canonical: str) -> None:
    assert parse_schedule(text, "Europe/London")[0] == canonical


@pytest.mark.parametrize(("text", "zone", "message"), [
    ("daily 25:00", "UTC", "25:00 is not a time of day"),
    ("daily 09:60", "UTC", "09:60 is not a time of day"),
    ("daily nine", "UTC", "is not a time"),
    ("daily 09:00", "Mars/Olympus", "Unknown time zone 'Mars/Olympus'"),
    ("daily 09:00", "", "Give a time zone"),
    ("weekly someday 09:00", "UTC", "'someday' is not a day"),
    ("every full moon", "UTC", "I don't understand the schedule"),
    ("", "UTC", "Give a schedule"),
    ("*/5 * * * *", "UTC", "at most every 15 minutes"),
    ("61 9 * * *", "UTC", "Invalid cron line"),
])
def test_bad_schedules_get_clear_messages(text: str, zone: str, message: str) -> None:
    with pytest.raises(DigestInputError) as caught:
        parse_schedule(text, zone)
    assert message in caught.value.message


def test_cron_weekday_numbers_follow_cron_not_apscheduler() -> None:
    sunday = datetime(2026, 3, 22, tzinfo=UTC)  # a Sunday
    for line in ("0 9 * * 0", "0 9 * * 7"):
        trigger = build_trigger(parse_schedule(line, "UTC")[0], UTC)
        fire = trigger.get_next_fire_time(None, sunday)
        assert fire is not None
        assert fire.weekday() == 6
    weekdays = build_trigger(parse_schedule("0 9 * * 1-5", "UTC")[0], UTC)
    days = {f.weekday() for f in fires(weekdays, sunday, sunday + timedelta(days=7))}
    assert days == {0, 1, 2, 3, 4}


@pytest.mark.parametrize(("start", "change"), [
    (datetime(2026, 3, 26, tzinfo=UTC), datetime(2026, 3, 29, 1, tzinfo=UTC)),  # spring forward
    (datetime(2026, 10, 22, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)),  # fall back
])
def test_london_nine_oclock_stays_nine_oclock_across_a_clock_change(
        start: datetime, change: datetime) -> None:
    trigger = build_trigger("daily 09:00", LONDON)
    found = fires(trigger, start, start + timedelta(days=6))
    assert len(found) == 6
    assert all(f.tzinfo is UTC for f in found)
    assert {(f.astimezone(LONDON).hour, f.astimezone(LONDON).minute) for f in found} == {(9, 0)}
    offsets = {f.astimezone(LONDON).utcoffset() for f in found}
    assert len(offsets) == 2  # the UTC instant moved by an hour, the local time did not
    assert any(f < change for f in found)
    assert any(f > change for f in found)


def test_a_0230_slot_on_a_spring_forward_day_fires_once() -> None:
    trigger = build_trigger("daily 02:30", NEW_YORK)  # 2026-03-08 02:00 -> 03:00
    day = fires(trigger, datetime(2026, 3, 8, 5, tzinfo=UTC), datetime(2026, 3, 9, 5, tzinfo=UTC))
    assert len(day) == 1
    assert day[0] == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT: the skipped 02:30


def test_a_repeated_wall_time_is_one_slot() -> None:
    trigger = build_trigger("daily 01:30", NEW_YORK)  # 2026-11-01 01:00-02:00 happens twice
    day = fires(trigger, datetime(2026, 11, 1, 4, tzinfo=UTC),
                datetime(2026, 11, 1, 12, tzinfo=UTC))
    assert len(day) == 2  # APScheduler fires at both instants...
    assert {slot_key(f, NEW_YORK) for f in day} == {"2026-11-01T01:30"}  # ...one slot


def test_fire_times_never_go_backwards_in_a_repeated_hour() -> None:
    # APScheduler 3's own CronTrigger cycles 01:30 EDT -> 01:00 EST -> 01:30 EDT here when fed
    # its zoned results back; UtcCronTrigger moves forward.
    trigger = build_trigger("cron */20 * * * *", NEW_YORK)
    found = fires(trigger, datetime(2026, 11, 1, 4, tzinfo=UTC),
                  datetime(2026, 11, 1, 9, tzinfo=UTC))
    assert found == sorted(set(found))
    assert len(found) == 16  # every 20 minutes of 5 real hours, both ends included


def test_latest_fire_looks_back_for_the_last_slot() -> None:
    trigger = build_trigger("weekly mon 09:00", LONDON)
    now = datetime(2026, 3, 20, 12, tzinfo=UTC)  # a Friday
    assert latest_fire(trigger, now, after=now - timedelta(days=30)) == datetime(
        2026, 3, 16, 9, tzinfo=UTC)
    assert latest_fire(trigger, now, after=datetime(2026, 3, 16, 9, tzinfo=UTC)) is None
    yearly = build_trigger("cron 0 9 1 1 *", UTC)
    assert latest_fire(yearly, now, after=now - timedelta(days=800)) == datetime(
        2026, 1, 1, 9, tzinfo=UTC)
