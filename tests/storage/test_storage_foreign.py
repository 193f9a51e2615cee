"""A SQLite file that is not newsbot's, or is from a newer newsbot, is refused by every store
(catalogue, digests, feeds) before anything is written to it: same bytes, same time stamp, no
journal left beside it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Awaitable, Callable
from contextlib import closing
from pathlib import Path

import pytest

from bot.catalogue.base import CatalogueUnavailableError, SchemaTooNewError
from bot.catalogue.open import open_catalogue
from bot.digests.sqlite_store import SqliteDigestStore
from bot.feeds.sqlite_store import SqliteFeedStore
from bot.sqlite_store import SqliteStore

Opener = Callable[[Path], Awaitable[None]]


async def open_catalogue_at(path: Path) -> None:
    catalogue = await open_catalogue(f"sqlite:///{path}")
    await catalogue.close()


def store_opener(kind: type[SqliteStore]) -> Opener:
    async def open_store(path: Path) -> None:
        store = kind(str(path))
        await store.open()
        await store.close()

    return open_store


OPENERS = {"catalogue": open_catalogue_at, "digests": store_opener(SqliteDigestStore),
           "feeds": store_opener(SqliteFeedStore)}


def foreign_file(path: Path, *statements: str) -> tuple[bytes, int]:
    with closing(sqlite3.connect(path)) as db:
        for statement in statements:
            db.execute(statement)
        db.commit()
    return path.read_bytes(), path.stat().st_mtime_ns


FOREIGN = {
    "users": ("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)",
              "INSERT INTO users (email) VALUES ('a@example.org')"),
    # a table named like ours is not enough: no newsbot schema_version
    "articles": ("CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT)",
                 "INSERT INTO articles (body) VALUES ('theirs')"),
    # nor is a schema_version of another shape or with other migrations
    "their-schema-version": (
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)",
        "INSERT INTO schema_version VALUES (1, 'V1__create_users.sql', 'x')",
        "CREATE TABLE users (id INTEGER PRIMARY KEY)"),
}


@pytest.mark.parametrize("store", sorted(OPENERS))
@pytest.mark.parametrize("content", sorted(FOREIGN))
async def test_another_applications_database_is_refused_untouched(
    tmp_path: Path, store: str, content: str
) -> None:
    path = tmp_path / "their.db"
    before = foreign_file(path, *FOREIGN[content])
    with pytest.raises(CatalogueUnavailableError, match="is not a newsbot database"):
        await OPENERS[store](path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(os.listdir(tmp_path)) == ["their.db"]  # no -wal, -shm or -journal either


async def test_an_empty_file_and_a_store_opened_first_are_ours(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    await open_catalogue_at(empty)
    first = tmp_path / "feeds-first.db"
    await OPENERS["feeds"](first)
    await OPENERS["digests"](first)
    await open_catalogue_at(first)  # the feature tables alone do not make it foreign


@pytest.mark.parametrize(("store", "table"), [
    ("catalogue", "schema_version"),
    ("digests", "digest_schema_version"),
    ("feeds", "feeds_schema_version"),
])
async def test_a_newer_schema_is_refused_by_every_store(
    tmp_path: Path, store: str, table: str
) -> None:
    path = tmp_path / "newsbot.db"
    for opener in OPENERS.values():
        await opener(path)
    with closing(sqlite3.connect(path)) as db:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        values = {"version": 99, "name": "099_future.sql", "applied_at": "x"}
        db.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})",
                   [values[c] for c in columns])
        db.commit()
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises(SchemaTooNewError, match=rf"{table} 99; this one knows up to .*: "
                                                "upgrade newsbot"):
        await OPENERS[store](path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
