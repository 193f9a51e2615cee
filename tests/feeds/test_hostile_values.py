"""Neighbours of the hostile-value classes in the feeds' own inputs: numbers written with
non-ASCII digits (``str.isdigit()`` takes "²" and "①", ``int()`` then refuses them), HTTP dates
at the edge of ``datetime``, and URLs holding lone surrogates or control characters. Each is a
clear refusal, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.feeds.cli import print_poll
from bot.feeds.commands import FeedCommands, FeedInputError, parse_feed_id
from bot.feeds.fetch import Fetcher, FetchError, InvalidURLError, check_url, retry_after
from bot.feeds.parse import parse_feed
from bot.feeds.report import PollReport
from bot.feeds.store import FullText
from bot.messages import User
from bot.numbers import ascii_int
from bot.settings import FeedSettings
from tests.feeds.conftest import FeedServer, Reply, Rig
from tests.feeds.content import Item, excerpt, json_feed, page, rss20, story

ADMIN = User(id="U1", name="admin", can_manage=True)
NOT_ASCII_NUMBERS = ["²", "¹⁰", "①", "١٢", "１５", "3²", "", " ", "-1", "1e3"]
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize("text", NOT_ASCII_NUMBERS)
def test_only_ascii_digits_are_numbers(text: str) -> None:
    assert ascii_int(text) is None
    with pytest.raises(FeedInputError, match="is not a feed id"):
        parse_feed_id(text)


def test_ascii_numbers_still_read() -> None:
    assert [ascii_int(t) for t in ("0", "15", "007")] == [0, 15, 7]
    assert parse_feed_id("#12") == 12


@pytest.mark.parametrize("text", NOT_ASCII_NUMBERS)
async def test_feed_commands_refuse_non_ascii_numbers(text: str, rig: Rig,
                                                      server: FeedServer) -> None:
    url = server.serve("/feed", Reply(rss20([Item("A", None, story(1))])))
    cmds = FeedCommands(rig.service, FeedSettings())
    answer = await cmds.add(ADMIN, url, interval=text.strip() or "x", trusted=True)
    assert answer.notice is not None
    assert answer.notice.startswith("The interval is a number of minutes")
    removed = await cmds.remove(ADMIN, text)
    assert removed.notice is not None
    assert "is not a feed id" in removed.notice
    assert await rig.store.find() == []


@pytest.mark.parametrize("value", ["²", "①", "١٢", "Fri, 31 Dec 9999 23:59:59 -1200",
                                   "Mon, 01 Jan 0001 00:00:00 +1400", "garbage"])
def test_odd_retry_after_values_are_ignored_not_crashes(value: str) -> None:
    wait = retry_after(value, NOW)
    assert wait is None or wait >= 0


async def test_a_superscript_retry_after_is_an_http_error_not_an_invalid_url(
        server: FeedServer, fetcher: Fetcher) -> None:
    server.serve("/feed", Reply(status=503, headers={"Retry-After": "²"}))
    with pytest.raises(FetchError, match=r"^HTTP 503"):
        await fetcher.fetch(server.url("/feed"))


@pytest.mark.parametrize("url", ["http://example.org/\ud800", "http://example.org/a\nb",
                                 "http://example.org/?q=\x00", "ftp://example.org/\ud800"])
def test_urls_with_lone_surrogates_or_controls_are_refused(url: str) -> None:
    with pytest.raises(InvalidURLError) as caught:
        check_url(url)
    caught.value.reason.encode("utf-8")  # the reason itself can be shown and stored
    assert not any(ord(c) < 32 for c in caught.value.reason)


async def test_feeds_add_with_a_lone_surrogate_in_the_url_is_a_clear_refusal(rig: Rig) -> None:
    answer = await FeedCommands(rig.service, FeedSettings()).add(
        ADMIN, "http://example.org/feed\ud800", trusted=True)
    assert answer.notice is not None
    assert answer.notice.startswith("That is not a valid web address")
    assert await rig.store.find() == []


@pytest.mark.parametrize(("charset", "body"), [
    ("utf-7", b"+2AA-"), ("unicode_escape", b"\\ud800"), ("raw_unicode_escape", b"\\ud800")])
async def test_a_page_whose_charset_decodes_to_lone_surrogates_is_still_read(
        charset: str, body: bytes, server: FeedServer, rig: Rig) -> None:
    """A server may name any codec Python knows; some of them turn bytes into text that
    cannot be encoded again (the extractor then found no text). They are replaced."""
    html = page("Odd page").replace(b"<p>", b"<p>" + body + b" ", 1)
    server.serve("/p", Reply(html, content_type=f"text/html; charset={charset}"))
    items = [Item("Odd page", server.url("/p"), excerpt(1))]
    feed = await rig.store.add(server.serve("/feed", Reply(rss20(items))), interval_minutes=15,
                               full_text=FullText.AUTO, added_by="test",
                               now=rig.service.clock())
    report = await rig.service.poll(feed.id)
    assert report.error is None
    assert (report.ingest.added, report.pages) == (1, 1)
    report = await rig.service.ingest_url(server.url("/p"))
    assert report.error is None


@pytest.mark.parametrize("link", ["https://news.example/a\x1b]8;;https://evil.example\x07",
                                  "https://news.example/a\x85rejected entry 9: forged",
                                  "https://news.example/\u202egnp.exe"])
def test_entry_links_with_control_characters_are_not_kept(link: str) -> None:
    items = [Item("Good story", "https://news.example/good", story(1)),
             Item("Odd link", link, story(2))]
    # JSON Feed: XML cannot carry most of these characters at all.
    parsed = parse_feed(json_feed(items), "https://news.example/feed")
    entries = {e.title: e.link for e in parsed.entries}
    assert entries == {"Good story": "https://news.example/good", "Odd link": None}


def test_poll_reports_are_terminal_safe(capsys: pytest.CaptureFixture[str]) -> None:
    report = PollReport(url="https://news.example/feed")
    report.ingest.reject("entry 2", "reason with \x1b[2J escape")
    report.notes.append("https://news.example/\x1b]0;title\x07: page not read")
    print_poll(report, "feed #1")
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\x07" not in out
    assert out.count("\n") == 3
