"""A feature's own tables in the catalogue's SQLite file, on its own aiosqlite connection.

Digests and feeds each keep their schema (with their own version table, so they never touch
the catalogue's migrations) and serialise their transactions on one connection. Writes take the
lock up front (``BEGIN IMMEDIATE``) so check-then-write is atomic across processes too.

Before connecting, the file is checked read-only (``bot.catalogue.ownership``): another
application's database or one from a newer newsbot is refused untouched. An up-to-date store
takes no write transaction on open, so a read-only database can still be listed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

import aiosqlite

from bot.catalogue.base import CatalogueUnavailableError, SchemaTooNewError, storage_failure
from bot.catalogue.ownership import check_store_file

Schema = tuple[tuple[int, tuple[str, ...]], ...]  # (version, statements), in order


class SqliteStore:
    """Base for feature stores: connect, migrate, transactions. Subclasses set ``SCHEMA`` and
    ``VERSION_TABLE``."""

    SCHEMA: ClassVar[Schema] = ()
    VERSION_TABLE: ClassVar[str] = ""

    def __init__(self, path: str, *, busy_timeout_ms: int = 30_000) -> None:
        """``path``: the SQLite file (``bot.sqlite_backend.sqlite_path`` of the database URL)."""
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()  # one connection: its transactions must not interleave

    async def open(self) -> None:
        """Connect and create the tables if needed; idempotent."""
        if self._db is not None:
            return
        if self.path != ":memory:":
            await asyncio.to_thread(check_store_file, self.path, self.VERSION_TABLE,
                                    self.known_version())
        db = await aiosqlite.connect(self.path, isolation_level=None)
        db.row_factory = aiosqlite.Row
        await db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        await db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            await db.execute("PRAGMA journal_mode = WAL")
            # WAL + NORMAL survives a process crash (what claims guard against); only a power
            # cut may lose the last commits, as for the catalogue.
            await db.execute("PRAGMA synchronous = NORMAL")
        self._db = db
        try:
            await self._migrate()
        except BaseException as exc:
            await self.close()
            if (reason := storage_failure(exc)) is not None:  # read-only: tables not created
                raise CatalogueUnavailableError(
                    f"cannot create the {self.VERSION_TABLE.split('_')[0]} tables in the "
                    f"database file {self.path} ({reason})") from exc
            raise

    async def close(self) -> None:
        """Close the connection."""
        if self._db is not None:
            await self._db.close()
            self._db = None

    @classmethod
    def known_version(cls) -> int:
        """The highest schema version this code knows."""
        return max((version for version, _ in cls.SCHEMA), default=0)

    async def _applied(self) -> set[int]:
        table = self.VERSION_TABLE  # a class constant, never user input
        cursor = await self._conn().execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
        if await cursor.fetchone() is None:
            return set()
        cursor = await self._conn().execute(f"SELECT version FROM {table}")  # noqa: S608
        applied = {int(row[0]) for row in await cursor.fetchall()}
        if applied and max(applied) > self.known_version():
            raise SchemaTooNewError(
                f"the database file {self.path} was written by a newer newsbot ({table} "
                f"{max(applied)}; this one knows up to {self.known_version()}): upgrade newsbot")
        return applied

    async def _migrate(self) -> None:
        table = self.VERSION_TABLE  # a class constant, never user input
        if {version for version, _ in self.SCHEMA} <= await self._applied():
            return  # up to date: no write transaction (a read-only file opens too)
        async with self._tx() as db:
            await db.execute(f"CREATE TABLE IF NOT EXISTS {table} ("
                             " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            for version, statements in self.SCHEMA:
                cursor = await db.execute(
                    f"SELECT 1 FROM {table} WHERE version = ?", (version,))  # noqa: S608
                if await cursor.fetchone() is not None:
                    continue
                for statement in statements:
                    await db.execute(statement)
                await db.execute(f"INSERT INTO {table} VALUES (?, ?)",  # noqa: S608
                                 (version, datetime.now(UTC).isoformat()))

    def _conn(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError(f"{type(self).__name__} is not open")
        return self._db

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction taken up front (IMMEDIATE), so check-then-write is atomic."""
        async with self._lock:
            db = self._conn()
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:  # SQLite ends it itself on a full disk
                    await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

    async def _all(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        async with self._lock:
            cursor = await self._conn().execute(sql, tuple(params))
            return list(await cursor.fetchall())
