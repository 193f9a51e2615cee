"""Schedules ("daily 09:00", "weekdays 08:30", "weekly mon 09:00", cron) -> APScheduler triggers.

Every fire time leaves here as an aware UTC datetime: APScheduler 3's ``CronTrigger`` mishandles
wall times that repeat on a fall-back day when it is handed its own zoned results back (it can
return the same or an earlier time again, which makes the scheduler loop), and UTC avoids that.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from bot.numbers import ascii_int

MIN_INTERVAL = timedelta(minutes=15)  # digests more often than this are spam, not digests
#: How far ahead a schedule's next run is looked for. Feb 29 can be 8 years away (2096 ->
#: 2104); a line with no run in this window is refused rather than stored as "never".
LOOKAHEAD = timedelta(days=10 * 366)
LOOKAHEAD_YEARS = 10
_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_DAYS = {
    "mon": "mon", "monday": "mon", "tue": "tue", "tues": "tue", "tuesday": "tue",
    "wed": "wed", "wednesday": "wed", "thu": "thu", "thur": "thu", "thurs": "thu",
    "thursday": "thu", "fri": "fri", "friday": "fri", "sat": "sat", "saturday": "sat",
    "sun": "sun", "sunday": "sun",
}
_LOOKBACKS = (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32),
              timedelta(days=367), timedelta(days=3 * 366))
EXAMPLES = '"daily 09:00", "weekdays 08:30", "weekly mon 09:00" or a cron line "0 9 * * 1-5"'


class DigestInputError(ValueError):
    """A user mistake in a digest command; ``message`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UtcCronTrigger(CronTrigger):  # type: ignore[misc]  # apscheduler ships no type hints
    """A ``CronTrigger`` that reasons in UTC instants, never goes backwards and looks at most
    ``LOOKAHEAD`` past ``now``: a line that never fires (``0 0 30 2 *``) would otherwise make
    APScheduler walk to the year 9999, a second or two of event loop per question."""

    end_date: datetime | None  # set by CronTrigger; declared for the type checker

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The next fire time after ``previous_fire_time`` (at or after ``now``), in UTC; None
        when there is none within ``LOOKAHEAD``."""
        previous = previous_fire_time.astimezone(UTC) if previous_fire_time else None
        found = self._bounded_next(previous, now.astimezone(UTC))
        if found is not None and previous is not None and found <= previous:
            found = self._bounded_next(None, previous + timedelta(microseconds=1))
        return found.astimezone(UTC) if found is not None else None

    def _bounded_next(self, previous: datetime | None, now: datetime) -> datetime | None:
        # APScheduler checks ``end_date`` inside its search loop, so a temporary end date bounds
        # the work. Set and restored with no await in between, so no other task sees it.
        saved = self.end_date
        horizon = now + LOOKAHEAD
        self.end_date = horizon if saved is None else min(saved, horizon)
        try:
            found: datetime | None = super().get_next_fire_time(previous, now)
        finally:
            self.end_date = saved
        return found


def parse_zone(name: str | None) -> ZoneInfo:
    """An IANA zone such as ``Europe/London``, or a clear ``DigestInputError``."""
    text = (name or "").strip()
    if not text or len(text) > 64:
        raise DigestInputError("Give a time zone such as Europe/London or America/New_York.")
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DigestInputError(
            f"Unknown time zone {text!r}: use an IANA name such as Europe/London, "
            "America/New_York or UTC."
        ) from exc


def _clock_time(text: str) -> tuple[int, int]:
    match = _TIME.match(text)
    if not match:
        raise DigestInputError(f"{text!r} is not a time: use HH:MM, for example 09:00.")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise DigestInputError(
            f"{text} is not a time of day: use HH:MM between 00:00 and 23:59.")
    return hour, minute


def _cron_line(fields: list[str]) -> str:
    """``cron`` and the five fields, which must be ASCII: APScheduler reads fields with ``\\d``
    and ``int()``, so ``٣`` would be read as 3 (Thursday to APScheduler, which counts from
    Monday) without passing through the Sunday-first translation of weekday numbers."""
    if not all(field.isascii() for field in fields):
        raise DigestInputError(
            f"Invalid cron line {' '.join(fields)!r}: use the digits 0-9, names such as mon or "
            "jan, and * , - /.")
    return "cron " + " ".join(fields)


def normalise_schedule(text: str) -> str:
    """The canonical spelling stored in the database, or a ``DigestInputError``."""
    words = " ".join(text.split()).casefold().replace(" at ", " ").split()
    if not words:
        raise DigestInputError(f"Give a schedule: {EXAMPLES}.")
    if len(words) == 5 and not words[0].isalpha():
        return _cron_line(words)
    kind, rest = words[0], words[1:]
    if kind == "cron" and len(rest) == 5:
        return _cron_line(rest)
    if kind in ("daily", "weekdays") and len(rest) == 1:
        hour, minute = _clock_time(rest[0])
        return f"{kind} {hour:02d}:{minute:02d}"
    if kind == "weekly" and len(rest) == 2:
        day = _DAYS.get(rest[0])
        if day is None:
            raise DigestInputError(f"{rest[0]!r} is not a day: use mon, tue, wed, thu, fri, "
                                   "sat or sun.")
        hour, minute = _clock_time(rest[1])
        return f"weekly {day} {hour:02d}:{minute:02d}"
    raise DigestInputError(f"I don't understand the schedule {text.strip()!r}: use {EXAMPLES}.")


def build_trigger(schedule: str, zone: tzinfo) -> UtcCronTrigger:
    """The trigger for a normalised schedule in ``zone``."""
    kind, _, rest = schedule.partition(" ")
    if kind == "cron":
        try:
            return UtcCronTrigger(**_cron_fields(rest), timezone=zone)
        except ValueError as exc:
            raise DigestInputError(f"Invalid cron line {rest!r}: {exc}.") from exc
    parts = rest.split()
    hour, minute = (int(x) for x in parts[-1].split(":"))
    day_of_week = {"daily": "*", "weekdays": "mon-fri", "weekly": parts[0]}[kind]
    return UtcCronTrigger(day_of_week=day_of_week, hour=hour, minute=minute, timezone=zone)


def _cron_fields(expr: str) -> dict[str, str]:
    minute, hour, day, month, day_of_week = expr.split()
    # Cron counts Sunday as 0 (and 7); APScheduler counts Monday as 0. Translate numbers only.
    return {"minute": minute, "hour": hour, "day": day, "month": month,
            "day_of_week": _cron_weekdays(day_of_week)}


def _cron_weekdays(field: str) -> str:
    names = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")

    def name(token: str) -> str:
        number = ascii_int(token)
        return names[number] if number is not None and number < 8 else token

    parts = []
    for item in field.split(","):
        base, slash, step = item.partition("/")
        span = "-".join(name(t) for t in base.split("-"))
        parts.append(span + (slash + step if slash else ""))
    return ",".join(parts)


def parse_schedule(text: str, zone_name: str | None) -> tuple[str, ZoneInfo, UtcCronTrigger]:
    """Validate a schedule and zone: (canonical schedule, zone, trigger); no more often than
    every 15 minutes."""
    zone = parse_zone(zone_name)
    schedule = normalise_schedule(text)
    trigger = build_trigger(schedule, zone)
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
        raise DigestInputError(
            f"The schedule {schedule.removeprefix('cron ')!r} has no run in the next "
            f"{LOOKAHEAD_YEARS} years (a date such as 30 February never comes): check the day "
            "of month, month and weekday.")
    if too_frequent(trigger):
        raise DigestInputError("A digest can run at most every 15 minutes.")
    return schedule, zone, trigger


def too_frequent(trigger: UtcCronTrigger) -> bool:
    """True when two of the next fire times are closer than ``MIN_INTERVAL``."""
    moment: datetime | None = datetime(2030, 1, 7, tzinfo=UTC)
    previous = None
    for _ in range(12):
        assert moment is not None
        moment = trigger.get_next_fire_time(previous, moment)
        if moment is None:
            return False
        if previous is not None and moment - previous < MIN_INTERVAL:
            return True
        previous = moment
    return False


def latest_fire(trigger: UtcCronTrigger, now: datetime, after: datetime) -> datetime | None:
    """The last fire time in (``after``, ``now``], or None. Looks back in growing windows, so a
    frequent schedule costs a few steps and a yearly one still gets found."""
    for window in _LOOKBACKS:
        start = max(now - window, after + timedelta(microseconds=1))
        found = None
        moment = trigger.get_next_fire_time(None, start)
        while moment is not None and moment <= now:
            found = moment
            moment = trigger.get_next_fire_time(moment, moment + timedelta(microseconds=1))
        if found is not None or start > now - window:
            return found
    return None


def slot_key(moment: datetime, zone: tzinfo) -> str:
    """The slot's identity: the local wall-clock minute. A wall time that happens twice on a
    fall-back day (01:30 in New York) is one slot, so it posts once. The moment goes through
    UTC first: ``astimezone`` to the zone a datetime already carries changes nothing, so a
    nonexistent wall time (02:30 on a spring-forward day) would otherwise keep its own key
    instead of the 03:30 it really is."""
    return moment.astimezone(UTC).astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def describe(schedule: str, zone_name: str) -> str:
    """A short human description: "daily at 09:00 (Europe/London)"."""
    kind, _, rest = schedule.partition(" ")
    if kind == "cron":
        return f"cron {rest} ({zone_name})"
    parts = rest.split()
    if kind == "weekly":
        return f"weekly on {parts[0].capitalize()} at {parts[1]} ({zone_name})"
    return f"{kind} at {parts[0]} ({zone_name})"
