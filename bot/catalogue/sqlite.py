"""The SQLite catalogue on aiosqlite: WAL, foreign keys, numbered migrations, FTS5 search.

One writer connection (writes serialised by a lock, one transaction per upsert or batch) and one
read-only reader connection, so answering never waits behind an ingest transaction (WAL).
"""

# SQL is assembled only from constant fragments; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.catalogue import _sqlite_rows as rows
from bot.catalogue import fts
from bot.catalogue._sqlite_schema import migrate, migrations, schema_version, split_statements
from bot.catalogue._sqlite_search import Search
from bot.catalogue._sqlite_terms import ensure_terms
from bot.catalogue._sqlite_writes import Writer
from bot.catalogue.base import (
    ArticleHeader,
    CatalogueUnavailableError,
    SpeakerHit,
    UpsertResult,
    unusable_reason,
)
from bot.catalogue.ownership import check_file
from bot.models import Analysis, ArticleDraft, Entity, StoredArticle
from bot.nlp.names import normalise_name
from bot.timestamps import to_iso

SPEAKER_SCAN_CAP = 1_000  # speaker autocomplete ranks among at most this many name rows
COMMON_TITLES = 1_000  # more matching titles than this: newest stored first, no bm25
_MAX_CODEPOINT = chr(0x10FFFF)
__all__ = ["SqliteCatalogue", "migrations", "split_statements"]

# A listing's window: two indexed ranges, so only the new rows are read (an OR scans the whole
# index when few articles are new, which is the usual case for a digest).
_IN_WINDOW = (
    "a.id IN (SELECT id FROM articles WHERE published_at >= ?"
    " UNION SELECT id FROM articles WHERE ingested_at >= ?)"
)
# On a tie (the seeds all get the time they were stored) a full story comes before teasers;
# SQLite sorts only within the tied rows of the index.
_NEWEST_FIRST = "ORDER BY a.published_at DESC, a.kind = 'teaser', a.id DESC"


def _window_params(since: datetime) -> list[object]:
    return [to_iso(since), to_iso(since)]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _probe(path: str) -> None:
    """Refuse a file that is not newsbot's or is newer (read-only, before anything writes),
    then open it and read its header with plain sqlite3, so an unusable file fails here
    (a failed ``aiosqlite.connect`` leaves its worker thread reporting to a closed loop)."""
    check_file(path, {version: name for version, name, _ in migrations()})
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA schema_version").fetchone()
    finally:
        db.close()


