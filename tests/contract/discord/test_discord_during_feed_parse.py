"""A Discord interaction is answered within Discord's 3-second deadline while a large feed is
being parsed (issue 14, item 15): real discord.py against the fake Discord, a real feed served
by a local HTTP server, the real ``FeedService.probe`` (what ``feeds add`` runs) in the same
event loop. Parsing runs in the feeds' worker threads (``bot/feeds/offloop.py``); put back on
the loop, the interaction's first response could only come after the parse ends."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import bot.feeds.service as feed_service
from bot.catalogue.base import Catalogue
from bot.feeds.fetch import Fetcher
from bot.feeds.parse import ParsedFeed, parse_feed
from bot.feeds.service import FeedService
from bot.feeds.sqlite_store import SqliteFeedStore
from tests.contract.discord.conftest import StartBot, StubEngine
from tests.fakes.discord_fake import FakeDiscord
from tests.feeds.conftest import policy
from tests.feeds.content import Item, excerpt, rss20

# Parsing 15,000 entries takes 2-7 s here (idle vs. loaded); what proves the point is the
# overlap asserted below, not the parse's length, so a fast machine cannot make this pass by luck.
ENTRIES = 15_000
DEADLINE = 3.0  # Discord drops an interaction not answered within 3 s of being sent


@dataclass
class ParseWatch:
    """When the real ``parse_feed`` started and ended (``time.monotonic``), from any thread."""

    loop: asyncio.AbstractEventLoop
    started: asyncio.Event = field(default_factory=asyncio.Event)
    start: float = 0.0
    end: float | None = None

    def wrap(self, parse: Callable[..., ParsedFeed]) -> Callable[..., ParsedFeed]:
        def watched(*args: Any, **kwargs: Any) -> ParsedFeed:
            self.start = time.monotonic()
            self.loop.call_soon_threadsafe(self.started.set)
            try:
                return parse(*args, **kwargs)
            finally:
                self.end = time.monotonic()
        return watched

    async def wait_started(self, wait: float = 30.0) -> None:
        """Resumes on the loop: if the parse ran on the loop, only after it ended."""
        await asyncio.wait_for(self.started.wait(), wait)


@pytest.fixture
async def big_feed_url() -> AsyncIterator[str]:
    """A local HTTP server on 127.0.0.1 serving one large RSS feed, built here."""
    body = rss20([Item(f"Story {n}", f"https://news.example/{n}", excerpt(n))
                  for n in range(ENTRIES)])

    async def handle(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/feed"
    await runner.cleanup()


@pytest.fixture
async def feeds(catalogue: Catalogue, tmp_path: Path) -> AsyncIterator[FeedService]:
    """The real feed service over a real feed store, a fetcher that may read a large feed."""
    store = SqliteFeedStore(str(tmp_path / "feeds.db"))
    await store.open()
    async with Fetcher(policy(max_bytes=16 * 1024 * 1024, timeout=30.0,
                              read_timeout=30.0)) as fetcher:
        yield FeedService(store, catalogue, fetcher)
    await store.close()


@pytest.fixture
async def watch(monkeypatch: pytest.MonkeyPatch) -> ParseWatch:
    """Times the real parser as the feed service calls it (it still does the real work)."""
    watch = ParseWatch(asyncio.get_running_loop())
    monkeypatch.setattr(feed_service, "parse_feed", watch.wrap(parse_feed))
    return watch


async def test_an_interaction_is_answered_while_a_large_feed_is_parsed(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord,
    feeds: FeedService, big_feed_url: str, watch: ParseWatch,
) -> None:
    await start_bot(stub_engine)
    probe = asyncio.create_task(feeds.probe(big_feed_url, trusted=True))
    await watch.wait_started()
    payload = fake_discord.interaction("help")
    sent = time.monotonic()
    await fake_discord.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (callback,) = await fake_discord.wait_request("POST", re.escape(path), wait=60)
    parsed = await asyncio.wait_for(probe, 60)

    assert len(parsed.entries) == ENTRIES
    assert watch.end is not None
    assert watch.start < sent, "the interaction was sent before the parse began"
    assert callback.at < watch.end, (
        f"the interaction was answered only after the parse ended "
        f"({callback.at - watch.end:.1f} s later): the parse blocked the event loop")
    assert callback.at - sent < DEADLINE, (
        f"first response {callback.at - sent:.1f} s after the interaction was sent")
    assert callback.body["type"] in (4, 5)  # a real answer or a deferral, both in time
