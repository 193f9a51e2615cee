"""The APScheduler wiring: one job per subscription, rebuilt from and kept in step with the
database, firing the service with the scheduled time as the slot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.catalogue.base import Catalogue
from bot.digests.commands import DigestCommands
from bot.digests.model import Outcome, RunStatus
from bot.digests.scheduler import DigestScheduler
from bot.digests.service import DigestService
from bot.digests.sqlite_store import SqliteDigestStore
from bot.digests.store import DigestStore
from bot.messages import Place, User
from tests.unit.digests.conftest import START
from tests.unit.digests.kit import FakeClock, RecordingDeliverer, add_article, subscribe

ADMIN = User(id="U1", can_manage=True)


@pytest.fixture
async def scheduler(service: DigestService) -> AsyncIterator[DigestScheduler]:
    running = DigestScheduler(service, sweep_seconds=3600)
    try:
        yield running
    finally:
        running.shutdown()


async def test_jobs_are_rebuilt_from_the_database(
        scheduler: DigestScheduler, store: DigestStore, clock: FakeClock) -> None:
    london: Any = await subscribe(store, clock, schedule="daily 09:00", tz="Europe/London")
    tokyo: Any = await subscribe(store, clock, channel="t", schedule="weekly mon 08:00",
                                 tz="Asia/Tokyo")
    paused: Any = await subscribe(store, clock, channel="p")
    await store.set_paused(paused.id, "delivery refused: gone")
    await subscribe(store, clock, channel="s", platform="slack")  # no slack deliverer here
    assert await scheduler.start(catch_up=False) == {}
    jobs = {job.id: job for job in scheduler.scheduler.get_jobs()}
    assert set(jobs) == {f"digest:{london.id}", f"digest:{tokyo.id}", "digest-sweep"}
    assert str(jobs[f"digest:{tokyo.id}"].trigger.timezone) == "Asia/Tokyo"
    next_tokyo = scheduler.next_run(tokyo.id)
    assert next_tokyo is not None
    assert next_tokyo.astimezone(jobs[f"digest:{tokyo.id}"].trigger.timezone).hour == 8


async def test_commands_update_jobs_live_and_the_sweep_sees_other_processes(
        scheduler: DigestScheduler, service: DigestService, store: DigestStore,
        clock: FakeClock) -> None:
    await scheduler.start(catch_up=False)
    commands = DigestCommands(service, on_change=scheduler.on_change)
    place = Place(platform="console", channel="general")
    await commands.subscribe(ADMIN, place, schedule="daily 07:15", timezone="UTC")
    assert scheduler.next_run(1) is not None
    await commands.unsubscribe(ADMIN, place, 1)
    assert scheduler.next_run(1) is None
    other: Any = await subscribe(store, clock, channel="cli")  # as if from `newsbot digest`
    assert scheduler.next_run(other.id) is None
    assert await scheduler.sync() == 1
    assert scheduler.next_run(other.id) is not None


async def test_a_job_fires_the_service_with_its_scheduled_time_as_the_slot(
        scheduler: DigestScheduler, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Story", START + timedelta(hours=1))
    await scheduler.start(catch_up=False)
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    scheduler.scheduler.modify_job(f"digest:{sub.id}", next_run_time=due)
    scheduler.scheduler.wakeup()
    for _ in range(500):  # the event loop runs the job at once; this only waits for it
        if deliverer.sent:
            break
        await asyncio.sleep(0.01)
    [run] = await store.runs(sub.id)
    assert run.slot_at == due
    assert len(deliverer.sent) == 1
    next_run = scheduler.next_run(sub.id)
    assert next_run is not None
    assert next_run > due  # back on its daily schedule


async def test_start_catches_up_missed_slots(
        scheduler: DigestScheduler, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Story", START + timedelta(hours=1))
    clock.advance(days=3)
    assert await scheduler.start() == {sub.id: Outcome.POSTED}
    assert deliverer.sent[0].answer.lead.startswith("While I was offline…")


async def test_a_crash_between_claim_and_post_is_caught_up_after_a_slow_connect(
        scheduler: DigestScheduler, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    """The process died holding the 09:00 claim; it restarts after the 30-minute grace and its
    adapters take longer to connect than the first sweep waits. The sweep must not close the
    dead claim as "interrupted": the catch-up takes it over and posts it, once."""
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Story", START + timedelta(hours=1))
    slot = datetime(2026, 3, 21, 9, 0, tzinfo=UTC)
    clock.set(slot)
    timing = scheduler.service.timing
    assert await store.claim(sub, "2026-03-21T09:00", slot, now=clock(), lease=timing.lease,
                             grace=timing.grace, worker="crashed") is not None
    clock.set(slot + timedelta(minutes=40))  # restart, past the grace period
    await scheduler.start(catch_up=False)  # catch-up waits for the adapters
    clock.advance(seconds=30)
    await scheduler._sweep()  # the first sweep, adapters still connecting
    [run] = await store.runs(sub.id)
    assert run.status is RunStatus.CLAIMED
    assert deliverer.sent == []
    clock.advance(seconds=30)  # connected
    assert await scheduler.catch_up() == {sub.id: Outcome.POSTED}
    assert [d.answer.lead for d in deliverer.sent] == [
        "While I was offline… Your news digest: 1 new story, newest first."]
    await scheduler._sweep()
    assert len(deliverer.sent) == 1
    [run] = await store.runs(sub.id)
    assert run.status is RunStatus.POSTED


async def test_two_schedulers_sharing_one_database_post_each_slot_once(
        db_path: Any, scheduler: DigestScheduler, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    """Two processes' worth of real APScheduler jobs fire the same slots at once."""
    from bot.catalogue.open import open_catalogue

    subs: list[Any] = [await subscribe(store, clock, channel=f"c{i}") for i in range(6)]
    await add_article(catalogue, "Shared story", START + timedelta(hours=1))
    other_catalogue = await open_catalogue(f"sqlite:///{db_path}", clock)
    other_store = SqliteDigestStore(str(db_path))
    await other_store.open()
    other = RecordingDeliverer()
    second = DigestScheduler(DigestService(other_store, other_catalogue, {"console": other},
                                           clock=clock, worker="second"), sweep_seconds=3600)
    outcomes: list[Outcome] = []

    def recorded(running: DigestScheduler) -> Any:
        real = running.fire

        async def fire(subscription_id: int, *, slot: datetime | None = None) -> Outcome:
            outcome = await real(subscription_id, slot=slot)
            outcomes.append(outcome)
            return outcome

        return fire

    try:
        for running in (scheduler, second):
            running.fire = recorded(running)  # type: ignore[method-assign]
            await running.start(catch_up=False)
        due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
        for running in (scheduler, second):
            for sub in subs:
                running.scheduler.modify_job(f"digest:{sub.id}", next_run_time=due)
            running.scheduler.wakeup()
        for _ in range(500):
            if len(outcomes) == 2 * len(subs):  # every job fired in both schedulers
                break
            await asyncio.sleep(0.01)
    finally:
        second.shutdown()
        await other_store.close()
        await other_catalogue.close()
    assert sorted(outcomes) == sorted([Outcome.POSTED, Outcome.DUPLICATE] * len(subs))
    assert len(deliverer.sent) + len(other.sent) == len(subs)
    assert sorted(str(d.place.channel) for d in deliverer.sent + other.sent) == sorted(
        s.channel for s in subs)
    for sub in subs:
        [run] = await store.runs(sub.id)
        assert (run.slot_at, run.status) == (due, RunStatus.POSTED)
