"""The real pipeline (spaCy analysis) on the real seed folder, run once for the module."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.ingest.pipeline import ingest_paths
from bot.ingest.seeds import default_seeds_dir, seeds_in
from bot.ingest.store import IngestReport
from bot.models import ArticleKind

pytestmark = pytest.mark.slow
SEED_SLUG = "000_4f50a4a6f3bb85bf"


async def _ingest_twice(url: str) -> tuple[IngestReport, IngestReport]:
    catalogue = await open_catalogue(url)
    try:
        first, second = IngestReport(), IngestReport()
        for seed in seeds_in(default_seeds_dir()):
            first.merge(await ingest_paths(catalogue, [seed.path], undated=seed.published_at))
            second.merge(await ingest_paths(catalogue, [seed.path], undated=seed.published_at))
    finally:
        await catalogue.close()
    return first, second


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, IngestReport, IngestReport]:
    url = f"sqlite:///{tmp_path_factory.mktemp('seed') / 'newsbot.db'}"
    first, second = asyncio.run(_ingest_twice(url))
    return url, first, second


@pytest.fixture
async def catalogue(
    seeded: tuple[str, IngestReport, IngestReport],
) -> AsyncIterator[Catalogue]:
    opened = await open_catalogue(seeded[0])
    try:
        yield opened
    finally:
        await opened.close()


def test_first_run_adds_the_story_and_its_teasers_second_run_nothing(
    seeded: tuple[str, IngestReport, IngestReport],
) -> None:
    _, first, second = seeded
    assert (first.added, first.updated, first.unchanged, first.rejected) == (3, 0, 0, [])
    assert (second.added, second.updated, second.unchanged, second.rejected) == (0, 0, 3, [])


async def test_the_story_is_stored_with_verbatim_quotes(catalogue: Catalogue) -> None:
    story = await catalogue.get_by_slug(SEED_SLUG)
    assert story is not None
    assert story.kind is ArticleKind.FULL
    assert story.title == "Kremlin decries US Kaspersky ban as 'unfair competition'"
    assert len(story.paragraphs) == 7
    assert not story.published_estimated  # its real date, from the seeds' published.toml
    assert story.published_at == datetime(2024, 6, 21, tzinfo=UTC)
    text = story.text
    for sentence in story.analysis.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    hits = await catalogue.attributions_by_speaker("Peskov")
    assert hits
    quoted = " ".join(h.attribution.text for h in hits)
    assert "very competitive" in quoted
    assert "favourite technique of unfair competition" in quoted
    for hit in hits:
        assert hit.article.slug == SEED_SLUG
        assert text[hit.attribution.start : hit.attribution.end] == hit.attribution.text


async def test_a_role_finds_its_holders_quotes(catalogue: Catalogue) -> None:
    hits = await catalogue.attributions_by_speaker("the commerce secretary")
    assert any("capacity and intent" in h.attribution.text for h in hits)
    assert all(h.attribution.speaker == "Gina Raimondo" for h in hits)


async def test_search_finds_the_story_and_the_teaser(catalogue: Catalogue) -> None:
    assert (await catalogue.search("kaspersky", 5))[0].slug == SEED_SLUG
    teams = await catalogue.search("Teams integration", 5)
    assert teams[0].kind == "teaser"
    assert teams[0].title.startswith("Bringing Teams to the table")
    assert teams[0].lede.startswith("A decade ago")
