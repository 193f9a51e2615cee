"""Running slots: exactly once, content selection, retries, pausing, catch-up and DST.

Every test drives the injected clock; nothing sleeps for schedule time.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.admin import AdminReports
from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.digests.model import Outcome, RunStatus, Timing
from bot.digests.schedule import build_trigger
from bot.digests.service import DigestService
from bot.digests.sqlite_store import SqliteDigestStore
from bot.digests.store import DigestStore
from bot.messages import Place
from tests.unit.digests.conftest import START
from tests.unit.digests.kit import (
    SLOT,
    ClockSleep,
    FakeClock,
    RecordingDeliverer,
    add_article,
    subscribe,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


async def test_a_slot_posts_new_stories_newest_first_and_capped(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock, max_stories=2)
    await add_article(catalogue, "Old news from last week", START - timedelta(days=7))
    await add_article(catalogue, "Older story", START - timedelta(hours=3))
    await add_article(catalogue, "Middle story", START - timedelta(hours=2))
    await add_article(catalogue, "Newest story", START - timedelta(hours=1))
    clock.set(SLOT)
    assert await service.run_slot(sub.id, SLOT) is Outcome.POSTED
    assert deliverer.titles() == ["Newest story", "Middle story"]
    delivery = deliverer.sent[0]
    assert delivery.place == Place(platform="console", channel="general")
    assert delivery.answer.lead.startswith("Your news digest: 2 new stories")
    assert all(c.published_at is not None and c.published_at.utcoffset() == timedelta(0)
               for c in delivery.answer.cards)


async def test_a_double_trigger_posts_once(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Only story", START - timedelta(hours=1))
    clock.set(SLOT)
    outcomes = await asyncio.gather(*(service.run_slot(sub.id, SLOT) for _ in range(5)))
    assert sorted(outcomes) == sorted([Outcome.POSTED] + [Outcome.DUPLICATE] * 4)
    assert await service.run_slot(sub.id, SLOT) is Outcome.DUPLICATE  # and later, a restart
    assert len(deliverer.sent) == 1


async def test_two_services_sharing_one_database_post_each_slot_once(
        db_path: Path, service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    subs: list[Any] = [await subscribe(store, clock, channel=f"c{i}", notify_empty=True)
                       for i in range(12)]
    await add_article(catalogue, "Shared story", START - timedelta(hours=1))
    other_catalogue = await open_catalogue(f"sqlite:///{db_path}")
    other_store = SqliteDigestStore(str(db_path))
    await other_store.open()
    other = RecordingDeliverer()
    second = DigestService(other_store, other_catalogue, {"console": other}, clock=clock,
                           worker="test-b")
    try:
        slots = [(s.id, SLOT + timedelta(days=d)) for s in subs for d in range(3)]
        clock.set(SLOT + timedelta(days=3))
        first_outcomes, second_outcomes = await asyncio.gather(
            service.run_many(slots), second.run_many(list(reversed(slots))))
    finally:
        await other_store.close()
        await other_catalogue.close()
    posted = [o for o in first_outcomes + second_outcomes if o is Outcome.POSTED]
    assert len(posted) == len(slots) == 36
    assert len(deliverer.sent) + len(other.sent) == 36
    for sub in subs:
        runs = await store.runs(sub.id)
        assert [r.status for r in runs] == [RunStatus.POSTED] * 3


async def test_no_story_repeats_in_a_channel(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    daily: Any = await subscribe(store, clock)
    weekly: Any = await subscribe(store, clock, schedule="weekly sat 10:00")
    elsewhere: Any = await subscribe(store, clock, channel="other")
    await add_article(catalogue, "Story A", START - timedelta(hours=2))
    await add_article(catalogue, "Story B", START - timedelta(hours=1))
    clock.set(SLOT)
    assert await service.run_slot(daily.id, SLOT) is Outcome.POSTED
    assert deliverer.titles() == ["Story B", "Story A"]
    assert await service.run_slot(elsewhere.id, SLOT) is Outcome.POSTED
    assert deliverer.titles() == ["Story B", "Story A"]  # another channel has its own record
    clock.set(SLOT + timedelta(hours=1))  # the weekly digest in the same channel: A and B are out
    assert await service.run_slot(weekly.id, SLOT + timedelta(hours=1)) is Outcome.EMPTY
    await add_article(catalogue, "Story C", SLOT + timedelta(hours=2))
    clock.set(SLOT + timedelta(days=1))
    assert await service.run_slot(daily.id, SLOT + timedelta(days=1)) is Outcome.POSTED
    assert deliverer.titles() == ["Story C"]


async def test_a_story_stored_after_the_last_digest_goes_out_even_with_an_older_date(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock, max_stories=1)
    await add_article(catalogue, "Capped out", START - timedelta(hours=2))
    await add_article(catalogue, "First digest", START - timedelta(hours=1))
    clock.set(SLOT)
    assert await service.run_slot(sub.id, SLOT) is Outcome.POSTED
    assert deliverer.titles() == ["First digest"]
    clock.set(SLOT + timedelta(hours=3))  # a feed delivers a story dated before that digest
    await add_article(catalogue, "Found late", SLOT - timedelta(hours=5))
    clock.set(SLOT + timedelta(days=1))
    assert await service.run_slot(sub.id, SLOT + timedelta(days=1)) is Outcome.POSTED
    assert deliverer.titles() == ["Found late"]  # not the one dated and stored before the window


async def test_digests_of_one_channel_firing_together_never_share_a_story(
        db_path: Path, service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    subs: list[Any] = [await subscribe(store, clock, schedule=f"daily 09:0{i}")
                       for i in range(4)]
    for n in range(6):
        await add_article(catalogue, f"Story {n}", START - timedelta(hours=1, minutes=n))
    other_catalogue = await open_catalogue(f"sqlite:///{db_path}")
    other_store = SqliteDigestStore(str(db_path))
    await other_store.open()
    other = RecordingDeliverer()
    second = DigestService(other_store, other_catalogue, {"console": other}, clock=clock,
                           worker="test-b")
    try:
        clock.set(SLOT)
        slots = [(s.id, SLOT) for s in subs]
        await asyncio.gather(service.run_many(slots[:2]), second.run_many(slots[2:]))
    finally:
        await other_store.close()
        await other_catalogue.close()
    posted = [c.title for d in deliverer.sent + other.sent for c in d.answer.cards]
    assert sorted(posted) == sorted(set(posted))  # no story twice in the channel
    assert sorted(posted) == [f"Story {n}" for n in range(6)]  # and none lost


async def test_a_refused_delivery_lets_its_stories_go(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Held story", START - timedelta(hours=1))
    clock.set(SLOT)
    deliverer.refuse = "channel_not_found"
    assert await service.run_slot(sub.id, SLOT) is Outcome.PAUSED
    assert await store.sent_ids(sub.channel_key) == set()


async def test_nothing_new_posts_nothing_unless_asked(
        service: DigestService, store: DigestStore, deliverer: RecordingDeliverer,
        clock: FakeClock) -> None:
    quiet: Any = await subscribe(store, clock)
    chatty: Any = await subscribe(store, clock, channel="chatty", notify_empty=True)
    clock.set(SLOT)
    assert await service.run_slot(quiet.id, SLOT) is Outcome.EMPTY
    assert deliverer.sent == []
    assert await service.run_slot(chatty.id, SLOT) is Outcome.POSTED
    # No digest went out before: the window is named, not "the last digest" (there was none).
    assert deliverer.sent[0].answer.lead == (
        "No new stories since Fri 20 Mar 2026 09:00 Europe/London.")
    assert deliverer.sent[0].answer.cards == ()
    clock.set(SLOT + timedelta(days=1))
    assert await service.run_slot(chatty.id, SLOT + timedelta(days=1)) is Outcome.POSTED
    assert deliverer.sent[1].answer.lead == "No new stories since the last digest."
    late: Any = await subscribe(store, clock, channel="late", notify_empty=True)
    later = SLOT + timedelta(days=3)  # more than a day after it was set up: the window is all
    clock.set(later)
    assert await service.run_slot(late.id, later) is Outcome.POSTED
    assert deliverer.sent[2].answer.lead == "No new stories since this subscription was created."


async def test_topic_matches_title_body_and_speakers(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock, topic="Peskov, glacier")
    await add_article(catalogue, "Kremlin answers critics", START - timedelta(hours=1),
                      speakers=("Dmitry Peskov",))
    await add_article(catalogue, "Melting ice", START - timedelta(hours=2),
                      body="The glacier retreated by a record distance this year.")
    await add_article(catalogue, "Football results", START - timedelta(hours=3))
    clock.set(SLOT)
    assert await service.run_slot(sub.id, SLOT) is Outcome.POSTED
    assert deliverer.titles() == ["Kremlin answers critics", "Melting ice"]
    assert "about “Peskov, glacier”" in deliverer.sent[0].answer.lead


async def test_styles_shape_the_cards(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    subs: list[Any] = [await subscribe(store, clock, channel=s, style=s)
                       for s in ("titles", "brief", "full")]
    await add_article(catalogue, "Styled story", START - timedelta(hours=1),
                      body="First sentence of the lede.")
    clock.set(SLOT)
    for sub in subs:
        assert await service.run_slot(sub.id, SLOT) is Outcome.POSTED
    titles, brief, full = (d.answer.cards[0] for d in deliverer.sent)
    assert titles.body == ""
    assert brief.body == "First sentence of the lede."
    assert full.summary == ("First sentence of the lede.", "A second paragraph for the summary.")


async def test_a_failed_post_is_retried_with_backoff_then_reported(
        store: DigestStore, catalogue: Catalogue, clock: FakeClock) -> None:
    failing, admin = RecordingDeliverer(failures=1000), RecordingDeliverer()
    deliverers = {"console": failing, "ops": admin}
    service = DigestService(store, catalogue, deliverers, clock=clock,
                            admins=AdminReports(Place(platform="ops", channel="alerts"),
                                                deliverers))
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Story", START - timedelta(hours=1))
    clock.set(SLOT)
    assert await service.run_slot(sub.id, SLOT) is Outcome.RETRY
    waits, outcome = [], Outcome.RETRY
    while outcome is Outcome.RETRY:
        wait = Timing().backoff(failing.attempts)
        clock.advance(seconds=wait.total_seconds() - 1)
        assert await service.retry_due() == []  # not before its time
        clock.advance(seconds=1)
        [outcome] = await service.retry_due()
        waits.append(int(wait.total_seconds()))
    assert outcome is Outcome.FAILED
    assert waits == [30, 60, 120, 240, 480, 480]  # then the next wait would pass the grace
    assert failing.attempts == 7
    refreshed: Any = await store.get(sub.id)
    assert "failed after 7 attempt(s): ConnectionError (ref " in refreshed.last_error
    assert "simulated outage" not in refreshed.last_error  # no exception text kept
    assert len(admin.sent) == 1
    assert admin.sent[0].place.channel == "alerts"
    assert "Digest #1" in admin.sent[0].answer.lead
    assert await service.retry_due() == []
    assert await service.run_slot(sub.id, SLOT) is Outcome.DUPLICATE  # failed is final


async def test_a_transient_failure_is_retried_and_posted_once(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    deliverer.failures = 2
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Story", START - timedelta(hours=1))
    clock.set(SLOT)
    assert await service.run_slot(sub.id, SLOT) is Outcome.RETRY
    assert await service.run_slot(sub.id, SLOT) is Outcome.DUPLICATE  # a trigger while waiting
    clock.advance(seconds=30)
    assert await service.retry_due() == [Outcome.RETRY]
    clock.advance(seconds=60)
    assert await service.retry_due() == [Outcome.POSTED]
    assert len(deliverer.sent) == 1
    [run] = await store.runs(sub.id)
    assert (run.status, run.attempts) == (RunStatus.POSTED, 3)


async def test_a_refused_delivery_pauses_without_retrying(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock, platform="discord")
    await add_article(catalogue, "Story", START - timedelta(hours=1))
    deliverer.refuse = "Missing Access"
    clock.set(SLOT)
    assert await service.run_slot(sub.id, SLOT) is Outcome.PAUSED
    paused: Any = await store.get(sub.id)
    assert paused.paused
    assert paused.paused_reason == "delivery refused: Missing Access"
    clock.advance(hours=1)
    assert await service.retry_due() == []
    assert await service.run_slot(sub.id, SLOT + timedelta(days=1)) is Outcome.SKIPPED
    assert deliverer.attempts == 2  # the digest, then the report to the admin channel
    [run] = await store.runs(sub.id)
    assert run.status is RunStatus.FAILED


async def test_a_claim_left_by_a_crashed_worker_is_taken_over_after_its_lease(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Story", START - timedelta(hours=1))
    clock.set(SLOT)
    timing = Timing()
    claim = await store.claim(sub, "2026-03-21T09:00", SLOT, now=clock(), lease=timing.lease,
                              grace=timing.grace, worker="crashed")
    assert claim is not None
    assert await service.run_slot(sub.id, SLOT) is Outcome.DUPLICATE  # lease still live
    assert await service.retry_due() == []
    clock.advance(minutes=5)
    assert await service.retry_due() == [Outcome.POSTED]
    assert len(deliverer.sent) == 1
    assert await service.retry_due() == []


async def test_downtime_is_caught_up_with_one_digest(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock, max_stories=10)
    await add_article(catalogue, "Before the outage", START - timedelta(hours=1))
    clock.set(SLOT)
    assert await service.run_slot(sub.id, SLOT) is Outcome.POSTED
    for day in (1, 2, 3):
        await add_article(catalogue, f"Missed on day {day}", SLOT + timedelta(days=day, hours=1))
    clock.set(SLOT + timedelta(days=4, hours=3))  # down through four 09:00 slots
    assert await service.catch_up() == {sub.id: Outcome.POSTED}
    assert len(deliverer.sent) == 2
    catch_up = deliverer.sent[-1].answer
    assert catch_up.lead.startswith("While I was offline… Your news digest: 3 new stories")
    assert deliverer.titles() == ["Missed on day 3", "Missed on day 2", "Missed on day 1"]
    assert await service.catch_up() == {}  # a second start: nothing more
    [_, run] = await store.runs(sub.id)
    assert (run.slot, run.catch_up) == ("2026-03-25T09:00", True)
    await add_article(catalogue, "Back to normal", SLOT + timedelta(days=4, hours=4))
    clock.set(SLOT + timedelta(days=5))
    assert await service.run_slot(sub.id, clock()) is Outcome.POSTED
    assert deliverer.sent[-1].answer.lead.startswith("Your news digest: 1 new story")


async def test_catch_up_closes_older_unfinished_runs(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Story", START + timedelta(hours=1))
    clock.set(SLOT)
    deliverer.failures = 1
    assert await service.run_slot(sub.id, SLOT) is Outcome.RETRY
    clock.set(SLOT + timedelta(days=2, hours=1))  # the bot was down meanwhile
    assert await service.catch_up() == {sub.id: Outcome.POSTED}
    assert await service.retry_due() == []  # the old slot's stories went out in the catch-up
    runs = await store.runs(sub.id)
    assert [(r.slot, r.status) for r in runs] == [
        ("2026-03-21T09:00", RunStatus.FAILED), ("2026-03-23T09:00", RunStatus.POSTED)]
    assert runs[0].last_error == "superseded by the catch-up digest"
    assert len(deliverer.sent) == 1


async def test_a_new_subscription_has_nothing_to_catch_up(
        service: DigestService, store: DigestStore, clock: FakeClock) -> None:
    await subscribe(store, clock)  # created 12:00, after today's 09:00 slot
    clock.advance(hours=1)
    assert await service.catch_up() == {}


async def _run_fires(service: DigestService, catalogue: Catalogue, clock: FakeClock,
                     sub_id: int, fires: list[datetime]) -> list[Outcome]:
    outcomes = []
    for moment in fires:
        await add_article(catalogue, f"Story for {moment.isoformat()}", moment - timedelta(hours=1))
        clock.set(moment)
        outcomes.append(await service.run_slot(sub_id, moment))
    return outcomes


def _fires(schedule: str, zone: ZoneInfo, start: datetime, days: int) -> list[datetime]:
    trigger = build_trigger(schedule, zone)
    found: list[datetime] = []
    previous: datetime | None = None
    moment = start
    while (nxt := trigger.get_next_fire_time(previous, moment)) is not None and (
            nxt < start + timedelta(days=days)):
        found.append(nxt)
        previous, moment = nxt, nxt + timedelta(seconds=1)
    return found


async def test_london_digest_posts_at_nine_local_on_both_sides_of_each_change(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    for start in (datetime(2026, 3, 26, 12, tzinfo=UTC), datetime(2026, 10, 22, 12, tzinfo=UTC)):
        clock.set(start)
        sub: Any = await subscribe(store, clock, channel=f"c{start.month}")
        fires = _fires("daily 09:00", LONDON, start, 5)
        assert await _run_fires(service, catalogue, clock, sub.id, fires) == [Outcome.POSTED] * 5
        runs = await store.runs(sub.id)
        assert {r.slot_at.astimezone(LONDON).strftime("%H:%M") for r in runs} == {"09:00"}
        assert len({r.slot_at.hour for r in runs}) == 2  # 09:00 GMT and 08:00 UTC (BST)
    assert len(deliverer.sent) == 10


async def test_a_0230_digest_on_the_spring_forward_day_posts_once(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 6, 12, tzinfo=UTC))
    sub: Any = await subscribe(store, clock, schedule="daily 02:30", tz="America/New_York")
    fires = _fires("daily 02:30", NEW_YORK, clock(), 3)
    assert await _run_fires(service, catalogue, clock, sub.id, fires) == [Outcome.POSTED] * 3
    # The nonexistent 02:30 fires as 03:30 EDT. The same slot reached another way is a
    # duplicate: the wall-clock reading of 02:30 that day (what a naive scheduler computes)
    # and a late run of the job, 40 s after the fire; a restart later catches nothing up.
    assert fires[1] == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    for moment in (datetime(2026, 3, 8, 2, 30, tzinfo=NEW_YORK),
                   fires[1] + timedelta(seconds=40)):
        clock.set(moment)
        assert await service.run_slot(sub.id, moment) is Outcome.DUPLICATE
    clock.set(datetime(2026, 3, 8, 20, tzinfo=UTC))
    assert await service.catch_up() == {}
    slots = [r.slot for r in await store.runs(sub.id)]
    assert slots == ["2026-03-07T02:30", "2026-03-08T03:30", "2026-03-09T02:30"]
    assert len(deliverer.sent) == 3


async def test_a_wall_time_repeated_on_the_fall_back_day_posts_once(
        service: DigestService, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    clock.set(datetime(2026, 10, 31, 12, tzinfo=UTC))
    sub: Any = await subscribe(store, clock, schedule="daily 01:30", tz="America/New_York")
    fires = _fires("daily 01:30", NEW_YORK, clock(), 1)
    assert len(fires) == 2  # 01:30 EDT and 01:30 EST
    outcomes = await _run_fires(service, catalogue, clock, sub.id, fires)
    assert outcomes == [Outcome.POSTED, Outcome.DUPLICATE]
    assert len(deliverer.sent) == 1


async def test_a_slow_post_keeps_its_claim_and_is_not_posted_twice(
        store: DigestStore, catalogue: Catalogue, clock: FakeClock) -> None:
    """Delivery blocks for 12 minutes (longer than the 5-minute lease) while another process
    sweeps: the lease is renewed, so nobody takes the slot over and it posts once."""
    sub: Any = await subscribe(store, clock)
    await add_article(catalogue, "Story", START + timedelta(hours=1))
    clock.set(SLOT)
    entered, release = asyncio.Event(), asyncio.Event()

    class Slow(RecordingDeliverer):
        async def deliver(self, place: Place, answer: Any) -> None:
            entered.set()
            await release.wait()
            await super().deliver(place, answer)

    sleep = ClockSleep(clock)  # the renewer's pauses pass on the test clock only
    slow, elsewhere = Slow(), RecordingDeliverer()
    first = DigestService(store, catalogue, {"console": slow}, clock=clock, worker="first",
                          sleep=sleep)
    other = DigestService(store, catalogue, {"console": elsewhere}, clock=clock, worker="other")
    posting = asyncio.create_task(first.run_slot(sub.id, SLOT))
    await asyncio.wait_for(entered.wait(), 5)
    await sleep.asleep()
    for _ in range(12):  # twelve minutes pass while the post is in flight
        await sleep.advance(minutes=1)  # returns once any renewal due by now is done
        assert await other.retry_due() == []
    assert sleep.wakes == 6  # it asks for 100 s (a third of the lease): woken every 2 minutes
    assert await other.run_slot(sub.id, SLOT) is Outcome.DUPLICATE
    release.set()
    assert await asyncio.wait_for(posting, 5) is Outcome.POSTED
    clock.advance(minutes=10)
    assert await other.retry_due() == []
    assert (len(slow.sent), elsewhere.sent) == (1, [])
