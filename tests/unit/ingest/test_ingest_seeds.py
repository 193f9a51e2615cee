"""The demo seeds: the files their manifest lists, stored with their real dates, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.ingest.seeds import MANIFEST, default_seeds_dir, ensure_seeded, seeds_in
from tests.unit.ingest.test_ingest_pipeline import SEED_TEXT, CountingAnalyser


@pytest.fixture
async def empty(tmp_path: Path) -> AsyncIterator[Catalogue]:
    catalogue = await open_catalogue(f"sqlite:///{tmp_path / 'db' / 'newsbot.db'}")
    try:
        yield catalogue
    finally:
        await catalogue.close()


async def test_listed_seeds_get_their_real_date(empty: Catalogue, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").write_text(SEED_TEXT)
    (seeds / "unlisted.txt").write_text("Not a seed\n\nThis file is not in the manifest.\n")
    (seeds / MANIFEST).write_text('["000.txt"]\npublished_at = 2024-06-21T08:30:00Z\n')
    report = await ensure_seeded(empty, seeds, analyser=CountingAnalyser())
    assert report is not None
    assert (report.added, report.rejected) == (2, [])  # the story and its teaser
    for header in await empty.latest(10):
        assert header.published_at == datetime(2024, 6, 21, 8, 30, tzinfo=UTC)
        assert header.title != "Not a seed"
    assert await empty.was_seeded()


async def test_a_broken_manifest_stores_nothing_and_says_so(
    empty: Catalogue, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").write_text(SEED_TEXT)
    (seeds / MANIFEST).write_text("[[[ not toml")
    assert await ensure_seeded(empty, seeds, analyser=CountingAnalyser()) is None
    assert await empty.count() == 0
    assert "cannot be read" in caplog.text


async def test_a_missing_seed_folder_is_quiet(empty: Catalogue, tmp_path: Path) -> None:
    assert await ensure_seeded(empty, tmp_path / "gone", analyser=CountingAnalyser()) is None
    assert not await empty.was_seeded()


def test_the_shipped_seed_is_dated() -> None:
    [seed] = seeds_in(default_seeds_dir())
    assert seed.path.is_file()
    assert seed.published_at == datetime(2024, 6, 21, tzinfo=UTC)
