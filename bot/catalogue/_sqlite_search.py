"""Ranked search for the SQLite catalogue over the stemmed ``articles_terms`` index.

A question becomes word and phrase groups (``_sqlite_query``). Candidates come from FTS5 with
bm25 over the rarer groups only (bm25 costs time in proportion to how many articles hold each
queried word), every picked group first (AND), then any (OR); when every group is common the
newest matching articles are listed instead. Each candidate is then scored on all the groups:
the IDF weight of each group it holds, full in the title, a little less in the lead sentence,
less again further down the body, plus phrases it holds whole, plus a share of its bm25.
Each hit carries its ``coverage``: the IDF-weighted share of the question's word groups it
holds, so the resolver can tell a story about the question from one sharing a common word.
"""

# SQL is assembled only from constant fragments; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from bot.catalogue import _sqlite_rows as rows
from bot.catalogue import fts
from bot.catalogue._sqlite_query import COMMON_DOCS, Fetch, Group, groups_for
from bot.catalogue.base import ArticleHeader

BM25_WEIGHTS = "10.0, 1.0, 4.0, 2.0"  # title, body, speakers, entities
RANK_BUDGET_DOCS = 4_000  # a ranked pass touches at most about this many articles
POOL = 20  # candidates scored per question
IN_TITLE, IN_LEDE, IN_BODY = 1.0, 0.85, 0.6  # a group's weight by where the story holds it
PHRASE_SHARE = 0.5  # a phrase held whole adds this share of its own weight
BM25_SHARE = 0.15  # the candidate's bm25 (relative to the pool's best) adds this share
LEDE_TERMS = 40  # the body's opening terms: about its lead sentence


