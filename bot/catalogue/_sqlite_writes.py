"""Idempotent upserts for the SQLite catalogue: one transaction per call, children replaced whole.

Identity is the canonical URL, else the file's absolute path, else an explicit slug, else the
content hash (``identity.identity``):
- same identity, same content and metadata: UNCHANGED, nothing written;
- same identity, changed content: UPDATED in place (same id, child rows replaced);
- new identity but the same content already stored: UNCHANGED (hash dedupe); for a file, its
  identity and id are recorded as an alias of the stored article (``article_aliases``), so the
  next ingest skips it and its id still finds the story. When the copy is edited later it
  becomes an article of its own;
- a teaser whose title is already stored as a full article: UNCHANGED (never shadows it);
- a full article whose title is stored as a teaser: the teaser row becomes the full article
  (UPDATED, same id), so the story is never stored twice;
- otherwise ADDED.
"""

# SQL is assembled only from constant fragments; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.catalogue import _sqlite_rows as rows
from bot.catalogue.base import UpsertOutcome, UpsertResult
from bot.catalogue.identity import canonical_url, identity, slugify, title_norm
from bot.models import Analysis, ArticleDraft, ArticleKind
from bot.timestamps import to_iso

_CHILD_TABLES = ("sentences", "summary_ranking", "attributions", "speaker_names", "entities")
_EXISTING = (
    "SELECT id, slug, kind, content_hash, url, source, byline, published_at, published_estimated"
    " FROM articles"
)
_ALIAS = (
    "SELECT l.slug AS alias, a.id, a.slug, a.content_hash FROM article_aliases l"
    " JOIN articles a ON a.id = l.article_id WHERE l.identity = ?"
)


