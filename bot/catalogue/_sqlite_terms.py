"""Keep ``articles_terms`` (the stemmed search index) built with the current term rules.

Articles stored before the index existed, or under older rules (``terms.VERSION``), are
(re)indexed when the catalogue opens, from the unstemmed ``articles_fts`` row that holds the same
title, body, speakers and entities: the question side always stems with the current rules, so
the stored side must too.
"""

from __future__ import annotations

import asyncio
import logging

import aiosqlite

from bot.catalogue import terms
from bot.catalogue._sqlite_rows import terms_row

log = logging.getLogger(__name__)
BATCH = 500


async def ensure_terms(db: aiosqlite.Connection) -> None:
    """Rebuild ``articles_terms`` when it was built with other rules (or never); one writer
    does it, inside its own ``BEGIN IMMEDIATE`` transaction."""
    if await _version(db) == terms.VERSION:
        return
    await db.execute("BEGIN IMMEDIATE")
    try:
        if await _version(db) != terms.VERSION:  # re-checked inside the lock
            count = await _rebuild(db)
            await db.execute(
                "INSERT OR REPLACE INTO search_terms_version (id, version) VALUES (1, ?)",
                (terms.VERSION,),
            )
            if count:
                log.info("search index rebuilt for %d stored articles", count)
        await db.execute("COMMIT")
    except BaseException:
        await db.execute("ROLLBACK")
        raise


async def _version(db: aiosqlite.Connection) -> int | None:
    cursor = await db.execute("SELECT version FROM search_terms_version WHERE id = 1")
    row = await cursor.fetchone()
    return int(row[0]) if row else None


async def _rebuild(db: aiosqlite.Connection) -> int:
    await db.execute("DELETE FROM articles_terms")
    done, last = 0, -1
    while True:
        cursor = await db.execute(
            "SELECT rowid, title, body, speakers, entities FROM articles_fts"
            " WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last, BATCH),
        )
        batch = [tuple(row) for row in await cursor.fetchall()]
        if not batch:
            return done
        # Stemming a batch is CPU work: off the event loop.
        rows = await asyncio.to_thread(_terms_rows, batch)
        await db.executemany(
            "INSERT INTO articles_terms (rowid, title, body, speakers, entities)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        done += len(batch)
        last = int(batch[-1][0])


def _terms_rows(batch: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [terms_row(row) for row in batch]
