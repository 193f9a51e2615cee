"""Ingest files and folders: read (in a thread), skip what is stored unchanged, then check,
analyse (off the event loop, in batches) and store the rest through ``bot.ingest.store``, the
path feeds take too. Bad input is reported, never fatal: a file or line
that cannot be read, analysed or stored is rejected with its reason and the rest goes on. Only a
database that cannot take writes at all (read-only, disk full) stops the ingest, once, with
SQLite's reason in ``IngestReport.stopped``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bot.catalogue.base import Catalogue, UpsertOutcome
from bot.catalogue.identity import identity
from bot.ingest.readers import MAX_BYTES, Found, ReadResult, find_articles, read_found
from bot.ingest.store import (
    Analyser,
    Draft,
    IngestReport,
    StorageStoppedError,
    default_analyser,
    known_hash,
    store_drafts,
    unsafe_reason,
)
from bot.models import Analysis, ArticleDraft

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
BATCH_SIZE = 64
Item = tuple[str, ArticleDraft]  # (where it came from, draft)


async def ingest_paths(
    catalogue: Catalogue,
    paths: Sequence[Path | str],
    progress: Progress | None = None,
    *,
    analyser: Analyser | None = None,
    batch_size: int = BATCH_SIZE,
    max_bytes: int = MAX_BYTES,
    undated: datetime | None = None,
) -> IngestReport:
    """Ingest every article file under ``paths``; ``progress(done, total)`` counts files.
    ``undated``: the publication date of drafts that carry none (a seed's real date)."""
    found, skipped = await asyncio.to_thread(find_articles, [Path(p) for p in paths])
    report = IngestReport()
    for rejection in skipped:
        report.reject(rejection.where, rejection.reason)
    analyse = analyser or _lazy_default()
    total = len(found)
    if progress is not None:
        progress(0, total)
    for start in range(0, total, max(1, batch_size)):
        chunk = found[start : start + max(1, batch_size)]
        items = await asyncio.to_thread(_read_chunk, chunk, max_bytes, report)
        if undated is not None:
            items = [(where, _dated(draft, undated)) for where, draft in items]
        try:
            await _ingest_items(catalogue, items, analyse, report)
        except StorageStoppedError as stop:
            report.stopped = stop.reason
            report.not_read = total - start - len(chunk)
            log.debug("ingest stopped: %s", report.stopped)  # the caller says it, once
            break
        if progress is not None:
            progress(start + len(chunk), total)
    return report


def _dated(draft: ArticleDraft, when: datetime) -> ArticleDraft:
    return draft if draft.published_at is not None else replace(draft, published_at=when)


def _lazy_default() -> Analyser:
    loaded: list[Analyser] = []

    async def analyse(drafts: Sequence[ArticleDraft]) -> list[Analysis]:
        if not loaded:
            loaded.append(default_analyser())
        return await loaded[0](drafts)

    return analyse


def _read_chunk(chunk: Sequence[Found], max_bytes: int, report: IngestReport) -> list[Item]:
    items: list[Item] = []
    for found in chunk:
        try:
            result: ReadResult = read_found(found, max_bytes)
        except Exception as exc:  # a reader bug must cost this file only, never the ingest
            log.exception("reading %s failed", found.where)
            report.reject(found.where, f"could not be read ({type(exc).__name__})")
            continue
        items += [(found.where, draft) for draft in result.drafts]
        for rejection in result.rejected:
            report.reject(rejection.where, rejection.reason)
    return items


async def _ingest_items(
    catalogue: Catalogue, items: Sequence[Item], analyse: Analyser, report: IngestReport
) -> None:
    """Skip stored-unchanged drafts and in-batch repeats, analyse the rest, store them."""
    fresh: list[Item] = []
    seen: set[tuple[str, str]] = set()
    for where, draft in items:
        problem = unsafe_reason(draft)
        if problem is not None:
            report.reject(where, problem)
            continue
        key = (identity(draft), draft.content_hash)
        if key in seen or await known_hash(catalogue, draft) == draft.content_hash:
            report.count(UpsertOutcome.UNCHANGED)
            continue
        seen.add(key)
        fresh.append((where, draft))
    drafts = [Draft(where, draft, None) for where, draft in fresh]
    for item, result in await store_drafts(catalogue, drafts, analyse, report):
        report.stored(item.where, item.draft, result)