class Search:
    """Answers ``Catalogue.search`` and ``Catalogue.score`` through the reader connection."""

    def __init__(self, fetch: Fetch) -> None:
        """``fetch(sql, params)``: all rows of one query on the reader connection."""
        self._all = fetch

    async def search(self, text: str, limit: int) -> list[ArticleHeader]:
        """The best ``limit`` hits for ``text``, best first, each with its ``coverage``."""
        if limit <= 0:
            return []
        groups = await groups_for(self._all, text)
        words = [g for g in groups if not g.phrase and g.docs]
        if not words:
            return []
        pick = _pick(sorted((g for g in groups if g.docs), key=lambda g: g.docs))
        if not pick:
            hits = await self._newest_matches([g.fragment() for g in words], max(limit, POOL))
        else:
            hits = await self._candidates(pick, max(limit, POOL))
        scored = await self._score(hits, groups)
        return scored[:limit]

    async def score(self, text: str, ids: Sequence[int]) -> list[ArticleHeader]:
        """The articles ``ids`` as hits for ``text`` (score and coverage), best first."""
        if not ids:
            return []
        found = await self._all(
            f"SELECT {rows.HEADER_COLUMNS} FROM articles a"
            " WHERE a.id IN (SELECT value FROM json_each(?))",
            (json.dumps([int(i) for i in ids]),),
        )
        headers = [rows.header(r) for r in found]
        return await self._score(headers, await groups_for(self._all, text))

    async def _candidates(self, pick: list[Group], limit: int) -> list[ArticleHeader]:
        """bm25 over the picked groups: stories holding every picked word first, then any."""
        words = [g.fragment() for g in pick if not g.phrase]
        hits = await self._match(" AND ".join(words), limit) if len(words) > 1 else []
        seen = {hit.id for hit in hits}
        more = await self._match(fts.any_of([g.fragment() for g in pick]), limit)
        return hits + [hit for hit in more if hit.id not in seen]

    async def _score(
        self, hits: list[ArticleHeader], groups: list[Group]
    ) -> list[ArticleHeader]:
        if not hits or not groups:
            return [replace(h, score=0.0, coverage=0.0) for h in hits]
        size, stored = await self._stored_terms([h.id for h in hits])
        weights = [math.log(1 + size / (g.docs + 1)) for g in groups]
        whole = sum(w for w, g in zip(weights, groups, strict=True) if not g.phrase) or 1.0
        best_bm25 = max((h.score for h in hits), default=0.0) or 1.0
        scored = []
        for hit in hits:
            places = _places(stored.get(hit.id), groups)
            points = sum(w * p for w, p in zip(weights, places, strict=True))
            covered = sum(w for w, g, p in zip(weights, groups, places, strict=True)
                          if p and not g.phrase)
            points += BM25_SHARE * covered * max(0.0, hit.score) / best_bm25
            scored.append(replace(hit, score=round(points, 4),
                                  coverage=round(covered / whole, 3)))
        return sorted(scored, key=lambda h: -h.score)

    async def _stored_terms(self, ids: list[int]) -> tuple[int, dict[int, _Stored]]:
        """The highest article id (the IDF's corpus size) and each article's stored terms, by
        rowid: reading ~30 rows and testing the groups in Python costs far less than a
        ``MATCH`` per group over the hits."""
        found = await self._all(
            "SELECT -1, coalesce(max(id), 0), '', '' FROM articles UNION ALL"
            " SELECT rowid, title, body, speakers || ' ' || entities FROM articles_terms"
            " WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        size = 0
        stored: dict[int, _Stored] = {}
        for rowid, title, body, others in found:
            if rowid < 0:
                size = int(title)
            else:
                stored[int(rowid)] = _Stored(str(title), str(body), str(others))
        return size, stored

    async def _match(self, query: str, limit: int) -> list[ArticleHeader]:
        found = await self._all(
            f"SELECT {rows.HEADER_COLUMNS}, -hit.rank AS score FROM"
            f" (SELECT rowid, bm25(articles_terms, {BM25_WEIGHTS}) AS rank FROM articles_terms"
            "  WHERE articles_terms MATCH ? ORDER BY rank LIMIT ?) hit"
            " JOIN articles a ON a.id = hit.rowid ORDER BY hit.rank, a.published_at DESC",
            (query, limit),
        )
        return [rows.header(r, float(r["score"])) for r in found]

    async def _newest_matches(self, fragments: list[str], limit: int
                              ) -> list[ArticleHeader]:
        hits: list[ArticleHeader] = []
        every = " AND ".join(fragments)
        for query in (f"{{title}} : ({every})", every):
            found = await self._all(
                f"SELECT {rows.HEADER_COLUMNS} FROM"
                " (SELECT rowid FROM articles_terms WHERE articles_terms MATCH ?"
                "  ORDER BY rowid DESC LIMIT ?) hit"
                " JOIN articles a ON a.id = hit.rowid ORDER BY a.id DESC",
                (query, limit),
            )
            seen = {hit.id for hit in hits}
            hits += [rows.header(r) for r in found if r["id"] not in seen]
        return hits[:limit]


def _pick(groups: list[Group]) -> list[Group]:
    """The rarer groups (rarest first) that one bm25 pass can afford."""
    pick: list[Group] = []
    budget = RANK_BUDGET_DOCS
    for group in groups:
        if group.docs >= COMMON_DOCS or (pick and group.docs > budget):
            break
        pick.append(group)
        budget -= group.docs
    return pick


class _Stored:
    """One article's stored terms, split by where they stand."""

    __slots__ = ("everywhere", "lede", "title")

    def __init__(self, title: str, body: str, others: str) -> None:
        self.title = title.split()
        body_terms = body.split()
        self.lede = body_terms[:LEDE_TERMS]
        self.everywhere = self.title + body_terms + others.split()


def _places(stored: _Stored | None, groups: list[Group]) -> list[float]:
    """For each group, how much it counts for this story: by where the story holds it (title,
    opening words, elsewhere), a phrase by ``PHRASE_SHARE``; 0 when not held."""
    if stored is None:
        return [0.0] * len(groups)
    title, lede, everywhere = (_Terms(stored.title), _Terms(stored.lede),
                               _Terms(stored.everywhere))
    out = []
    for group in groups:
        if title.holds(group):
            place = IN_TITLE
        elif lede.holds(group):
            place = IN_LEDE
        elif everywhere.holds(group):
            place = IN_BODY
        else:
            place = 0.0
        out.append(place * PHRASE_SHARE if group.phrase else place)
    return out


class _Terms:
    """A run of stored terms, as a set of terms and of adjacent pairs."""

    __slots__ = ("pairs", "terms")

    def __init__(self, stems: list[str]) -> None:
        self.terms = set(stems)
        self.pairs = {f"{a} {b}" for a, b in pairwise(stems)}

    def holds(self, group: Group) -> bool:
        """Whether any form of the group is here (a phrase as adjacent terms, a prefix form
        as the start of a term)."""
        for form in group.forms:
            if form.endswith("*"):
                if any(t.startswith(form[:-1]) for t in self.terms):
                    return True
            elif form in self.pairs or form in self.terms:
                return True
        return False