class SqliteCatalogue:
    """``Catalogue`` backed by one SQLite file."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_ms: int = 10_000,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        """Remember where the database lives; ``open`` connects and migrates."""
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._clock = clock
        self._db: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._writer: Writer | None = None
        self._search = Search(self._all)
        self._snapshot_lock = asyncio.Lock()

    @property
    def location(self) -> str:
        """The database as a message to the user names it: its file, or an in-memory one."""
        if self.path in (":memory:", ""):
            return "the in-memory database"
        return f"the database file {self.path}"

    # -- lifecycle -------------------------------------------------------------------------------

    async def open(self) -> None:
        """Connect, switch to WAL, apply pending migrations; idempotent. On any failure every
        connection is closed again (an open one keeps aiosqlite's thread, and so the process,
        alive) and a file SQLite cannot use raises ``CatalogueUnavailableError``."""
        if self._db is not None:
            return
        try:
            if self.path not in (":memory:", ""):
                await asyncio.to_thread(_probe, self.path)
            await self._open()
        except sqlite3.DatabaseError as exc:
            raise CatalogueUnavailableError(unusable_reason(self.path, exc)) from exc

    async def _open(self) -> None:
        db = await self._connect(writer=True)
        try:
            await migrate(db, to_iso(self._clock()))
            await ensure_terms(db)
            in_memory = self.path in (":memory:", "")
            self._reader = db if in_memory else await self._connect(writer=False)
        except BaseException:
            await db.close()
            raise
        self._db = db
        self._writer = Writer(db, self._clock)

    async def close(self) -> None:
        """Close both connections."""
        if self._reader is not None and self._reader is not self._db:
            await self._reader.close()
        if self._db is not None:
            await self._db.close()
        self._db = self._reader = self._writer = None

    async def _connect(self, *, writer: bool) -> aiosqlite.Connection:
        db = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            db.row_factory = aiosqlite.Row
            await db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA cache_size = -65536")
            if writer:
                await db.execute("PRAGMA journal_mode = WAL")
                await db.execute("PRAGMA synchronous = NORMAL")
            else:
                await db.execute("PRAGMA query_only = ON")
        except BaseException:
            await db.close()
            raise
        return db

    async def schema_version(self) -> int:
        """The highest applied migration."""
        return await schema_version(self._read())

    def _read(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise RuntimeError("catalogue is not open")
        return self._reader

    def _write(self) -> Writer:
        if self._writer is None:
            raise RuntimeError("catalogue is not open")
        return self._writer

    async def _all(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        cursor = await self._read().execute(sql, tuple(params))
        return list(await cursor.fetchall())

    # -- writes ----------------------------------------------------------------------------------

    async def upsert(self, draft: ArticleDraft, analysis: Analysis) -> UpsertResult:
        """Store once per identity; same content is a no-op, changed content updates in place."""
        results = await self._write().upsert_many([(draft, analysis)])
        return results[0]

    async def upsert_many(
        self, items: Iterable[tuple[ArticleDraft, Analysis]]
    ) -> list[UpsertResult]:
        """Upsert many articles in one transaction (all or nothing)."""
        return await self._write().upsert_many(list(items))

    async def known_hash(self, draft: ArticleDraft) -> str | None:
        """The stored content hash for the draft's identity; the draft's own hash when storing it
        would be a no-op anyway (same content stored elsewhere, or a teaser of a stored story)."""
        return await self._write().known_hash(draft, self._read())

    async def adopt_identity(self, article_id: int, draft: ArticleDraft) -> bool:
        """Move an article known only by its content hash to the draft's stable identity (a
        feed entry without a link, stored before such entries had one), so its edits update
        it in place. False when it already has another identity or the draft's is taken."""
        return await self._write().adopt_identity(article_id, draft, self._read())

    async def remove(self, article_id: int) -> bool:
        """Delete a story: cascades and triggers take its derived rows, ``Writer.remove``
        clears other stores' references to it."""
        return await self._write().remove(article_id)

    async def was_seeded(self) -> bool:
        """True once the demo seeds were stored (migration 006 marks older catalogues)."""
        return bool(await self._all("SELECT 1 FROM catalogue_flags WHERE name = 'seeded'"))

    async def mark_seeded(self) -> None:
        """Record that the demo seeds were stored."""
        await self._write().set_flag("seeded")

    # -- reads -----------------------------------------------------------------------------------

    async def get(self, article_id: int) -> StoredArticle | None:
        """One article with its analysis."""
        return await self._get_where("id = ?", article_id)

    async def get_by_slug(self, slug: str) -> StoredArticle | None:
        """One article by its stable slug, or by the id of a file stored as a copy of it; an
        id typed in another case (questions are casefolded) finds it when only one matches."""
        found = await self._get_where("slug = ?", slug)
        if found is None:
            found = await self._get_where(
                "id = (SELECT article_id FROM article_aliases WHERE slug = ?)", slug
            )
        if found is None:
            found = await self._get_where(
                "id = (SELECT min(id) FROM articles WHERE slug = ? COLLATE NOCASE"
                " HAVING count(*) = 1)", slug)
        return found

    async def _get_where(self, condition: str, value: object) -> StoredArticle | None:
        """The article row and its child rows from one snapshot (never half an update)."""
        async with self._snapshot():
            found = await self._all(
                f"SELECT {rows.ARTICLE_COLUMNS} FROM articles WHERE {condition}", (value,)
            )
            return await self._with_analysis(found[0]) if found else None

    @asynccontextmanager
    async def _snapshot(self) -> AsyncIterator[None]:
        reader = self._read()
        if reader is self._db:  # in-memory: one connection, no separate snapshot
            yield
            return
        async with self._snapshot_lock:
            await reader.execute("BEGIN")
            try:
                yield
            finally:
                await reader.execute("COMMIT")

    async def _with_analysis(self, row: Any) -> StoredArticle:
        article_id = row["id"]
        sentences = await self._all(
            'SELECT idx, text, start, "end", paragraph FROM sentences'
            " WHERE article_id = ? ORDER BY idx",
            (article_id,),
        )
        ranking = await self._all(
            "SELECT sentence_idx FROM summary_ranking WHERE article_id = ? ORDER BY rank",
            (article_id,),
        )
        attributions = await self._all(
            "SELECT * FROM attributions WHERE article_id = ? ORDER BY ord", (article_id,)
        )
        entities = await self._all(
            "SELECT text, label, count FROM entities WHERE article_id = ? ORDER BY ord",
            (article_id,),
        )
        names = await self._all(
            "SELECT name, name_norm, alias, origin FROM speaker_names"
            " WHERE article_id = ? ORDER BY ord",
            (article_id,),
        )
        analysis = Analysis(
            sentences=tuple(rows.sentence(r) for r in sentences),
            summary_ranking=tuple(r[0] for r in ranking),
            attributions=tuple(rows.attribution(r) for r in attributions),
            entities=tuple(Entity(r["text"], r["label"], r["count"]) for r in entities),
            speakers=rows.speakers_from_rows(names),
            keywords=tuple(json.loads(row["keywords"])),
        )
        return rows.stored_article(row, analysis)

    async def count(self) -> int:
        """How many articles are stored."""
        found = await self._all("SELECT count(*) FROM articles")
        return int(found[0][0])

    async def latest(self, limit: int, since: datetime | None = None) -> list[ArticleHeader]:
        """Newest first (``_newest``); with ``since``, articles published or first stored at
        or after it."""
        if limit <= 0:
            return []
        if since is None:
            return await self._newest([], [], limit)
        return await self._newest([_IN_WINDOW], _window_params(since), limit)

    async def latest_matching(
        self, text: str, since: datetime, limit: int
    ) -> list[ArticleHeader]:
        """Articles in the window (published or first stored at or after ``since``) holding
        any word of ``text``, newest first (``_newest``). No bm25 and no common-word cut-off:
        the window bounds the work, so a topic word found in every other article still
        counts."""
        terms = fts.words(text)
        if limit <= 0 or not terms:
            return []
        matching = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
        query = fts.any_of([fts.quote(term) for term in terms])
        return await self._newest([_IN_WINDOW, matching], [*_window_params(since), query], limit)

    async def _newest(
        self, conditions: list[str], params: list[object], limit: int
    ) -> list[ArticleHeader]:
        """The newest ``limit`` articles meeting every condition: by published time, ties
        broken the same way for every listing (full stories before teasers, then the newest
        id first)."""
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        found = await self._all(
            f"SELECT {rows.HEADER_COLUMNS} FROM articles a {where} {_NEWEST_FIRST} LIMIT ?",
            [*params, limit],
        )
        return [rows.header(r) for r in found]

    async def search(self, text: str, limit: int) -> list[ArticleHeader]:
        """bm25-ranked hits: all the informative words first (AND), then any of them (OR).

        bm25 costs time in proportion to how many articles hold each queried word, so the
        ranked passes use only the rarer words (fewer than ``COMMON_DOCS`` articles each, up to
        ``RANK_BUDGET_DOCS`` in all; words found nowhere cannot match). When every word is
        common, the newest stored articles holding all of them are listed instead, those with
        the words in the title first, with flat scores (the engine then asks which one).
        Each hit carries its ``coverage`` of the query's words (``_sqlite_search``).
        """
        return await self._search.search(text, limit)

    async def phrase(self, text: str, limit: int) -> list[ArticleHeader]:
        """Articles whose body holds the words of ``text`` as one phrase, in order (FTS5
        phrase query over the bounded words; newest first): "who said 'they will have to
        throw me out'" finds the story however common each word is."""
        terms = fts.words(text, keep_stopwords=True)
        if limit <= 0 or len(terms) < 2:
            return []
        query = fts.all_of([fts.quote(" ".join(terms))], column="body")
        found = await self._all(
            f"SELECT {rows.HEADER_COLUMNS} FROM"
            " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
            "  ORDER BY rowid DESC LIMIT ?) hit JOIN articles a ON a.id = hit.rowid"
            " ORDER BY a.id DESC",
            (query, limit),
        )
        return [rows.header(r) for r in found]

    async def score(self, text: str, ids: Sequence[int]) -> list[ArticleHeader]:
        """``ids`` as search hits for ``text`` (``Catalogue.score``)."""
        return await self._search.score(text, ids)

    async def titles(self, prefix: str, limit: int) -> list[ArticleHeader]:
        """Titles with every word of ``prefix`` (the last one as a word prefix), best first
        (the most recently stored first when very many match); the newest titles when
        ``prefix`` has no words."""
        terms = fts.words(prefix, keep_stopwords=True)
        if limit <= 0:
            return []
        if not terms:
            return await self.latest(limit)
        # The last word may be half typed: it matches as a prefix.
        query = fts.all_of([*map(fts.quote, terms[:-1]), fts.prefix(terms[-1])])
        many = await self._all(
            "SELECT count(*) FROM (SELECT 1 FROM titles_fts WHERE titles_fts MATCH ? LIMIT ?)",
            (query, COMMON_TITLES),
        )
        newest = many[0][0] >= COMMON_TITLES
        inner, outer = ("rowid DESC", "hit.rowid DESC") if newest else ("rank", "hit.rank")
        found = await self._all(
            f"SELECT {rows.HEADER_COLUMNS}, -hit.rank AS score FROM"
            " (SELECT rowid, bm25(titles_fts) AS rank FROM titles_fts"
            f"  WHERE titles_fts MATCH ? ORDER BY {inner} LIMIT ?) hit"
            f" JOIN articles a ON a.id = hit.rowid ORDER BY {outer}, a.published_at DESC",
            (query, limit),
        )
        return [rows.header(r, float(r["score"])) for r in found]

    async def speakers(self, prefix: str, limit: int) -> list[str]:
        """Canonical speaker names whose name, alias or surname starts with ``prefix``; the
        most quoted first. An empty prefix lists speakers of the newest articles."""
        norm = normalise_name(prefix[: fts.MAX_QUERY_CHARS])
        if limit <= 0:
            return []
        if norm:
            inner = (
                "SELECT name, name_norm, article_id FROM speaker_names"
                " WHERE alias_norm >= ? AND alias_norm < ? LIMIT ?"
            )
            params: list[object] = [norm, norm + _MAX_CODEPOINT, SPEAKER_SCAN_CAP]
        else:
            inner = (
                "SELECT name, name_norm, article_id FROM speaker_names WHERE origin != 1"
                " AND article_id IN (SELECT id FROM articles ORDER BY published_at DESC LIMIT 50)"
            )
            params = []
        found = await self._all(
            f"SELECT max(name) AS name FROM ({inner}) GROUP BY name_norm"
            " ORDER BY count(DISTINCT article_id) DESC, name_norm LIMIT ?",
            [*params, limit],
        )
        return [r["name"] for r in found]

    async def attributions_by_speaker(
        self, name: str, article_ids: Sequence[int] | None = None, limit: int = 50
    ) -> list[SpeakerHit]:
        """Attributions whose speaker's name, alias or surname is ``name`` (case-insensitive),
        newest articles first, in text order within an article."""
        norm = normalise_name(name[: fts.MAX_QUERY_CHARS])
        if not norm or limit <= 0:
            return []
        where, params = "", [norm]
        if article_ids is not None:
            where = "AND n.article_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps([int(i) for i in article_ids]))
        found = await self._all(
            f"SELECT {rows.HEADER_COLUMNS}, {rows.ATTRIBUTION_COLUMNS}"
            " FROM speaker_names n JOIN attributions t"
            " ON t.article_id = n.article_id AND t.speaker_norm = n.name_norm"
            f" JOIN articles a ON a.id = n.article_id WHERE n.alias_norm = ? {where}"
            " ORDER BY n.published_at DESC, n.article_id DESC, t.ord LIMIT ?",
            [*params, limit],
        )
        return [SpeakerHit(rows.header(r), rows.attribution(r, "t_")) for r in found]
