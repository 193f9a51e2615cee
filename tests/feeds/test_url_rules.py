"""One set of URL rules: the fetcher's ``check_url``. The ``feeds add`` check and the config
file build on it, so every path refuses exactly the same URLs (with its own wording)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.feeds import commands, fetch
from bot.feeds.commands import FeedInputError
from bot.settings import ConfigFeed

BAD = {
    "ftp://example.org/feed": "scheme",
    "example.org/feed": "scheme",
    "https:///feed": "scheme",
    "http://:80/feed": "host",
    "http://exa mple.org/feed": "syntax",
    "http://example.org:99999/feed": "syntax",
    "http://example.org:port/feed": "syntax",
    "http://[::1/feed": "syntax",
    "https://reader:s3cret-pw@example.org/feed": "credentials",
    "https://token@example.org/feed": "credentials",
    "https://example.org/" + "a" * fetch.MAX_URL_LENGTH: "length",
}
GOOD = ["https://example.org/feed", "http://example.org:8080/rss.xml?x=1",
        "https://example.org/" + "a" * (fetch.MAX_URL_LENGTH - 20)]


@pytest.mark.parametrize(("url", "rule"), BAD.items(), ids=list(BAD.values()))
def test_every_path_refuses_the_same_bad_urls(url: str, rule: str) -> None:
    with pytest.raises(fetch.InvalidURLError) as caught:
        fetch.check_url(url)
    assert caught.value.rule == rule
    assert "s3cret-pw" not in caught.value.reason
    # allow_private: only the shared rules are in play, not the private-address one
    with pytest.raises(FeedInputError) as friendly:
        commands.check_url(url, allow_private=True)
    assert str(friendly.value) == commands._FRIENDLY.get(rule, commands.NOT_VALID)
    with pytest.raises(ValidationError) as config:
        ConfigFeed(url=url)
    ((where, message),) = [(e["loc"], e["msg"]) for e in config.value.errors()]
    assert where == ("url",)
    assert "s3cret-pw" not in message  # the message is what check-config prints


@pytest.mark.parametrize("url", GOOD)
def test_every_path_accepts_the_same_good_urls(url: str) -> None:
    fetch.check_url(url)
    assert commands.check_url(f" <{url}> ", allow_private=False) == url
    assert ConfigFeed(url=url).url == url
