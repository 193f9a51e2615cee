"""Schema: numbered migrations applied once and in order, WAL, foreign keys, URLs."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.catalogue.base import Catalogue, CatalogueUnavailableError, SchemaTooNewError
from bot.catalogue.open import open_catalogue
from bot.catalogue.sqlite import SqliteCatalogue, migrations, split_statements
from bot.sqlite_backend import sqlite_path
from tests.storage.storage_kit import Backend


def test_migrations_are_numbered_in_order() -> None:
    found = migrations()
    assert found, "no migration files"
    versions = [version for version, _, _ in found]
    assert versions == sorted(set(versions))
    assert versions[0] == 1
    assert found[0][1] == "001_init.sql"


def test_split_statements_keeps_triggers_whole() -> None:
    script = (
        "-- comment\nCREATE TABLE t (a);\n"
        "CREATE TRIGGER x AFTER DELETE ON t BEGIN\n  DELETE FROM t;\n  SELECT 1;\nEND;\n"
    )
    statements = split_statements(script)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER")
    assert statements[1].endswith("END;")


async def test_open_is_idempotent_and_versioned(backend: Backend, backend_path: str) -> None:
    for _ in range(3):
        catalogue = await backend.open()
        await catalogue.open()  # a second open on the same object is a no-op
        assert isinstance(catalogue, SqliteCatalogue)
        assert await catalogue.schema_version() == migrations()[-1][0]
        await catalogue.close()
    with closing(sqlite3.connect(backend_path)) as db:
        rows = db.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
        assert rows == [(v, name) for v, name, _ in migrations()]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_foreign_keys_are_enforced(catalogue: Catalogue) -> None:
    assert isinstance(catalogue, SqliteCatalogue)
    db = catalogue._db
    assert db is not None
    cursor = await db.execute("PRAGMA foreign_keys")
    row = await cursor.fetchone()
    assert row is not None
    assert row[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute(
            'INSERT INTO sentences (article_id, idx, text, start, "end", paragraph)'
            " VALUES (999, 0, 'x', 0, 1, 0)"
        )


async def test_newer_schema_is_refused(backend: Backend, backend_path: str) -> None:
    catalogue = await backend.open()
    await catalogue.close()
    with closing(sqlite3.connect(backend_path)) as db:
        db.execute("INSERT INTO schema_version VALUES (999, '999_future.sql', 'x')")
        db.commit()
    with pytest.raises(SchemaTooNewError, match=r"newer newsbot .*: upgrade newsbot"):
        await backend.open()


async def test_open_catalogue_creates_parent_directories(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "news.db"
    catalogue = await open_catalogue(f"sqlite:///{target}")
    try:
        assert target.exists()
        assert await catalogue.count() == 0
    finally:
        await catalogue.close()


async def test_in_memory_catalogue() -> None:
    catalogue = await open_catalogue("sqlite:///:memory:")
    try:
        assert await catalogue.count() == 0
    finally:
        await catalogue.close()


@pytest.mark.parametrize(
    "url",
    ["postgresql://db/newsbot", "mysql://x", "newsbot.db", "sqlite://host/x.db", "sqlite:///"],
)
async def test_unknown_or_bad_urls_are_clear_errors(url: str) -> None:
    with pytest.raises(ValueError, match="sqlite"):
        await open_catalogue(url)


def test_sqlite_paths() -> None:
    assert sqlite_path("sqlite:///data/news.db") == "data/news.db"
    assert sqlite_path("sqlite:////var/lib/news.db") == "/var/lib/news.db"
    assert sqlite_path("sqlite:///:memory:") == ":memory:"
    assert sqlite_path("sqlite:///~/x.db") == str(Path("~/x.db").expanduser())


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[aiosqlite.Connection]:
    """Every aiosqlite connection made while the test runs, recorded before it is awaited (so
    one whose opening fails is recorded too)."""
    made: list[aiosqlite.Connection] = []
    real = aiosqlite.connect

    def connect(*args: Any, **kwargs: Any) -> aiosqlite.Connection:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(aiosqlite, "connect", connect)
    return made


async def _threads_ended(connections: list[aiosqlite.Connection]) -> bool:
    """Each of these connections' worker threads has ended, as it does once the connection is
    closed (a connection left open keeps the process alive after the command)."""
    # aiosqlite >= 0.20 runs its worker in ``_thread``; older versions were the thread.
    threads: list[Any] = [getattr(c, "_thread", c) for c in connections]
    for _ in range(100):
        if not any(t.is_alive() for t in threads):
            return True
        await asyncio.sleep(0.02)
    return False


async def test_a_corrupt_file_fails_cleanly_and_leaves_no_connection_thread(
    tmp_path: Path, connections: list[aiosqlite.Connection]
) -> None:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"not a db\n" * 200)
    catalogue = SqliteCatalogue(corrupt)
    with pytest.raises(CatalogueUnavailableError, match="not a newsbot database or is corrupt"):
        await catalogue.open()
    # The sqlite3 probe refuses the file before aiosqlite opens it, so no connection exists
    # (nor the worker thread that a failed aiosqlite open leaves behind).
    assert connections == []
    with pytest.raises(RuntimeError, match="not open"):
        await catalogue.count()


async def test_a_failing_reader_connection_closes_the_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, connections: list[aiosqlite.Connection]
) -> None:
    catalogue = SqliteCatalogue(tmp_path / "ok.db")
    real = SqliteCatalogue._connect
    opened: list[aiosqlite.Connection] = []

    async def connect(self: SqliteCatalogue, *, writer: bool) -> aiosqlite.Connection:
        if not writer:
            raise sqlite3.OperationalError("disk I/O error")
        db = await real(self, writer=writer)
        opened.append(db)
        return db

    monkeypatch.setattr(SqliteCatalogue, "_connect", connect)
    with pytest.raises(CatalogueUnavailableError, match="disk I/O error"):
        await catalogue.open()
    assert connections == opened  # the writer only: the reader failed before connecting
    assert await _threads_ended(connections)  # the writer was closed, so its thread ended
