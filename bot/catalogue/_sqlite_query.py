"""A question as search groups over ``articles_terms``: each informative word with the other
forms that should find the same stories, plus the word pairs that may be a name.

A word's group holds its stem, the stems of the place it names or derives from ("ethiopian"
~ "ethiopia"), and, when the catalogue has never seen the word as typed, the stems of the
stored words one or two edits away ("forhed" ~ "forehead"). Adjacent words also form phrase
groups ("carry on"): a story holding the phrase is rewarded beyond holding the words, so a name
that happens to be made of common words is kept whole. Every group carries how many articles
match it (counted up to ``COMMON_DOCS``), which is what ranking and coverage are weighted by.
"""

# SQL is assembled only from constant fragments; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from bot.catalogue import fts, terms, typos
from bot.catalogue.demonyms import related_stems

COMMON_DOCS = 2_000  # a word in this many articles is common: counting stops there
MAX_PHRASES = 6
PHRASE_DOCS = 200  # a phrase held by this many articles is no name
# A word held by at most this many articles may be a typo of a word far more of them hold.
RARE_DOCS = 0
MAX_CORRECTIONS = 2
MIN_PREFIX_STEM = 5  # an unknown word's stem this long also matches as a prefix
MIN_PART = 3  # "walmart" may be "wal mart": each part at least this long

Fetch = Callable[[str, Sequence[object]], Awaitable[list[Any]]]


@dataclass(frozen=True, slots=True)
class Group:
    """One piece of evidence a story can hold: a word (any of its forms) or a phrase."""

    label: str  # the word as typed (folded), or the two words of a phrase
    forms: tuple[str, ...]  # stems; a phrase has one entry, its two stems and a space
    docs: int = 0
    phrase: bool = False

    def fragment(self) -> str:
        """The FTS5 query for this group: any of its forms (a form with a space is a phrase,
        one ending in ``*`` a prefix)."""
        parts = [fts.prefix(f[:-1]) if f.endswith("*") else fts.quote(f) for f in self.forms]
        return parts[0] if len(parts) == 1 else "(" + fts.any_of(parts) + ")"


async def groups_for(fetch: Fetch, text: str) -> list[Group]:
    """The word groups of ``text`` (then its phrase groups), each with its article count."""
    qwords = terms.query_words(text)
    informative: dict[str, terms.QueryWord] = {}
    for word in qwords:
        if word.informative and len(informative) < fts.MAX_TERMS:
            informative.setdefault(word.stem, word)
    unknown = await _unknown(fetch, [w.surface for w in informative.values()])
    groups = []
    for word_stem, word in informative.items():
        forms = dict.fromkeys([word_stem, *sorted(related_stems(word_stem))])
        if word.surface in unknown:
            forms.update(dict.fromkeys(await _other_forms(fetch, word.surface, word_stem)))
        groups.append(Group(word.surface, tuple(forms)))
    counts = await doc_counts(fetch, "articles_terms", [g.fragment() for g in groups])
    counted = [replace(g, docs=n) for g, n in zip(groups, counts, strict=True)]
    # Short words no article holds ("bc", "tbh") are chat shorthand, not evidence either way.
    counted = [g for g in counted if g.docs or len(g.label) >= typos.MIN_LENGTH]
    return counted + await _counted_phrases(fetch, qwords, counted)


async def _counted_phrases(
    fetch: Fetch, qwords: list[terms.QueryWord], words: list[Group]
) -> list[Group]:
    """The phrase groups worth keeping: counted only up to ``PHRASE_DOCS`` (a phrase is
    evidence only when rare, and counting a common pair's positions is costly), and only
    when every informative word of the pair is stored somewhere."""
    held = {g.forms[0] for g in words if g.docs}
    known = {g.forms[0] for g in words}
    phrases = [p for p in _phrases(qwords)
               if all(part in held or part not in known for part in p.forms[0].split())]
    counts = await doc_counts(fetch, "articles_terms", [p.fragment() for p in phrases],
                              upto=PHRASE_DOCS)
    counted = [replace(p, docs=n) for p, n in zip(phrases, counts, strict=True)]
    return [p for p in counted if p.docs < PHRASE_DOCS and _specific(p, words)]


