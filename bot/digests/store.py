"""What digests need from storage: the ``DigestStore`` protocol.

Backends implement it (SQLite: ``bot.digests.sqlite_store``) and ``bot.catalogue.open``
opens the one the database URL names. Claims must be atomic across processes sharing the
database: two workers never both hold one (subscription, slot), which is what makes a slot
exactly-once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from bot.digests.model import Claim, NewSubscription, RunInfo, RunStatus, Subscription


class TooManySubscriptions(Exception):
    """The channel already has the maximum number of subscriptions."""


class DigestStore(Protocol):
    """Subscriptions, runs (one per subscription and slot) and the stories sent per channel."""

    async def open(self) -> None:
        """Connect and create or migrate the tables; idempotent."""

    async def close(self) -> None:
        """Release the connection."""

    async def add(self, new: NewSubscription, now: datetime, max_per_channel: int) -> Subscription:
        """Store a subscription; ``TooManySubscriptions`` when the channel is full."""

    async def get(self, subscription_id: int) -> Subscription | None:
        """One subscription."""

    async def find(self, platform: str | None = None, workspace: str | None = None,
                   channel: str | None = None) -> list[Subscription]:
        """Subscriptions, optionally of one platform, workspace and channel, by id."""

    async def delete(self, subscription_id: int) -> bool:
        """Remove a subscription and its runs (the channel's sent stories stay remembered)."""

    async def set_paused(self, subscription_id: int, reason: str | None) -> None:
        """Pause with a reason, or resume with None."""

    async def set_error(self, subscription_id: int, error: str | None, now: datetime) -> None:
        """Record (or clear, with None) the last failure shown in ``digest list``."""

    async def claim(self, sub: Subscription, slot: str, slot_at: datetime, *, now: datetime,
                    lease: timedelta, grace: timedelta, worker: str,
                    catch_up: bool = False) -> Claim | None:
        """Take the (subscription, slot) run, or None when it is final, held by a live lease or
        waiting for its retry time; a claim whose lease ran out is taken over."""

    async def renew(self, run_id: int, worker: str, lease_until: datetime) -> bool:
        """Extend a claim this worker still holds; False when it is no longer ours."""

    async def retry_later(self, run_id: int, error: str, next_attempt_at: datetime) -> None:
        """Release the claim; the sweep tries again at ``next_attempt_at``."""

    async def finish(self, run_id: int, status: RunStatus, now: datetime, *,
                     error: str | None = None, channel_key: str | None = None,
                     article_ids: Iterable[int] = ()) -> None:
        """Make a run final; a posted run records its stories as sent in the same transaction."""

    async def supersede(self, subscription_id: int, before: datetime, now: datetime) -> int:
        """After a catch-up digest: close older unfinished runs (not a live claim)."""

    async def window_start(self, subscription_id: int) -> datetime | None:
        """The slot of the last digest that went out (or was empty): the next one starts here."""

    async def sent_ids(self, channel_key: str, except_run: int | None = None) -> set[int]:
        """Articles posted in this channel, or held by another run of it that is in flight."""

    async def reserve(self, channel_key: str, run_id: int, article_ids: Iterable[int],
                      now: datetime) -> set[int]:
        """Hold these stories for one run; returns those it now holds (never one another run
        of the channel holds). What this run held before and no longer wants is let go."""

    async def release_unfinished(self, subscription_id: int, except_run: int) -> None:
        """Before a catch-up digest: stories held by earlier runs that never posted go back."""

    async def release(self, run_id: int) -> None:
        """Let go of the stories a run held: it did not post them."""

    async def pending(self, now: datetime) -> list[RunInfo]:
        """Runs waiting for a retry that is due, and claims whose lease ran out."""

    async def last_run(self, subscription_id: int) -> RunInfo | None:
        """The newest run of a subscription, for ``digest list``."""

    async def runs(self, subscription_id: int) -> list[RunInfo]:
        """All runs of a subscription, oldest first."""
