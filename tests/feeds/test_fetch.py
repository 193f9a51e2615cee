"""The fetcher against the local server: manners, limits, conditional GET, retries."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from bot import __version__
from bot.feeds.fetch import Fetcher, FetchError, retry_after
from tests.feeds.conftest import FeedServer, Reply, Sleeps, policy
from tests.feeds.content import Item, excerpt, rss20

FEED = rss20([Item("A", "http://127.0.0.1:1/a", excerpt(1))])


async def test_user_agent_gzip_and_validators(server: FeedServer, fetcher: Fetcher) -> None:
    url = server.serve("/feed", Reply(FEED, gzip=True, etag='"v1"',
                                      last_modified="Tue, 03 Mar 2026 09:00:00 GMT"))
    result = await fetcher.fetch(url)
    assert result.body == FEED
    assert result.status == 200
    assert (result.etag, result.last_modified) == ('"v1"', "Tue, 03 Mar 2026 09:00:00 GMT")
    headers = server.requests[0][1]
    assert headers["User-Agent"].startswith(f"newsbot/{__version__} (+http")
    assert "gzip" in headers["Accept-Encoding"]
    again = await fetcher.fetch(url, etag=result.etag, last_modified=result.last_modified)
    assert again.not_modified
    assert again.body == b""
    assert server.requests[1][1]["If-None-Match"] == '"v1"'


async def test_last_modified_alone_gives_304(server: FeedServer, fetcher: Fetcher) -> None:
    stamp = "Tue, 03 Mar 2026 09:00:00 GMT"
    url = server.serve("/feed", Reply(FEED, last_modified=stamp))
    assert (await fetcher.fetch(url, last_modified=stamp)).not_modified


@pytest.mark.parametrize("compressed", [False, True])
async def test_size_cap(server: FeedServer, sleeps: Sleeps, compressed: bool) -> None:
    big = b"<rss>" + b" " * (300 * 1024) + b"</rss>"  # compresses to almost nothing
    url = server.serve("/big", Reply(big, gzip=compressed))
    async with Fetcher(policy(max_bytes=100 * 1024), sleep=sleeps) as client:
        with pytest.raises(FetchError, match="too large"):
            await client.fetch(url)


async def test_redirects_followed_loops_named(server: FeedServer, fetcher: Fetcher) -> None:
    server.serve("/old", Reply(status=301, headers={"Location": "/new"}))
    server.serve("/new", Reply(FEED))
    result = await fetcher.fetch(server.url("/old"))
    assert result.url == server.url("/new")
    assert result.body == FEED
    server.serve("/a", Reply(status=302, headers={"Location": "/b"}))
    server.serve("/b", Reply(status=307, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop"):
        await fetcher.fetch(server.url("/a"))


async def test_too_many_redirects(server: FeedServer, fetcher: Fetcher) -> None:
    for n in range(10):
        server.serve(f"/r{n}", Reply(status=302, headers={"Location": f"/r{n + 1}"}))
    with pytest.raises(FetchError, match="too many redirects"):
        await fetcher.fetch(server.url("/r0"))


async def test_429_honours_retry_after(server: FeedServer, fetcher: Fetcher,
                                       sleeps: Sleeps) -> None:
    url = server.serve("/feed", [Reply(status=429, headers={"Retry-After": "7"}), Reply(FEED)])
    result = await fetcher.fetch(url)
    assert result.body == FEED
    assert result.attempts == 2
    assert sleeps.waits == [7.0]


async def test_5xx_backs_off_exponentially_then_succeeds(server: FeedServer, fetcher: Fetcher,
                                                         sleeps: Sleeps) -> None:
    url = server.serve("/feed", [Reply(status=503), Reply(status=500), Reply(status=502),
                                 Reply(FEED)])
    assert (await fetcher.fetch(url)).attempts == 4
    assert sleeps.waits == [1.0, 2.0, 4.0]


async def test_gives_up_after_retries_and_on_long_retry_after(
        server: FeedServer, fetcher: Fetcher, sleeps: Sleeps) -> None:
    url = server.serve("/down", Reply(status=503))
    with pytest.raises(FetchError, match=r"HTTP 503 \(gave up after 4 attempt"):
        await fetcher.fetch(url)
    url = server.serve("/slow", Reply(status=429, headers={"Retry-After": "3600"}))
    with pytest.raises(FetchError, match="HTTP 429"):
        await fetcher.fetch(url)
    assert 3600.0 not in sleeps.waits  # never waits longer than max_wait


async def test_timeouts_are_retried(server: FeedServer, sleeps: Sleeps) -> None:
    url = server.serve("/feed", [Reply(FEED, delay=1.5), Reply(FEED)])
    async with Fetcher(policy(timeout=0.5, read_timeout=0.5), sleep=sleeps) as client:
        result = await client.fetch(url)
    assert result.attempts == 2
    assert sleeps.waits == [1.0]


async def test_client_errors_fail_at_once(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        await fetcher.fetch(server.url("/missing"))
    assert server.hits("/missing") == 1
    with pytest.raises(FetchError, match="not an http"):
        await fetcher.fetch("file:///etc/passwd")


async def test_per_host_concurrency_and_delay(server: FeedServer, sleeps: Sleeps) -> None:
    active = 0
    peak = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.05)
        active -= 1
        return web.Response(body=FEED, content_type="application/rss+xml")

    server.serve("/slow", slow)
    now = [100.0]
    async with Fetcher(policy(per_host=2, per_host_delay=1.5), sleep=sleeps,
                       monotonic=lambda: now[0]) as client:
        await asyncio.gather(*(client.fetch(server.url("/slow")) for _ in range(5)))
    assert peak <= 2
    # The clock stands still, so each request after the first waits its turn: 1.5 s apart.
    assert sleeps.waits == [1.5, 3.0, 4.5, 6.0]


def test_retry_after_forms() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert retry_after("120", now) == 120.0
    assert retry_after("Tue, 03 Mar 2026 09:01:00 GMT", now) == 60.0
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


async def test_retry_after_zero_still_waits_a_little(server: FeedServer, fetcher: Fetcher,
                                                     sleeps: Sleeps) -> None:
    url = server.serve("/feed", [Reply(status=503, headers={"Retry-After": "0"}),
                                 Reply(status=429, headers={"Retry-After": "0"}), Reply(FEED)])
    assert (await fetcher.fetch(url)).attempts == 3
    assert sleeps.waits == [1.0, 1.0]


async def _second_server() -> tuple[web.AppRunner, str]:
    """Another host (another port of 127.0.0.1) that always answers the feed."""
    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=FEED, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed", feed)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/feed"


async def test_retry_after_holds_back_the_whole_host(server: FeedServer, sleeps: Sleeps) -> None:
    limited = server.serve("/limited", Reply(status=429, headers={"Retry-After": "30"}))
    other_page = server.serve("/other", Reply(FEED))
    other_host, elsewhere = await _second_server()
    try:
        async with Fetcher(policy(retries=0), sleep=sleeps, monotonic=sleeps.clock) as client:
            with pytest.raises(FetchError, match="HTTP 429"):
                await client.fetch(limited)
            assert (await client.fetch(elsewhere)).body == FEED  # another host: not held
            assert sleeps.waits == []
            assert (await client.fetch(other_page)).body == FEED  # same host: waits it out
            assert sleeps.waits == [30.0]
            assert (await client.fetch(other_page)).body == FEED  # the hold is over
            assert sleeps.waits == [30.0]
    finally:
        await other_host.cleanup()


async def test_a_long_retry_after_fails_the_host_fast(server: FeedServer, sleeps: Sleeps) -> None:
    limited = server.serve("/limited", Reply(status=503, headers={"Retry-After": "3600"}))
    other_page = server.serve("/other", Reply(FEED))
    async with Fetcher(policy(), sleep=sleeps, monotonic=sleeps.clock) as client:
        with pytest.raises(FetchError, match="HTTP 503"):
            await client.fetch(limited)
        with pytest.raises(FetchError, match=r"asked newsbot to wait \(Retry-After\): 3600 s"):
            await client.fetch(other_page)
        assert server.hits("/other") == 0  # nothing was sent to the host
        assert sleeps.waits == []
        sleeps.now += 3600  # an hour later the host is asked again
        assert (await client.fetch(other_page)).body == FEED


async def test_quick_fetch_tries_once_and_does_not_wait_out_a_hold(
        server: FeedServer, fetcher: Fetcher, sleeps: Sleeps) -> None:
    down = server.serve("/down", Reply(status=503))
    with pytest.raises(FetchError, match=r"^HTTP 503$"):  # one attempt: no "gave up after"
        await fetcher.fetch(down, quick=True)
    assert server.hits("/down") == 1
    assert sleeps.waits == []
    limited = server.serve("/limited", Reply(status=429, headers={"Retry-After": "30"}))
    with pytest.raises(FetchError, match="HTTP 429"):
        await fetcher.fetch(limited, quick=True)
    feed = server.serve("/feed", Reply(FEED))
    with pytest.raises(FetchError, match=r"asked newsbot to wait \(Retry-After\): 30 s left"):
        await fetcher.fetch(feed, quick=True)  # someone is waiting: no 30 s pause
    assert server.hits("/feed") == 0
    assert (await fetcher.fetch(feed)).body == FEED  # a poll waits the hold out
    assert sleeps.waits == [30.0]
