"""Every hostile feed in ``tests/hostile/feeds/`` (plus the huge ones built here) goes through
the real commands and service: ``feeds add``, two polls and ``ingest URL``. A bad entry costs
that entry only, with its reason; every entry titled "Good ..." is stored.

``expected_rejections.json`` says how many entries each corpus file must reject; a new file
without a line there fails, so the corpus and its expectations stay together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.feeds.commands import FeedCommands
from bot.messages import User
from bot.settings import FeedSettings
from tests.feeds.conftest import FeedServer, Reply, Rig

CORPUS = Path(__file__).parents[1] / "hostile" / "feeds"
EXPECTED: dict[str, int] = json.loads((CORPUS / "expected_rejections.json").read_text())
FEED_FILES = sorted(p.name for p in CORPUS.iterdir()
                    if p.suffix in (".json", ".xml") and p.name != "expected_rejections.json")
ADMIN = User(id="U1", name="admin", can_manage=True)
DEPTH = 100_000
_JSON = "https://jsonfeed.org/version/1.1"


def good_json(n: int) -> dict[str, str]:
    return {"id": f"good-{n}", "url": f"https://news.example/good-{n}",
            "title": f"Good story {n}", "content_text": f"The council met about item {n}."}


def deep_json_feed() -> bytes:
    """Two good entries around two nested 100,000 levels deep (json.loads gives up)."""
    deep = "[" * DEPTH + "]" * DEPTH
    deep_object = "[" * DEPTH + "{}" + "]" * DEPTH
    bad = [f'{{"id": "bad-{n}", "title": "Bad entry {n}", "content_text": "x", "{key}": {value}}}'
           for n, key, value in ((1, "_ext", deep), (2, "authors", deep_object))]
    items = [json.dumps(good_json(1)), *bad, json.dumps(good_json(2))]
    return f'{{"version": "{_JSON}", "title": "Deep", "items": [{", ".join(items)}]}}'.encode()


def deep_html_rss() -> bytes:
    """An RSS entry whose HTML is 100,000 elements deep, between two good ones."""
    good = ("<item><title>Good story %d</title><link>https://news.example/good-%d</link>"
            "<description>The council met on Tuesday.</description></item>")
    deep = "<div>" * DEPTH + "deep text" + "</div>" * DEPTH
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Deep HTML</title>'
            f"{good % (1, 1)}<item><title>Odd deep</title><link>https://news.example/d</link>"
            f"<description><![CDATA[{deep}]]></description></item>{good % (2, 2)}"
            "</channel></rss>").encode()


GENERATED = {"deep_json_feed.json": (deep_json_feed, 2), "deep_html_rss.xml": (deep_html_rss, 0)}


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(EXPECTED) == FEED_FILES


def document(name: str) -> tuple[bytes, int]:
    if name in GENERATED:
        build, rejected = GENERATED[name]
        return build(), rejected
    return (CORPUS / name).read_bytes(), EXPECTED[name]


@pytest.mark.parametrize("name", [*FEED_FILES, *GENERATED])
async def test_hostile_feeds_cost_only_their_bad_entries(
        name: str, server: FeedServer, rig: Rig) -> None:
    body, rejected = document(name)
    rig.service.fetcher.policy.max_bytes = 4 * 1024 * 1024  # the huge ones are ~1 MB
    kind = "application/feed+json" if name.endswith(".json") else "application/rss+xml"
    url = server.serve("/feed", Reply(body, content_type=kind))
    cmds = FeedCommands(rig.service, FeedSettings(full_text="never"))
    added = await cmds.add(ADMIN, url, trusted=True)
    assert added.notice is None, added.notice
    assert added.lead.startswith("Feed #1 added: ")
    [feed] = await rig.store.find()
    for poll in (1, 2):  # the first stores, a later one must not fail either
        report = await rig.service.poll(feed.id)
        assert report.error is None, (poll, report.error)
        assert len(report.ingest.rejected) == rejected, report.ingest.rejected
        assert all(reason.strip() for _, reason in report.ingest.rejected)
    stored = {a.title for a in await rig.catalogue.latest(50)}
    assert {"Good story 1", "Good story 2"} <= stored
    assert not any(t.startswith("Bad entry") for t in stored)
    health = await rig.store.get(feed.id)
    assert health is not None
    assert health.consecutive_failures == 0
    report = await rig.service.ingest_url(url)
    assert report.error is None
    assert len(report.ingest.rejected) == rejected
