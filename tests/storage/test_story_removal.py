"""Removing a story takes everything derived from it, in every table of the file that names an
article id, whichever store made that table (so tables added later are covered too); the
demo seeds are not stored again once a catalogue was seeded."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue, open_stores
from bot.ingest.seeds import ensure_seeded
from tests.unit.ingest.test_ingest_pipeline import SEED_TEXT, CountingAnalyser

SEED_SLUG = "000_4f50a4a6f3bb85bf"
FTS_TABLES = ("articles_fts", "titles_fts")


def _article_id_tables(db: sqlite3.Connection) -> list[str]:
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return [t for t in tables
            if any(col[1] == "article_id" for col in db.execute(f'PRAGMA table_info("{t}")'))]


def _holding(db: sqlite3.Connection, article_id: int) -> dict[str, int]:
    counts = {t: db.execute(f'SELECT count(*) FROM "{t}" WHERE article_id = ?',
                            (article_id,)).fetchone()[0] for t in _article_id_tables(db)}
    for fts in FTS_TABLES:
        counts[fts] = db.execute(f"SELECT count(*) FROM {fts} WHERE rowid = ?",
                                 (article_id,)).fetchone()[0]
    return {table: count for table, count in counts.items() if count}


@pytest.fixture
async def everything(seeded_db: Path) -> AsyncIterator[tuple[Catalogue, int]]:
    """The seeded catalogue with every store's tables, and rows in each naming the seed."""
    url = f"sqlite:///{seeded_db}"
    async with open_stores(url):
        pass  # creates the digest and feed tables in the file
    with sqlite3.connect(seeded_db) as db:  # before the catalogue opens: a new table too
        [story_id] = db.execute("SELECT id FROM articles WHERE slug = ?", (SEED_SLUG,)).fetchone()
        db.execute("INSERT INTO article_vectors VALUES (?, 'm', 1, 'f2', 'h', x'0000')",
                   (story_id,))
        db.execute("INSERT INTO article_aliases VALUES ('file:/copy.txt', 'copy', ?)", (story_id,))
        db.execute("INSERT INTO feeds (url, url_key, interval_minutes, full_text, added_by,"
                   " added_at) VALUES ('https://e.org/f', 'https://e.org/f', 15, 'auto', 'cli',"
                   " '2024-01-01')")
        db.execute("INSERT INTO feed_entries VALUES (1, 'k', 'f', ?, 1, '2024-01-01')",
                   (story_id,))
        db.execute("INSERT INTO digest_sent VALUES ('c', ?, NULL, '2024-01-01')", (story_id,))
        db.execute("CREATE TABLE added_later (article_id INTEGER NOT NULL, note TEXT)")
        db.execute("INSERT INTO added_later VALUES (?, 'x')", (story_id,))
    db.close()
    catalogue = await open_catalogue(url)
    try:
        yield catalogue, story_id
    finally:
        await catalogue.close()


async def test_removal_leaves_no_row_naming_the_story(
    everything: tuple[Catalogue, int], seeded_db: Path
) -> None:
    catalogue, story_id = everything
    with sqlite3.connect(seeded_db) as db:
        before = _holding(db, story_id)
    # Every kind of derived row is there to be removed (the seed is really analysed).
    for table in ("sentences", "summary_ranking", "attributions", "speaker_names", "entities",
                  "article_aliases", "article_vectors", "feed_entries", "digest_sent",
                  "added_later", *FTS_TABLES):
        assert before.get(table), table
    count = await catalogue.count()
    assert await catalogue.remove(story_id) is True
    with sqlite3.connect(seeded_db) as db:
        assert _holding(db, story_id) == {}
        # A feed entry stays seen (so the next poll does not bring the story back).
        assert db.execute("SELECT count(*) FROM feed_entries").fetchone()[0] == 1
        assert db.execute("SELECT count FROM vector_deletions").fetchone()[0] >= 1
    assert await catalogue.get(story_id) is None
    assert await catalogue.get_by_slug("copy") is None
    assert await catalogue.count() == count - 1
    assert all(h.id != story_id for h in await catalogue.search("Kaspersky Peskov", 5))
    assert await catalogue.remove(story_id) is False


async def test_an_id_in_another_case_finds_its_story(seeded_db: Path) -> None:
    catalogue = await open_catalogue(f"sqlite:///{seeded_db}")
    try:
        story = await catalogue.get_by_slug(SEED_SLUG)
        assert story is not None
        again = await catalogue.get_by_slug(SEED_SLUG.upper())
        assert again is not None
        assert again.id == story.id
    finally:
        await catalogue.close()


async def test_a_seeded_catalogue_emptied_is_not_seeded_again(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").write_text(SEED_TEXT)
    catalogue = await open_catalogue(f"sqlite:///{tmp_path / 'newsbot.db'}")
    try:
        first = await ensure_seeded(catalogue, seeds, analyser=CountingAnalyser())
        assert first is not None
        assert first.added == 2
        for header in await catalogue.latest(10):
            assert await catalogue.remove(header.id)
        assert await catalogue.count() == 0
        assert await ensure_seeded(catalogue, seeds, analyser=CountingAnalyser()) is None
        assert await catalogue.count() == 0
    finally:
        await catalogue.close()


async def test_removal_works_after_another_store_created_its_tables(seeded_db: Path) -> None:
    """As in ``newsbot run``: the catalogue opens, then the digest and feed stores create
    their tables in the same file from other connections."""
    catalogue = await open_catalogue(f"sqlite:///{seeded_db}")
    try:
        story = await catalogue.get_by_slug(SEED_SLUG)
        assert story is not None
        async with open_stores(f"sqlite:///{seeded_db}"):
            pass
        with sqlite3.connect(seeded_db) as db:
            db.execute("CREATE TABLE made_meanwhile (x INTEGER)")
        db.close()
        assert await catalogue.remove(story.id) is True
        assert await catalogue.get_by_slug(SEED_SLUG) is None
    finally:
        await catalogue.close()
