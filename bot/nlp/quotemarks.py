"""Finding quoted passages in article text, without mistaking apostrophes for quote marks.

Works on raw characters, not on the parse: the parser does not know which `'` opens a quote.
Double marks (straight, curly, guillemets, and the `''` pairs some wires use) delimit quotes;
single marks only count when they pair up outside a double quote and do not sit between letters
(`don't`, `Kaspersky's`) or after a plural (`Americans'`) with nothing open, nor after a
plural before a lower-case word while a later mark can close the quote (`‘The players’ wages
are too high,’`). A double quote left
open at the end of a paragraph runs to the paragraph's end only when the next paragraph reopens
with a mark (``continued``): that is the newspaper convention for a quotation continued over
paragraphs. Any other unclosed mark is a typo or a cut, and the words after it are no quotation:
presenting them in quotation marks would invent a quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Two apostrophes (or backticks) are a double mark in some wire copy: match them first.
_MARK = re.compile(r"''|``|[\"“”„«»‘’']")
_OPEN_ONLY = frozenset("“„«")
_CLOSE_ONLY = frozenset("”»")
_DOUBLE = frozenset(['"', "“", "”", "„", "«", "»", "''", "``"])
_OPENING_CONTEXT = "([{—–-/"  # a mark after a space, these, or at the start opens


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quoted passage: ``start``/``end`` include the marks; ``open_ended`` if never closed."""

    start: int
    end: int
    open_ended: bool = False
    single: bool = False

    @property
    def inner(self) -> tuple[int, int]:
        """Offsets of the words inside the marks (approximate for open-ended quotes)."""
        return self.start + 1, self.end - (0 if self.open_ended else 1)


def _opens(text: str, i: int) -> bool:
    """A mark opens when preceded by a start or a space-like character."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in _OPENING_CONTEXT


def _closes(text: str, j: int) -> bool:
    """A mark closes when followed by an end, a space or punctuation."""
    return j >= len(text) or not (text[j].isalnum())


def _between_letters(text: str, i: int, j: int) -> bool:
    return i > 0 and j < len(text) and text[i - 1].isalnum() and text[j].isalnum()


def find_quotes(
    text: str, start: int = 0, end: int | None = None, *, continued: bool = False
) -> list[QuoteSpan]:
    """Quoted passages in ``text[start:end]`` (one paragraph), in order, as absolute offsets.

    ``continued``: the next paragraph reopens with a quotation mark, so a double quote left
    open here is a quotation running on (an open-ended span); otherwise it is dropped.
    """
    end = len(text) if end is None else end
    quotes: list[QuoteSpan] = []
    open_double: int | None = None
    open_single: int | None = None
    for m in _MARK.finditer(text, start, end):
        mark, i, j = m.group(), m.start(), m.end()
        if mark in _DOUBLE:
            if open_double is None:
                if mark not in _CLOSE_ONLY and (mark in _OPEN_ONLY or _opens(text, i)):
                    open_double, open_single = i, None
            elif mark not in _OPEN_ONLY and (mark in _CLOSE_ONLY or _closes(text, j)):
                quotes.append(QuoteSpan(open_double, j))
                open_double = None
            continue
        # A single mark: ignored inside a double quote, and as an apostrophe between letters.
        if open_double is not None or _between_letters(text, i, j):
            continue
        if open_single is None:
            if mark != "’" and _opens(text, i) and j < end and not text[j].isspace():
                open_single = i
        elif mark != "‘" and _closes(text, j) and not text[i - 1].isspace():
            if _plural_possessive(text, i, j, end):
                continue
            quotes.append(QuoteSpan(open_single, j, single=True))
            open_single = None
    if continued and open_double is not None and end - open_double > 2:
        quotes.append(QuoteSpan(open_double, end, open_ended=True))
    return _dedupe(quotes)


def _plural_possessive(text: str, i: int, j: int, end: int) -> bool:
    """`‘The players’ wages are too high,’`: a mark after an "s", then a lower-case word, is an
    apostrophe when another single mark could still close the quote before ``end``."""
    if text[i - 1] not in "sS" or not text.startswith(" ", j) or j + 1 >= end:
        return False
    if not text[j + 1].islower():
        return False
    return any(
        _closes(text, k + 1) and not text[k - 1].isspace()
        for k in range(j + 1, end)
        if text[k] in "’'"
    )


def _dedupe(quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """Sorted by start; a quote nested in an earlier one (single inside double) is dropped."""
    quotes.sort(key=lambda q: q.start)
    out: list[QuoteSpan] = []
    for q in quotes:
        if out and q.start < out[-1].end:
            continue
        out.append(q)
    return out


_REOPENS = re.compile(r"\s*(?:''|``|[\"“„«])")


def reopens_quote(text: str, start: int) -> bool:
    """True when the paragraph at ``start`` opens with a double quotation mark."""
    return _REOPENS.match(text, start) is not None


def has_quote_mark(s: str) -> bool:
    """True when ``s`` holds a double quotation mark (or a `''` pair): used to classify spans."""
    return any(c in s for c in "\"“”„«»") or "''" in s or "``" in s
