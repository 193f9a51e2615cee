"""``feeds add|remove|list`` answers, permissions, and the scheduler built from the table."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from bot.answering.texts import FEEDS_NOT_IN_DM
from bot.feeds.commands import REFUSAL, FeedCommands, check_url
from bot.feeds.fetch import Fetcher, FetchPolicy
from bot.feeds.scheduler import JOB_PREFIX, FeedScheduler, add_config_feeds
from bot.feeds.service import FeedService
from bot.feeds.store import FullText
from bot.messages import Place, Query, User
from bot.settings import FeedSettings
from tests.feeds.conftest import FeedServer, Reply, Rig, plain_analyser
from tests.feeds.content import Item, excerpt, rss20

ADMIN = User(id="U1", name="admin", can_manage=True)
MEMBER = User(id="U2", name="member")
LOCAL = FeedSettings(allow_private_hosts=True)


def commands(rig: Rig, settings: FeedSettings = LOCAL, changes: list[int] | None = None
             ) -> FeedCommands:
    async def changed(feed_id: int) -> None:
        if changes is not None:
            changes.append(feed_id)

    return FeedCommands(rig.service, settings, on_change=changed)


async def test_add_list_remove(server: FeedServer, rig: Rig) -> None:
    changes: list[int] = []
    cmds = commands(rig, changes=changes)
    url = server.serve("/feed", Reply(rss20([Item("A", server.url("/a"), excerpt(1))])))
    added = await cmds.add(ADMIN, url, interval="30", full_text="never")
    assert added.notice is None
    assert "Feed #1 added: Marlow Vale Gazette (1 entries)" in added.lead
    assert changes == [1]
    again = await cmds.add(ADMIN, url + "?utm_source=x")
    assert again.notice == "That feed is already listed as #1."
    listing = await cmds.list(MEMBER)
    assert listing.lead == "1 feed(s), all healthy."
    fields = dict(listing.cards[0].fields)
    assert (fields["Every"], fields["Full text"], fields["Health"]) == ("30 min", "never", "ok")
    await rig.service.poll(1)
    server.serve("/feed", Reply(status=500))
    await rig.service.poll(1)
    fields = dict((await cmds.list(MEMBER)).cards[0].fields)
    assert fields["Health"].startswith("failing: 1 poll(s) in a row")
    assert "HTTP 500 (gave up after 4 attempt(s))" in fields["Last error"]
    assert fields["Last success"] != "never"
    removed = await cmds.remove(ADMIN, "#1")
    assert removed.notice is None
    assert changes == [1, 1]
    assert (await cmds.list(MEMBER)).lead.startswith("No feeds yet")


async def test_refusals_and_mistakes(server: FeedServer, rig: Rig) -> None:
    cmds = commands(rig)
    url = server.serve("/page", Reply(b"<html><body>hi</body></html>", content_type="text/html"))
    assert str((await cmds.add(MEMBER, url)).notice).startswith("Only members who can manage")
    assert str((await cmds.remove(MEMBER, 1)).notice).startswith("Only members who can manage")
    assert (await cmds.add(ADMIN, "ftp://x/feed")).notice == (
        "Give the feed's full address, starting with http:// or https://.")
    assert (await cmds.add(ADMIN, url)).notice == (
        "Could not add the feed: an HTML page, not a feed (text/html).")
    assert "minutes from 5 to 1440" in str((await cmds.add(ADMIN, url, interval="1")).notice)
    assert "auto, always, never" in str((await cmds.add(ADMIN, url, full_text="some")).notice)
    assert str((await cmds.remove(ADMIN, "x")).notice).startswith("'x' is not a feed id")
    assert str((await cmds.remove(ADMIN, 9)).notice).startswith("There is no feed #9")
    private = commands(rig, FeedSettings())
    assert "private network" in str((await private.add(ADMIN, url)).notice)
    assert await rig.store.find() == []


def test_private_addresses() -> None:
    for url in ("http://localhost/f", "http://10.0.0.3/f", "http://[::1]/f",
                "http://169.254.169.254/latest"):
        try:
            check_url(url, allow_private=False)
        except ValueError:
            continue
        raise AssertionError(url)
    assert check_url(" https://example.org/feed ", allow_private=False) == (
        "https://example.org/feed")


async def test_scheduler_rebuilds_jobs_from_the_table(server: FeedServer, rig: Rig) -> None:
    settings = FeedSettings(feeds=[server.url("/one"), server.url("/two")])
    assert await add_config_feeds(rig.store, settings, rig.service.clock()) == 2
    assert await add_config_feeds(rig.store, settings, rig.service.clock()) == 0
    scheduler = FeedScheduler(rig.service)
    assert await scheduler.sync() == 2
    jobs = {j.id for j in scheduler.scheduler.get_jobs()}
    assert jobs == {f"{JOB_PREFIX}1", f"{JOB_PREFIX}2"}
    first, second = scheduler.next_run(1), scheduler.next_run(2)
    assert first is not None
    assert second is not None
    assert second - first == timedelta(seconds=2)
    third = await rig.store.add(server.url("/three"), interval_minutes=60,
                                full_text=FullText.AUTO, added_by="t", now=rig.service.clock())
    await scheduler.on_change(third.id)
    await rig.store.delete(1)
    await scheduler.on_change(1)
    assert {j.id for j in scheduler.scheduler.get_jobs()} == {f"{JOB_PREFIX}2",
                                                              f"{JOB_PREFIX}3"}
    await rig.store.delete(2)
    assert await scheduler.sync() == 1  # a CLI removal is picked up by the sweep


async def test_config_feeds_carry_their_own_interval_and_full_text(
        server: FeedServer, rig: Rig) -> None:
    settings = FeedSettings(default_interval_minutes=20, full_text="auto", feeds=[
        server.url("/plain"), {"url": server.url("/own"), "interval": 60, "full_text": "never"}])
    assert await add_config_feeds(rig.store, settings, rig.service.clock()) == 2
    chat = await rig.store.add(server.url("/chat"), interval_minutes=30, full_text=FullText.AUTO,
                               added_by="U1", now=rig.service.clock())
    options = {f.url: (f.interval_minutes, f.full_text) for f in await rig.store.find()}
    assert options == {server.url("/plain"): (20, FullText.AUTO),
                       server.url("/own"): (60, FullText.NEVER),
                       chat.url: (30, FullText.AUTO)}
    # The operator edits the file: its feeds follow at the next start; a chat feed keeps its own.
    edited = FeedSettings(default_interval_minutes=20, full_text="auto", feeds=[
        {"url": server.url("/plain"), "full_text": "always"},
        {"url": server.url("/own"), "interval": 15},
        {"url": chat.url, "interval": 90}])
    assert await add_config_feeds(rig.store, edited, rig.service.clock()) == 0
    options = {f.url: (f.interval_minutes, f.full_text) for f in await rig.store.find()}
    assert options == {server.url("/plain"): (20, FullText.ALWAYS),
                       server.url("/own"): (15, FullText.AUTO),
                       chat.url: (30, FullText.AUTO)}
    scheduler = FeedScheduler(rig.service)
    assert await scheduler.sync() == 3
    job = scheduler.scheduler.get_job(f"{JOB_PREFIX}2")
    assert job.trigger.interval == timedelta(minutes=15)


async def test_fire_polls_and_never_raises(server: FeedServer, rig: Rig) -> None:
    feed = await rig.store.add(server.serve("/feed", Reply(rss20([]))), interval_minutes=15,
                               full_text=FullText.AUTO, added_by="t", now=rig.service.clock())
    scheduler = FeedScheduler(rig.service)
    report = await scheduler.fire(feed.id)
    assert report is not None
    assert report.error is None
    await rig.store.close()  # the store breaking under a poll is logged, not raised
    assert await scheduler.fire(feed.id) is None


@contextlib.contextmanager
def _refusing_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections for as long as the block runs: bound (so no
    other process can take it) but never listening, so the kernel answers every connection
    attempt with a reset."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


async def test_add_fails_fast_on_a_refused_connection(rig: Rig) -> None:
    # The real fetcher and policy (3 retries with backoff) as `newsbot run` has; its sleeps
    # are recorded (and still taken) to show `feeds add` never waits for a retry.
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        await asyncio.sleep(seconds)

    async with Fetcher(FetchPolicy(allow_private=True), sleep=sleep) as fetcher:
        service = FeedService(rig.store, rig.catalogue, fetcher, analyser=plain_analyser)
        cmds = FeedCommands(service, LOCAL)
        with _refusing_port() as port:
            answer = await cmds.add(ADMIN, f"http://127.0.0.1:{port}/feed")
    assert answer.notice == (f"Could not add the feed: connection refused by 127.0.0.1:{port}. "
                             "Check the address, or try again later.")
    assert slept == []  # one attempt, no backoff
    assert await rig.store.find() == []


def chat(user: User, *args: tuple[str, str], direct: bool = False) -> Query:
    """``/news feeds ...`` as any adapter hands it to the core."""
    place = Place(platform="slack", channel="D1" if direct else "C1", is_direct=direct)
    return Query(text="/news feeds", user=user, place=place, received_at=datetime.now(UTC),
                 command="feeds", args=args)


async def test_handle_maps_a_query_onto_the_actions(server: FeedServer, rig: Rig) -> None:
    changes: list[int] = []
    cmds = commands(rig, changes=changes)
    url = server.serve("/feed", Reply(rss20([Item("A", server.url("/a"), excerpt(1))])))
    added = await cmds.handle(chat(ADMIN, ("action", "add"), ("url", url),
                                   ("interval", "30"), ("full_text", "never")))
    assert added.lead.startswith("Feed #1 added")
    (feed,) = await rig.store.find()
    assert (feed.interval_minutes, feed.full_text) == (30, FullText.NEVER)
    refused = await cmds.handle(chat(MEMBER, ("action", "remove"), ("id", "1")))
    assert refused.notice == REFUSAL
    listed = await cmds.handle(chat(MEMBER, ("action", "list"), direct=True))
    assert [c.ref for c in listed.cards] == ["feed-1"]
    removed = await cmds.handle(chat(ADMIN, ("action", "remove"), ("id", "#1")))
    assert removed.lead.startswith("Feed #1")
    assert changes == [1, 1]


async def test_handle_refuses_managing_from_a_direct_message(rig: Rig) -> None:
    cmds = commands(rig)
    refused = await cmds.handle(chat(ADMIN, ("action", "add"), ("url", "https://x.org/f"),
                                     direct=True))
    assert refused.notice == FEEDS_NOT_IN_DM
    assert await rig.store.find() == []
    odd = await cmds.handle(chat(ADMIN, ("action", "explode")))
    assert odd.notice is not None
    assert odd.notice.startswith("Unknown feeds command 'explode'")
