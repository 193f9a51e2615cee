"""The SQLite feed store: feeds, their health and delivered entries in the catalogue's file.

Own aiosqlite connection and own schema version table (``feeds_schema_version``), like the
digest store, so the catalogue's migrations are never touched. ``feed_entries`` remembers, per
feed, the fingerprint of every entry already stored and whether the stored text is the full
article or the feed's excerpt: an unchanged entry is skipped without re-fetching its page, and
the same story arriving through another feed is still one catalogue article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.feeds.store import DuplicateFeedError, Feed, FullText, SeenEntry, url_key
from bot.sqlite_store import Schema, SqliteStore
from bot.timestamps import from_iso, from_iso_or_none, to_iso

_TABLES: Schema = ((1, (
    """CREATE TABLE IF NOT EXISTS feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL, url_key TEXT NOT NULL UNIQUE,
        title TEXT, interval_minutes INTEGER NOT NULL, full_text TEXT NOT NULL,
        etag TEXT, last_modified TEXT,
        added_by TEXT NOT NULL, added_at TEXT NOT NULL,
        last_polled TEXT, last_success TEXT, last_error TEXT, last_error_at TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        failing_since TEXT, failure_reported INTEGER NOT NULL DEFAULT 0,
        last_rejected TEXT, articles INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS feed_entries (
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        entry_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
        article_id INTEGER, full_text INTEGER NOT NULL, seen_at TEXT NOT NULL,
        PRIMARY KEY (feed_id, entry_key)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS feed_entries_article ON feed_entries (article_id)",
)), (2, (
    # Feeds the operator listed (CLI or config file) may be on private addresses; chat-added
    # ones only when feeds.allow_private_hosts is set. Existing operator feeds keep working.
    "ALTER TABLE feeds ADD COLUMN private_ok INTEGER NOT NULL DEFAULT 0",
    "UPDATE feeds SET private_ok = 1 WHERE added_by IN ('cli', 'config')",
)),)
_COLUMNS = ("id, url, title, interval_minutes, full_text, etag, last_modified, added_by, "
            "added_at, last_polled, last_success, last_error, last_error_at, "
            "consecutive_failures, failing_since, failure_reported, last_rejected, articles, "
            "private_ok")


def _feed(row: Any) -> Feed:
    return Feed(
        id=row["id"], url=row["url"], title=row["title"], interval_minutes=row["interval_minutes"],
        full_text=FullText(row["full_text"]), etag=row["etag"],
        last_modified=row["last_modified"], added_by=row["added_by"],
        added_at=from_iso(row["added_at"]),
        last_polled=from_iso_or_none(row["last_polled"]),
        last_success=from_iso_or_none(row["last_success"]),
        last_error=row["last_error"], last_error_at=from_iso_or_none(row["last_error_at"]),
        consecutive_failures=row["consecutive_failures"],
        failing_since=from_iso_or_none(row["failing_since"]),
        failure_reported=bool(row["failure_reported"]), last_rejected=row["last_rejected"],
        articles=row["articles"], private_ok=bool(row["private_ok"]))


