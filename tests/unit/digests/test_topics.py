"""Topic digests on a large catalogue: thousands of older matching stories never hide a new one
(a relevance cut-off or a common-word rule used to)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.catalogue.base import Catalogue
from bot.catalogue.sqlite import SqliteCatalogue
from bot.digests.model import Outcome
from bot.digests.service import DigestService
from bot.digests.store import DigestStore
from bot.models import ArticleDraft
from tests.unit.digests.conftest import START
from tests.unit.digests.kit import (
    SLOT,
    FakeClock,
    RecordingDeliverer,
    add_article,
    analysis_of,
    subscribe,
)

OLD_CLIMATE = 2_100  # more than the 2,000 articles at which a word used to count as common


async def add_old_climate_stories(catalogue: Catalogue, clock: FakeClock) -> None:
    """Stored a week before the digests, "climate" in every title and body."""
    assert isinstance(catalogue, SqliteCatalogue)  # one transaction per 500, to stay quick
    week_ago = START - timedelta(days=7)
    clock.set(week_ago)
    drafts = [ArticleDraft(title=f"Climate talks, day {n}",
                           paragraphs=(f"Delegates argued about climate finance, round {n}.",),
                           slug=f"climate-{n}", url=f"https://news.example/climate-{n}",
                           published_at=week_ago - timedelta(minutes=n))
              for n in range(OLD_CLIMATE)]
    for start in range(0, len(drafts), 500):
        await catalogue.upsert_many([(d, analysis_of(d)) for d in drafts[start:start + 500]])
    clock.set(START)


async def test_new_topic_stories_are_found_among_thousands_of_older_matches(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    await add_old_climate_stories(catalogue, clock)
    both: Any = await subscribe(store, clock, channel="both", topic="climate, Peskov")
    climate: Any = await subscribe(store, clock, channel="climate", topic="climate")
    await add_article(catalogue, "Kremlin answers critics", START - timedelta(hours=1),
                      speakers=("Dmitry Peskov",))
    await add_article(catalogue, "Harvest comes early", START - timedelta(hours=2),
                      body="Farmers blame the changing climate for the early harvest.")
    await add_article(catalogue, "Football results", START - timedelta(hours=3))
    clock.set(SLOT)
    assert await service.run_slot(both.id, SLOT) is Outcome.POSTED
    assert await service.run_slot(climate.id, SLOT) is Outcome.POSTED
    assert [c.title for c in deliverer.to("both")[0].answer.cards] == [
        "Kremlin answers critics", "Harvest comes early"]
    assert [c.title for c in deliverer.to("climate")[0].answer.cards] == ["Harvest comes early"]
