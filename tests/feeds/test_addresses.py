"""Bad URLs and private addresses: a clear reason, never a crash, never a request to a host
feeds may not reach. The refusals run the real check (private hosts NOT allowed) against the
local server on 127.0.0.1, so a request that slipped through would show in its log."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.feeds.commands import FeedCommands
from bot.feeds.fetch import Fetcher, FetchError
from bot.feeds.guard import IPAddress
from bot.feeds.service import FeedService
from bot.feeds.store import FullText
from bot.messages import User
from bot.settings import FeedSettings
from tests.feeds.conftest import FeedServer, Reply, Rig, Sleeps, plain_analyser, policy
from tests.feeds.content import Item, excerpt, page, rss20, story

ADMIN = User(id="U1", name="admin", can_manage=True)
SECOND = "127.0.0.2"  # a second loopback address, for the "internal" server
BAD_URLS = ["http://127.1/x", "http://[::1/x", "http://example.org:99999/feed",
            "http://exa mple.org/feed", "http:///feed"]


def loopback_spellings(port: int) -> list[str]:
    """127.0.0.1 written every way a URL-text check tends to miss."""
    return [f"http://127.0.0.1:{port}/feed", f"http://localhost:{port}/feed",
            f"http://0x7f000001:{port}/feed", f"http://[::ffff:127.0.0.1]:{port}/feed",
            f"http://LOCALHOST:{port}/feed"]


@pytest.fixture
async def strict(sleeps: Sleeps) -> AsyncIterator[Fetcher]:
    """A fetcher with private hosts NOT allowed and the real address rule."""
    async with Fetcher(policy(allow_private=False, retries=0), sleep=sleeps) as client:
        yield client


@pytest.fixture
async def internal() -> AsyncIterator[FeedServer]:
    """A second server on 127.0.0.2, standing for an internal service."""
    feeds = FeedServer()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", feeds.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, SECOND, 0)
    await site.start()
    feeds.base = f"http://{SECOND}:{runner.addresses[0][1]}"
    yield feeds
    await runner.cleanup()


def only_first_loopback(address: IPAddress) -> bool:
    """Treat 127.0.0.1 (the test's "public" server) as public and every other non-global
    address as the rule does, so hops to 127.0.0.2 meet the real refusal path."""
    return address == ipaddress.IPv4Address("127.0.0.1")


@pytest.fixture
async def narrowed(sleeps: Sleeps) -> AsyncIterator[Fetcher]:
    async with Fetcher(policy(allow_private=False, retries=0), sleep=sleeps,
                       public=only_first_loopback) as client:
        yield client


async def test_loopback_in_any_spelling_is_refused(server: FeedServer, strict: Fetcher) -> None:
    server.serve("/feed", Reply(rss20([Item("A", None, story(1))])))
    port = int(server.base.rsplit(":", 1)[1])
    for url in loopback_spellings(port):
        with pytest.raises(FetchError, match=r"refused: .* non-public address"):
            await strict.fetch(url)
    assert server.requests == []  # nothing reached the server
    assert (await strict.fetch(server.url("/feed"), allow_private=True)).status == 200


async def test_a_redirect_to_an_internal_host_is_refused(
        server: FeedServer, internal: FeedServer, narrowed: Fetcher) -> None:
    internal.serve("/secret", Reply(b"internal", content_type="text/plain"))
    port = int(internal.base.rsplit(":", 1)[1])
    server.serve("/r1", Reply(status=302, headers={"Location": internal.url("/secret")}))
    server.serve("/r2", Reply(status=302, headers={
        "Location": f"http://0x7f000002:{port}/secret"}))
    server.serve("/ok", Reply(b"fine", content_type="text/plain"))
    assert (await narrowed.fetch(server.url("/ok"))).body == b"fine"
    for start in ("/r1", "/r2"):
        with pytest.raises(FetchError, match=r"refused: .* non-public address"):
            await narrowed.fetch(server.url(start))
    assert internal.requests == []
    assert server.hits("/r1") == server.hits("/r2") == 1


async def test_entry_pages_on_internal_hosts_are_not_read(
        server: FeedServer, internal: FeedServer, rig: Rig, narrowed: Fetcher) -> None:
    internal.serve("/p", Reply(page("Internal"), content_type="text/html"))
    server.serve("/p", Reply(page("Public"), content_type="text/html"))
    items = [Item("Internal", internal.url("/p"), excerpt(1)),
             Item("Public", server.url("/p"), excerpt(2))]
    service = FeedService(rig.store, rig.catalogue, narrowed, analyser=plain_analyser)
    feed = await rig.store.add(server.serve("/feed", Reply(rss20(items))), interval_minutes=15,
                               full_text=FullText.AUTO, added_by="U1", now=service.clock())
    report = await service.poll(feed.id)
    assert report.error is None
    assert (report.ingest.added, report.pages) == (2, 1)
    assert any("page not read (refused:" in note for note in report.notes)
    assert internal.requests == []
    kinds = {h.title: h.kind for h in await rig.catalogue.latest(5)}
    assert kinds == {"Internal": "teaser", "Public": "full"}


async def test_chat_cannot_add_a_loopback_feed_in_any_spelling(
        server: FeedServer, rig: Rig, strict: Fetcher) -> None:
    server.serve("/feed", Reply(rss20([Item("A", None, story(1))])))
    service = FeedService(rig.store, rig.catalogue, strict, analyser=plain_analyser)
    cmds = FeedCommands(service, FeedSettings())  # allow_private_hosts off
    port = int(server.base.rsplit(":", 1)[1])
    for url in [*loopback_spellings(port), f"http://localhost.:{port}/feed"]:
        answer = await cmds.add(ADMIN, url)
        assert answer.notice is not None
        assert ("private network" in answer.notice
                or answer.notice.startswith("Could not add the feed: ")), (url, answer.notice)
    assert server.requests == []
    assert await rig.store.find() == []
    # The operator at the CLI may (and the bot then polls that feed: it is marked as such).
    added = await cmds.add(ADMIN, server.url("/feed"), trusted=True)
    assert added.notice is None
    [feed] = await rig.store.find()
    assert feed.private_ok
    assert (await service.poll(feed.id)).error is None


@pytest.mark.parametrize("url", BAD_URLS)
async def test_bad_urls_are_a_clear_fetch_error(fetcher: Fetcher, url: str) -> None:
    with pytest.raises(FetchError, match=r"invalid URL|not an http"):
        await fetcher.fetch(url)


async def test_one_bad_entry_link_never_fails_the_feed(server: FeedServer, rig: Rig) -> None:
    server.serve("/p/good", Reply(page("Good story"), content_type="text/html"))
    items = [Item("Good story", server.url("/p/good"), excerpt(1)),
             Item("Bad link", "http://127.1/x", excerpt(2)),
             Item("Worse link", "http://[::1/x", excerpt(3))]
    feed = await rig.store.add(server.serve("/feed", Reply(rss20(items))), interval_minutes=15,
                               full_text=FullText.AUTO, added_by="test",
                               now=rig.service.clock())
    report = await rig.service.poll(feed.id)
    assert report.error is None
    assert report.pages == 1
    titles = {h.title: h.kind for h in await rig.catalogue.latest(5)}
    assert titles["Good story"] == "full"
    assert titles["Bad link"] == "teaser"  # the excerpt is kept
    assert any("http://127.1/x: page not read (invalid URL" in n for n in report.notes)
    health = await rig.store.get(feed.id)
    assert health is not None
    assert health.consecutive_failures == 0


@pytest.mark.parametrize("url", BAD_URLS)
async def test_bad_urls_are_refused_by_ingest_and_feeds_add(rig: Rig, url: str) -> None:
    report = await rig.service.ingest_url(url)
    assert report.error is not None
    assert "invalid URL" in report.error or "not an http" in report.error
    answer = await FeedCommands(rig.service, FeedSettings()).add(ADMIN, url, trusted=True)
    assert answer.notice is not None
    assert answer.notice in (
        "That is not a valid web address: give the feed's full address, starting with "
        "http:// or https://.",
        "Give the feed's full address, starting with http:// or https://.",
    ) or answer.notice.startswith("Could not add the feed: invalid URL 'http://127.1/x'")
    assert await rig.store.find() == []


async def test_feeds_listed_by_the_operator_before_the_check_keep_working(
        tmp_path: Path) -> None:
    """Schema 2 marks existing CLI and config-file feeds as allowed on private hosts."""
    import sqlite3

    from bot.feeds.sqlite_store import _TABLES, SqliteFeedStore

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE feeds_schema_version (version INTEGER PRIMARY KEY,"
                   " applied_at TEXT NOT NULL)")
        for statement in _TABLES[0][1]:
            db.execute(statement)
        db.execute("INSERT INTO feeds_schema_version VALUES (1, '2026-01-01')")
        for n, who in enumerate(("cli", "config", "U1"), start=1):
            db.execute("INSERT INTO feeds (url, url_key, interval_minutes, full_text, added_by,"
                       " added_at) VALUES (?, ?, 15, 'auto', ?, '2026-01-01T00:00:00+00:00')",
                       (f"http://10.0.0.{n}/f", f"http://10.0.0.{n}/f", who))
    store = SqliteFeedStore(str(path))
    await store.open()
    try:
        assert [(f.added_by, f.private_ok) for f in await store.find()] == [
            ("cli", True), ("config", True), ("U1", False)]
    finally:
        await store.close()
