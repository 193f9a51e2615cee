"""Digest records: subscriptions, run claims, outcomes and styles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.messages import Place

MAX_STORIES_CAP = 20
MAX_TOPIC_CHARS = 200


class Style(StrEnum):
    """How each story is shown."""

    TITLES = "titles"  # title, source, time, link
    BRIEF = "brief"  # titles with a one-line summary (the lede)
    FULL = "full"  # the stored summary of each story

    @classmethod
    def parse(cls, text: str | None) -> Style:
        """A style from its name or a common alias; ``ValueError`` names the choices."""
        key = (text or "brief").strip().casefold().replace("_", "-")
        aliases = {"title": cls.TITLES, "titles": cls.TITLES, "brief": cls.BRIEF,
                   "one-line": cls.BRIEF, "oneline": cls.BRIEF, "summary-line": cls.BRIEF,
                   "titles-summary": cls.BRIEF, "full": cls.FULL, "summaries": cls.FULL,
                   "summary": cls.FULL, "full-summaries": cls.FULL}
        if key not in aliases:
            raise ValueError("style must be titles, brief (titles with a one-line summary) "
                             "or full (full summaries)")
        return aliases[key]


class RunStatus(StrEnum):
    """The life of one (subscription, slot) run. posted, empty and failed are final."""

    CLAIMED = "claimed"  # a worker holds the lease and is composing or posting
    RETRYING = "retrying"  # a post failed; ``next_attempt_at`` says when to try again
    POSTED = "posted"
    EMPTY = "empty"  # nothing new and the subscription does not want "no new stories"
    FAILED = "failed"  # gave up (grace period over, or the channel refused delivery)


FINAL = (RunStatus.POSTED, RunStatus.EMPTY, RunStatus.FAILED)


class Outcome(StrEnum):
    """What one call to run a slot did."""

    POSTED = "posted"
    EMPTY = "empty"
    DUPLICATE = "duplicate"  # already done, or another worker holds it
    RETRY = "retry"  # failed, a retry is scheduled
    FAILED = "failed"  # failed and reported
    PAUSED = "paused"  # the channel refused delivery: the subscription is paused
    SKIPPED = "skipped"  # unknown or paused subscription, or no deliverer for its platform


@dataclass(frozen=True, slots=True)
class Subscription:
    """One channel's digest. Times are aware UTC."""

    id: int
    platform: str
    workspace: str  # "" when the platform has none (console)
    channel: str
    schedule: str  # normalised: "daily 09:00", "weekdays 08:30", "weekly mon 09:00", "cron ..."
    timezone: str
    max_stories: int
    topic: str | None
    style: Style
    notify_empty: bool
    created_by: str
    created_at: datetime
    paused: bool = False
    paused_reason: str | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None

    @property
    def place(self) -> Place:
        """Where the digest is posted."""
        return Place(platform=self.platform, channel=self.channel,
                     workspace=self.workspace or None)

    @property
    def channel_key(self) -> str:
        """Identifies the channel across subscriptions (stories never repeat in a channel)."""
        return f"{self.platform}\x1f{self.workspace}\x1f{self.channel}"


@dataclass(frozen=True, slots=True)
class NewSubscription:
    """A validated subscription before it is stored."""

    platform: str
    workspace: str
    channel: str
    schedule: str
    timezone: str
    max_stories: int
    topic: str | None
    style: Style
    notify_empty: bool
    created_by: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A run this worker now holds."""

    run_id: int
    subscription_id: int
    slot: str
    slot_at: datetime
    attempts: int  # including this one
    deadline: datetime  # retries stop here (first claim + grace)
    catch_up: bool


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A run as ``digest list`` and the retry sweep see it."""

    run_id: int
    subscription_id: int
    slot: str
    slot_at: datetime
    status: RunStatus
    attempts: int
    deadline: datetime
    catch_up: bool
    last_error: str | None
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class Timing:
    """Leases, retries and grace."""

    lease: timedelta = timedelta(minutes=5)  # a claim older than this is taken as crashed
    grace: timedelta = timedelta(minutes=30)  # retries of one slot stop this long after it began
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(minutes=8)

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, ... capped."""
        return min(self.max_backoff, self.first_backoff * (1 << max(0, attempts - 1)))
