"""A feed's failed polls: recorded in its health, and reported to the admin channel once per
failure streak (after ``REPORT_AFTER``) by the one process that can deliver there. The feed
keeps being polled and shows as failing in ``feeds list``; it is never dropped."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.feeds.store import Feed, FeedStore
from bot.intents import Intent
from bot.messages import Answer, Place, Visibility
from bot.ports import Deliverer

log = logging.getLogger(__name__)
REPORT_AFTER = timedelta(hours=24)


class FailureReports:
    """Records failed polls and tells the admin channel about feeds failing too long."""

    def __init__(self, store: FeedStore, *, deliverers: Mapping[str, Deliverer],
                 admin_place: Place | None, report_after: timedelta = REPORT_AFTER) -> None:
        """``admin_place`` (with a deliverer for its platform) hears about feeds failing for
        ``report_after``."""
        self.store = store
        self.deliverers = deliverers  # the app's registry: adapters attached later count
        self.admin_place = admin_place
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
        place = self.admin_place
        if place is not None:
            return place.platform in self.deliverers
        return bool(self.deliverers)

    async def _report(self, feed: Feed) -> bool:
        """Tell the admin channel once per failure streak; False when delivery failed (the
        next failed poll tries again). Never raises."""
        since = feed.failing_since.strftime("%Y-%m-%d %H:%M UTC") if feed.failing_since else "?"
        text = (f"Feed #{feed.id} ({feed.name}) has been failing since {since} "
                f"({feed.consecutive_failures} polls): {feed.last_error}. It is still polled; "
                f"`feeds remove {feed.id}` drops it.")
        place = self.admin_place
        deliverer = self.deliverers.get(place.platform) if place is not None else None
        if place is None or deliverer is None:  # no admin channel configured: the log says it
            log.error("%s (no admin channel configured: set digests.admin_platform and "
                      "digests.admin_channel)", text)
            return True
        try:
            await deliverer.deliver(place, Answer(Intent.FEEDS, text, visibility=Visibility.PUBLIC))
        except Exception:
            log.exception("could not report a failing feed to the admin channel: %s", text)
            return False
        return True
