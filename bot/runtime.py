"""Opening the pieces the commands share: settings -> catalogue (seeded on first run) -> engine."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.engine import Engine
from bot.ingest.seeds import ensure_seeded
from bot.nlp.model import MODEL_ENV, WORKERS_ENV
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.semantic.backfill import VectorUpkeep
    from bot.semantic.index import VectorIndex

log = logging.getLogger(__name__)
VECTOR_UPKEEP_SECONDS = 60.0  # newsbot run: how often new articles are looked for


def apply_nlp_settings(settings: Settings) -> None:
    """Analysis reads the model name and pool size from the environment (workers are other
    processes), so the configured values are exported before any analysis starts."""
    os.environ[MODEL_ENV] = settings.nlp.model
    os.environ[WORKERS_ENV] = str(settings.nlp.workers)


@asynccontextmanager
async def open_engine(settings: Settings, *, seed: bool = True,
                      warm: bool = False) -> AsyncIterator[Engine]:
    """The engine over the configured catalogue; a new, empty catalogue gets the seeds (and
    their vectors). With ``search.semantic`` on, the engine also finds stories by meaning;
    ``warm`` (long-running commands) loads the vectors and the model in the background now
    rather than at the first question."""
    apply_nlp_settings(settings)
    catalogue: Catalogue = await open_catalogue(settings.database_url)
    index, warming = None, None
    try:
        if seed:
            report = await ensure_seeded(catalogue, settings.seeds_dir)
            if report is not None:
                log.info("first run: ingested the seed articles (%s added)", report.added)
                await embed_new_articles(settings)
        index = _semantic_index(settings)
        if index is not None and warm:
            warming = asyncio.get_running_loop().create_task(index.warm())
        yield Engine(catalogue, settings.answers, semantic=index)
    finally:
        if warming is not None:  # its thread finishes anyway: wait rather than orphan it
            await asyncio.gather(warming, return_exceptions=True)
        if index is not None:
            index.close()
        await catalogue.close()


def _semantic_index(settings: Settings) -> VectorIndex | None:
    """Imported only when on: numpy and the model code are not every command's business."""
    if not settings.search.semantic:
        return None
    from bot.semantic.setup import semantic_index

    return semantic_index(settings)


async def embed_new_articles(settings: Settings) -> int:
    """Give articles stored without a vector theirs (after seeding; ``newsbot index`` is the
    same for a whole catalogue). Vectors stored; 0 when semantic matching is off."""
    async with embedding_new_articles(settings) as kick:
        kick()
    return 0 if kick.upkeep is None else kick.upkeep.stored


class _Kick:
    """Calling it says "articles were stored": their vectors are computed in the background."""

    def __init__(self, upkeep: VectorUpkeep | None) -> None:
        self.upkeep = upkeep

    def __call__(self, *_: object) -> None:
        if self.upkeep is not None:
            self.upkeep.kick()


@asynccontextmanager
async def embedding_new_articles(settings: Settings,
                                 every: float | None = None) -> AsyncIterator[_Kick]:
    """For ingestion: call the yielded ``kick`` after each stored batch; the batch is embedded
    while the next one is analysed, and leaving waits for the last. With ``every`` (seconds)
    it also looks for articles without vectors on its own (``newsbot run``: feeds store
    articles at any time). A no-op when semantic matching is off."""
    if not settings.search.semantic:
        yield _Kick(None)
        return
    from bot.semantic.setup import vector_upkeep

    async with vector_upkeep(settings, drain=every is None) as upkeep:
        ticker = None
        if upkeep is not None and every is not None:
            ticker = asyncio.get_running_loop().create_task(upkeep.every(every))
        try:
            yield _Kick(upkeep)
        finally:
            if ticker is not None:
                ticker.cancel()
                await asyncio.gather(ticker, return_exceptions=True)
