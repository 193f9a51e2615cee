"""The storage seam: every store comes from the database URL through one factory, so a second
backend is one more row in ``BACKENDS`` (and its store modules), never a change in a caller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot import sqlite_backend
from bot.app import open_newsbot
from bot.catalogue.base import Catalogue
from bot.catalogue.open import BACKENDS, check_database_url, open_stores
from bot.digests.model import NewSubscription, Style
from bot.digests.store import DigestStore
from bot.feeds.store import FeedStore, FullText
from bot.messages import Place, Query, User
from bot.semantic.store import VectorStore
from bot.settings import Settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("url", ["postgresql://db.example/news", "mysql://u@h/db",
                                 "redis://localhost/0"])
def test_an_unknown_scheme_is_refused_with_the_supported_ones(url: str) -> None:
    scheme = url.split("://", maxsplit=1)[0]
    with pytest.raises(ValueError, match="unsupported database URL") as caught:
        check_database_url(url)
    message = str(caught.value)
    assert f"scheme {scheme!r}" in message
    assert "the supported schemes are sqlite" in message
    assert sqlite_backend.FORMS in message


def test_the_settings_refuse_it_as_a_configuration_error() -> None:
    with pytest.raises(ValidationError, match="the supported schemes are sqlite"):
        Settings(database_url="postgresql://db.example/news")


async def test_open_stores_opens_every_store_in_the_one_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'news.db'}"
    async with open_stores(url, clock=lambda: NOW) as stores:
        await stores.digests.add(_subscription(), NOW, max_per_channel=5)
        await stores.feeds.add("https://news.example/feed", interval_minutes=15,
                               full_text=FullText.AUTO, added_by="cli", now=NOW)
        assert await stores.catalogue.count() == 0
    async with open_stores(url) as again:  # the same file: everything is still there
        assert [s.channel for s in await again.digests.find()] == ["general"]
        assert [f.url for f in await again.feeds.find()] == ["https://news.example/feed"]


class SpareBackend:
    """A second backend for the test: SQLite stores in a file of its own choosing, counting
    what it was asked to build."""

    FORMS = "spare://NAME"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: list[str] = []

    def _url(self, url: str) -> str:
        return f"sqlite:///{self.folder / url.removeprefix('spare://')}.db"

    def check(self, url: str) -> None:
        if not url.removeprefix("spare://"):
            raise ValueError("a spare URL names a database")

    def catalogue(self, url: str, clock: Callable[[], datetime] | None) -> Catalogue:
        self.built.append("catalogue")
        return sqlite_backend.catalogue(self._url(url), clock)

    def digest_store(self, url: str) -> DigestStore:
        self.built.append("digests")
        return sqlite_backend.digest_store(self._url(url))

    def feed_store(self, url: str) -> FeedStore:
        self.built.append("feeds")
        return sqlite_backend.feed_store(self._url(url))

    def vector_store(self, url: str) -> VectorStore | None:
        self.built.append("vectors")
        return sqlite_backend.vector_store(self._url(url))


async def test_a_second_backend_needs_no_change_in_the_callers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spare = SpareBackend(tmp_path)
    monkeypatch.setitem(BACKENDS, "spare", spare)
    settings = Settings(database_url="spare://news")
    async with open_newsbot(settings, seed=False) as app:
        user = User(id="U1", name="ann", can_manage=True)
        listed = await app.handle(Query(text="", user=user, command="digest",
                                        place=Place(platform="slack", channel="C1"),
                                        args=(("action", "list"),), received_at=NOW))
        assert listed.lead.startswith("No digests here yet")
    assert set(spare.built) == {"catalogue", "digests", "feeds", "vectors"}
    assert (tmp_path / "news.db").exists()


def _subscription() -> NewSubscription:
    return NewSubscription(platform="console", workspace="", channel="general",
                           schedule="daily 09:00", timezone="UTC", max_stories=5, topic=None,
                           style=Style.BRIEF, notify_empty=False, created_by="cli")
