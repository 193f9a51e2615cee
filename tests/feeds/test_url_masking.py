"""A secret in a URL's user-info, in the user-name position as much as the password's, is
never printed, logged or stored to be shown."""

from __future__ import annotations

import logging

import pytest

from bot.catalogue.open import check_database_url, mask_url
from bot.feeds.fetch import Fetcher, FetchError
from bot.feeds.parse import parse_feed
from bot.feeds.store import FullText
from tests.feeds.conftest import FeedServer, Reply, Rig
from tests.feeds.content import Item, excerpt, rss20

SECRET = "tok-8c1f3e"


@pytest.mark.parametrize(("url", "shown"), [
    (f"https://{SECRET}@host.example/feed", "https://***@host.example/feed"),
    (f"https://{SECRET}:@host.example/feed", "https://***@host.example/feed"),
    (f"https://user:{SECRET}@host.example/feed", "https://***@host.example/feed"),
    (f"https://user:pa@{SECRET}@host.example/x?q=a@b", "https://***@host.example/x?q=a@b"),
    (f"postgresql://{SECRET}@h:99999/db", "postgresql://***@h:99999/db"),  # a bad port too
    (f"{SECRET}:pw@host/db", "***@host/db"),  # no scheme
    ("https://host.example/a@b", "https://host.example/a@b"),  # an @ in the path is not one
    ("sqlite:///data/a@b.db", "sqlite:///data/a@b.db"),
])
def test_mask_url_hides_user_names_and_passwords(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_database_url_errors_hide_a_user_name_secret() -> None:
    with pytest.raises(ValueError, match="unsupported database URL") as caught:
        check_database_url(f"postgresql://{SECRET}@db.example/news")
    assert SECRET not in str(caught.value)
    assert "postgresql://***@db.example/news" in str(caught.value)


async def test_fetch_errors_hide_a_user_name_secret(fetcher: Fetcher) -> None:
    for url in (f"http://{SECRET}@example.org/feed", f"http://u:p@{SECRET}@example.org/f"):
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
        assert SECRET not in caught.value.reason
        assert "***@example.org" in caught.value.reason


async def test_entry_links_with_credentials_are_neither_shown_nor_stored(
        server: FeedServer, rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    link = f"http://{SECRET}@127.0.0.1:9/story"
    feed = await rig.store.add(server.serve("/feed", Reply(rss20([Item("A", link, excerpt(1))]))),
                               interval_minutes=15, full_text=FullText.AUTO, added_by="test",
                               now=rig.service.clock())
    with caplog.at_level(logging.DEBUG):
        report = await rig.service.poll(feed.id)
    assert report.error is None
    [stored] = await rig.catalogue.latest(1)
    assert stored.url == "http://127.0.0.1:9/story"
    assert SECRET not in " ".join(report.notes) + caplog.text


def test_parsed_entry_links_drop_user_info() -> None:
    parsed = parse_feed(rss20([Item("A", f"https://me:{SECRET}@news.example/a", excerpt(1))]),
                        "https://news.example/feed")
    assert [e.link for e in parsed.entries] == ["https://news.example/a"]
