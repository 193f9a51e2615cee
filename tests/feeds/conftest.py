"""A local HTTP server on 127.0.0.1 serving the feeds and pages of ``content``, with scripted
failures; a fetcher that never really sleeps; a real SQLite catalogue and feed store."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.feeds.fetch import Fetcher, FetchPolicy
from bot.feeds.service import FeedService
from bot.feeds.sqlite_store import SqliteFeedStore
from bot.feeds.store import FeedStore
from bot.models import Analysis, ArticleDraft

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Reply:
    """A canned response."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    delay: float = 0.0


class FeedServer:
    """Routes by path; a route is a ``Reply``, a list of replies served in turn (the last one
    repeats), or a handler. Every request is logged with its headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | list[Reply] | Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.base = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def serve(self, path: str, reply: Reply | list[Reply] | Handler) -> str:
        self.routes[path] = reply
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path_qs, dict(request.headers)))
        route = self.routes.get(request.path_qs) or self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="not here")
        if callable(route):
            return await route(request)
        reply = route.pop(0) if isinstance(route, list) and len(route) > 1 else (
            route[0] if isinstance(route, list) else route)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        return self._respond(request, reply)

    @staticmethod
    def _respond(request: web.Request, reply: Reply) -> web.Response:
        headers = dict(reply.headers)
        if reply.etag:
            headers["ETag"] = reply.etag
        if reply.last_modified:
            headers["Last-Modified"] = reply.last_modified
        matched = (reply.etag and request.headers.get("If-None-Match") == reply.etag) or (
            reply.last_modified
            and request.headers.get("If-Modified-Since") == reply.last_modified)
        if matched:
            return web.Response(status=304, headers=headers)
        body = reply.body
        if reply.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Type"] = reply.content_type
        return web.Response(status=reply.status, body=body, headers=headers)


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    feeds = FeedServer()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", feeds.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    feeds.base = f"http://127.0.0.1:{port}"
    yield feeds
    await runner.cleanup()


class Sleeps:
    """An injected sleep: records the waits, yields to the loop, never waits for real. Its
    ``clock`` is a monotonic clock that moves only when something sleeps."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 1000.0

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)

    def clock(self) -> float:
        """The fake monotonic time (seconds)."""
        return self.now


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def policy(**changes: object) -> FetchPolicy:
    """Test limits: no per-host delay, small size cap, short timeouts; private hosts allowed,
    since the test server is on 127.0.0.1 (the refusal tests turn that off)."""
    base = FetchPolicy(per_host_delay=0.0, max_bytes=256 * 1024, timeout=5.0, read_timeout=5.0,
                       retries=3, backoff=1.0, max_wait=60.0, allow_private=True)
    for name, value in changes.items():
        setattr(base, name, value)
    return base


@pytest.fixture
async def fetcher(sleeps: Sleeps) -> AsyncIterator[Fetcher]:
    async with Fetcher(policy(), sleep=sleeps, monotonic=sleeps.clock) as client:
        yield client


async def plain_analyser(drafts: Sequence[ArticleDraft]) -> list[Analysis]:
    """A trivial analyser for tests about fetching and dedupe, not analysis."""
    return [Analysis(sentences=(), summary_ranking=()) for _ in drafts]


@dataclass
class Rig:
    """A service over a real SQLite catalogue and feed store in one file."""

    service: FeedService
    catalogue: Catalogue
    store: FeedStore
    path: Path


@pytest.fixture
async def rig(tmp_path: Path, fetcher: Fetcher) -> AsyncIterator[Rig]:
    db = tmp_path / "newsbot.db"
    catalogue = await open_catalogue(f"sqlite:///{db}")
    store = SqliteFeedStore(str(db))
    await store.open()
    service = FeedService(store, catalogue, fetcher, analyser=plain_analyser)
    yield Rig(service, catalogue, store, db)
    await store.close()
    await catalogue.close()
