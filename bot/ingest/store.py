"""The one way drafts become stored articles, for files (``bot.ingest.pipeline``) and feeds
(``bot.feeds.service``) alike: check each draft (unsafe text, a date out of range, too long to
analyse), analyse the batch off the event loop, store it in one transaction.

A draft that fails costs only itself: a failed batch is analysed or stored again one by one,
and only the bad drafts are rejected, each with its reason. A database that cannot take writes
at all (read-only, disk full) is different: no later draft could be stored either, so
``store_drafts`` raises ``StorageStoppedError`` with SQLite's own words, once.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

from bot.catalogue.base import Catalogue, UpsertOutcome, UpsertResult, storage_failure
from bot.models import Analysis, ArticleDraft
from bot.nlp.model import MAX_ANALYSED_CHARS
from bot.safevalues import UnsafeValueError, checked_text, utc_moment

log = logging.getLogger(__name__)

Analyser = Callable[[Sequence[ArticleDraft]], Awaitable[list[Analysis]]]
T = TypeVar("T")


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

    def merge(self, other: IngestReport) -> None:
        """Add what another ingest did to this report."""
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.notes += other.notes
        self.stopped = self.stopped or other.stopped
        self.not_read += other.not_read


@dataclass(frozen=True, slots=True)
class Draft(Generic[T]):
    """One draft to store: where it came from (as a rejection names it) and the caller's own
    handle on it (a feed entry; None for a file), given back with its result."""

    where: str
    draft: ArticleDraft
    tag: T


class StorageStoppedError(Exception):
    """The database cannot take writes: no later article could be stored either. ``reason``
    is a sentence for the user naming the database and SQLite's reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def default_analyser() -> Analyser:
    """``bot.nlp.analyse.analyse_many`` (a process pool), imported only when ingesting."""
    module = importlib.import_module("bot.nlp.analyse")
    return cast(Analyser, module.analyse_many)


def stop_if_fatal(catalogue: Catalogue, error: BaseException) -> None:
    """Raise ``StorageStoppedError`` when ``error`` means no write can succeed."""
    reason = storage_failure(error)
    if reason is not None:
        raise StorageStoppedError(f"cannot write to {catalogue.location} ({reason})") from error


async def known_hash(catalogue: Catalogue, draft: ArticleDraft) -> str | None:
    """The stored content hash for ``draft``'s identity (None: not stored), so unchanged
    drafts skip analysis; ``StorageStoppedError`` when the database cannot be read at all."""
    try:
        return await catalogue.known_hash(draft)
    except Exception as exc:
        stop_if_fatal(catalogue, exc)
        raise


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


def too_long(draft: ArticleDraft) -> str | None:
    """The parser refuses texts over its length limit: say so plainly instead of failing."""
    size = len(draft.text)
    if size > MAX_ANALYSED_CHARS:
        return f"too long to analyse ({size:,} characters; the limit is {MAX_ANALYSED_CHARS:,})"
    return None


async def store_drafts(catalogue: Catalogue, items: Sequence[Draft[T]], analyse: Analyser,
                       report: IngestReport) -> list[tuple[Draft[T], UpsertResult]]:
    """Check, analyse and store ``items`` (the caller has skipped those stored unchanged);
    the stored ones with their results, in order. Rejections go to ``report``; counting the
    results is the caller's (files note changed ids, feeds remember entries)."""
    kept = []
    for item in items:
        problem = unsafe_reason(item.draft) or too_long(item.draft)
        if problem is not None:
            report.reject(item.where, problem)
        else:
            kept.append(item)
    return await _stored(catalogue, await _analysed(kept, analyse, report), report)


async def _analysed(items: Sequence[Draft[T]], analyse: Analyser, report: IngestReport
                    ) -> list[tuple[Draft[T], Analysis]]:
    """Analyse a batch; if the batch fails, one by one so only the bad drafts are rejected."""
    if not items:
        return []
    try:
        analyses = await analyse([item.draft for item in items])
        return list(zip(items, analyses, strict=True))
    except Exception:
        log.exception("analysis of a batch failed; retrying one by one")
    pairs: list[tuple[Draft[T], Analysis]] = []
    for item in items:
        try:
            pairs.append((item, (await analyse([item.draft]))[0]))
        except Exception as exc:
            log.exception("analysis failed for %s", item.where)
            report.reject(item.where, f"analysis failed ({type(exc).__name__})")
    return pairs


async def _stored(catalogue: Catalogue, pairs: Sequence[tuple[Draft[T], Analysis]],
                  report: IngestReport) -> list[tuple[Draft[T], UpsertResult]]:
    """One transaction for the batch; on error one by one, each article in its own
    transaction, so a bad one never leaves another half-written."""
    if not pairs:
        return []
    try:
        results = await catalogue.upsert_many([(item.draft, a) for item, a in pairs])
        return list(zip([item for item, _ in pairs], results, strict=True))
    except Exception as exc:
        stop_if_fatal(catalogue, exc)
        log.exception("storing a batch failed; retrying one by one")
    done: list[tuple[Draft[T], UpsertResult]] = []
    for item, analysis in pairs:
        try:
            done.append((item, await catalogue.upsert(item.draft, analysis)))
        except Exception as exc:
            stop_if_fatal(catalogue, exc)
            log.exception("storing %s failed", item.where)
            report.reject(item.where, f"could not be stored ({type(exc).__name__})")
    return done
