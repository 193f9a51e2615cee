"""The one way a number typed by a person is read: ASCII decimal digits only.

``str.isdigit()`` is true for ``²``, ``¹⁰`` and ``①`` (which ``int()`` then refuses), and
``int()`` itself accepts ``١٢``, ``１２``, ``1_000``, `` 7 `` and raises on a 5,000-digit string.
Every command, option and schedule that reads a count, an id or a minute count goes through
``ascii_int`` / ``signed_ascii_int`` instead, so none of those reach ``int()`` unchecked.
"""

from __future__ import annotations

import re

#: Pattern text for one run of ASCII decimal digits (for use inside other regexes; Python's
#: ``\d`` also matches every other script's digits).
DIGITS = "[0-9]+"
#: Above this many significant digits a number is only "too big": saturating keeps ``int()``
#: away from its 4,300-digit limit and from quadratic time on hostile input.
MAX_DIGITS = 18
SATURATED = 10**MAX_DIGITS

_UNSIGNED = re.compile(DIGITS)
_SIGNED = re.compile(f"[-+]?{DIGITS}")


def ascii_int(text: str) -> int | None:
    """The value of ``text`` if it is one or more ASCII digits (no sign, space or separator),
    else None; more than ``MAX_DIGITS`` significant digits read as ``SATURATED``."""
    if not _UNSIGNED.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"
    return SATURATED if len(digits) > MAX_DIGITS else int(digits)


def signed_ascii_int(text: str) -> int | None:
    """``ascii_int`` with an optional leading ``-`` or ``+``."""
    if not _SIGNED.fullmatch(text):
        return None
    sign = -1 if text.startswith("-") else 1
    value = ascii_int(text.lstrip("+-"))
    return None if value is None else sign * value
