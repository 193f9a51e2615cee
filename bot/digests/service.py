"""Running digest slots exactly once: claim, compose, post, record; retry, report, catch up.

A slot is claimed in the database before anything is posted (``DigestStore.claim``), so a
restart, a double trigger or a second process sharing the file never posts it twice. The one
window left is a crash after the platform accepted the message and before ``finish`` commits: the
lease then runs out and the slot is posted again (at-least-once there, as with any chat API
without idempotency keys).

A slow post keeps its claim: the lease is renewed (every third of it) while the digest is
composed and delivered, so the sweep of this or another process never takes over a post that
is still in flight. That is safer for exactly-once than cutting delivery off with a timeout
shorter than the lease: after a timeout nobody knows whether the platform took the message, and
retrying would risk the very duplicate the lease is there to prevent. A delivery that hangs is
bounded by the adapter's own HTTP timeouts; only a dead worker's lease runs out.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.admin import AdminReports
from bot.catalogue.base import Catalogue
from bot.digests.compose import Digest, compose, window_since
from bot.digests.model import Claim, Outcome, RunStatus, Subscription, Timing
from bot.digests.schedule import build_trigger, latest_fire, slot_key
from bot.digests.store import DigestStore
from bot.intents import Intent
from bot.messages import Visibility
from bot.ports import Deliverer, DeliveryError

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]
HOLD_TRIES = 3  # compose again when a digest of the same channel took our stories


def utc_now() -> datetime:
    """The real clock (aware UTC)."""
    return datetime.now(UTC)


def worker_name() -> str:
    """Who holds a claim: host, process and a random part (two services in one process)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class DigestService:
    """Runs slots for the subscriptions whose platform has a deliverer in this process."""

    def __init__(self, store: DigestStore, catalogue: Catalogue,
                 deliverers: Mapping[str, Deliverer], *, clock: Clock = utc_now,
                 timing: Timing | None = None, admins: AdminReports | None = None,
                 concurrency: int = 8, worker: str | None = None,
                 sleep: Sleep = asyncio.sleep) -> None:
        """``admins`` receives failure reports; ``concurrency`` bounds catch-up posts;
        ``sleep`` paces the lease renewal (injected by tests)."""
        self.store = store
        self.catalogue = catalogue
        self.deliverers = deliverers
        self.clock = clock
        self.timing = timing or Timing()
        self.admins = admins
        self.worker = worker or worker_name()
        self._limit = asyncio.Semaphore(max(1, concurrency))
        self._sleep = sleep

    def serves(self, sub: Subscription) -> bool:
        """True when this process can post the subscription (active, deliverer present)."""
        return not sub.paused and sub.platform in self.deliverers

    async def run_slot(self, subscription_id: int, slot_at: datetime, *,
                       catch_up: bool = False) -> Outcome:
        """Claim and post one slot; a slot already done or held elsewhere is a DUPLICATE."""
        sub = await self.store.get(subscription_id)
        if sub is None or not self.serves(sub):
            return Outcome.SKIPPED
        slot = slot_key(slot_at, ZoneInfo(sub.timezone))
        claim = await self.store.claim(
            sub, slot, slot_at.astimezone(UTC), now=self.clock(), lease=self.timing.lease,
            grace=self.timing.grace, worker=self.worker, catch_up=catch_up)
        if claim is None:
            return Outcome.DUPLICATE
        return await self._post(sub, claim)

    async def run_now(self, subscription_id: int) -> Outcome:
        """``digest now``: the current minute counts as a slot."""
        return await self.run_slot(subscription_id, self.clock())

    async def _post(self, sub: Subscription, claim: Claim) -> Outcome:
        async with self._holding(claim):
            return await self._post_held(sub, claim)

    @asynccontextmanager
    async def _holding(self, claim: Claim) -> AsyncIterator[None]:
        """Keep the claim's lease alive while the body runs (see the module docstring)."""
        renewing = asyncio.create_task(self._renew(claim), name=f"digest-lease-{claim.run_id}")
        try:
            yield
        finally:
            renewing.cancel()
            await asyncio.gather(renewing, return_exceptions=True)

    async def _renew(self, claim: Claim) -> None:
        every = max(1.0, self.timing.lease.total_seconds() / 3)
        while True:
            await self._sleep(every)
            try:
                held = await self.store.renew(claim.run_id, self.worker,
                                              self.clock() + self.timing.lease)
            except Exception:  # a locked database: try again next time, the lease has room
                log.warning("digest run %s: lease renewal failed", claim.run_id, exc_info=True)
                continue
            if not held:
                log.error("digest run %s (%s): the claim was lost while posting",
                          claim.run_id, claim.slot)
                return

    async def _post_held(self, sub: Subscription, claim: Claim) -> Outcome:
        try:
            digest = await self._compose_held(sub, claim)
            if digest.empty and not sub.notify_empty:
                await self.store.finish(claim.run_id, RunStatus.EMPTY, self.clock())
                return Outcome.EMPTY
            await self.deliverers[sub.platform].deliver(sub.place, digest.answer)
        except DeliveryError as exc:
            return await self._refused(sub, claim, exc)
        except Exception as exc:  # any other failure is worth retrying within the grace period
            return await self._failed(sub, claim, exc)
        now = self.clock()
        await self.store.finish(claim.run_id, RunStatus.POSTED, now,
                                channel_key=sub.channel_key, article_ids=digest.article_ids)
        if sub.last_error:
            await self.store.set_error(sub.id, None, now)
        return Outcome.POSTED

    async def _compose_held(self, sub: Subscription, claim: Claim) -> Digest:
        """Compose, then hold the stories for this run; if another digest of the channel
        took some meanwhile, compose again without them (bounded: the last try stands)."""
        if claim.catch_up:
            await self.store.release_unfinished(sub.id, except_run=claim.run_id)
        for _ in range(HOLD_TRIES):
            digest = await self._compose(sub, claim.slot_at, catch_up=claim.catch_up,
                                         run_id=claim.run_id)
            held = await self.store.reserve(sub.channel_key, claim.run_id, digest.article_ids,
                                            self.clock())
            if held == set(digest.article_ids):
                break
        return digest

    async def _compose(self, sub: Subscription, slot_at: datetime, *, catch_up: bool,
                       visibility: Visibility = Visibility.PUBLIC,
                       run_id: int | None = None) -> Digest:
        previous = await self.store.window_start(sub.id)
        since = window_since(sub, slot_at, previous)
        exclude = await self.store.sent_ids(sub.channel_key, except_run=run_id)
        return await compose(self.catalogue, sub, since=since, exclude=exclude,
                             catch_up=catch_up, first=previous is None, visibility=visibility)

    async def _refused(self, sub: Subscription, claim: Claim, exc: DeliveryError) -> Outcome:
        """The channel is gone or forbidden: retrying cannot help, so pause and say why."""
        now = self.clock()
        reason = f"delivery refused: {exc.reason}"
        log.warning("digest %s paused: %s", sub.id, reason)
        await self.store.finish(claim.run_id, RunStatus.FAILED, now, error=reason)
        await self.store.release(claim.run_id)
        await self.store.set_paused(sub.id, reason)
        await self.store.set_error(sub.id, reason, now)
        await self._report(f"Digest #{sub.id} in {sub.platform} channel {sub.channel} was "
                           f"paused: {reason}.")
        return Outcome.PAUSED

    async def _failed(self, sub: Subscription, claim: Claim, exc: Exception) -> Outcome:
        ref = secrets.token_hex(3)
        # Never keep str(exc) for users (it may hold a URL with a token): type and ref only.
        log.warning("digest %s slot %s attempt %s failed (ref %s)", sub.id, claim.slot,
                    claim.attempts, ref, exc_info=exc)
        error = f"{type(exc).__name__} (ref {ref})"
        now = self.clock()
        next_at = now + self.timing.backoff(claim.attempts)
        if next_at <= claim.deadline:
            await self.store.retry_later(claim.run_id, error, next_at)
            return Outcome.RETRY
        await self._give_up(sub, claim.run_id, claim.slot, claim.attempts, error)
        return Outcome.FAILED

    async def _give_up(self, sub: Subscription, run_id: int, slot: str, attempts: int,
                       error: str) -> None:
        now = self.clock()
        message = f"the {slot} digest failed after {attempts} attempt(s): {error}"
        await self.store.finish(run_id, RunStatus.FAILED, now, error=error)
        await self.store.release(run_id)
        await self.store.set_error(sub.id, message, now)
        await self._report(f"Digest #{sub.id} in {sub.platform} channel {sub.channel}: "
                           f"{message}.")

    async def _report(self, text: str) -> None:
        """Tell the admin channel, if one is configured and reachable; never raise."""
        if self.admins is not None and self.admins.can_deliver():
            await self.admins.warn(text, Intent.DIGEST)

    async def retry_due(self) -> list[Outcome]:
        """The sweep: retry failed posts whose backoff is over and claims whose worker died;
        give up (and report) on those past their grace period."""
        now = self.clock()
        outcomes = []
        for run in await self.store.pending(now):
            sub = await self.store.get(run.subscription_id)
            if sub is None or not self.serves(sub):
                continue
            if run.deadline < now:
                error = run.last_error or "interrupted before posting"
                await self._give_up(sub, run.run_id, run.slot, run.attempts, error)
                outcomes.append(Outcome.FAILED)
                continue
            outcomes.append(await self.run_slot(sub.id, run.slot_at, catch_up=run.catch_up))
        return outcomes

    async def catch_up(self) -> dict[int, Outcome]:
        """At start: for each subscription whose latest slot has passed without a final run,
        post ONE digest for that slot (its window reaches back to the last digest that went
        out), never one per missed slot."""
        subs = [s for s in await self.store.find() if self.serves(s)]
        results = await asyncio.gather(*(self._catch_up_one(s) for s in subs))
        return {sub.id: outcome for sub, outcome in zip(subs, results, strict=True)
                if outcome is not None}

    async def _catch_up_one(self, sub: Subscription) -> Outcome | None:
        trigger = build_trigger(sub.schedule, ZoneInfo(sub.timezone))
        missed = latest_fire(trigger, self.clock(), after=sub.created_at)
        if missed is None:
            return None
        async with self._limit:
            outcome = await self.run_slot(sub.id, missed, catch_up=True)
        if outcome in (Outcome.POSTED, Outcome.EMPTY):
            await self.store.supersede(sub.id, missed, self.clock())
        return None if outcome is Outcome.DUPLICATE else outcome

    async def run_many(self, slots: Iterable[tuple[int, datetime]]) -> list[Outcome]:
        """Run many (subscription, slot) pairs concurrently, at most ``concurrency`` at a time."""
        async def one(sub_id: int, slot_at: datetime) -> Outcome:
            async with self._limit:
                return await self.run_slot(sub_id, slot_at)

        return list(await asyncio.gather(*(one(i, s) for i, s in slots)))

    async def next_slot(self, sub: Subscription) -> datetime | None:
        """The next fire time after now (UTC)."""
        trigger = build_trigger(sub.schedule, ZoneInfo(sub.timezone))
        found: datetime | None = trigger.get_next_fire_time(None, self.clock())
        return found

    async def preview(self, sub: Subscription) -> tuple[Digest, datetime | None]:
        """What the next digest would hold now (ephemeral), and when it is due."""
        due = await self.next_slot(sub)
        digest = await self._compose(sub, due or self.clock(), catch_up=False,
                                     visibility=Visibility.EPHEMERAL)
        return digest, due
