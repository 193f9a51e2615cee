"""APScheduler wiring for digests: one ``CronTrigger`` job per subscription, in its time zone.

The database is the truth (``bot.jobsync``, as for feeds). Jobs are rebuilt from the
subscriptions table at start, resynced when a command changes a subscription (``on_change``) and
by a periodic sweep (which also catches
changes made by another process, such as the CLI, and retries failed posts). A job calls the
service with its scheduled fire time as the slot: ``SlotExecutor`` passes it, since APScheduler 3
does not hand run times to job functions.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.digests.model import Outcome, Subscription
from bot.digests.schedule import build_trigger
from bot.digests.service import DigestService
from bot.jobsync import SyncedJobs

log = logging.getLogger(__name__)
JOB_PREFIX = "digest:"


class SlotExecutor(AsyncIOExecutor):  # type: ignore[misc]  # apscheduler ships no type hints
    """Runs coroutine jobs with ``slot=`` the newest scheduled run time (coalesced runs are
    one slot). Late runs are never dropped here: the database decides what is a duplicate."""

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        slot = max(run_times).astimezone(UTC)
        coro: Coroutine[Any, Any, object] = job.func(*job.args, slot=slot, **job.kwargs)
        task = self._eventloop.create_task(coro)

        def done(future: Any) -> None:
            self._pending_futures.discard(future)
            try:
                future.result()
            except BaseException:
                self._run_job_error(job.id, *sys.exc_info()[1:])
            else:
                self._run_job_success(job.id, [])

        task.add_done_callback(done)
        self._pending_futures.add(task)


def _signature(sub: Subscription) -> str:
    return f"{sub.schedule}|{sub.timezone}"


class DigestScheduler:
    """Keeps one APScheduler job per active subscription that this process can deliver."""

    def __init__(self, service: DigestService, *, sweep_seconds: float = 30.0) -> None:
        """``sweep_seconds``: how often retries are tried and the jobs resynced."""
        self.service = service
        self.sweep_seconds = sweep_seconds
        self.jobs = SyncedJobs(JOB_PREFIX, "digest", executors={"default": SlotExecutor()})
        self._caught_up = asyncio.Event()

    @property
    def scheduler(self) -> AsyncIOScheduler:
        """The APScheduler scheduler the jobs are on."""
        return self.jobs.scheduler

    async def start(self, *, catch_up: bool = True) -> dict[int, Outcome]:
        """Build the jobs from the database, start firing, then post ONE catch-up digest per
        subscription whose latest slot was missed while the bot was down. With
        ``catch_up=False`` the caller runs ``catch_up()`` later (once the adapters are up)."""
        await self.sync()
        self.jobs.start(self._sweep, self.sweep_seconds)
        return await self.catch_up() if catch_up else {}

    async def catch_up(self) -> dict[int, Outcome]:
        """The start-up catch-up. Until it has run, the sweep retries nothing and gives up on
        nothing: a claim left by a crash must reach the catch-up (which takes it over and posts
        it), not be closed as "interrupted" by a sweep that ran while the adapters were still
        connecting."""
        try:
            return await self.service.catch_up()
        finally:
            self._caught_up.set()

    def shutdown(self) -> None:
        """Stop firing (running posts are cancelled; their leases make them retryable)."""
        self.jobs.shutdown()

    async def sync(self) -> int:
        """Make the jobs match the subscriptions table; returns how many jobs there are."""
        wanted = [s for s in await self.service.store.find() if self.service.serves(s)]
        self.jobs.keep_only([s.id for s in wanted])
        for sub in wanted:
            self._schedule(sub)
        return len(self.jobs)

    async def on_change(self, subscription_id: int) -> None:
        """A command added, removed or changed this subscription: resync its job now."""
        sub = await self.service.store.get(subscription_id)
        if sub is None or not self.service.serves(sub):
            self.jobs.unschedule(subscription_id)
        else:
            self._schedule(sub)

    def _schedule(self, sub: Subscription) -> None:
        """The subscription's job, unless it already has one for its schedule and zone."""
        if self.jobs.changed(sub.id, _signature(sub)):
            trigger = build_trigger(sub.schedule, ZoneInfo(sub.timezone))
            self.jobs.schedule(sub.id, _signature(sub), self.fire, trigger)

    def next_run(self, subscription_id: int) -> datetime | None:
        """When APScheduler will next fire this subscription's job (None: no job)."""
        return self.jobs.next_run(subscription_id)

    async def fire(self, subscription_id: int, *, slot: datetime | None = None) -> Outcome:
        """The job: run this slot through the service (exactly once, whoever else fires it).
        ``slot`` is given by ``SlotExecutor`` (the default only serves a direct call)."""
        try:
            return await self.service.run_slot(subscription_id, slot or self.service.clock())
        except Exception:
            log.exception("digest #%s slot %s failed unexpectedly", subscription_id, slot)
            return Outcome.FAILED

    async def _sweep(self, *, slot: datetime | None = None) -> None:
        """Periodic: resync jobs with the database, then (once caught up) retry what is due."""
        try:
            await self.sync()
            if self._caught_up.is_set():
                await self.service.retry_due()
        except Exception:
            log.exception("digest sweep failed")
