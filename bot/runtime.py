"""Opening the pieces the commands share: settings -> catalogue (seeded on first run) -> engine."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.engine import Engine
from bot.ingest.seeds import ensure_seeded
from bot.nlp.model import MODEL_ENV, WORKERS_ENV
from bot.settings import Settings

log = logging.getLogger(__name__)


def apply_nlp_settings(settings: Settings) -> None:
    """Analysis reads the model name and pool size from the environment (workers are other
    processes), so the configured values are exported before any analysis starts."""
    os.environ[MODEL_ENV] = settings.nlp.model
    os.environ[WORKERS_ENV] = str(settings.nlp.workers)


@asynccontextmanager
async def open_engine(settings: Settings, *, seed: bool = True) -> AsyncIterator[Engine]:
    """The engine over the configured catalogue; a new, empty catalogue gets the seeds."""
    apply_nlp_settings(settings)
    catalogue: Catalogue = await open_catalogue(settings.database_url)
    try:
        if seed:
            report = await ensure_seeded(catalogue, settings.seeds_dir)
            if report is not None:
                log.info("first run: ingested the seed articles (%s added)", report.added)
        yield Engine(catalogue, settings.answers)
    finally:
        await catalogue.close()
