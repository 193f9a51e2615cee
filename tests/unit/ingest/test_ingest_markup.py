"""HTML pages and feed documents on disk: read by the page extractor and the feed parser the
feeds use, with the same hardening as text files; ``file://`` URLs for the operator only."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.feeds.commands import FeedInputError, check_url
from bot.ingest.pipeline import ingest_paths
from bot.ingest.walk import file_url_path
from tests.unit.ingest.test_ingest_pipeline import CountingAnalyser

BODY = " ".join(["The harbour council voted on Tuesday to rebuild the old sea wall."] * 6)
PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Harbour wall to be rebuilt</title>
<meta property="article:published_time" content="2021-03-04T10:00:00Z">
<script>var tracker = {{"id": 1}}; function track() {{ return tracker; }}</script>
<style>body {{ color: red; }}</style></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour wall to be rebuilt</h1>
<p>{BODY}</p>
<p>Work starts in the spring and should take two years, the council said in a statement.</p>
</article><footer>Copyright Example Gazette</footer></body></html>
"""
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Gazette</title><link>https://example.org/</link>
<item><title>Ferry timetable changes</title><link>https://example.org/ferry</link>
<guid>https://example.org/ferry</guid><pubDate>Mon, 01 Mar 2021 09:00:00 GMT</pubDate>
<description>The ferry will run every hour from May, the operator said.</description></item>
<item><title>Library reopens</title><link>https://example.org/library</link>
<guid>https://example.org/library</guid>
<description>The library reopened after repairs to its roof.</description></item>
</channel></rss>
"""


@pytest.fixture
async def empty(tmp_path: Path) -> AsyncIterator[Catalogue]:
    catalogue = await open_catalogue(f"sqlite:///{tmp_path / 'db' / 'newsbot.db'}")
    try:
        yield catalogue
    finally:
        await catalogue.close()


async def test_an_html_file_is_read_as_a_page(empty: Catalogue, tmp_path: Path) -> None:
    page = tmp_path / "harbour.html"
    page.write_text(PAGE, encoding="utf-8")
    report = await ingest_paths(empty, [page], analyser=CountingAnalyser())
    assert (report.added, report.rejected) == (1, [])
    stored = await empty.get_by_slug("harbour")
    assert stored is not None
    assert stored.title == "Harbour wall to be rebuilt"
    text = " ".join(stored.paragraphs)
    assert "sea wall" in text
    for script_or_markup in ("tracker", "DOCTYPE", "color", "Home"):
        assert script_or_markup not in text
    assert stored.published_at.astimezone(UTC).date() == datetime(2021, 3, 4, tzinfo=UTC).date()


async def test_a_feed_file_gives_one_article_per_entry(empty: Catalogue, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gazette.rss").write_text(FEED, encoding="utf-8")
    museum = FEED.replace("Library", "Museum").replace("/library", "/museum")
    (folder / "same.xml").write_text(museum, encoding="utf-8")  # ferry: the same story
    report = await ingest_paths(empty, [folder], analyser=CountingAnalyser())
    assert report.rejected == []
    titles = sorted(h.title for h in await empty.latest(10))
    assert titles == ["Ferry timetable changes", "Library reopens", "Museum reopens"]
    ferry = next(h for h in await empty.latest(10) if h.title.startswith("Ferry"))
    assert ferry.published_at == datetime(2021, 3, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize("name", ["page.htm", "feed.atom"])
async def test_markup_files_that_hold_no_article_are_rejected_with_a_reason(
    empty: Catalogue, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text("<html><body><p>Menu</p></body></html>", encoding="utf-8")
    report = await ingest_paths(empty, [path], analyser=CountingAnalyser())
    assert report.added == 0
    [(where, reason)] = report.rejected
    assert where.endswith(name)
    assert reason.strip()


async def test_markup_files_keep_the_ingest_hardening(empty: Catalogue, tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.html").write_text(PAGE, encoding="utf-8")
    (root / "link.html").symlink_to(outside / "secret.html")
    os.mkfifo(root / "pipe.xml")
    (root / "big.html").write_bytes(b"<p>" + b"x" * (5 * 4096) + b"</p>")  # 5x: markup
    (root / "bad\nname.rss").write_text(FEED, encoding="utf-8")
    report = await ingest_paths(empty, [root], analyser=CountingAnalyser(), max_bytes=4096)
    reasons = dict(report.rejected)
    assert report.added == 0
    assert "outside the folder" in reasons[str(root / "link.html")]
    assert "not a regular file" in reasons[str(root / "pipe.xml")]
    assert "too large" in reasons[str(root / "big.html")]
    assert any("control characters" in reason for reason in reasons.values())


def test_file_urls_name_local_paths() -> None:
    assert file_url_path("file:///srv/news/a%20b.html") == Path("/srv/news/a b.html")
    assert file_url_path("FILE://localhost/srv/x.xml") == Path("/srv/x.xml")
    for bad in ("file://example.org/srv/x.html", "file:///srv/x.html?q=1", "file:relative"):
        with pytest.raises(ValueError, match="file://"):
            file_url_path(bad)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "FILE://localhost/srv/feed.xml",
                                 " file:/etc/hosts "])
def test_chat_feeds_never_take_file_urls(url: str) -> None:
    for allow_private in (False, True):
        with pytest.raises(FeedInputError, match="file:// address names a file on the bot"):
            check_url(url, allow_private=allow_private)
