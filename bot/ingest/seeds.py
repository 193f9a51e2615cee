"""The seed articles shipped with newsbot: the default catalogue of a fresh install."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.catalogue.base import Catalogue
from bot.ingest.pipeline import ingest_paths
from bot.ingest.store import Analyser, IngestReport

log = logging.getLogger(__name__)


def default_seeds_dir() -> Path:
    """The repository's ``seeds/`` folder, next to the ``bot`` package."""
    return Path(__file__).resolve().parents[2] / "seeds"


async def ensure_seeded(
    catalogue: Catalogue, seeds_dir: Path | None = None, *, analyser: Analyser | None = None
) -> IngestReport | None:
    """Ingest the seeds when the catalogue is empty; None when it already holds articles."""
    if await catalogue.count() > 0:
        return None
    report = await ingest_paths(catalogue, [seeds_dir or default_seeds_dir()], analyser=analyser)
    if report.stopped:
        log.warning("the seed articles were not stored: %s", report.stopped)
    return report
