"""Polling a feed: fetch (conditional GET) -> parse -> new or changed entries -> article pages
where the feed has only an excerpt -> analyse (off the event loop) -> store.

Whether an answer comes from the full article or the feed's excerpt is carried by the existing
``ArticleKind``: a feed excerpt is stored as a ``TEASER`` (answers already say "only a teaser is
stored"), the article page's text or a full-content feed entry as ``FULL``; a later full
version of the same URL replaces the teaser in place (same article id, so digests never post it
twice). ``feed_entries`` also records it per feed entry.

Nothing is half-written: each article is stored in one catalogue transaction, entries are
remembered only once stored, and the feed's validators (ETag, Last-Modified) are saved only
when every entry went in, so a failed entry is retried by the next full poll instead of being
hidden behind a 304.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from bot.admin import AdminReports
from bot.catalogue.base import Catalogue, UpsertOutcome
from bot.catalogue.identity import identity
from bot.catalogue.open import mask_url
from bot.feeds.entries import Item, entry_draft, entry_slug
from bot.feeds.failures import REPORT_AFTER, FailureReports
from bot.feeds.fetch import Fetcher, FetchError, FetchResult
from bot.feeds.guard import client_host
from bot.feeds.offloop import off_loop
from bot.feeds.pages import PageText, decode_page, extract_page_async
from bot.feeds.parse import FeedEntry, FeedParseError, NotAFeedError, ParsedFeed, parse_feed
from bot.feeds.report import PollReport
from bot.feeds.store import Feed, FeedStore, FullText, SeenEntry
from bot.ingest.store import (
    Analyser,
    Draft,
    StorageStoppedError,
    default_analyser,
    known_hash,
    stop_if_fatal,
    store_drafts,
)
from bot.models import ArticleDraft, ArticleKind

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
BATCH_SIZE = 64  # entries analysed and stored together


def utc_now() -> datetime:
    """The real clock (aware UTC)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a batch of entries comes from: the feed's URL and title, and the page mode."""

    url: str
    title: str
    mode: FullText
    allow_private: bool | None = None  # None: the fetch policy decides

    def trust_for(self, link: str) -> bool | None:
        """Whether an entry's page may be on a private address: the operator vouched for the
        feed's own host, not for every host a (third-party) feed document links to, so a link
        elsewhere is left to the fetch policy."""
        if not self.allow_private:
            return self.allow_private
        try:
            same = client_host(link) == client_host(self.url)
        except ValueError:
            return None
        return True if same else None


