"""Open the catalogue a database URL names (``sqlite:///path/newsbot.db``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.catalogue.base import Catalogue, CatalogueUnavailableError, unusable_reason
from bot.catalogue.sqlite import SqliteCatalogue

SUPPORTED = (
    "sqlite:///relative/or/absolute/path.db, sqlite:////absolute/path.db, sqlite:///:memory:"
)


def sqlite_path(url: str) -> str:
    """The file path of a ``sqlite:///...`` URL (``:memory:`` for an in-memory database).

    ``sqlite:///data/newsbot.db`` is relative to the working directory and
    ``sqlite:////var/lib/newsbot.db`` absolute (SQLAlchemy's convention); ``~`` is expanded.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "sqlite":
        raise ValueError(f"unsupported database URL scheme {parts.scheme!r}: use {SUPPORTED}")
    if parts.netloc:
        raise ValueError(f"a sqlite URL has no host: use {SUPPORTED}")
    path = unquote(parts.path)
    path = path.removeprefix("/")
    if not path:
        raise ValueError(f"the sqlite URL names no file: use {SUPPORTED}")
    if path == ":memory:":
        return path
    return str(Path(path).expanduser())


async def open_catalogue(url: str, clock: Callable[[], datetime] | None = None) -> Catalogue:
    """Open (creating parent directories and the schema) the catalogue at ``url``.

    ``clock`` stamps ingestion times (tests inject one; the default is the UTC wall clock).
    """
    if "://" not in url:
        raise ValueError(f"not a database URL: {url!r}; use {SUPPORTED}")
    path = sqlite_path(url)
    if path != ":memory:":
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogueUnavailableError(unusable_reason(path, exc)) from exc
    catalogue = SqliteCatalogue(path) if clock is None else SqliteCatalogue(path, clock=clock)
    await catalogue.open()
    return catalogue