class SqliteFeedStore(SqliteStore):
    """``FeedStore`` on SQLite: feed tables on one aiosqlite connection, one transaction at a
    time."""

    SCHEMA = _TABLES
    VERSION_TABLE = "feeds_schema_version"

    async def _write(self, sql: str, params: Sequence[object]) -> None:
        async with self._tx() as db:
            await db.execute(sql, tuple(params))

    # -- feeds --------------------------------------------------------------------------------

    async def add(self, url: str, *, interval_minutes: int, full_text: FullText, added_by: str,
                  now: datetime, title: str | None = None, private_ok: bool = False) -> Feed:
        """Store a new feed; ``DuplicateFeedError`` when its URL is already listed.
        ``private_ok``: the operator listed it, so private addresses may be fetched for it."""
        async with self._tx() as db:
            cursor = await db.execute("SELECT id FROM feeds WHERE url_key = ?", (url_key(url),))
            row = await cursor.fetchone()
            if row is not None:
                raise DuplicateFeedError(int(row[0]))
            cursor = await db.execute(
                "INSERT INTO feeds (url, url_key, title, interval_minutes, full_text, added_by,"
                " added_at, private_ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (url.strip(), url_key(url), title, interval_minutes, full_text.value, added_by,
                 to_iso(now), int(private_ok)))
            new_id = int(cursor.lastrowid or 0)
        found = await self.get(new_id)
        assert found is not None
        return found

    async def get(self, feed_id: int) -> Feed | None:
        """One feed."""
        rows = await self._all(f"SELECT {_COLUMNS} FROM feeds WHERE id = ?",  # noqa: S608
                               (feed_id,))
        return _feed(rows[0]) if rows else None

    async def find(self) -> list[Feed]:
        """Every feed, oldest first."""
        rows = await self._all(f"SELECT {_COLUMNS} FROM feeds ORDER BY id")  # noqa: S608
        return [_feed(r) for r in rows]

    async def by_url(self, url: str) -> Feed | None:
        """The feed listed under this URL (any spelling ``url_key`` equates)."""
        rows = await self._all(f"SELECT {_COLUMNS} FROM feeds WHERE url_key = ?",  # noqa: S608
                               (url_key(url),))
        return _feed(rows[0]) if rows else None

    async def set_options(self, feed_id: int, *, interval_minutes: int,
                          full_text: FullText) -> None:
        """Change how often a feed is polled and whether its article pages are read."""
        await self._write("UPDATE feeds SET interval_minutes = ?, full_text = ? WHERE id = ?",
                          (interval_minutes, full_text.value, feed_id))

    async def delete(self, feed_id: int) -> bool:
        """Remove a feed (its stored articles stay in the catalogue)."""
        async with self._tx() as db:
            cursor = await db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
            return cursor.rowcount > 0

    # -- health -------------------------------------------------------------------------------

    async def record_success(self, feed_id: int, now: datetime, *, etag: str | None,
                             last_modified: str | None, title: str | None = None,
                             rejected: str | None = None, stored: int = 0) -> None:
        """A poll worked (200 or 304): keep the validators, clear the failure streak."""
        await self._write(
            "UPDATE feeds SET etag = ?, last_modified = ?, title = coalesce(?, title),"
            " last_polled = ?, last_success = ?, consecutive_failures = 0, failing_since = NULL,"
            " failure_reported = 0, last_rejected = ?, articles = articles + ? WHERE id = ?",
            (etag, last_modified, title, to_iso(now), to_iso(now), rejected, stored, feed_id))

    async def record_not_modified(self, feed_id: int, now: datetime, *, etag: str | None,
                                  last_modified: str | None) -> None:
        """A 304: the feed is healthy; the last poll's skipped entries still stand."""
        await self._write(
            "UPDATE feeds SET etag = ?, last_modified = ?, last_polled = ?, last_success = ?,"
            " consecutive_failures = 0, failing_since = NULL, failure_reported = 0"
            " WHERE id = ?", (etag, last_modified, to_iso(now), to_iso(now), feed_id))

    async def record_failure(self, feed_id: int, reason: str, now: datetime) -> Feed | None:
        """A poll failed: count it and remember since when the feed has been failing."""
        await self._write(
            "UPDATE feeds SET last_polled = ?, last_error = ?, last_error_at = ?,"
            " consecutive_failures = consecutive_failures + 1,"
            " failing_since = coalesce(failing_since, ?) WHERE id = ?",
            (to_iso(now), reason, to_iso(now), to_iso(now), feed_id))
        return await self.get(feed_id)

    async def claim_report(self, feed_id: int) -> bool:
        """True exactly once per failure streak: the caller reports it to the admin."""
        async with self._tx() as db:
            cursor = await db.execute(
                "UPDATE feeds SET failure_reported = 1 WHERE id = ? AND failure_reported = 0",
                (feed_id,))
            return cursor.rowcount > 0

    async def release_report(self, feed_id: int) -> None:
        """The report could not be delivered: let the next failed poll try again."""
        await self._write("UPDATE feeds SET failure_reported = 0 WHERE id = ?", (feed_id,))

    # -- entries ------------------------------------------------------------------------------

    async def seen(self, feed_id: int) -> dict[str, SeenEntry]:
        """The entries this feed delivered before, by entry key."""
        rows = await self._all(
            "SELECT entry_key, fingerprint, article_id, full_text FROM feed_entries"
            " WHERE feed_id = ?", (feed_id,))
        return {r[0]: SeenEntry(r[0], r[1], r[2], bool(r[3])) for r in rows}

    async def remember(self, feed_id: int, entries: Iterable[SeenEntry], now: datetime) -> None:
        """Record stored entries (after the articles are in the catalogue)."""
        rows = [(feed_id, e.key, e.fingerprint, e.article_id, int(e.full_text), to_iso(now))
                for e in entries]
        async with self._tx() as db:
            await db.executemany(
                "INSERT INTO feed_entries (feed_id, entry_key, fingerprint, article_id,"
                " full_text, seen_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (feed_id, entry_key) DO UPDATE SET"
                " fingerprint = excluded.fingerprint,"
                # An entry found already stored (no id in hand) keeps the article it had.
                " article_id = coalesce(excluded.article_id, feed_entries.article_id),"
                " full_text = excluded.full_text,"
                " seen_at = excluded.seen_at", rows)

    async def is_full_text(self, article_id: int) -> bool | None:
        """Whether an article stored from a feed holds the full story (None: not from a feed)."""
        rows = await self._all(
            "SELECT max(full_text) FROM feed_entries WHERE article_id = ?", (article_id,))
        return None if not rows or rows[0][0] is None else bool(rows[0][0])