def _phrases(qwords: list[terms.QueryWord]) -> list[Group]:
    """Adjacent word pairs with at least one informative word ("carry on", "dirty war")."""
    found: dict[str, Group] = {}
    for first, second in pairwise(qwords):
        if not (first.informative or second.informative):
            continue
        if len(first.surface) < 2 or len(second.surface) < 2:
            continue
        key = f"{first.stem} {second.stem}"
        found.setdefault(key, Group(f"{first.surface} {second.surface}", (key,), phrase=True))
    return list(found.values())[:MAX_PHRASES]


def _specific(phrase: Group, groups: list[Group]) -> bool:
    """A phrase is evidence of its own when some article holds it and it is rarer than each
    of its informative words (else it says nothing the words do not)."""
    if not phrase.docs:
        return False
    words = phrase.forms[0].split()
    parts = [g.docs for g in groups if not g.phrase and g.forms[0] in words]
    return all(phrase.docs < docs for docs in parts)


async def doc_counts(
    fetch: Fetch, table: str, fragments: list[str], upto: int = COMMON_DOCS
) -> list[int]:
    """How many articles of ``table`` match each fragment, counted up to ``upto``, in one
    query (``table`` is one of this package's FTS5 tables, never user text)."""
    if not fragments:
        return []
    sql = " UNION ALL ".join(
        f"SELECT {index}, (SELECT count(*) FROM (SELECT 1 FROM {table}"
        f" WHERE {table} MATCH ? LIMIT ?))"
        for index in range(len(fragments))
    )
    params = [value for fragment in fragments for value in (fragment, upto)]
    counts = [0] * len(fragments)
    for index, count in await fetch(sql, params):
        counts[int(index)] = int(count)
    return counts


async def _unknown(fetch: Fetch, surfaces: list[str]) -> set[str]:
    """The typo-prone words (long enough, letters only) that at most ``RARE_DOCS`` articles
    hold as typed."""
    candidates = [w for w in surfaces if typos.allowed_edits(w)]
    counts = await doc_counts(fetch, "articles_fts", [fts.quote(w) for w in candidates],
                              upto=RARE_DOCS + 1)
    return {w for w, n in zip(candidates, counts, strict=True) if n <= RARE_DOCS}


async def _other_forms(fetch: Fetch, word: str, word_stem: str) -> list[str]:
    """What a word the catalogue does not know may stand for: stored words an edit or two
    away, its stem as a prefix ("competion" ~ "compet*", which holds "competition"), and two
    stored words it runs together ("walmart" ~ "wal mart")."""
    near = [terms.stem(w) for w in await _neighbours(fetch, word)]
    prefix = [word_stem + "*"] if len(word_stem) >= MIN_PREFIX_STEM else []
    return near + prefix + ([] if near else await _splits(fetch, word))


async def _splits(fetch: Fetch, word: str) -> list[str]:
    """``word`` cut in two stored words that some article holds side by side."""
    cuts = [f"{terms.stem(word[:i])} {terms.stem(word[i:])}"
            for i in range(MIN_PART, len(word) - MIN_PART + 1)]
    counts = await doc_counts(fetch, "articles_terms", [fts.quote(c) for c in cuts])
    return [cut for cut, n in zip(cuts, counts, strict=True) if n][:1]


async def _neighbours(fetch: Fetch, word: str) -> list[str]:
    """The stored words nearest ``word``: one edit away, and for long words two; nearest,
    then most widely held, first."""
    rows = await fetch(
        "SELECT v.term, v.doc FROM json_each(?) j CROSS JOIN articles_fts_vocab v"
        " WHERE v.term = j.value",
        (json.dumps(sorted(typos.one_edit(word))),),
    )
    ranked = [(1, -int(r[1]), str(r[0])) for r in rows]
    if typos.allowed_edits(word) > 1:
        ranked += [(2, -int(r[1]), str(r[0])) for r in await _two_edits(fetch, word)]
    return [term for _, _, term in sorted(ranked)[:MAX_CORRECTIONS]]


async def _two_edits(fetch: Fetch, word: str) -> list[Any]:
    """Stored words two edits away that share the first three letters (typos rarely hit
    those, and the shared start keeps the scan to a small slice of the vocabulary: the
    vocabulary table counts every word it passes)."""
    start = word[:3]
    end = start[:-1] + chr(ord(start[-1]) + 1)
    rows = await fetch(
        "SELECT term, doc FROM articles_fts_vocab WHERE term >= ? AND term < ?"
        " AND length(term) BETWEEN ? AND ?",
        (start, end, len(word) - 2, len(word) + 2),
    )
    return [r for r in rows if typos.distance(word, str(r[0]), 2) == 2]
