"""What feeds need from storage: the records and the ``FeedStore`` protocol.

Backends implement it (SQLite: ``bot.feeds.sqlite_store``) and ``bot.catalogue.open`` opens
the one the database URL names. ``remember`` keeps, per feed, the fingerprint of every entry
already stored and whether the stored text is the full article or the feed's excerpt: an
unchanged entry is skipped without re-fetching its page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.catalogue.identity import canonical_url


class FullText(StrEnum):
    """When to fetch the article page: only for excerpts, for every entry, or never."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class DuplicateFeedError(Exception):
    """The feed is already in the list; ``feed_id`` is the existing one."""

    def __init__(self, feed_id: int) -> None:
        super().__init__(f"feed #{feed_id} exists")
        self.feed_id = feed_id


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed with its validators and health."""

    id: int
    url: str
    title: str | None
    interval_minutes: int
    full_text: FullText
    etag: str | None
    last_modified: str | None
    added_by: str
    added_at: datetime
    last_polled: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    failing_since: datetime | None
    failure_reported: bool
    last_rejected: str | None
    articles: int  # articles added or updated through this feed
    private_ok: bool = False  # listed by the operator: may be fetched from private addresses

    @property
    def name(self) -> str:
        """The title, else the URL."""
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class SeenEntry:
    """An entry stored from a feed: which article, and whether its text is the full story."""

    key: str
    fingerprint: str
    article_id: int | None
    full_text: bool


def url_key(url: str) -> str:
    """Two spellings of one feed URL (tracking parameters, case of the host) are one feed."""
    return canonical_url(url) or url.strip()


class FeedStore(Protocol):
    """Feeds with their validators and health, and the entries each feed delivered."""

    async def open(self) -> None:
        """Connect and create or migrate the tables; idempotent."""

    async def close(self) -> None:
        """Release the connection."""

    async def add(self, url: str, *, interval_minutes: int, full_text: FullText, added_by: str,
                  now: datetime, title: str | None = None, private_ok: bool = False) -> Feed:
        """Store a new feed; ``DuplicateFeedError`` when its URL (any spelling ``url_key``
        equates) is already listed. ``private_ok``: the operator listed it."""

    async def get(self, feed_id: int) -> Feed | None:
        """One feed."""

    async def find(self) -> list[Feed]:
        """Every feed, oldest first."""

    async def by_url(self, url: str) -> Feed | None:
        """The feed listed under this URL (any spelling ``url_key`` equates)."""

    async def set_options(self, feed_id: int, *, interval_minutes: int,
                          full_text: FullText) -> None:
        """Change how often a feed is polled and whether its article pages are read."""

    async def delete(self, feed_id: int) -> bool:
        """Remove a feed (its stored articles stay in the catalogue)."""

    async def record_success(self, feed_id: int, now: datetime, *, etag: str | None,
                             last_modified: str | None, title: str | None = None,
                             rejected: str | None = None, stored: int = 0) -> None:
        """A poll worked (200 or 304): keep the validators, clear the failure streak."""

    async def record_not_modified(self, feed_id: int, now: datetime, *, etag: str | None,
                                  last_modified: str | None) -> None:
        """A 304: the feed is healthy; the last poll's skipped entries still stand."""

    async def record_failure(self, feed_id: int, reason: str, now: datetime) -> Feed | None:
        """A poll failed: count it and remember since when the feed has been failing."""

    async def claim_report(self, feed_id: int) -> bool:
        """True exactly once per failure streak: the caller reports it to the admin."""

    async def release_report(self, feed_id: int) -> None:
        """The report could not be delivered: let the next failed poll try again."""

    async def seen(self, feed_id: int) -> dict[str, SeenEntry]:
        """The entries this feed delivered before, by entry key."""

    async def remember(self, feed_id: int, entries: Iterable[SeenEntry], now: datetime) -> None:
        """Record stored entries (after the articles are in the catalogue)."""

    async def is_full_text(self, article_id: int) -> bool | None:
        """Whether an article stored from a feed holds the full story (None: not from a feed)."""
