"""Datetimes as stored text: sortable ISO 8601 in UTC, read back as aware UTC datetimes.

One convention for every store (catalogue, digests, feeds): text sorts in time order, so
windows and due-times are plain string comparisons in SQL; a naive datetime means UTC, as
everywhere else in newsbot (``bot.safevalues.utc_moment``).
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_iso(moment: datetime) -> str:
    """Sortable ISO 8601 text in UTC, to the microsecond; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    """An aware UTC datetime from stored text (naive text is taken as UTC)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def from_iso_or_none(text: str | None) -> datetime | None:
    """``from_iso`` of a column that may be empty (NULL: None)."""
    return None if text is None else from_iso(text)
