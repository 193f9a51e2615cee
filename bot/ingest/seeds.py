"""The demo seed articles shipped in the package (``bot/seeds``): the default catalogue of a
new install when ``[catalogue] seed_demo`` is on. ``published.toml`` beside them lists the seed
files with their real publication dates, so the demo stories sink below fresh news."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.catalogue.base import Catalogue
from bot.ingest.pipeline import ingest_paths
from bot.ingest.store import Analyser, IngestReport

log = logging.getLogger(__name__)

MANIFEST = "published.toml"


@dataclass(frozen=True, slots=True)
class Seed:
    """A seed file and its publication date (None: the file's own, else the time stored)."""

    path: Path
    published_at: datetime | None


def default_seeds_dir() -> Path:
    """The seed articles shipped as package data (``bot/seeds``), found in a wheel install
    as in a checkout."""
    return Path(__file__).resolve().parents[1] / "seeds"


def seeds_in(folder: Path) -> list[Seed]:
    """The files ``folder``'s manifest lists, with their dates; a folder without a manifest
    (a ``seeds_dir`` of the operator's own) is ingested whole, undated; none when the folder
    is missing."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return [Seed(folder, None)] if folder.is_dir() and any(folder.iterdir()) else []
    try:
        listed = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("the seed list %s cannot be read (%s): no seeds stored", manifest, exc)
        return []
    seeds = []
    for name, meta in sorted(listed.items()):
        when = meta.get("published_at") if isinstance(meta, dict) else None
        if isinstance(when, datetime):
            when = when if when.tzinfo else when.replace(tzinfo=UTC)
        seeds.append(Seed(folder / name, when if isinstance(when, datetime) else None))
    return seeds


async def ensure_seeded(
    catalogue: Catalogue, seeds_dir: Path | None = None, *, analyser: Analyser | None = None
) -> IngestReport | None:
    """Ingest the seeds into a catalogue that is empty and was never seeded; None when there
    was nothing to do. A catalogue whose stories were all removed is not seeded again."""
    if await catalogue.count() > 0 or await catalogue.was_seeded():
        return None
    folder = seeds_dir or default_seeds_dir()
    seeds = seeds_in(folder)
    if not seeds:
        log.debug("no seed articles in %s", folder)
        return None
    report = IngestReport()
    for seed in seeds:
        part = await ingest_paths(catalogue, [seed.path], analyser=analyser,
                                  undated=seed.published_at)
        report.merge(part)
        for where, reason in part.rejected:
            log.warning("seed %s not stored: %s", where, reason)
        if part.stopped:
            log.warning("the seed articles were not stored: %s", part.stopped)
            return report
    if report.added or report.unchanged:
        await catalogue.mark_seeded()
    return report
