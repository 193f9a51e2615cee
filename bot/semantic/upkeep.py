"""Semantic matching in the bot's lifecycle: the index the engine consults, and the upkeep
that gives newly stored articles their vectors. Nothing here imports numpy or the model code
until semantic matching is on: they are not every command's business.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.semantic.backfill import VectorUpkeep
    from bot.semantic.index import VectorIndex

VECTOR_UPKEEP_SECONDS = 60.0  # newsbot run: how often new articles are looked for


def semantic_index(settings: Settings) -> VectorIndex | None:
    """Imported only when on: numpy and the model code are not every command's business."""
    if not settings.search.semantic:
        return None
    from bot.semantic import setup

    return setup.semantic_index(settings)


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
