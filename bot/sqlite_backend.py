"""The SQLite backend: every store in the one file a ``sqlite:///`` URL names.

``bot.catalogue.open`` opens it for the ``sqlite`` scheme: the catalogue
(``bot.catalogue.sqlite``), the digest store (``bot.digests.sqlite_store``) and the feed store
(``bot.feeds.sqlite_store``), each on its own connection to the same file. Only SQLite backend
modules turn a URL into a file path (a test keeps it so).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from bot.catalogue.base import Catalogue, CatalogueUnavailableError, unusable_reason
from bot.catalogue.sqlite import SqliteCatalogue
from bot.digests.sqlite_store import SqliteDigestStore
from bot.digests.store import DigestStore
from bot.feeds.sqlite_store import SqliteFeedStore
from bot.feeds.store import FeedStore

if TYPE_CHECKING:
    from bot.semantic.store import VectorStore

FORMS = "sqlite:///relative/or/absolute/path.db, sqlite:////absolute/path.db, sqlite:///:memory:"


def sqlite_path(url: str) -> str:
    """The file path of a ``sqlite:///...`` URL (``:memory:`` for an in-memory database).

    ``sqlite:///data/newsbot.db`` is relative to the working directory and
    ``sqlite:////var/lib/newsbot.db`` absolute (SQLAlchemy's convention); ``~`` is expanded.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "sqlite":
        raise ValueError(f"not a sqlite URL: use {FORMS}")
    if parts.netloc:
        raise ValueError(f"a sqlite URL has no host: use {FORMS}")
    path = unquote(parts.path)
    path = path.removeprefix("/")
    if not path:
        raise ValueError(f"the sqlite URL names no file: use {FORMS}")
    if path == ":memory:":
        return path
    return str(Path(path).expanduser())


def check(url: str) -> None:
    """``ValueError`` saying what is wrong with a ``sqlite:`` URL."""
    sqlite_path(url)


def catalogue(url: str, clock: Callable[[], datetime] | None) -> Catalogue:
    """The catalogue in the URL's file (its folder created), not yet open."""
    path = sqlite_path(url)
    if path != ":memory:":
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogueUnavailableError(unusable_reason(path, exc)) from exc
    return SqliteCatalogue(path) if clock is None else SqliteCatalogue(path, clock=clock)


def digest_store(url: str) -> DigestStore:
    """The digest tables in the URL's file, not yet open."""
    return SqliteDigestStore(sqlite_path(url))


def feed_store(url: str) -> FeedStore:
    """The feed tables in the URL's file, not yet open."""
    return SqliteFeedStore(sqlite_path(url))


def vector_store(url: str) -> VectorStore | None:
    """The article vectors in the URL's file (their own connections, from worker threads), or
    None for an in-memory database (another connection would see another, empty one)."""
    from bot.semantic.store import VectorStore  # numpy: only when semantic matching is on

    path = sqlite_path(url)
    return None if path == ":memory:" else VectorStore(path)
