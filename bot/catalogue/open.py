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
        raise ValueError(
            f"unsupported database URL scheme {parts.scheme!r} in {mask_url(url)!r}: newsbot "
            f"stores its catalogue in SQLite; use {SUPPORTED}"
        )
    if parts.netloc:
        raise ValueError(f"a sqlite URL has no host: use {SUPPORTED}")
    path = unquote(parts.path)
    path = path.removeprefix("/")
    if not path:
        raise ValueError(f"the sqlite URL names no file: use {SUPPORTED}")
    if path == ":memory:":
        return path
    return str(Path(path).expanduser())


def check_database_url(url: str) -> str:
    """The file path a supported database URL names; ``ValueError`` saying what is supported
    otherwise (so configuration checks catch ``--db nonsense`` before anything starts)."""
    if "://" not in url:
        raise ValueError(f"not a database URL: {mask_url(url)!r}; use {SUPPORTED}")
    return sqlite_path(url)


def mask_url(url: str) -> str:
    """``url`` with its whole user-info part (user name and password: either may be the
    secret, as in ``https://TOKEN@host``) replaced by ``***`` (safe to print or log).

    Done on the text, not through ``urlsplit``: a malformed URL (a bad port, stray brackets)
    must be masked too, and is most likely to be shown, in an error message."""
    start = url.find("//") + 2 if "//" in url else 0
    end = len(url)
    for mark in "/?#":
        found = url.find(mark, start)
        if found >= 0:
            end = min(end, found)
    at = url.rfind("@", start, end)  # the last @: a password may hold an @ itself
    if at < 0:
        return url
    return f"{url[:start]}***{url[at:]}"


async def open_catalogue(url: str, clock: Callable[[], datetime] | None = None) -> Catalogue:
    """Open (creating parent directories and the schema) the catalogue at ``url``.

    ``clock`` stamps ingestion times (tests inject one; the default is the UTC wall clock).
    """
    path = check_database_url(url)
    if path != ":memory:":
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogueUnavailableError(unusable_reason(path, exc)) from exc
    catalogue = SqliteCatalogue(path) if clock is None else SqliteCatalogue(path, clock=clock)
    await catalogue.open()
    return catalogue