class FeedService:
    """Polls feeds into the catalogue and keeps their health."""

    def __init__(self, store: FeedStore, catalogue: Catalogue, fetcher: Fetcher, *,
                 analyser: Analyser | None = None, clock: Clock = utc_now,
                 admins: AdminReports | None = None, report_after: timedelta = REPORT_AFTER,
                 page_concurrency: int = 8) -> None:
        """``analyser``: defaults to the real analysis (a process pool, loaded on first use);
        ``admins`` (the admin channel) hears about feeds failing for ``report_after``."""
        self.store = store
        self.catalogue = catalogue
        self.fetcher = fetcher
        self._analyser = analyser
        self.clock = clock
        self._failures = FailureReports(store, admins=admins, report_after=report_after)
        self._pages = asyncio.Semaphore(max(1, page_concurrency))
        self._polling: dict[int, asyncio.Lock] = {}

    def _analyse(self) -> Analyser:
        if self._analyser is None:
            self._analyser = default_analyser()
        return self._analyser

    async def poll(self, feed_id: int) -> PollReport:
        """Poll one feed now (a poll already running for it is waited for, not doubled)."""
        lock = self._polling.setdefault(feed_id, asyncio.Lock())
        async with lock:
            feed = await self.store.get(feed_id)
            if feed is None:
                return PollReport(url="", feed_id=feed_id, error=f"no feed #{feed_id}")
            return await self._poll(feed)

    async def _poll(self, feed: Feed) -> PollReport:
        report = PollReport(url=feed.url, feed_id=feed.id)
        try:
            return await self._poll_once(feed, report)
        except StorageStoppedError as stop:
            # The database takes no writes (read-only, full): the feed's health cannot be
            # recorded either, and the next poll finds the entries still new.
            log.warning("feed #%s: %s", feed.id, stop.reason)
            return _stopped(report, stop)
        except Exception as exc:
            # A bug or a storage failure must still show in the feed's health, not only in
            # the log; the details (which may hold URLs) stay in the log.
            log.exception("feed #%s poll failed unexpectedly", feed.id)
            return await self._failed(feed, report, f"unexpected error ({type(exc).__name__})")

    async def _poll_once(self, feed: Feed, report: PollReport) -> PollReport:
        try:
            result = await self.fetcher.fetch(feed.url, etag=feed.etag,
                                              last_modified=feed.last_modified,
                                              accept=FEED_ACCEPT,
                                              allow_private=_trust(feed.private_ok))
            if result.not_modified:
                report.not_modified = True
                await self.store.record_not_modified(
                    feed.id, self.clock(), etag=result.etag or feed.etag,
                    last_modified=result.last_modified or feed.last_modified)
                return report
            parsed = await off_loop(parse_feed, result.body, result.url,
                                    result.content_type, result.charset)
        except (FetchError, FeedParseError) as exc:
            reason = exc.reason if not isinstance(exc, NotAFeedError) else (
                f"not a feed: {exc.reason}")
            return await self._failed(feed, report, reason)
        await self._ingest_feed(feed, parsed, result, report)
        return report

    async def _ingest_feed(self, feed: Feed, parsed: ParsedFeed, result: FetchResult,
                           report: PollReport) -> None:
        seen = await self.store.seen(feed.id)
        origin = _Origin(feed.url, parsed.title, feed.full_text, _trust(feed.private_ok))
        stored = await self._ingest_entries(parsed, origin, report, seen)
        await self.store.remember(feed.id, stored, self.clock())
        complete = len(stored) == report.fresh
        rejected = "; ".join(f"{w}: {r}" for w, r in report.ingest.rejected)[:1000] or None
        await self.store.record_success(
            feed.id, self.clock(),
            # Keep the old validators when an entry failed: the next poll must re-read it.
            etag=result.etag if complete else feed.etag,
            last_modified=result.last_modified if complete else feed.last_modified,
            title=parsed.title, rejected=rejected,
            stored=report.ingest.added + report.ingest.updated)

    async def _ingest_entries(self, parsed: ParsedFeed, origin: _Origin, report: PollReport,
                              seen: Mapping[str, SeenEntry]) -> list[SeenEntry]:
        """Turn new or changed entries into articles; returns the entries now stored."""
        report.entries = len(parsed.entries) + len(parsed.rejected)
        for where, reason in parsed.rejected:
            report.ingest.reject(where, reason)
        fresh = [e for e in parsed.entries
                 if (old := seen.get(e.key)) is None or old.fingerprint != e.fingerprint]
        report.fresh = len(fresh)
        batches = [fresh[i:i + BATCH_SIZE] for i in range(0, len(fresh), BATCH_SIZE)]
        stored: list[SeenEntry] = []
        # Pipelined: the next batch's pages are fetched and read while this one is analysed
        # (in other processes) and stored.
        ahead = self._prepare(batches, 0, origin, report)
        try:
            for index in range(len(batches)):
                items = await ahead if ahead is not None else []
                ahead = self._prepare(batches, index + 1, origin, report)
                stored += await self._store_items(items, report, seen)
        finally:
            if ahead is not None:
                ahead.cancel()
        return stored

    def _prepare(self, batches: Sequence[Sequence[FeedEntry]], index: int, origin: _Origin,
                 report: PollReport) -> asyncio.Future[list[Item]] | None:
        if index >= len(batches):
            return None
        return asyncio.ensure_future(self._items(batches[index], origin, report))

    async def _items(self, entries: Sequence[FeedEntry], origin: _Origin,
                     report: PollReport) -> list[Item]:
        return list(await asyncio.gather(*(self._item(e, origin, report) for e in entries)))

    async def _item(self, entry: FeedEntry, origin: _Origin, report: PollReport) -> Item:
        page: PageText | None = None
        mode = origin.mode
        wants_page = mode is FullText.ALWAYS or (mode is FullText.AUTO and not entry.full_text)
        if wants_page and entry.link:
            async with self._pages:
                page = await self._read_page(entry.link, report, origin.trust_for(entry.link))
        return Item(entry, entry_draft(entry, page, origin.title, entry_slug(origin.url, entry)))

    async def _read_page(self, url: str, report: PollReport,
                         allow_private: bool | None) -> PageText | None:
        """The article page's text, or None (the excerpt stays) when it cannot be read: one
        bad link never fails the feed."""
        try:
            result = await self.fetcher.fetch(url, accept=PAGE_ACCEPT,
                                              allow_private=allow_private)
        except FetchError as exc:
            report.notes.append(f"{mask_url(url)}: page not read ({exc.reason}); "
                                "kept the feed's excerpt")
            return None
        except Exception as exc:  # a bug must not cost the feed its other entries
            log.exception("reading page %s failed unexpectedly", mask_url(url))
            report.notes.append(f"{mask_url(url)}: page not read (unexpected "
                                f"{type(exc).__name__}); kept the feed's excerpt")
            return None
        if result.content_type and "html" not in result.content_type:
            report.notes.append(f"{url}: not an HTML page ({result.content_type}); "
                                "kept the feed's excerpt")
            return None
        page = await extract_page_async(_decoded(result), result.url)
        if page is None:
            report.notes.append(f"{url}: no article text found on the page; kept the excerpt")
        else:
            report.pages += 1
        return page

    async def _store_items(self, items: Sequence[Item], report: PollReport,
                           seen: Mapping[str, SeenEntry] | None = None) -> list[SeenEntry]:
        """Skip what the catalogue already holds (this feed, another feed or this batch),
        analyse the rest, store them. ``seen``: this feed's entries as last stored."""
        done: list[SeenEntry] = []
        todo: list[Item] = []
        keys: set[tuple[str, str]] = set()
        for item in items:
            previous = (seen or {}).get(item.entry.key)
            if previous is not None and previous.article_id is not None and item.draft.slug:
                await self._adopt(previous.article_id, item.draft)
            key = (identity(item.draft), item.draft.content_hash)
            if key in keys:
                report.ingest.count(UpsertOutcome.UNCHANGED)  # twice in this batch
                done.append(item.seen(None))
            elif await known_hash(self.catalogue, item.draft) == key[1]:
                # Same text already stored (this feed or another): at most a new date, author
                # or source on this feed's own entry to record.
                if (restamped := await self._restamp(item, previous, report)) is not None:
                    done.append(restamped)
            else:
                keys.add(key)
                todo.append(item)
        drafts = [Draft(item.where(), item.draft, item) for item in todo]
        stored = await store_drafts(self.catalogue, drafts, self._analyse(), report.ingest)
        for _, result in stored:
            report.ingest.count(result.outcome)
        return done + [draft.tag.seen(result.article_id) for draft, result in stored]

    async def _adopt(self, article_id: int, draft: ArticleDraft) -> None:
        """A link-less entry stored under its content hash (before such entries had a stable
        identity) moves to the feed+guid one, so this edit updates that article in place."""
        if await self.catalogue.adopt_identity(article_id, draft):
            log.info("article %s now known by its feed entry's guid", article_id)

    async def _restamp(self, item: Item, previous: SeenEntry | None,
                       report: PollReport) -> SeenEntry | None:
        """This feed's entry changed but its text did not: update the date, author and source
        of the article it was stored as, reusing the stored analysis (no NLP). The article
        keeps its id, so digests that had it never post it again. None: it could not be
        stored (the entry is then read again next poll)."""
        stored = None
        if previous is not None and previous.article_id is not None:
            stored = await self.catalogue.get(previous.article_id)
        if stored is None or stored.content_hash != item.draft.content_hash:
            report.ingest.count(UpsertOutcome.UNCHANGED)  # the same story from another feed
            return item.seen(None)
        try:
            result = await self.catalogue.upsert(item.draft, stored.analysis)
        except Exception as exc:
            stop_if_fatal(self.catalogue, exc)
            log.exception("updating %s failed", item.where())
            report.ingest.reject(item.where(), f"could not be stored ({type(exc).__name__})")
            return None
        report.ingest.count(result.outcome)
        return item.seen(result.article_id)

    async def _failed(self, feed: Feed, report: PollReport, reason: str) -> PollReport:
        report.error = reason
        await self._failures.failed(feed, reason, self.clock())
        return report

    # -- one-off ingestion ------------------------------------------------------------------

    async def probe(self, url: str, *, trusted: bool = False) -> ParsedFeed:
        """Fetch and parse a feed without storing anything (``feeds add`` checks with it).
        ``trusted``: the operator's own request, private addresses allowed."""
        result = await self.fetcher.fetch(url, accept=FEED_ACCEPT, allow_private=_trust(trusted),
                                          quick=True)
        return await off_loop(parse_feed, result.body, result.url, result.content_type,
                              result.charset)

    async def ingest_url(self, url: str, full_text: FullText = FullText.AUTO) -> PollReport:
        """``newsbot ingest URL``: a feed's current entries, or one article page. Only the
        operator runs it (the CLI), so private addresses are allowed."""
        report = PollReport(url=url)
        try:
            result = await self.fetcher.fetch(url, accept=f"{FEED_ACCEPT}, {PAGE_ACCEPT}",
                                              allow_private=True)
            parsed = await off_loop(parse_feed, result.body, result.url,
                                    result.content_type, result.charset)
        except NotAFeedError:
            return await self._ingest_page(result, report)
        except (FetchError, FeedParseError) as exc:
            report.error = exc.reason
            return report
        origin = _Origin(url, parsed.title, full_text, allow_private=True)
        try:
            await self._ingest_entries(parsed, origin, report, {})
        except StorageStoppedError as stop:
            return _stopped(report, stop)
        return report

    async def _ingest_page(self, result: FetchResult, report: PollReport) -> PollReport:
        page = await extract_page_async(_decoded(result), result.url)
        if page is None or not page.title:
            report.error = "no article text found on the page"
            return report
        report.entries = report.fresh = report.pages = 1
        draft = ArticleDraft(title=page.title, paragraphs=page.paragraphs, url=result.url,
                             source=urlsplit(result.url).hostname, byline=page.author,
                             published_at=page.published_at, kind=ArticleKind.FULL)
        entry = FeedEntry(key=result.url, title=page.title, paragraphs=page.paragraphs,
                          link=result.url, published_at=page.published_at, author=page.author,
                          full_text=True, fingerprint=draft.content_hash)
        try:
            await self._store_items([Item(entry, draft)], report)
        except StorageStoppedError as stop:
            return _stopped(report, stop)
        return report


def _stopped(report: PollReport, stop: StorageStoppedError) -> PollReport:
    """The poll (or ``ingest URL``) ends: nothing more can be stored, and ``stop`` says why."""
    report.error = report.ingest.stopped = stop.reason
    return report


def _trust(private_ok: bool) -> bool | None:
    """An operator-listed feed may reach private hosts; else the fetch policy decides."""
    return True if private_ok else None


def _decoded(result: FetchResult) -> str:
    """The page as text (``pages.decode_page``: header, BOM, meta, UTF-8, else cp1252)."""
    return decode_page(result.body, result.charset)
