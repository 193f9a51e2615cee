"""Parsing a large feed never stalls the event loop (heartbeats, Discord's 3-second
interaction deadline and Slack acks all run on it). Not a timing test: the bound is a
generous one that parsing on the loop breaks by seconds (a 10,000-entry feed takes seconds to
parse), while a loop left free is late by milliseconds."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from bot.feeds.parse import ParsedFeed
from bot.feeds.report import PollReport
from bot.feeds.store import FullText, SeenEntry
from tests.feeds.conftest import FeedServer, Reply, Rig
from tests.feeds.content import Item, excerpt, rss20

ENTRIES = 10_000
TICK = 0.01
BOUND = 1.0  # the longest the loop may go without running a ready task, seconds


async def worst_lag(work: Awaitable[object]) -> tuple[float, int]:
    """Run ``work`` while a probe sleeps ``TICK`` in a loop; returns the probe's worst lateness
    and how many times it woke."""
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    worst, ticks = 0.0, 0

    async def probe() -> None:
        nonlocal worst, ticks
        while not done.is_set():
            start = loop.time()
            await asyncio.sleep(TICK)
            worst = max(worst, loop.time() - start - TICK)
            ticks += 1

    task = asyncio.create_task(probe())
    try:
        await work
    finally:
        done.set()
        await task
    return worst, ticks


def large_feed() -> bytes:
    return rss20([Item(f"Story {n}", f"https://news.example/{n}", excerpt(n))
                  for n in range(ENTRIES)])


async def test_large_feeds_are_parsed_off_the_loop(server: FeedServer, rig: Rig) -> None:
    """``feeds add`` (the probe) and a poll each parse a 10,000-entry feed; the entries the
    probe found are remembered as stored, so the poll's work is its parse, not storing."""
    rig.service.fetcher.policy.max_bytes = 8 * 1024 * 1024
    url = server.serve("/feed", Reply(large_feed()))
    probed: list[ParsedFeed] = []

    async def add() -> None:
        probed.append(await rig.service.probe(url, trusted=True))

    worst, ticks = await worst_lag(add())
    assert len(probed[0].entries) == ENTRIES
    assert worst < BOUND, f"the event loop stalled {worst:.1f} s while a feed was parsed"
    assert ticks > 1  # the probe really ran alongside the parse

    feed = await rig.store.add(url, interval_minutes=15, full_text=FullText.NEVER,
                               added_by="test", now=rig.service.clock())
    await rig.store.remember(feed.id, [SeenEntry(e.key, e.fingerprint, None, False)
                                       for e in probed[0].entries], rig.service.clock())
    reports: list[PollReport] = []

    async def poll() -> None:
        reports.append(await rig.service.poll(feed.id))

    worst, ticks = await worst_lag(poll())
    [report] = reports
    assert (report.error, report.entries, report.fresh) == (None, ENTRIES, 0)
    assert worst < BOUND, f"the event loop stalled {worst:.1f} s while a feed was polled"
    assert ticks > 1
