"""``VectorIndex``: the stored article vectors of one model as one in-memory matrix, searched by
brute-force cosine (a matrix-vector product; 100k x 384 float32 is 154 MB).

Loaded on the first question, off the event loop; before each question one small query checks
whether vectors were added (only those are read) or deleted (all are read again). A catalogue
without vectors answers ``[]`` without ever loading the model.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import numpy as np
import numpy.typing as npt

from bot.semantic.encoder import Matrix
from bot.semantic.files import ModelFilesError
from bot.semantic.model import SemanticModel
from bot.semantic.store import VectorStore

log = logging.getLogger(__name__)


class _Rows:
    """A growable float32 matrix with the article id of each row (room grows by a quarter)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.size = 0
        self._vectors: Matrix = np.empty((0, dim), dtype=np.float32)
        self._ids: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)

    def append(self, ids: npt.NDArray[np.int64], vectors: Matrix) -> None:
        end = self.size + len(ids)
        if end > len(self._ids):
            capacity = max(end, len(self._ids) * 5 // 4, 1024)  # +25%: 100k rows are 154 MB
            grown = np.empty((capacity, self.dim), dtype=np.float32)
            grown[: self.size] = self._vectors[: self.size]
            grown_ids = np.empty(capacity, dtype=np.int64)
            grown_ids[: self.size] = self._ids[: self.size]
            self._vectors, self._ids = grown, grown_ids
        self._vectors[self.size : end] = vectors
        self._ids[self.size : end] = ids
        self.size = end

    def top(self, query: Matrix, k: int) -> list[tuple[int, float]]:
        """The ``k`` rows most similar to the unit vector ``query``, best first."""
        size = self.size  # read first: ``append`` stores its arrays before the new size
        vectors, ids = self._vectors, self._ids
        if size == 0 or k <= 0:
            return []
        scores = vectors[:size] @ query
        k = min(k, size)
        best = np.argpartition(-scores, k - 1)[:k] if k < size else np.arange(size)
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(ids[i]), float(scores[i])) for i in best]


class VectorIndex:
    """A ``SemanticIndex`` over the vectors ``store`` holds for ``model``."""

    def __init__(self, store: VectorStore, model: SemanticModel) -> None:
        """Nothing is read until the first ``nearest``."""
        self.store = store
        self.model = model
        self._rows: _Rows | None = None
        self._seen: tuple[int, int] | None = None  # (last rowid read, deletion count)
        self.broken: str | None = None  # why the model could not be used, once it failed
        self._lock = threading.Lock()  # one refresh at a time; searches share the matrix

    async def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (article id, cosine) pairs for the stored articles nearest ``text``."""
        if k <= 0 or not text.strip() or self.broken is not None:
            return []
        try:
            return await asyncio.to_thread(self._nearest, text, k)
        except ModelFilesError as exc:
            # A model that cannot be read will not heal by itself: say so once, and answer by
            # words alone from now on rather than fail every question.
            self.broken = str(exc)
            log.error("semantic matching is off until restart: %s", exc)
            return []

    def _nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        """Refresh, embed, search: one worker-thread call, so one hop off the loop."""
        with self._lock:
            rows = self._refresh()
        if rows.size == 0:
            return []
        query = self.model.encoder_now().encode([text])[0]
        return rows.top(query, k)

    async def refresh(self) -> int:
        """Read new vectors now (a warm-up); how many the index holds."""
        def locked() -> int:
            with self._lock:
                return self._refresh().size

        return await asyncio.to_thread(locked)

    async def warm(self) -> None:
        """Load the vectors and, if there are any, the model, so a long-running bot's first
        question is as fast as the rest."""
        try:
            if await self.refresh():
                await asyncio.to_thread(self.model.encoder_now)
        except ModelFilesError as exc:
            self.broken = str(exc)
            log.error("semantic matching is off until restart: %s", exc)

    def close(self) -> None:
        """Release the store's connection and the matrix."""
        with self._lock:
            self.store.close()
            self._rows, self._seen = None, None

    def _refresh(self) -> _Rows:
        """Bring the matrix up to date with the store (worker thread, under the lock)."""
        state = self.store.state()
        if self._rows is not None and state == self._seen:
            return self._rows
        if state[0] == 0:  # no vectors at all: the model need not even be opened
            self._rows, self._seen = _Rows(0), state
            return self._rows
        dim = self.model.dim()
        rows, seen = self._rows, self._seen
        if rows is None or seen is None or rows.dim != dim or state[1] != seen[1]:
            rows, after = _Rows(dim), 0  # first load, or vectors deleted: read them all
        else:
            after = seen[0]
        loaded = self.store.load(self.model.name, dim, after)
        if len(loaded.ids):
            rows.append(loaded.ids, loaded.vectors)
        self._rows, self._seen = rows, (loaded.last_rowid, loaded.deletions)
        log.debug("semantic index: %d vectors of %s", rows.size, self.model.name)
        return rows
