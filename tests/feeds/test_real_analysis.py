"""End to end with the real analysis (spaCy) and the real CLI handlers: a few articles only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.catalogue.open import open_catalogue
from bot.cli import COMMANDS, build_parser
from bot.feeds.fetch import Fetcher
from bot.feeds.service import FeedService
from bot.feeds.sqlite_store import SqliteFeedStore
from bot.feeds.store import FullText
from bot.settings import load_settings
from tests.feeds.conftest import FeedServer, Reply
from tests.feeds.content import Item, excerpt, page, rss20, story

pytestmark = pytest.mark.slow


async def test_feed_articles_are_analysed_and_answerable(server: FeedServer, fetcher: Fetcher,
                                                         tmp_path: Path) -> None:
    items = [Item("Marlow Vale saves its footbridge", server.url("/p/1"), excerpt(1),
                  "Tue, 03 Mar 2026 08:00:00 GMT"),
             Item("Ferry to run every half hour", server.url("/s/2"), story(2))]
    server.serve("/p/1", Reply(page("Marlow Vale saves its footbridge"),
                               content_type="text/html"))
    url = server.serve("/feed", Reply(rss20(items)))
    db = tmp_path / "newsbot.db"
    catalogue = await open_catalogue(f"sqlite:///{db}")
    store = SqliteFeedStore(str(db))
    await store.open()
    try:
        feed = await store.add(url, interval_minutes=15, full_text=FullText.AUTO,
                               added_by="t", now=datetime.now(UTC))
        service = FeedService(store, catalogue, fetcher)  # the default, real analyser
        report = await service.poll(feed.id)
        assert (report.ingest.added, report.pages, report.ingest.rejected) == (2, 1, [])
        hits = await catalogue.search("footbridge Penrose", 5)
        assert hits
        assert hits[0].title == "Marlow Vale saves its footbridge"
        article = await catalogue.get(hits[0].id)
        assert article is not None
        assert len(article.analysis.sentences) > 5
        speakers = {a.speaker or "" for a in article.analysis.attributions}
        assert any("Ada Penrose" in name for name in speakers)  # names are bot.nlp's business
    finally:
        await store.close()
        await catalogue.close()


async def run_cli(argv: list[str], db: Path, seeds: Path) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings(database_url=f"sqlite:///{db}", seeds_dir=seeds,
                             feeds={"per_host_delay_seconds": 0, "allow_private_hosts": True})
    return await COMMANDS[args.command](args, settings)


async def test_cli_ingest_url_and_feeds_commands(server: FeedServer, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    seeds = tmp_path / "no-seeds"
    seeds.mkdir()
    db = tmp_path / "cli.db"
    page_url = server.serve("/story", Reply(page("Council lights the river path"),
                                            content_type="text/html"))
    assert await run_cli(["ingest", page_url], db, seeds) == 0
    out = capsys.readouterr().out
    assert "added 1, updated 0, unchanged 0, rejected 0" in out
    assert await run_cli(["ingest", server.url("/nothing-here")], db, seeds) == 1
    assert "failed: HTTP 404" in capsys.readouterr().err
    feed_url = server.serve("/feed", Reply(rss20([Item("Ferry", page_url, excerpt(3))]),
                                           etag='"e1"'))
    assert await run_cli(["feeds", "add", feed_url, "--interval", "20"], db, seeds) == 0
    assert "Feed #1 added" in capsys.readouterr().out
    assert await run_cli(["feeds", "poll", "1"], db, seeds) == 0
    # The page was ingested already: the same URL is the same article (updated with the
    # feed's title and source, never duplicated).
    assert "added 0, updated 1" in capsys.readouterr().out
    assert await run_cli(["feeds", "poll"], db, seeds) == 0
    assert "not modified (304)" in capsys.readouterr().out
    assert await run_cli(["feeds", "list"], db, seeds) == 0
    listing = capsys.readouterr().out
    assert "Every: 20 min" in listing
    assert "Health: ok" in listing
    assert await run_cli(["feeds", "remove", "1"], db, seeds) == 0
    assert await run_cli(["feeds", "remove", "1"], db, seeds) == 1
