"""Shared by the contract tests that answer a chat interaction while a large feed is parsed
(issue 14, item 15): the feed (built in the test, served on 127.0.0.1), the real feed service
that fetches and parses it, and a watch on the real parser's start and end."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
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
from tests.feeds.conftest import policy
from tests.feeds.content import Item, excerpt, rss20

# Parsing 15,000 entries takes 2-9 s here (idle vs. loaded). What proves the point is the
# overlap the tests assert (answered before the parse ended), not the parse's length, so a fast
# machine cannot make them pass by luck: it would fail them instead.
ENTRIES = 15_000
DEADLINE = 3.0  # Discord's interaction deadline and Slack's ack deadline, seconds


@dataclass
class ParseWatch:
    """When the real ``parse_feed`` started and ended (``time.monotonic``), from any thread."""

    loop: asyncio.AbstractEventLoop
    started: asyncio.Event = field(default_factory=asyncio.Event)
    start: float = 0.0
    end: float | None = None

    def wrap(self, parse: Callable[..., ParsedFeed]) -> Callable[..., ParsedFeed]:
        """``parse``, timed; it still does all the work."""
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

    def running_at(self, moment: float) -> bool:
        """Whether the parse had begun and not yet ended at ``moment``."""
        return self.start < moment and (self.end is None or moment < self.end)


def watch_parser(monkeypatch: pytest.MonkeyPatch) -> ParseWatch:
    """Time the real parser as the feed service calls it (call from a running loop)."""
    watch = ParseWatch(asyncio.get_running_loop())
    monkeypatch.setattr(feed_service, "parse_feed", watch.wrap(parse_feed))
    return watch


@asynccontextmanager
async def large_feed_served() -> AsyncIterator[str]:
    """A local HTTP server on 127.0.0.1 serving one ``ENTRIES``-entry RSS feed; its URL."""
    body = rss20([Item(f"Story {n}", f"https://news.example/{n}", excerpt(n))
                  for n in range(ENTRIES)])

    async def handle(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/feed"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def feed_service_over(catalogue: Catalogue, folder: Path) -> AsyncIterator[FeedService]:
    """The real feed service over a real feed store, with a fetcher that reads large feeds."""
    store = SqliteFeedStore(str(folder / "feeds.db"))
    await store.open()
    try:
        async with Fetcher(policy(max_bytes=16 * 1024 * 1024, timeout=30.0,
                                  read_timeout=30.0)) as fetcher:
            yield FeedService(store, catalogue, fetcher)
    finally:
        await store.close()
