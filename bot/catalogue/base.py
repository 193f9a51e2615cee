"""The ``Catalogue`` protocol: what the engine, ingestion and digests need from storage.

Backends (SQLite now, PostgreSQL later) implement it; one storage test suite runs against each.
User text passed to ``search`` is plain words, never query syntax: backends make it safe.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.models import Analysis, ArticleDraft, Attribution, StoredArticle


class CatalogueUnavailableError(Exception):
    """The database cannot be used (not a newsbot database, corrupt, unreadable); the message
    is meant for the user and names the file."""


class SchemaTooNewError(CatalogueUnavailableError):
    """The database was written by a newer newsbot; the message says to upgrade."""


# Result codes that are about the database as a whole, not the row being written: every later
# write would fail the same way, so an ingest stops at the first instead of trying each file.
_WHOLE_DATABASE = frozenset({
    sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_PERM, sqlite3.SQLITE_NOMEM,
    sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED,
})


def storage_failure(error: BaseException) -> str | None:
    """SQLite's own words when ``error`` means the database cannot take writes at all
    (read-only, disk full, I/O error, locked by another process...); None when it is about
    one article, or not a database error."""
    code = getattr(error, "sqlite_errorcode", None) if isinstance(error, sqlite3.Error) else None
    if isinstance(code, int) and code & 0xFF in _WHOLE_DATABASE:
        return str(error) or getattr(error, "sqlite_errorname", type(error).__name__)
    return None


def unusable_reason(where: str, error: Exception) -> str:
    """A plain sentence saying why the database at ``where`` cannot be used."""
    detail = str(error) or type(error).__name__
    if "not a database" in detail or "malformed" in detail:
        return (f"the database file {where} is not a newsbot database or is corrupt ({detail}); "
                "move it away or point --db at another file")
    return f"cannot use the database file {where} ({detail})"


class UpsertOutcome(StrEnum):
    """What an upsert did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """The outcome of storing one article."""

    outcome: UpsertOutcome
    article_id: int
    slug: str  # the stored article's id
    # The draft has the same text as an article stored under another identity (a copy of a
    # file): it was stored once, and ``alias`` is the extra id recorded for it, if any.
    duplicate: bool = False
    alias: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleHeader:
    """A light row for listings, search hits and autocomplete (no paragraphs, no analysis)."""

    id: int
    slug: str
    title: str
    kind: str
    url: str | None
    source: str | None
    published_at: datetime
    published_estimated: bool
    lede: str  # first sentence of the first body paragraph, for one-line listings
    score: float = 0.0  # search relevance, higher is better; 0 for listings
    # Search hits: the IDF-weighted share (0..1) of the query's informative words this article
    # holds, so a story matching only the commonest word of a question is not taken for it.
    coverage: float = 1.0
    ingested_at: datetime | None = None  # when first stored (a late feed story is still new)


@dataclass(frozen=True, slots=True)
class SpeakerHit:
    """An attribution found by speaker name or alias, with the article it belongs to."""

    article: ArticleHeader
    attribution: Attribution


class Catalogue(Protocol):
    """Stored articles with their analysis."""

    @property
    def location(self) -> str:
        """The database as a message to the user names it ("the database file data/news.db")."""

    async def open(self) -> None:
        """Create or migrate the schema; idempotent."""

    async def close(self) -> None:
        """Release connections."""

    async def upsert(self, draft: ArticleDraft, analysis: Analysis) -> UpsertResult:
        """Store once per canonical URL (else content hash); update a changed article in place."""

    async def upsert_many(
        self, items: Iterable[tuple[ArticleDraft, Analysis]]
    ) -> list[UpsertResult]:
        """Upsert many articles in one transaction (all or nothing)."""

    async def known_hash(self, draft: ArticleDraft) -> str | None:
        """The stored content hash for this draft's identity, so unchanged ones skip analysis."""

    async def adopt_identity(self, article_id: int, draft: ArticleDraft) -> bool:
        """Give an article still known only by its content hash the draft's stable identity,
        so the draft's upsert updates it in place. True when it moved; False, and nothing
        written, when it already has that or another stable identity or the draft's identity
        is taken or is itself a content hash."""

    async def remove(self, article_id: int) -> bool:
        """Delete a story and everything derived from it (analysis, index rows, aliases,
        vectors, and the references other stores keep to it); False when there is none."""

    async def was_seeded(self) -> bool:
        """True once the demo seeds were stored here (or it held stories before that was
        recorded), so emptying the catalogue does not bring them back."""

    async def mark_seeded(self) -> None:
        """Record that the demo seeds were stored."""

    async def get(self, article_id: int) -> StoredArticle | None:
        """One article with its analysis."""

    async def get_by_slug(self, slug: str) -> StoredArticle | None:
        """One article by its stable slug."""

    async def count(self) -> int:
        """How many articles are stored."""

    async def latest(self, limit: int, since: datetime | None = None) -> list[ArticleHeader]:
        """Newest first by published time; with ``since``, those published or first stored at
        or after it (a story dated last week but ingested now is new to a digest)."""

    async def latest_matching(self, text: str, since: datetime,
                              limit: int) -> list[ArticleHeader]:
        """Articles holding ANY word of ``text`` (title, body, speakers, entities), published
        or first stored at or after ``since``, newest first like ``latest``: the digest's topic
        query. Unranked and complete within the window, however many older articles match."""

    async def search(self, text: str, limit: int) -> list[ArticleHeader]:
        """Ranked full-text search over title, body, speakers and entities (bm25)."""

    async def phrase(self, text: str, limit: int) -> list[ArticleHeader]:
        """Articles whose body holds the words of ``text`` as one phrase (newest first)."""

    async def score(self, text: str, ids: Sequence[int]) -> list[ArticleHeader]:
        """The stored articles among ``ids`` scored as ``search`` hits for ``text`` (score and
        coverage), best first: candidates found another way (by meaning) weighed by words."""

    async def titles(self, prefix: str, limit: int) -> list[ArticleHeader]:
        """Titles containing ``prefix`` (case-insensitive), for autocomplete."""

    async def speakers(self, prefix: str, limit: int) -> list[str]:
        """Canonical speaker names matching ``prefix`` on name or alias, for autocomplete."""

    async def attributions_by_speaker(
        self, name: str, article_ids: Sequence[int] | None = None, limit: int = 50
    ) -> list[SpeakerHit]:
        """Attributions whose speaker name or alias matches ``name`` (case-insensitive)."""
