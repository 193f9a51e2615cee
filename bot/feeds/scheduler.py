"""APScheduler wiring for feeds: one ``IntervalTrigger`` job per feed, rebuilt from the database.

The feeds table is the truth (``bot.jobsync``, as for digests): jobs are built from it at
start, resynced when a command adds or removes a feed (``on_change``) and by a periodic sweep
(which also picks up feeds added from the CLI by another process). A feed whose last poll is
older than its interval is polled soon after start, staggered so a restart does not fire every
feed in the same second.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.feeds.fetch import FetchPolicy, user_agent
from bot.feeds.report import PollReport
from bot.feeds.service import FeedService
from bot.feeds.store import DuplicateFeedError, Feed, FeedStore, FullText
from bot.jobsync import SyncedJobs
from bot.settings import FeedSettings

log = logging.getLogger(__name__)
JOB_PREFIX = "feed:"
CONFIG_USER = "config"  # added_by of the feeds listed in the config file
STAGGER = timedelta(seconds=2)  # between overdue feeds' first polls after a start


def fetch_policy(settings: FeedSettings) -> FetchPolicy:
    """The fetch limits and manners from the ``[feeds]`` settings."""
    return FetchPolicy(user_agent=user_agent(settings.contact), timeout=settings.timeout_seconds,
                       max_bytes=settings.max_bytes, per_host=settings.per_host_concurrency,
                       per_host_delay=settings.per_host_delay_seconds,
                       allow_private=settings.allow_private_hosts)


async def add_config_feeds(store: FeedStore, settings: FeedSettings, now: datetime) -> int:
    """List the feeds named in the config file; returns how many were new. Removing one there
    does not delete it. A feed the config file added takes the file's interval and full-text
    mode at every start (so editing them there works); a feed added in chat or at the CLI
    keeps its own."""
    added = 0
    for entry in settings.feeds:
        minutes = entry.interval or settings.default_interval_minutes
        mode = FullText(entry.full_text or settings.full_text)
        existing = await store.by_url(entry.url)
        if existing is not None:
            if existing.added_by == CONFIG_USER and (
                    existing.interval_minutes, existing.full_text) != (minutes, mode):
                await store.set_options(existing.id, interval_minutes=minutes, full_text=mode)
            continue
        try:
            await store.add(entry.url, interval_minutes=minutes, full_text=mode,
                            added_by=CONFIG_USER, now=now, private_ok=True)
            added += 1
        except DuplicateFeedError:
            continue
    return added


class FeedScheduler:
    """Keeps one APScheduler job per listed feed."""

    def __init__(self, service: FeedService, *, sweep_seconds: float = 300.0) -> None:
        """``sweep_seconds``: how often the jobs are resynced with the database."""
        self.service = service
        self.sweep_seconds = sweep_seconds
        self.jobs = SyncedJobs(JOB_PREFIX, "feed")

    @property
    def scheduler(self) -> AsyncIOScheduler:
        """The APScheduler scheduler the jobs are on."""
        return self.jobs.scheduler

    async def start(self) -> int:
        """Build the jobs from the database and start firing; returns how many feeds."""
        count = await self.sync()
        self.jobs.start(self._sweep, self.sweep_seconds)
        return count

    def shutdown(self) -> None:
        """Stop firing (a poll in progress is cancelled; it is redone at the next start)."""
        self.jobs.shutdown()

    async def sync(self) -> int:
        """Make the jobs match the feeds table."""
        feeds = await self.service.store.find()
        self.jobs.keep_only([f.id for f in feeds])
        overdue = 0
        now = self.service.clock()
        for feed in feeds:
            if self.jobs.changed(feed.id, feed.interval_minutes):
                overdue += self._schedule(feed, overdue, now)
        return len(self.jobs)

    async def on_change(self, feed_id: int) -> None:
        """A command added or removed this feed: schedule it (first poll now) or drop it."""
        feed = await self.service.store.get(feed_id)
        if feed is None:
            self.jobs.unschedule(feed_id)
        else:
            self._schedule(feed, 0, self.service.clock())

    def _schedule(self, feed: Feed, overdue: int, now: datetime) -> int:
        """Add the job; returns 1 when the feed is overdue (its first poll is soon)."""
        interval = timedelta(minutes=feed.interval_minutes)
        due = feed.last_polled + interval if feed.last_polled else now
        late = due <= now
        first = now + STAGGER * overdue if late else due
        trigger = IntervalTrigger(minutes=feed.interval_minutes, start_date=first, timezone=UTC)
        self.jobs.schedule(feed.id, feed.interval_minutes, self.fire, trigger,
                           next_run_time=first)
        return int(late)

    def next_run(self, feed_id: int) -> datetime | None:
        """When the feed's job fires next (None: no job)."""
        return self.jobs.next_run(feed_id)

    async def fire(self, feed_id: int) -> PollReport | None:
        """The job: poll the feed; failures are recorded by the service, never raised."""
        try:
            report = await self.service.poll(feed_id)
        except Exception:
            log.exception("feed #%s poll failed unexpectedly", feed_id)
            return None
        log.info("feed #%s: %s", feed_id, report.summary())
        return report

    async def _sweep(self) -> None:
        try:
            await self.sync()
        except Exception:
            log.exception("feed sweep failed")
