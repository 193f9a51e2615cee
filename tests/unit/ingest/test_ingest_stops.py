"""A database that takes no writes (read-only, disk full) stops an ingest once, with SQLite's
reason, instead of failing every file with a traceback each."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.catalogue.open import open_catalogue
from bot.catalogue.sqlite import SqliteCatalogue
from bot.ingest.pipeline import ingest_paths
from tests.hostile.test_hostile_files import StandInAnalyser


@pytest.fixture
async def catalogue(tmp_path: Path) -> AsyncIterator[SqliteCatalogue]:
    opened = await open_catalogue(f"sqlite:///{tmp_path / 'newsbot.db'}")
    assert isinstance(opened, SqliteCatalogue)
    try:
        yield opened
    finally:
        await opened.close()


def articles(root: Path, count: int) -> Path:
    root.mkdir()
    for n in range(count):
        body = f"The body of story {n} says something new. " * 400  # pages beyond the free ones
        (root / f"{n:03}.txt").write_text(f"Story number {n}\n\n{body}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("pragma", "reason"),
    [
        # what a read-only file (chmod, a read-only mount) gives
        ("PRAGMA query_only = ON", "attempt to write a readonly database"),
        # what a full disk gives: the file may not grow
        ("PRAGMA max_page_count = {pages}", "database or disk is full"),
    ],
)
async def test_a_database_that_takes_no_writes_stops_the_ingest_once(
    catalogue: SqliteCatalogue, tmp_path: Path, caplog: pytest.LogCaptureFixture,
    pragma: str, reason: str,
) -> None:
    folder = articles(tmp_path / "in", 5)
    writer = catalogue._db
    assert writer is not None
    row = await (await writer.execute("PRAGMA page_count")).fetchone()
    assert row is not None
    pages = row[0]
    await writer.execute(pragma.format(pages=pages))
    with caplog.at_level(logging.INFO):
        report = await ingest_paths(catalogue, [folder], analyser=StandInAnalyser(),
                                    batch_size=2)
    assert report.stopped == f"cannot write to the database file {catalogue.path} ({reason})"
    assert report.rejected == []  # no file is blamed for the database's state
    assert report.added == 0
    assert report.not_read == 3  # stopped after the first batch of two
    assert not [r for r in caplog.records if r.exc_info]  # no traceback per file
    assert await catalogue.count() == 0


async def test_one_bad_article_still_costs_only_that_article(
    catalogue: SqliteCatalogue, tmp_path: Path
) -> None:
    """A failure about one row is not a stop: the classic per-file rejection remains."""
    folder = articles(tmp_path / "in", 3)
    writer = catalogue._db
    assert writer is not None
    await writer.execute(
        "CREATE TEMP TRIGGER refuse_one BEFORE INSERT ON main.articles"
        " WHEN NEW.title = 'Story number 1' BEGIN SELECT RAISE(ABORT, 'no'); END")
    report = await ingest_paths(catalogue, [folder], analyser=StandInAnalyser())
    assert report.stopped is None
    assert report.added == 2
    assert [(w.rsplit("/", 1)[-1], r) for w, r in report.rejected] == [
        ("001.txt", "could not be stored (IntegrityError)")]
