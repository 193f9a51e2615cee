"""The storage seam: every store opened from the one database URL.

The URL's scheme picks a backend (``BACKENDS``). A backend is a module with one constructor per
store, each returning an unopened store behind its protocol (``Catalogue``, ``DigestStore``,
``FeedStore``): adding one (PostgreSQL, say) means adding its store modules and a row here;
callers (``bot.app.open_newsbot``, the ``digest`` and ``feeds`` subcommands) never change.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot import sqlite_backend
from bot.catalogue.base import Catalogue
from bot.digests.store import DigestStore
from bot.feeds.store import FeedStore

if TYPE_CHECKING:
    from bot.semantic.store import VectorStore

Clock = Callable[[], datetime]


class Backend(Protocol):
    """One storage backend (a module): the URL forms it takes and a constructor per store."""

    FORMS: str  # the URL forms it takes, shown when a URL is refused

    def check(self, url: str) -> None:
        """``ValueError`` saying what is wrong with ``url``, a URL of this backend's scheme."""

    def catalogue(self, url: str, clock: Clock | None) -> Catalogue:
        """The catalogue, not yet open (``clock`` stamps ingestion times; None: UTC now)."""

    def digest_store(self, url: str) -> DigestStore:
        """The digest store, not yet open."""

    def feed_store(self, url: str) -> FeedStore:
        """The feed store, not yet open."""

    def vector_store(self, url: str) -> VectorStore | None:
        """The article vectors' store, or None where the backend cannot hold them apart from
        the catalogue's connection (an in-memory database)."""


BACKENDS: dict[str, Backend] = {"sqlite": sqlite_backend}


def supported() -> str:
    """The URL forms every backend takes, for messages."""
    return "; ".join(backend.FORMS for backend in BACKENDS.values())


def backend_for(url: str) -> Backend:
    """The backend ``url``'s scheme names; ``ValueError`` listing the supported schemes."""
    if "://" not in url:
        raise ValueError(f"not a database URL: {mask_url(url)!r}; use {supported()}")
    scheme = url.split("://", 1)[0].lower()
    backend = BACKENDS.get(scheme)
    if backend is None:
        raise ValueError(
            f"unsupported database URL scheme {scheme!r} in {mask_url(url)!r}: the supported "
            f"schemes are {', '.join(BACKENDS)} (use {supported()})")
    return backend


def check_database_url(url: str) -> None:
    """``ValueError`` saying what is supported when ``url`` names no usable database, so
    configuration checks catch ``--db nonsense`` before anything starts."""
    backend_for(url).check(url)


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



async def open_catalogue(url: str, clock: Clock | None = None) -> Catalogue:
    """Open (creating what is missing: folders, the schema) the catalogue at ``url``.

    ``clock`` stamps ingestion times (tests inject one; the default is the UTC wall clock).
    """
    catalogue = backend_for(url).catalogue(url, clock)
    await catalogue.open()
    return catalogue


async def open_digest_store(url: str) -> DigestStore:
    """Open (creating its tables if needed) the digest store at ``url``."""
    store = backend_for(url).digest_store(url)
    await store.open()
    return store


async def open_feed_store(url: str) -> FeedStore:
    """Open (creating its tables if needed) the feed store at ``url``."""
    store = backend_for(url).feed_store(url)
    await store.open()
    return store


def vector_store_at(url: str) -> VectorStore | None:
    """The article vectors' store at ``url`` (semantic matching), or None (see ``Backend``)."""
    return backend_for(url).vector_store(url)


@dataclass(frozen=True, slots=True)
class Stores:
    """Every store the bot runs on, open, all in the one database."""

    catalogue: Catalogue
    digests: DigestStore
    feeds: FeedStore


@asynccontextmanager
async def open_stores(url: str, clock: Clock | None = None) -> AsyncIterator[Stores]:
    """Open the catalogue, the digest store and the feed store at ``url``; close them on exit
    (those already open are closed when a later one cannot be opened)."""
    async with AsyncExitStack() as stack:
        catalogue = await open_catalogue(url, clock)
        stack.push_async_callback(catalogue.close)
        digests = await open_digest_store(url)
        stack.push_async_callback(digests.close)
        feeds = await open_feed_store(url)
        stack.push_async_callback(feeds.close)
        yield Stores(catalogue, digests, feeds)
