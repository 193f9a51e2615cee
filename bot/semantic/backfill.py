"""Embedding stored articles that have no vector for the current model: the ``newsbot index``
backfill, and the upkeep that follows ingestion in the background.

Every step that computes or touches SQLite runs in a worker thread, one batch at a time, so
the event loop stays free and a shutdown waits for one batch at most.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.semantic.model import SemanticModel
from bot.semantic.store import VectorStore

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
BATCH = 64


async def embed_missing(store: VectorStore, model: SemanticModel,
                        progress: Progress | None = None, batch: int = BATCH) -> int:
    """Embed every article lacking a vector for ``model``; how many vectors were stored.
    ``progress(done, total)`` follows each batch. Running it again stores nothing."""
    total = await asyncio.to_thread(store.count_missing, model.name)
    if total == 0:
        return 0
    encoder = await model.encoder()
    stored, after = 0, 0
    while True:
        items = await asyncio.to_thread(store.missing, model.name, after, batch)
        if not items:
            break
        vectors = await asyncio.to_thread(encoder.encode, [item.text for item in items])
        stored += await asyncio.to_thread(store.save, model.name, items, vectors)
        after = items[-1].article_id
        if progress is not None:
            progress(min(stored, total), total)
    return stored


class VectorUpkeep:
    """Embeds new articles in the background while ingestion continues: ``kick()`` after
    storing a batch (analysis of the next batch overlaps the embedding of this one), then
    ``drain()`` before exiting."""

    def __init__(self, store: VectorStore, model: SemanticModel) -> None:
        """Nothing runs until the first ``kick``."""
        self.store = store
        self.model = model
        self.stored = 0
        self._wanted = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def kick(self, *_: object) -> None:
        """New articles may be stored: embed them soon (fits a ``progress`` callback)."""
        self._wanted.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._wanted.is_set():
            self._wanted.clear()
            try:
                self.stored += await embed_missing(self.store, self.model)
            except Exception:  # a failed pass is retried at the next kick or by the backfill
                log.exception("embedding new articles failed")
                return

    async def every(self, seconds: float) -> None:
        """Kick now and then every ``seconds``, until cancelled: for a long-running bot whose
        feeds store articles as they come (a pass that finds nothing costs one query)."""
        while True:
            self.kick()
            await asyncio.sleep(seconds)

    async def drain(self) -> int:
        """Wait until every kick so far is served; vectors stored in all."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)
        return self.stored

    async def close(self) -> None:
        """Stop: let the batch in hand finish (it is in a thread), drop the rest."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._task = None
