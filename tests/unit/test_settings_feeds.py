"""Config-file feeds: entries are URLs or tables with their own interval and full-text mode;
bad entries get one clear line per problem naming the entry and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings


@pytest.fixture
def toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "newsbot.toml"
    path.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("NEWSBOT_FEEDS__FEEDS", raising=False)
    return path


def test_config_feeds_are_urls_or_tables(toml: Path) -> None:
    toml.write_text(
        '[feeds]\ndefault_interval_minutes = 20\nfeeds = [\n'
        '  "https://example.org/rss.xml",\n'
        '  { url = " https://example.net/feed.json ", interval = 60, full_text = "always" },\n'
        '  { url = "https://example.com/atom", full_text = "never" },\n]\n', encoding="utf-8")
    feeds = load_settings().feeds.feeds
    assert [(f.url, f.interval, f.full_text) for f in feeds] == [
        ("https://example.org/rss.xml", None, None),
        ("https://example.net/feed.json", 60, "always"),
        ("https://example.com/atom", None, "never"),
    ]


def test_bad_config_feeds_get_one_clear_line_each(toml: Path) -> None:
    toml.write_text(
        '[feeds]\nfeeds = [\n'
        '  "ftp://example.org/rss.xml",\n'
        '  { url = "https://example.net/feed", interval = 2 },\n'
        '  { url = "https://example.com/atom", full_text = "sometimes" },\n'
        '  { url = "https://example.com/x", intervall = 30 },\n'
        '  { interval = 30 },\n]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.problems == [
        "feeds.feeds[0].url: not an http(s) URL: ftp://example.org/rss.xml",
        "feeds.feeds[1].interval: Input should be greater than or equal to 5",
        "feeds.feeds[2].full_text: Input should be 'auto', 'always' or 'never'",
        "feeds.feeds[3].intervall: Extra inputs are not permitted",
        "feeds.feeds[4].url: Field required"]
    toml.write_text('[feeds]\nfeeds = ["https://example.org/rss.xml", 5]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.problems == [
        "feeds.feeds[1]: this entry is int; each entry is a URL string or a table such "
        'as {url = "https://...", interval = 30, full_text = "always"}']


def test_feed_problems_share_the_path_of_every_other_field(toml: Path) -> None:
    """A bad feed and a bad ordinary field come out of the same formatter, one line each."""
    toml.write_text('[answers]\nsummary_sentences = 0\n[feeds]\nfeeds = [\n'
                    '  { url = "https://example.net/feed", interval = 2 },\n]\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.problems == [
        "answers.summary_sentences: Input should be greater than or equal to 1",
        "feeds.feeds[0].interval: Input should be greater than or equal to 5"]


def test_a_feeds_value_that_is_not_a_list_is_one_line(toml: Path) -> None:
    toml.write_text('[feeds]\nfeeds = "https://example.org/rss.xml"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.problems == ["feeds.feeds: Input should be a valid list"]
