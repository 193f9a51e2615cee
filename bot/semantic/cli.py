"""``newsbot index``: give every stored article its vector for the configured model (the
backfill for catalogues built before semantic matching, or after changing ``search.model``).
``bot/cli.py`` calls ``add_index_parser`` and dispatches ``index`` to ``cmd_index``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from bot.catalogue.open import open_catalogue
from bot.settings import Settings


def add_index_parser(subparsers: Any) -> None:
    """Add ``index`` to the top-level ``newsbot`` subparsers."""
    subparsers.add_parser(
        "index", help="embed every stored article that has no vector for the current model "
        "(semantic matching); running it again does nothing")


class _Counter:
    """Progress on standard error: a line every few seconds (and at the end)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.shown < 2.0:
            return
        self.shown = now
        rate = done / max(now - self.started, 1e-9)
        sys.stderr.write(f"embedded {done}/{total} ({rate:.1f} articles/s)\n")
        sys.stderr.flush()


async def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """Embed the articles lacking a vector; print how many, for which model."""
    from bot.semantic.backfill import embed_missing
    from bot.semantic.setup import semantic_model, vector_store

    if not settings.search.semantic:
        sys.stdout.write("semantic matching is off (search.semantic = false): nothing to index\n")
        return 1
    catalogue = await open_catalogue(settings.database_url)  # creates or migrates the schema
    try:
        store, model = vector_store(settings), semantic_model(settings)
        if store is None or model is None:
            sys.stderr.write("newsbot: no vectors to keep: the embedding model is missing (see "
                             "the log) or the catalogue is in memory\n")
            return 2
        try:
            before = await asyncio.to_thread(store.count_missing, model.name)
            stored = await embed_missing(store, model, progress=_Counter())
            total = await catalogue.count()
        finally:
            store.close()
    finally:
        await catalogue.close()
    sys.stdout.write(f"model {model.name}: embedded {stored} articles; {total - before} already "
                     f"had vectors; {before - stored} left (changed or removed meanwhile)\n")
    return 0
