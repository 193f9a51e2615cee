"""Building the semantic parts from the settings: the model, the vector store, the index and
the ingestion upkeep. A model that cannot be found turns semantic matching off with a logged
reason; it never stops the bot from answering by words.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.catalogue.open import vector_store_at
from bot.semantic.backfill import VectorUpkeep
from bot.semantic.files import ModelFilesError, model_source
from bot.semantic.index import VectorIndex
from bot.semantic.model import SemanticModel
from bot.semantic.store import VectorStore
from bot.settings import Settings

log = logging.getLogger(__name__)


def semantic_model(settings: Settings) -> SemanticModel | None:
    """The configured model (not loaded), or None when it cannot be found."""
    try:
        return SemanticModel(model_source(settings.search.model), settings.search.cache_dir)
    except ModelFilesError as exc:
        log.warning("semantic matching is off: %s", exc)
        return None


def vector_store(settings: Settings) -> VectorStore | None:
    """The vectors beside the catalogue; None for an in-memory catalogue (another connection
    would see another, empty database)."""
    return vector_store_at(settings.database_url)


def semantic_parts(settings: Settings) -> tuple[VectorStore, SemanticModel] | None:
    """Store and model when semantic matching is on and usable, else None."""
    if not settings.search.semantic:
        return None
    store = vector_store(settings)
    model = semantic_model(settings) if store is not None else None
    if store is None or model is None:
        return None
    return store, model


def semantic_index(settings: Settings) -> VectorIndex | None:
    """The index the engine consults, or None (stories are then found by words alone)."""
    parts = semantic_parts(settings)
    return VectorIndex(*parts) if parts is not None else None


@asynccontextmanager
async def vector_upkeep(settings: Settings,
                        drain: bool = True) -> AsyncIterator[VectorUpkeep | None]:
    """Background embedding of newly stored articles. With ``drain`` leaving waits for it, so
    a finished ``newsbot ingest`` leaves every article with its vector; without, leaving
    stops after the batch in hand (a bot shutting down; the rest is done next time)."""
    parts = semantic_parts(settings)
    if parts is None:
        yield None
        return
    upkeep = VectorUpkeep(*parts)
    try:
        yield upkeep
        if drain:
            await upkeep.drain()
    finally:
        await upkeep.close()
        parts[0].close()
