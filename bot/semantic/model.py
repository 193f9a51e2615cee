"""The configured embedding model, loaded once per process, on first use, in a worker thread.

Answering never pays for the model until a question needs a vector, and a process that holds
both an index and an ingestion (``newsbot run``) shares one copy of the weights.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Sequence
from pathlib import Path

from bot.semantic.blas import limit_blas_threads
from bot.semantic.encoder import Encoder, Matrix
from bot.semantic.files import ModelSource

_LOADED: dict[tuple[Path, Path | None], Encoder] = {}
_LOCK = threading.Lock()


def load_encoder(source: ModelSource, cache_dir: Path | None = None) -> Encoder:
    """The encoder for ``source``, read once per process (blocking: call it in a thread)."""
    key = (source.path, cache_dir)
    with _LOCK:
        if key not in _LOADED:
            limit_blas_threads(1)
            _LOADED[key] = Encoder(source, cache_dir)
        return _LOADED[key]


class SemanticModel:
    """A model named by the settings; ``name`` keys its vectors without loading anything."""

    def __init__(self, source: ModelSource, cache_dir: Path | None = None) -> None:
        """Remember where the model is; nothing is read until ``encoder`` is awaited."""
        self.source = source
        self.cache_dir = cache_dir
        self.name = source.name
        self._dim: int | None = None

    def dim(self) -> int:
        """The vectors' width, from the model's config.json (small: the weights stay unread)."""
        if self._dim is None:
            self._dim = int(json.loads(self.source.read("config.json"))["hidden_size"])
        return self._dim

    def encoder_now(self) -> Encoder:
        """The loaded encoder (blocking: worker threads only)."""
        return load_encoder(self.source, self.cache_dir)

    async def encoder(self) -> Encoder:
        """The loaded encoder; the first call reads the model in a worker thread."""
        return await asyncio.to_thread(self.encoder_now)

    async def encode(self, texts: Sequence[str]) -> Matrix:
        """Unit vectors for ``texts``, computed in a worker thread."""
        return await asyncio.to_thread(lambda: self.encoder_now().encode(texts))
