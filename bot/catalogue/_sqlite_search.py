"""Ranked full-text search for the SQLite catalogue: FTS5 with bm25, kept affordable.

bm25 costs time in proportion to how many articles hold each queried word, so only the rarer
words are ranked; when every word is common the newest matching articles are listed instead.
Each hit carries its IDF-weighted ``coverage`` of the query's words, so the engine can tell a
story about the question from one that shares a common word with it.
"""

# SQL is assembled only from constant fragments; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

from bot.catalogue import _sqlite_rows as rows
from bot.catalogue import fts
from bot.catalogue.base import ArticleHeader

BM25_WEIGHTS = "10.0, 1.0, 4.0, 2.0"  # title, body, speakers, entities
COMMON_DOCS = 2_000  # a word in this many articles is common: bm25 over it is costly
RANK_BUDGET_DOCS = 4_000  # a ranked pass touches at most about this many articles

Fetch = Callable[[str, Sequence[object]], Awaitable[list[Any]]]
Forms = dict[str, tuple[str, int]]  # query word -> (its FTS5 fragment, articles holding it)


class Search:
    """Answers ``Catalogue.search`` through the reader connection's query function."""

    def __init__(self, fetch: Fetch) -> None:
        """``fetch(sql, params)``: all rows of one query on the reader connection."""
        self._all = fetch

    async def search(self, text: str, limit: int) -> list[ArticleHeader]:
        """The hits for ``text`` (``SqliteCatalogue.search``): the rarer words ranked by bm25,
        all of them (AND) first, then any (OR); else the newest articles holding every word.
        Each hit with its ``coverage`` of the query's words."""
        if limit <= 0:
            return []
        forms = await self._query_terms(text)
        counts = {term: count for term, (_, count) in forms.items()}
        terms = sorted((t for t in counts if counts[t]), key=lambda t: counts[t])
        if not terms:
            return []
        pick: list[str] = []
        budget = RANK_BUDGET_DOCS
        for term in terms:
            if counts[term] >= COMMON_DOCS or (pick and counts[term] > budget):
                break
            pick.append(term)
            budget -= counts[term]
        if not pick:
            hits = await self._newest_matches([forms[t][0] for t in terms], limit)
            return await self._with_coverage(hits, forms, {h.id: set(terms) for h in hits})
        hits = await self._match(fts.all_of([forms[t][0] for t in pick]), limit)
        known = {hit.id: set(pick) for hit in hits}  # the AND pass: every picked word is held
        if len(hits) < limit and len(pick) > 1:
            more = await self._match(fts.any_of([forms[t][0] for t in pick]), limit + len(hits))
            hits += [hit for hit in more if hit.id not in known]
        return await self._with_coverage(hits[:limit], forms, known)

    async def _query_terms(self, text: str) -> Forms:
        """Each informative word of ``text`` -> (its FTS5 query fragment, how many articles
        hold it). A word found nowhere is tried as its stem ("integration" also finds
        "integrating"): the index has no stemmer."""
        terms = fts.words(text)
        forms: Forms = {}
        for term, count in zip(terms, await self._doc_counts([fts.quote(t) for t in terms]),
                               strict=True):
            forms[term] = (fts.quote(term), count)
        roots = {t: root for t, (_, n) in forms.items() if not n and (root := fts.stem(t))}
        prefixes = [fts.prefix(root) for root in roots.values()]
        for term, fragment, found in zip(roots, prefixes, await self._doc_counts(prefixes),
                                         strict=True):
            if found:
                forms[term] = (fragment, found)
        return forms

    async def _with_coverage(
        self,
        hits: list[ArticleHeader],
        forms: Forms,
        known: dict[int, set[str]],
    ) -> list[ArticleHeader]:
        """Each hit with the IDF-weighted share of the query's words it holds. A word found in
        no article weighs most: in "the Arsenal match", "arsenal" is what the user means, so a
        story that only has "match" covers little of the question."""
        if not hits:
            return hits
        size, held = await self._holdings(hits, forms, known)
        weights = {term: math.log(1 + size / (n + 1)) for term, (_, n) in forms.items()}
        whole = sum(weights.values())
        covered = []
        for hit in hits:
            share = sum(weights[t] for t in held[hit.id]) / whole if whole else 1.0
            covered.append(replace(hit, coverage=round(share, 3)))
        return covered

    async def _holdings(
        self, hits: list[ArticleHeader], forms: Forms, known: dict[int, set[str]]
    ) -> tuple[int, dict[int, set[str]]]:
        """The highest article id (the IDF's corpus size) and the query words each hit holds,
        in one query: a pass per word over just the hits not yet known to hold it (FTS5
        seeks each rowid of the list, so the cost grows with the hits, not the corpus)."""
        held = {hit.id: set(known.get(hit.id, ())) for hit in hits}
        terms = list(forms)
        sql = ["SELECT -1, coalesce(max(id), 0) FROM articles"]
        params: list[object] = []
        for index, (term, (fragment, count)) in enumerate(forms.items()):
            unsure = [hit_id for hit_id, words in held.items() if term not in words]
            if count and unsure:
                sql.append(
                    f"SELECT {index}, rowid FROM articles_fts WHERE articles_fts MATCH ?"
                    " AND rowid IN (SELECT value FROM json_each(?))"
                )
                params += [fragment, json.dumps(unsure)]
        size = 0
        for index, found in await self._all(" UNION ALL ".join(sql), params):
            if index < 0:
                size = int(found)
            else:
                held[int(found)].add(terms[index])
        return size, held

    async def _doc_counts(self, fragments: list[str]) -> list[int]:
        """How many articles match each query fragment, counted up to ``COMMON_DOCS``, in one
        query."""
        if not fragments:
            return []
        sql = " UNION ALL ".join(
            f"SELECT {index}, (SELECT count(*) FROM (SELECT 1 FROM articles_fts"
            " WHERE articles_fts MATCH ? LIMIT ?))"
            for index in range(len(fragments))
        )
        params = [value for fragment in fragments for value in (fragment, COMMON_DOCS)]
        counts = [0] * len(fragments)
        for index, count in await self._all(sql, params):
            counts[int(index)] = int(count)
        return counts

    async def _match(self, query: str, limit: int) -> list[ArticleHeader]:
        found = await self._all(
            f"SELECT {rows.HEADER_COLUMNS}, -hit.rank AS score FROM"
            f" (SELECT rowid, bm25(articles_fts, {BM25_WEIGHTS}) AS rank FROM articles_fts"
            "  WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?) hit"
            " JOIN articles a ON a.id = hit.rowid ORDER BY hit.rank, a.published_at DESC",
            (query, limit),
        )
        return [rows.header(r, float(r["score"])) for r in found]

    async def _newest_matches(self, fragments: list[str], limit: int) -> list[ArticleHeader]:
        hits: list[ArticleHeader] = []
        for query, score in (
            (fts.all_of(fragments, column="title"), 2.0),
            (fts.all_of(fragments), 1.0),
        ):
            found = await self._all(
                f"SELECT {rows.HEADER_COLUMNS} FROM"
                " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
                "  ORDER BY rowid DESC LIMIT ?) hit"
                " JOIN articles a ON a.id = hit.rowid ORDER BY a.id DESC",
                (query, limit),
            )
            seen = {hit.id for hit in hits}
            hits += [rows.header(r, score) for r in found if r["id"] not in seen]
        return hits[:limit]
