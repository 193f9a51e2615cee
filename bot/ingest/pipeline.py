"""Ingest files and folders: read (in a thread), skip what is stored unchanged, analyse the rest
(off the event loop, in batches), store. Bad input is reported, never fatal: a file or line
that cannot be read, analysed or stored is rejected with its reason and the rest goes on. Only a
database that cannot take writes at all (read-only, disk full) stops the ingest, once, with
SQLite's reason in ``IngestReport.stopped``.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from bot.catalogue.base import Catalogue, UpsertOutcome, UpsertResult, storage_failure
from bot.catalogue.identity import identity
from bot.ingest.readers import MAX_BYTES, Found, ReadResult, find_articles, read_found
from bot.models import Analysis, ArticleDraft
from bot.nlp.model import MAX_ANALYSED_CHARS
from bot.safevalues import UnsafeValueError, checked_text, utc_moment

log = logging.getLogger(__name__)

Analyser = Callable[[Sequence[ArticleDraft]], Awaitable[list[Analysis]]]
Progress = Callable[[int, int], None]
BATCH_SIZE = 64
Item = tuple[str, ArticleDraft]  # (where it came from, draft)
Pair = tuple[str, ArticleDraft, Analysis]


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: counts per outcome, every rejection with its reason, and notes on
    files whose id is not the one asked for (taken by another article, or a copy)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    stopped: str | None = None  # why the ingest stopped early (the database took no writes)
    not_read: int = 0  # files left unread because it stopped

    def count(self, outcome: UpsertOutcome) -> None:
        """Count one stored article."""
        if outcome is UpsertOutcome.ADDED:
            self.added += 1
        elif outcome is UpsertOutcome.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1

    def stored(self, where: str, draft: ArticleDraft, result: UpsertResult) -> None:
        """Count one stored draft and note when its id differs from the file's own."""
        self.count(result.outcome)
        wanted = draft.slug
        if not draft.origin or not wanted:
            return
        if result.duplicate:
            also = f"; its id is {result.alias}" if result.alias else ""
            if result.alias == wanted:
                also = f"; {wanted} finds it too"
            self.notes.append((where, f"same text as {result.slug}, stored once{also}"))
        elif result.outcome is UpsertOutcome.ADDED and result.slug != wanted:
            self.notes.append(
                (where, f"stored as {result.slug}: {wanted} already names another article")
            )

    def reject(self, where: str, reason: str) -> None:
        """Record something that was not ingested."""
        self.rejected.append((where, reason))


def default_analyser() -> Analyser:
    """``bot.nlp.analyse.analyse_many`` (a process pool), imported only when ingesting."""
    module = importlib.import_module("bot.nlp.analyse")
    return cast(Analyser, module.analyse_many)


async def ingest_paths(
    catalogue: Catalogue,
    paths: Sequence[Path | str],
    progress: Progress | None = None,
    *,
    analyser: Analyser | None = None,
    batch_size: int = BATCH_SIZE,
    max_bytes: int = MAX_BYTES,
) -> IngestReport:
    """Ingest every article file under ``paths``; ``progress(done, total)`` counts files."""
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
        try:
            await _ingest_items(catalogue, items, analyse, report)
        except _StoppedError as stop:
            report.stopped = _stopped_reason(catalogue, stop.reason)
            report.not_read = total - start - len(chunk)
            log.debug("ingest stopped: %s", report.stopped)  # the caller says it, once
            break
        if progress is not None:
            progress(start + len(chunk), total)
    return report


class _StoppedError(Exception):
    """The database cannot take writes: no later article could be stored either."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _stopped_reason(catalogue: Catalogue, detail: str) -> str:
    where = getattr(catalogue, "path", None)
    named = f"the database file {where}" if isinstance(where, str) else "the database"
    return f"cannot write to {named} ({detail})"


def _fatal(error: BaseException) -> None:
    """Raise ``_StoppedError`` when ``error`` means no write can succeed."""
    reason = storage_failure(error)
    if reason is not None:
        raise _StoppedError(reason) from error


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


def unsafe_reason(draft: ArticleDraft) -> str | None:
    """Why a draft cannot be stored or shown (a lone surrogate in its text, a date out of
    range), or None: checked before anything touches the database."""
    fields = {"title": draft.title, "slug": draft.slug, "url": draft.url,
              "source": draft.source, "byline": draft.byline, "file name": draft.origin}
    try:
        for what, text in [*fields.items(), *(("body", p) for p in draft.paragraphs)]:
            if text is not None:
                checked_text(text, what)
        if draft.published_at is not None:
            utc_moment(draft.published_at, "published_at")
    except UnsafeValueError as exc:
        return str(exc)
    return None


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
        if key in seen or await _known_hash(catalogue, draft) == draft.content_hash:
            report.count(UpsertOutcome.UNCHANGED)
            continue
        seen.add(key)
        fresh.append((where, draft))
    if fresh:
        pairs = await _analyse(fresh, analyse, report)
        await _store(catalogue, pairs, report)


async def _known_hash(catalogue: Catalogue, draft: ArticleDraft) -> str | None:
    try:
        return await catalogue.known_hash(draft)
    except Exception as exc:
        _fatal(exc)
        raise


async def _analyse(items: Sequence[Item], analyse: Analyser, report: IngestReport) -> list[Pair]:
    """Analyse a batch; if the batch fails, one by one so only the bad drafts are rejected."""
    items = _within_limit(items, report)
    try:
        analyses = await analyse([draft for _, draft in items])
        return [(w, d, a) for (w, d), a in zip(items, analyses, strict=True)]
    except Exception:
        log.exception("analysis of a batch failed; retrying one by one")
    pairs: list[Pair] = []
    for where, draft in items:
        try:
            pairs.append((where, draft, (await analyse([draft]))[0]))
        except Exception as exc:
            log.exception("analysis failed for %s", where)
            report.reject(where, f"analysis failed ({type(exc).__name__})")
    return pairs


def _within_limit(items: Sequence[Item], report: IngestReport) -> list[Item]:
    """The parser refuses texts over its length limit: say so plainly instead of failing."""
    kept = []
    for where, draft in items:
        size = len(draft.text)
        if size > MAX_ANALYSED_CHARS:
            report.reject(where, f"too long to analyse ({size:,} characters; the limit is "
                                 f"{MAX_ANALYSED_CHARS:,})")
        else:
            kept.append((where, draft))
    return kept


async def _store(catalogue: Catalogue, pairs: Sequence[Pair], report: IngestReport) -> None:
    """One transaction for the batch when the backend can; else (or on error) one by one."""
    upsert_many = getattr(catalogue, "upsert_many", None)
    if upsert_many is not None:
        try:
            results = cast(list[UpsertResult], await upsert_many([(d, a) for _, d, a in pairs]))
        except Exception as exc:
            _fatal(exc)
            log.exception("storing a batch failed; retrying one by one")
        else:
            for (where, draft, _), result in zip(pairs, results, strict=True):
                report.stored(where, draft, result)
            return
    for where, draft, analysis in pairs:
        try:
            report.stored(where, draft, await catalogue.upsert(draft, analysis))
        except Exception as exc:
            _fatal(exc)
            log.exception("storing %s failed", where)
            report.reject(where, f"could not be stored ({type(exc).__name__})")
