"""Turn user text into safe FTS5 queries.

User text is never passed to ``MATCH`` as is: ``words`` cuts it to a bounded length and splits
it into casefolded words (Unicode letters and digits only, stopwords dropped, at most
``MAX_TERMS``). Each word becomes a fragment: a quoted FTS5 string (``quote``), or a quoted
prefix query (``prefix``, for a word's ``stem`` or the last word typed in autocomplete), so
operators (``OR``, ``NEAR(``, ``*``, ``^``, ``-``, ``:``) and quotes in the input are just text.
``all_of`` (implicit AND, optionally within one column) and ``any_of`` (``OR``) join fragments
into the query string; nothing else from the user reaches ``MATCH``.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARS = 2_000
MAX_TERMS = 16
MAX_TERM_CHARS = 48

_WORD = re.compile(r"[^\W_]+")

_STOPWORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves s t d ll m re ve
    story stories article articles news tell show give find me please say said says about
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())


def words(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Casefolded words of ``text`` (bounded), in order, without duplicates."""
    clipped = unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS])
    seen: dict[str, None] = {}
    for match in _WORD.finditer(clipped):
        word = match.group(0).casefold()[:MAX_TERM_CHARS]
        if not keep_stopwords and word in STOPWORDS:
            continue
        seen.setdefault(word, None)
        if len(seen) >= MAX_TERMS:
            break
    return list(seen)


_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ers", "er", "ed", "es", "s", "ly")
MIN_STEM = 4


def stem(term: str) -> str | None:
    """``term`` without one common English ending ("integration" -> "integr"), for a prefix
    match when the word itself is in no article; None when nothing sensible is left."""
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= MIN_STEM:
            return term[: -len(suffix)]
    return None


def prefix(term: str) -> str:
    """One term as an FTS5 prefix query (``"integr" *``)."""
    return quote(term) + " *"


def all_of(fragments: list[str], *, column: str | None = None) -> str:
    """Every query fragment (quoted term or prefix) must match."""
    body = " ".join(fragments)
    return f"{{{column}}} : ({body})" if column and body else body


def any_of(fragments: list[str]) -> str:
    """Any query fragment may match."""
    return " OR ".join(fragments)


def quote(term: str) -> str:
    """One term as an FTS5 string literal (double quotes doubled)."""
    return '"' + term.replace('"', '""') + '"'
