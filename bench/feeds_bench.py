"""Feeds bench: a local aiohttp server on 127.0.0.1 (no network beyond it) serving
  1. one 500-entry excerpt-only RSS feed whose entries link to 500 generated article pages:
     a first poll reads every page (trafilatura), builds drafts and stores them into a real
     SQLite catalogue, once with a trivial analyser and once with the real analysis (spaCy, a
     process pool over both cores); figures in articles/s;
  2. 200 feeds, each polled once (200 OK, ETag) and then polled again, unchanged (304): total
     time and ms per feed, sequentially and all at once.
The fetch policy here drops the per-host delay (default 1 s: with it a 500-page first poll of
one host is bound to take 500 s, by design) and allows 8 requests in flight per host, since
every URL is on the one loopback host.

    .venv/bin/python bench/feeds_bench.py [--entries 500] [--feeds 200] [--no-analysis]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

from bot.catalogue.open import open_catalogue
from bot.feeds.fetch import Fetcher, FetchPolicy
from bot.feeds.service import FeedService
from bot.feeds.sqlite_store import SqliteFeedStore
from bot.feeds.store import FullText
from bot.ingest.store import Analyser
from bot.models import Analysis, ArticleDraft

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TOWNS = ("Marlow Vale", "Tarnbridge", "Eskholm", "Brackenford", "Wenlow", "Ashby Cross")
TOPICS = ("the footbridge", "the ferry timetable", "the library roof", "the river path",
          "the market hall", "the school buses", "the flood wall", "the allotments")


def article_paragraphs(n: int) -> list[str]:
    """Six invented paragraphs (about 220 words), different for every n."""
    town, topic = TOWNS[n % len(TOWNS)], TOPICS[n % len(TOPICS)]
    return [
        f"The council of {town} voted on Tuesday to spend money on {topic}, ending a dispute "
        f"that had run for {n % 5 + 2} winters (report {n}).",
        f"“We listened to every objection and we still think {topic} is worth it,” said "
        f"Councillor Ada Penrose, who chaired meeting number {n}.",
        "Work is due to start in the spring and should take eleven months. Residents will be "
        "kept informed through the library and the parish newsletter.",
        f"Shopkeeper Tom Ellery said the delay had cost him a third of his trade, and that "
        f"{town} could not wait another year.",
        "The county engineer, Rhiannon Doyle, told the meeting the plan would be cheaper to "
        "maintain, and that the old iron railings would be restored rather than replaced.",
        f"Opponents said the {n % 7 + 3} million pound budget was too high and promised to "
        "take the question to the next election.",
    ]


def page_html(n: int) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in article_paragraphs(n))
    return (f"<!DOCTYPE html><html><head><title>Report {n}</title><script>var t={n};</script>"
            "<style>p{margin:0}</style></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>Council decision number {n}</h1>{body}</article>"
            "<footer>Copyright the bench</footer></body></html>").encode()


def feed_xml(base: str, entries: int, tag: str = "") -> bytes:
    items = "".join(
        f"<item><title>Council decision number {n}{tag}</title><link>{base}/a/{n}</link>"
        f"<pubDate>Mon, 01 Jun 2026 08:{n % 60:02d}:00 GMT</pubDate>"
        f"<description>{escape(article_paragraphs(n)[0][:120])}…</description></item>"
        for n in range(entries))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench Gazette{tag}</title><link>{base}/</link>"
            f"<description>bench</description>{items}</channel></rss>").encode()


class Server:
    """/big.xml, /a/<n> pages, /f/<n>.xml small feeds with ETags."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self.base = ""
        self.hits = 0
        self._small: dict[str, bytes] = {}

    async def handle(self, request: web.Request) -> web.Response:
        self.hits += 1
        path = request.path
        if path == "/big.xml":
            return web.Response(body=feed_xml(self.base, self.entries),
                                content_type="application/rss+xml")
        if path.startswith("/a/"):
            return web.Response(body=page_html(int(path[3:])), content_type="text/html")
        if path.startswith("/f/"):
            etag = f'"{path}"'
            if request.headers.get("If-None-Match") == etag:
                return web.Response(status=304, headers={"ETag": etag})
            body = self._small.setdefault(path, feed_xml(self.base, 5, tag=path))
            return web.Response(body=body, content_type="application/rss+xml",
                                headers={"ETag": etag})
        return web.Response(status=404)


async def plain(drafts: Sequence[ArticleDraft]) -> list[Analysis]:
    """No analysis: what fetching, extraction and storage cost alone."""
    return [Analysis(sentences=(), summary_ranking=()) for _ in drafts]


def policy() -> FetchPolicy:
    return FetchPolicy(per_host=8, per_host_delay=0.0, allow_private=True)  # local server


async def ingest_big(server: Server, folder: Path, analyser: Analyser | None, label: str) -> None:
    db = folder / f"{label}.db"
    catalogue = await open_catalogue(f"sqlite:///{db}")
    store = SqliteFeedStore(str(db))
    await store.open()
    async with Fetcher(policy()) as fetcher:
        service = FeedService(store, catalogue, fetcher, analyser=analyser, page_concurrency=8)
        feed = await store.add(f"{server.base}/big.xml", interval_minutes=15,
                               full_text=FullText.AUTO, added_by="bench", now=NOW)
        started = time.perf_counter()
        report = await service.poll(feed.id)
        took = time.perf_counter() - started
    stored = await catalogue.count()
    await store.close()
    await catalogue.close()
    print(f"500-entry feed, {label}: {report.summary()}")
    print(f"  {took:.2f} s, {report.ingest.added / took:.1f} articles/s "
          f"({stored} stored, {report.pages} pages read)")


async def poll_unchanged(server: Server, folder: Path, feeds: int) -> None:
    db = folder / "many.db"
    catalogue = await open_catalogue(f"sqlite:///{db}")
    store = SqliteFeedStore(str(db))
    await store.open()
    async with Fetcher(policy()) as fetcher:
        service = FeedService(store, catalogue, fetcher, analyser=plain)
        ids = [(await store.add(f"{server.base}/f/{n}.xml", interval_minutes=15,
                                full_text=FullText.NEVER, added_by="bench", now=NOW)).id
               for n in range(feeds)]
        started = time.perf_counter()
        await asyncio.gather(*(service.poll(i) for i in ids))
        print(f"{feeds} feeds, first poll (200, 5 teasers each): "
              f"{time.perf_counter() - started:.2f} s")
        for mode in ("sequential", "all at once"):
            started = time.perf_counter()
            if mode == "sequential":
                reports = [await service.poll(i) for i in ids]
            else:
                reports = list(await asyncio.gather(*(service.poll(i) for i in ids)))
            took = time.perf_counter() - started
            assert all(r.not_modified for r in reports), "expected 304s"
            print(f"{feeds} unchanged feeds (304), {mode}: {took:.3f} s total, "
                  f"{1000 * took / feeds:.2f} ms per feed")
    await store.close()
    await catalogue.close()


async def main(entries: int, feeds: int, analysis: bool) -> None:
    server = Server(entries)
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            await ingest_big(server, folder, plain, "no analysis")
            if analysis:
                from bot.nlp.analyse import analyse_many, shutdown_pools

                await analyse_many([ArticleDraft("Warm up.", ("The pool starts.",))] * 8)
                await ingest_big(server, folder, analyse_many, "with analysis (2 processes)")
                shutdown_pools()
            await poll_unchanged(server, folder, feeds)
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--no-analysis", action="store_true")
    options = parser.parse_args()
    asyncio.run(main(options.entries, options.feeds, not options.no_analysis))
