"""Hosts spelled with Unicode digits and dots (``①②⑦.0.0.1``, ``１２７.０.０.１``,
``127。0。0。1``): yarl maps them (IDNA/UTS-46) to the literal the client connects to, so the
address check must judge that literal, on every hop and for every article page. The hostile
spellings live in ``tests/hostile/feeds/unicode_hosts.tsv``."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from bot.feeds.commands import FeedCommands
from bot.feeds.fetch import Fetcher, FetchError
from bot.feeds.guard import (
    BlockedConnectionError,
    IPAddress,
    client_host,
    guarded_socket_factory,
    is_public,
)
from bot.feeds.service import FeedService
from bot.feeds.store import FullText
from bot.messages import User
from bot.settings import FeedSettings
from tests.feeds.conftest import FeedServer, Reply, Rig, Sleeps, plain_analyser, policy
from tests.feeds.content import Item, excerpt, page, rss20, story

CORPUS = Path(__file__).parents[1] / "hostile" / "feeds" / "unicode_hosts.tsv"
ADMIN = User(id="U1", name="admin", can_manage=True)
SECOND = "127.0.0.2"
# 127.0.0.2 spelled as yarl will read it: circled, full-width, ideographic full stops.
SECOND_SPELLINGS = ["①②⑦.⓪.⓪.②", "１２７.０.０.２", "127。0。0。2", "127．0．0．2"]


def hostile_hosts() -> list[tuple[str, str]]:
    """(hostile spelling, the host yarl turns it into) from the corpus file."""
    rows = [line.split("\t") for line in CORPUS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return [(host, expected) for host, expected in rows]


def port_of(server: FeedServer) -> int:
    return int(server.base.rsplit(":", 1)[1])


@pytest.fixture
async def strict(sleeps: Sleeps) -> AsyncIterator[Fetcher]:
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
    return address == ipaddress.IPv4Address("127.0.0.1")


@pytest.fixture
async def narrowed(sleeps: Sleeps) -> AsyncIterator[Fetcher]:
    async with Fetcher(policy(allow_private=False, retries=0), sleep=sleeps,
                       public=only_first_loopback) as client:
        yield client


@pytest.mark.parametrize(("host", "expected"), hostile_hosts())
def test_yarl_reads_the_hostile_spellings_as_internal_hosts(host: str, expected: str) -> None:
    """The library's behaviour this defence rests on: if yarl stops normalising, this says
    so (and the address check must then follow whatever it does instead)."""
    assert client_host(f"http://{host}:8080/feed") == expected
    assert URL(f"http://{host}:8080/").raw_host == expected


async def test_unicode_spellings_of_internal_hosts_are_refused(
        server: FeedServer, strict: Fetcher) -> None:
    server.serve("/feed", Reply(rss20([Item("A", None, story(1))])))
    for host, _ in hostile_hosts():
        with pytest.raises(FetchError, match=r"refused: .* non-public address"):
            await strict.fetch(f"http://{host}:{port_of(server)}/feed")
    assert server.requests == []


async def test_a_redirect_to_a_unicode_spelled_internal_host_is_refused(
        server: FeedServer, internal: FeedServer, narrowed: Fetcher) -> None:
    internal.serve("/secret", Reply(b"internal", content_type="text/plain"))
    for n, host in enumerate(SECOND_SPELLINGS):
        location = f"http://{host}:{port_of(internal)}/secret"
        server.serve(f"/r{n}", Reply(status=302, headers={"Location": location}))
        with pytest.raises(FetchError, match=r"refused: .* non-public address"):
            await narrowed.fetch(server.url(f"/r{n}"))
        assert server.hits(f"/r{n}") == 1
    assert internal.requests == []


async def test_entry_pages_on_unicode_spelled_internal_hosts_are_not_read(
        server: FeedServer, internal: FeedServer, rig: Rig, narrowed: Fetcher) -> None:
    internal.serve("/p", Reply(page("Internal"), content_type="text/html"))
    server.serve("/p", Reply(page("Public"), content_type="text/html"))
    items = [Item(f"Internal {n}", f"http://{host}:{port_of(internal)}/p", excerpt(n))
             for n, host in enumerate(SECOND_SPELLINGS, start=1)]
    items.append(Item("Public", server.url("/p"), excerpt(9)))
    service = FeedService(rig.store, rig.catalogue, narrowed, analyser=plain_analyser)
    feed = await rig.store.add(server.serve("/feed", Reply(rss20(items))), interval_minutes=15,
                               full_text=FullText.AUTO, added_by="U1", now=service.clock())
    report = await service.poll(feed.id)
    assert report.error is None
    assert report.pages == 1
    assert sum("page not read (refused:" in note for note in report.notes) == len(
        SECOND_SPELLINGS)
    assert internal.requests == []
    kinds = {h.title: h.kind for h in await rig.catalogue.latest(10)}
    assert kinds["Public"] == "full"
    assert {kinds[f"Internal {n}"] for n in range(1, len(SECOND_SPELLINGS) + 1)} == {"teaser"}


async def test_chat_cannot_add_a_feed_on_a_unicode_spelled_loopback_host(
        server: FeedServer, rig: Rig, strict: Fetcher) -> None:
    server.serve("/feed", Reply(rss20([Item("A", None, story(1))])))
    service = FeedService(rig.store, rig.catalogue, strict, analyser=plain_analyser)
    cmds = FeedCommands(service, FeedSettings())
    for host, _ in hostile_hosts():
        answer = await cmds.add(ADMIN, f"http://{host}:{port_of(server)}/feed")
        assert answer.notice == "That address is on a private network; feeds must be public.", (
            host, answer.notice)
    assert server.requests == []
    assert await rig.store.find() == []


async def test_the_socket_gate_refuses_what_no_earlier_check_caught(
        server: FeedServer) -> None:
    """The last gate on its own, under a plain resolver and no host check: whatever spelling
    or resolution got a URL this far, no socket is opened to a non-public address."""
    server.serve("/feed", Reply(b"secret", content_type="text/plain"))
    connector = aiohttp.TCPConnector(socket_factory=guarded_socket_factory())
    async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:
        for url in (server.url("/feed"), f"http://①②⑦.0.0.1:{port_of(server)}/feed"):
            with pytest.raises(aiohttp.ClientConnectorError) as caught:
                await session.get(url)
            assert isinstance(caught.value.os_error, BlockedConnectionError)
    assert server.requests == []


async def test_an_operator_trusted_feed_vouches_for_its_own_host_only(
        server: FeedServer, internal: FeedServer, rig: Rig, strict: Fetcher) -> None:
    """The CLI operator's feeds may be on private hosts, and so may their own pages; the
    links a feed document gives to other hosts are not the operator's word (a public feed
    added at the CLI must not make the bot read the metadata service or an intranet)."""
    internal.serve("/p", Reply(page("Internal"), content_type="text/html"))
    server.serve("/p", Reply(page("Own host"), content_type="text/html"))
    items = [Item("Internal", internal.url("/p"), excerpt(1)),
             Item("Internal spelled", f"http://①②⑦.0.0.②:{port_of(internal)}/p", excerpt(2)),
             Item("Own host", server.url("/p"), excerpt(3))]
    url = server.serve("/feed", Reply(rss20(items)))
    service = FeedService(rig.store, rig.catalogue, strict, analyser=plain_analyser)
    added = await FeedCommands(service, FeedSettings()).add(ADMIN, url, trusted=True)
    assert added.notice is None, added.notice
    [feed] = await rig.store.find()
    report = await service.poll(feed.id)
    assert report.error is None
    assert report.pages == 1
    assert sum("page not read (refused:" in note for note in report.notes) == 2
    ingested = await service.ingest_url(url)
    assert ingested.error is None
    assert internal.requests == []
    kinds = {h.title: h.kind for h in await rig.catalogue.latest(10)}
    assert kinds == {"Internal": "teaser", "Internal spelled": "teaser", "Own host": "full"}


async def test_a_trusted_fetch_trusts_its_own_host_not_where_it_redirects(
        server: FeedServer, internal: FeedServer, strict: Fetcher) -> None:
    internal.serve("/secret", Reply(b"internal", content_type="text/plain"))
    server.serve("/moved", Reply(status=301, headers={"Location": "/here"}))
    server.serve("/here", Reply(b"fine", content_type="text/plain"))
    server.serve("/away", Reply(status=302, headers={"Location": internal.url("/secret")}))
    server.serve("/spelled", Reply(status=302, headers={
        "Location": f"http://①②⑦.0.0.②:{port_of(internal)}/secret"}))
    assert (await strict.fetch(server.url("/moved"), allow_private=True)).body == b"fine"
    for start in ("/away", "/spelled"):
        with pytest.raises(FetchError, match=r"refused: .* non-public address"):
            await strict.fetch(server.url(start), allow_private=True)
    assert internal.requests == []


@pytest.mark.parametrize("address", [
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "::127.0.0.1",
    "::ffff:0:7f00:1", "::ffff:127.0.0.1", "2002:7f00:1::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe", "::1", "::"])
def test_ipv4_carried_in_ipv6_is_judged_as_ipv4(address: str) -> None:
    """NAT64, IPv4-compatible, -translated, mapped, 6to4 and Teredo forms of internal IPv4
    addresses (Python calls several of them global)."""
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "::ffff:8.8.8.8", "2606:4700::1111",
                                     "8.8.8.8"])
def test_public_addresses_stay_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))
