"""A feed's failed polls: recorded in its health, and reported to the admin channel once per
failure streak (after ``REPORT_AFTER``) by the one process that can deliver there. The feed
keeps being polled and shows as failing in ``feeds list``; it is never dropped."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.admin import AdminReports
from bot.feeds.store import Feed, FeedStore
from bot.intents import Intent

log = logging.getLogger(__name__)
REPORT_AFTER = timedelta(hours=24)


class FailureReports:
    """Records failed polls and tells the admin channel about feeds failing too long."""

    def __init__(self, store: FeedStore, *, admins: AdminReports | None,
                 report_after: timedelta = REPORT_AFTER) -> None:
        """``admins`` (the admin channel, with the registry it is reached through) hears about
        feeds failing for ``report_after``; None: nobody (the CLI)."""
        self.store = store
        self.admins = admins
        self.report_after = report_after

    async def failed(self, feed: Feed, reason: str, now: datetime) -> None:
        """Record that a poll of ``feed`` failed at ``now``; report the streak when due."""
        log.warning("feed #%s %s: %s", feed.id, feed.url, reason)
        updated = await self.store.record_failure(feed.id, reason, now)
        if (updated is not None and updated.failing_since is not None
                and now - updated.failing_since >= self.report_after
                and self._can_report()
                and await self.store.claim_report(feed.id)
                and not await self._report(updated)):
            await self.store.release_report(feed.id)

    def _can_report(self) -> bool:
        """Whether this process can carry the failure report. The CLI (no deliverers) and a
        process without the admin channel's platform leave it, unclaimed, to the running bot
        that has it: claiming it here would use up the streak's only report. The running bot
        with no admin channel configured logs it instead (once per streak)."""
        return self.admins is not None and self.admins.can_deliver()

    async def _report(self, feed: Feed) -> bool:
        """Tell the admin channel once per failure streak; False when delivery failed (the
        next failed poll tries again). Never raises."""
        since = feed.failing_since.strftime("%Y-%m-%d %H:%M UTC") if feed.failing_since else "?"
        text = (f"Feed #{feed.id} ({feed.name}) has been failing since {since} "
                f"({feed.consecutive_failures} polls): {feed.last_error}. It is still polled; "
                f"`feeds remove {feed.id}` drops it.")
        assert self.admins is not None  # _can_report said so
        return await self.admins.warn(text, Intent.FEEDS)
