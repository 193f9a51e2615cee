"""Checks for values read from outside (files, feeds) that Python accepts but that break later.

A lone surrogate (``"\\ud800"`` from a JSON ``\\u`` escape) is a valid ``str`` that cannot be
encoded, so SQLite and every printer fail on it; a date at year 1 or 9999 parses but overflows
when moved to UTC or shifted by a day; deeply nested JSON exhausts the stack. Each check raises
``UnsafeValueError`` with a short reason, so the caller rejects that one value and goes on.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

MIN_YEAR = 1000  # far enough from datetime's limits that no shift of a few centuries overflows
MAX_YEAR = 9000
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnsafeValueError(ValueError):
    """A value that cannot be stored or shown; the message says why."""


def has_surrogate(text: str) -> bool:
    """True when ``text`` holds a lone surrogate (it cannot be encoded as UTF-8)."""
    return _SURROGATE.search(text) is not None


def checked_text(text: str, what: str) -> str:
    """``text`` unchanged, or ``UnsafeValueError`` naming ``what`` if it cannot be encoded."""
    if has_surrogate(text):
        raise UnsafeValueError(f"{what} holds an invalid character (a lone surrogate)")
    return text


def utc_moment(moment: datetime, what: str = "date") -> datetime:
    """``moment`` as aware UTC (naive is taken as UTC), within ``MIN_YEAR``..``MAX_YEAR``."""
    try:
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        utc = aware.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise UnsafeValueError(f"{what} is out of range (years {MIN_YEAR}-{MAX_YEAR})")
    return utc


def loads_json(text: str | bytes) -> object:
    """``json.loads`` with nesting too deep for the stack reported as ``UnsafeValueError``
    (and invalid JSON as ``json.JSONDecodeError``, as usual)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise UnsafeValueError("JSON nested too deeply") from None
