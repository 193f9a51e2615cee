"""Values from outside (feeds, files) that Python's types refuse late and loudly.

Three classes of hostile value pass a parser and then fail far from it: dates at the edge of
``datetime`` (year 1 or 9999 with an offset -> ``OverflowError`` on the move to UTC, or later
on any arithmetic), lone surrogates (``"\\ud800"`` is a valid JSON escape but not encodable
text -> ``UnicodeEncodeError`` at hashing or storing), and deep nesting (``RecursionError``).
These helpers meet each at the border, as a ``ValueError`` with a plain reason, so a caller can
refuse the one record that holds it and keep the rest.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

# Plausible publication dates: a story dated before 1900 or after 2200 is a broken feed or
# file (feedparser reads "0001 +1400" as the year 1400), and keeping such dates out leaves
# room for any date arithmetic done later.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_DEPTH = 64  # JSON nesting kept; real feeds and records use fewer than 10 levels
TOO_DEEP = "\x00too-deep\x00"  # stands in for a container nested deeper than the limit
_SURROGATE = re.compile("[\ud800-\udfff]")  # after decoding, any surrogate left is a lone one
# A JSON string (unrolled: no backtracking per character) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)


class UnsafeValueError(ValueError):
    """A value that cannot be kept; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def utc_date(moment: datetime) -> datetime:
    """``moment`` as aware UTC (naive means UTC); ``UnsafeValueError`` when it cannot be
    moved to UTC or lies outside ``EARLIEST``..``LATEST``."""
    try:
        aware = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (OverflowError, ValueError):
        raise UnsafeValueError(f"date out of range ({moment.isoformat()[:40]})") from None
    if not EARLIEST <= aware < LATEST:
        raise UnsafeValueError(f"date out of range ({aware.isoformat()[:40]}; newsbot keeps "
                               f"{EARLIEST.year} to {LATEST.year - 1})")
    return aware


def iso_date(value: object) -> datetime | None:
    """An ISO 8601 date string as aware UTC; None when it is not one (a missing or garbled
    date is no date), ``UnsafeValueError`` when it is one outside the range newsbot keeps."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return utc_date(moment)


def utc_moment(moment: datetime, what: str = "date") -> datetime:
    """``utc_date`` with the message naming ``what`` (a field of a record)."""
    try:
        return utc_date(moment)
    except UnsafeValueError as error:
        raise UnsafeValueError(f"{what} is out of range ({error.reason})") from None


def has_lone_surrogate(text: str) -> bool:
    """True when ``text`` holds a surrogate code point (not encodable as UTF-8)."""
    return _SURROGATE.search(text) is not None


def checked_text(text: str, what: str) -> str:
    """``text`` unchanged, or ``UnsafeValueError`` naming ``what`` if it cannot be encoded."""
    if has_lone_surrogate(text):
        raise UnsafeValueError(f"{what} holds an invalid character (a lone surrogate)")
    return text


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (for names worth keeping)."""
    return _SURROGATE.sub("\ufffd", text)


def bad_value(value: Any, depth: int = 0) -> str | None:
    """Why a decoded JSON value cannot be kept (a lone surrogate, nesting replaced by
    ``TOO_DEEP``, or deeper than ``MAX_DEPTH`` below the value given), or None."""
    if depth > MAX_DEPTH:
        return f"nested more than {MAX_DEPTH} levels deep"
    if isinstance(value, str):
        if value == TOO_DEEP:
            return f"nested more than {MAX_DEPTH} levels deep"
        return "text with a lone surrogate (not valid Unicode)" if has_lone_surrogate(
            value) else None
    children = (value.items() if isinstance(value, dict) else
                enumerate(value) if isinstance(value, list) else ())
    for key, child in children:
        why = bad_value(key, depth + 1) if isinstance(key, str) else None
        if why is None:
            why = bad_value(child, depth + 1)
        if why is not None:
            return why
    return None


def holds_too_deep(value: Any) -> bool:
    """True when a value read by ``json_loads`` had a part cut out for its depth, or is nested
    deeper than ``MAX_DEPTH`` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if item == TOO_DEEP or depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def json_loads(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads``, except that a document nested too deeply for it is read anyway with
    every container deeper than ``max_depth`` replaced by the string ``TOO_DEEP`` (so one deep
    record costs that record, found by ``bad_value``, not the document). Raises
    ``json.JSONDecodeError`` for malformed JSON and ``UnsafeValueError`` if still too deep."""
    try:
        return json.loads(text)
    except RecursionError:
        pass
    try:
        return json.loads(_flatten(text, max_depth))
    except RecursionError:
        raise UnsafeValueError("JSON nested too deeply") from None


def _flatten(text: str, max_depth: int) -> str:
    """``text`` with each container opened deeper than ``max_depth`` cut out, up to its
    matching bracket, and replaced by ``TOO_DEEP`` (brackets inside strings do not count)."""
    out: list[str] = []
    depth, kept, cut_from = 0, 0, -1
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group()
        if mark in ("[", "{"):
            depth += 1
            if depth == max_depth + 1 and cut_from < 0:
                cut_from = token.start()
        elif mark in ("]", "}"):
            if depth == max_depth + 1 and cut_from >= 0:
                out += [text[kept:cut_from], json.dumps(TOO_DEEP)]
                kept, cut_from = token.end(), -1
            depth -= 1
    # Never closed: cut to the end (json.loads then says where the document breaks off).
    out += [text[kept:cut_from], json.dumps(TOO_DEEP)] if cut_from >= 0 else [text[kept:]]
    return "".join(out)