class Writer:
    """All writes go through here, serialised by a lock on the single writer connection."""

    def __init__(self, db: aiosqlite.Connection, clock: Callable[[], datetime]) -> None:
        """Wrap the writer connection."""
        self._db = db
        self._clock = clock
        self._lock = asyncio.Lock()

    async def upsert_many(
        self, items: Sequence[tuple[ArticleDraft, Analysis]]
    ) -> list[UpsertResult]:
        """Upsert every item in one transaction; on any error nothing is written."""
        async with self._lock:
            now = to_iso(self._clock())
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                results = [await self._upsert(draft, analysis, now) for draft, analysis in items]
            except BaseException:
                if self._db.in_transaction:  # SQLite ends it itself on a full disk
                    await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")
        return results

    async def remove(self, article_id: int) -> bool:
        """Delete one article in one transaction, with every reference to it in the file."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                # Read the row first: after another connection changed the schema (the digest
                # and feed stores create their tables once the catalogue is open), SQLite
                # 3.40 fails a first DELETE that fires the full-text trigger with foreign keys
                # on ("no such table: articles"); a read in the transaction reloads the schema.
                row = await _one(self._db, "SELECT id FROM articles WHERE id = ?",
                                 (article_id,))
                removed = row is not None
                if removed:
                    await self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
                    await self._clear_references(article_id)
            except BaseException:
                if self._db.in_transaction:
                    await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")
        return removed

    async def _clear_references(self, article_id: int) -> None:
        """Tables other stores keep in this file (feed entries, digests sent, any added
        later) that name the article in an ``article_id`` column without a foreign key: a
        nullable reference is set to NULL (a feed entry stays seen, so the next poll does not
        bring the story back), a required one is deleted with its row."""
        for table, nullable in await _referencing_tables(self._db):
            name = _quoted(table)
            if nullable:
                sql = f"UPDATE {name} SET article_id = NULL WHERE article_id = ?"
            else:
                sql = f"DELETE FROM {name} WHERE article_id = ?"
            await self._db.execute(sql, (article_id,))

    async def set_flag(self, name: str) -> None:
        """Record a catalogue flag (``catalogue_flags``) once."""
        async with self._lock:
            await self._db.execute(
                "INSERT OR IGNORE INTO catalogue_flags (name, set_at) VALUES (?, ?)",
                (name, to_iso(self._clock())))

    async def known_hash(self, draft: ArticleDraft, reader: aiosqlite.Connection) -> str | None:
        """The stored hash for the draft's identity, or the draft's own hash when an upsert of
        it would be a no-op (same content stored elsewhere, teaser of a stored full story)."""
        row = await _one(reader, _EXISTING + " WHERE identity = ?", (identity(draft),))
        if row is not None:
            if row["kind"] == ArticleKind.FULL and draft.kind is ArticleKind.TEASER:
                return draft.content_hash
            return str(row["content_hash"])
        if draft.origin:
            # A file seen for the first time must be stored or recorded as an alias even when
            # its text is stored already: only a recorded alias makes it known.
            alias = await _one(reader, _ALIAS, (identity(draft),))
            return None if alias is None else str(alias["content_hash"])
        same = "SELECT 1 FROM articles WHERE content_hash = ?"
        if await _one(reader, same, (draft.content_hash,)):
            return draft.content_hash
        if draft.kind is ArticleKind.TEASER and await self._full_titled(reader, draft):
            return draft.content_hash
        return None

    async def adopt_identity(self, article_id: int, draft: ArticleDraft,
                             reader: aiosqlite.Connection) -> bool:
        """Give ``article_id`` the draft's identity when the article is still known only by a
        content hash and no article holds that identity: the draft's upsert then updates it
        in place instead of adding a second article. Every edit of a feed entry asks, so the
        answer is read first and the writer is only used when there is something to move."""
        ident = identity(draft)
        if ident.startswith("hash:"):
            return False
        row = await _one(reader, "SELECT identity FROM articles WHERE id = ?", (article_id,))
        if row is None or not str(row["identity"]).startswith("hash:"):
            return False
        async with self._lock:  # the WHERE re-checks: another writer may have moved it since
            cursor = await self._db.execute(
                "UPDATE articles SET identity = ? WHERE id = ? AND identity LIKE 'hash:%'"
                " AND NOT EXISTS (SELECT 1 FROM articles WHERE identity = ?)",
                (ident, article_id, ident),
            )
        return cursor.rowcount > 0

    @staticmethod
    async def _full_titled(db: aiosqlite.Connection, draft: ArticleDraft) -> Any:
        return await _one(
            db,
            "SELECT id, slug FROM articles WHERE title_norm = ? AND kind = 'full' LIMIT 1",
            (title_norm(draft.title),),
        )

    async def _upsert(self, draft: ArticleDraft, analysis: Analysis, now: str) -> UpsertResult:
        ident = identity(draft)
        row = await _one(self._db, _EXISTING + " WHERE identity = ?", (ident,))
        if row is not None:
            return await self._update_existing(row, ident, draft, analysis, now)
        if draft.origin and (known := await self._aliased(ident, draft)) is not None:
            return known
        same = await _one(
            self._db,
            "SELECT id, slug, identity FROM articles WHERE content_hash = ?"
            " ORDER BY kind = 'teaser' LIMIT 1",
            (draft.content_hash,),
        )
        if same is not None and draft.origin:
            return await self._link(same, ident, draft)
        if same is None and draft.kind is ArticleKind.TEASER:
            same = await self._full_titled(self._db, draft)
        if same is not None:
            return UpsertResult(UpsertOutcome.UNCHANGED, same["id"], same["slug"])
        if draft.kind is ArticleKind.FULL:
            teaser = await _one(
                self._db,
                "SELECT id FROM articles WHERE title_norm = ? AND kind = 'teaser' LIMIT 1",
                (title_norm(draft.title),),
            )
            if teaser is not None:
                slug = await self._free_slug(_wanted_slug(draft), teaser["id"])
                await self._replace(teaser["id"], ident, slug, draft, analysis, now)
                return UpsertResult(UpsertOutcome.UPDATED, teaser["id"], slug)
        return await self._insert(ident, draft, analysis, now)

    async def _aliased(self, ident: str, draft: ArticleDraft) -> UpsertResult | None:
        """The article this file was recorded as a copy of, while the texts are still equal."""
        alias = await _one(self._db, _ALIAS, (ident,))
        if alias is None:
            return None
        if alias["content_hash"] == draft.content_hash:
            return UpsertResult(UpsertOutcome.UNCHANGED, alias["id"], alias["slug"],
                                duplicate=True, alias=alias["alias"])
        # The copy (or the article) was edited since: the file becomes an article of its own.
        await self._db.execute("DELETE FROM article_aliases WHERE identity = ?", (ident,))
        return None

    async def _link(self, same: Any, ident: str, draft: ArticleDraft) -> UpsertResult:
        """A file with the text of a stored article: record its identity and id for it."""
        if draft.slug and same["identity"] == f"slug:{draft.slug}":
            # Stored before files were known by their path: this file takes the row over.
            await self._db.execute(
                "UPDATE articles SET identity = ? WHERE id = ?", (ident, same["id"])
            )
            return UpsertResult(UpsertOutcome.UNCHANGED, same["id"], same["slug"])
        alias = None
        if draft.slug and draft.slug != same["slug"]:
            alias = await self._free_slug(draft.slug, None)
        await self._db.execute(
            "INSERT INTO article_aliases (identity, slug, article_id) VALUES (?, ?, ?)",
            (ident, alias, same["id"]),
        )
        return UpsertResult(UpsertOutcome.UNCHANGED, same["id"], same["slug"], duplicate=True,
                            alias=alias)

    async def _update_existing(
        self, row: Any, ident: str, draft: ArticleDraft, analysis: Analysis, now: str
    ) -> UpsertResult:
        unchanged = UpsertResult(UpsertOutcome.UNCHANGED, row["id"], row["slug"])
        if row["kind"] == ArticleKind.FULL and draft.kind is ArticleKind.TEASER:
            return unchanged
        if row["content_hash"] == draft.content_hash and _same_metadata(row, draft):
            return unchanged
        await self._replace(row["id"], ident, row["slug"], draft, analysis, now)
        return UpsertResult(UpsertOutcome.UPDATED, row["id"], row["slug"])

    async def _insert(
        self, ident: str, draft: ArticleDraft, analysis: Analysis, now: str
    ) -> UpsertResult:
        slug = await self._free_slug(_wanted_slug(draft), None)
        published = to_iso(draft.published_at) if draft.published_at else now
        cursor = await self._db.execute(
            "INSERT INTO articles (identity, slug, title, title_norm, url, canonical_url, source,"
            " byline, published_at, published_estimated, ingested_at, updated_at, kind,"
            " content_hash, lede, keywords, paragraphs)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ident, slug, draft.title, title_norm(draft.title), draft.url,
                canonical_url(draft.url), draft.source, draft.byline, published,
                int(draft.published_at is None), now, now, draft.kind.value, draft.content_hash,
                rows.lede_of(draft, analysis), json.dumps(list(analysis.keywords)),
                json.dumps(list(draft.paragraphs), ensure_ascii=False),
            ),
        )  # fmt: skip
        article_id = cursor.lastrowid
        assert article_id is not None
        await self._write_children(article_id, draft, analysis)
        return UpsertResult(UpsertOutcome.ADDED, article_id, slug)

    async def _replace(  # noqa: PLR0917 - private, called twice
        self, article_id: int, ident: str, slug: str, draft: ArticleDraft, analysis: Analysis,
        now: str,
    ) -> None:  # fmt: skip
        published = to_iso(draft.published_at) if draft.published_at else None
        await self._db.execute(
            "UPDATE articles SET identity = ?, slug = ?, title = ?, title_norm = ?, url = ?,"
            " canonical_url = ?, source = ?, byline = ?, published_at = coalesce(?, published_at),"
            " published_estimated = CASE WHEN ? IS NULL THEN published_estimated ELSE 0 END,"
            " updated_at = ?, kind = ?, content_hash = ?, lede = ?, keywords = ?, paragraphs = ?"
            " WHERE id = ?",
            (
                ident, slug, draft.title, title_norm(draft.title), draft.url,
                canonical_url(draft.url), draft.source, draft.byline, published, published, now,
                draft.kind.value, draft.content_hash, rows.lede_of(draft, analysis),
                json.dumps(list(analysis.keywords)),
                json.dumps(list(draft.paragraphs), ensure_ascii=False), article_id,
            ),
        )  # fmt: skip
        for table in _CHILD_TABLES:
            await self._db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        await self._db.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
        await self._db.execute("DELETE FROM titles_fts WHERE rowid = ?", (article_id,))
        await self._db.execute("DELETE FROM articles_terms WHERE rowid = ?", (article_id,))
        await self._write_children(article_id, draft, analysis)

    async def _write_children(
        self, article_id: int, draft: ArticleDraft, analysis: Analysis
    ) -> None:
        db = self._db
        await db.executemany(
            'INSERT INTO sentences (article_id, idx, text, start, "end", paragraph)'
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows.sentence_rows(article_id, analysis),
        )
        await db.executemany(
            "INSERT INTO summary_ranking (article_id, rank, sentence_idx) VALUES (?, ?, ?)",
            [(article_id, rank, idx) for rank, idx in enumerate(analysis.summary_ranking)],
        )
        await db.executemany(
            "INSERT INTO attributions (article_id, ord, speaker, speaker_norm, speaker_mention,"
            ' speaker_start, speaker_end, cue, text, kind, sentence, start, "end")'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows.attribution_rows(article_id, analysis),
        )
        published = await _one(db, "SELECT published_at FROM articles WHERE id = ?", (article_id,))
        await db.executemany(
            "INSERT INTO speaker_names"
            " (article_id, ord, name, name_norm, alias, alias_norm, origin, published_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*r, published[0]) for r in rows.speaker_rows(article_id, analysis)],
        )
        await db.executemany(
            "INSERT INTO entities (article_id, ord, text, label, count) VALUES (?, ?, ?, ?, ?)",
            rows.entity_rows(article_id, analysis.entities),
        )
        fts_row = rows.fts_row(article_id, draft, analysis)
        await db.execute(
            "INSERT INTO articles_fts (rowid, title, body, speakers, entities)"
            " VALUES (?, ?, ?, ?, ?)",
            fts_row,
        )
        await db.execute(
            "INSERT INTO articles_terms (rowid, title, body, speakers, entities)"
            " VALUES (?, ?, ?, ?, ?)",
            rows.terms_row(fts_row),
        )
        await db.execute(
            "INSERT INTO titles_fts (rowid, title) VALUES (?, ?)", (article_id, draft.title)
        )

    async def _free_slug(self, wanted: str, own_id: int | None) -> str:
        """``wanted``, else ``wanted-2``, ``wanted-3``...: the first id no other article and no
        alias has (``own_id``'s own slug is free for it)."""
        candidate, number = wanted, 2
        while await self._slug_taken(candidate, own_id):
            candidate, number = f"{wanted}-{number}", number + 1
        return candidate

    async def _slug_taken(self, slug: str, own_id: int | None) -> bool:
        row = await _one(self._db, "SELECT id FROM articles WHERE slug = ?", (slug,))
        if row is not None and row["id"] != own_id:
            return True
        alias = await _one(self._db, "SELECT 1 FROM article_aliases WHERE slug = ?", (slug,))
        return alias is not None


async def _referencing_tables(db: aiosqlite.Connection) -> list[tuple[str, bool]]:
    """Every ordinary table with an ``article_id`` column that no foreign key ties to
    ``articles`` (those cascade), and whether that column may be NULL."""
    cursor = await db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite_%'")
    found = []
    for (table,) in await cursor.fetchall():
        columns = await (await db.execute(f"PRAGMA table_info({_quoted(table)})")).fetchall()
        column = next((c for c in columns if c[1] == "article_id"), None)
        if column is None:
            continue
        keys = await (await db.execute(f"PRAGMA foreign_key_list({_quoted(table)})")).fetchall()
        if any(k[2] == "articles" and k[3] == "article_id" for k in keys):
            continue
        found.append((str(table), not column[3]))
    return found


def _quoted(name: str) -> str:
    """An SQL identifier, quoted (names come from ``sqlite_master``, never from a user)."""
    return '"' + name.replace('"', '""') + '"'


def _wanted_slug(draft: ArticleDraft) -> str:
    return draft.slug or slugify(draft.title) or draft.content_hash[:16]


def _same_metadata(row: Any, draft: ArticleDraft) -> bool:
    published_same = draft.published_at is None or (
        not row["published_estimated"] and row["published_at"] == to_iso(draft.published_at)
    )
    return bool(
        published_same
        and row["kind"] == draft.kind.value
        and (row["url"], row["source"], row["byline"]) == (draft.url, draft.source, draft.byline)
    )


async def _one(db: aiosqlite.Connection, sql: str, params: Sequence[object]) -> Any:
    cursor = await db.execute(sql, tuple(params))
    return await cursor.fetchone()
