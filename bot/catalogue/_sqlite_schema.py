"""Numbered schema migrations (``migrations/NNN_name.sql``) recorded in ``schema_version``.

Each file is applied once, in order, in its own ``BEGIN IMMEDIATE`` transaction that re-checks
the version inside the lock, so two processes opening a new database at once are safe.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import aiosqlite

from bot.catalogue.base import SchemaTooNewError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every ``NNN_name.sql`` file, in version order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        number = path.name.split("_", 1)[0]
        if number.isdigit():
            found.append((int(number), path.name, path.read_text(encoding="utf-8")))
    return sorted(found)


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers with inner ``;`` stay whole)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        raise ValueError("incomplete SQL statement at the end of a migration")
    return statements


async def schema_version(db: aiosqlite.Connection) -> int:
    """The highest applied migration (0 for a new database)."""
    cursor = await db.execute("SELECT coalesce(max(version), 0) FROM schema_version")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(db: aiosqlite.Connection, applied_at: str) -> None:
    """Apply every pending migration; refuse a database newer than this code."""
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    known = migrations()
    current = await schema_version(db)
    if known and current > known[-1][0]:
        raise SchemaTooNewError(
            f"database schema version {current} is newer than this newsbot "
            f"(knows up to {known[-1][0]}): upgrade newsbot"
        )
    cursor = await db.execute("SELECT version FROM schema_version")
    applied = {int(row[0]) for row in await cursor.fetchall()}
    for version, name, script in known:
        if version not in applied:  # no write transaction at all when up to date (read-only)
            await _apply(db, version, name, script, applied_at)


async def _apply(
    db: aiosqlite.Connection, version: int, name: str, script: str, applied_at: str
) -> None:
    await db.execute("BEGIN IMMEDIATE")
    try:
        cursor = await db.execute("SELECT 1 FROM schema_version WHERE version = ?", (version,))
        if await cursor.fetchone() is None:
            for statement in split_statements(script):
                await db.execute(statement)
            await db.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, applied_at),
            )
        await db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite ends it itself on a full disk
            await db.execute("ROLLBACK")
        raise
