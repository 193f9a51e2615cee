"""Which story does the user mean? Slug first, then the ranked full-text index."""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalogue.base import ArticleHeader, Catalogue
from bot.models import StoredArticle

# Two hits whose scores are this close are "about equally likely": we ask instead of guessing.
AMBIGUITY_RATIO = 0.92
CANDIDATES = 5


@dataclass(frozen=True, slots=True)
class Resolution:
    """The story found, or why not: ambiguous candidates, or the closest titles."""

    article: StoredArticle | None
    candidates: tuple[ArticleHeader, ...] = ()
    ambiguous: bool = False


async def resolve_story(catalogue: Catalogue, words: str) -> Resolution:
    """Find one story for ``words`` (a slug from autocomplete, or free words)."""
    words = words.strip()
    if not words:
        return Resolution(None)
    by_slug = await catalogue.get_by_slug(words)
    if by_slug is not None:
        return Resolution(by_slug)
    hits = await catalogue.search(words, CANDIDATES)
    if not hits:
        return Resolution(None, tuple(await closest_titles(catalogue, words)))
    if _ambiguous(hits):
        close = tuple(h for h in hits if h.score >= AMBIGUITY_RATIO * hits[0].score)
        return Resolution(None, close, ambiguous=True)
    return Resolution(await catalogue.get(hits[0].id), tuple(hits[1:]))


def _ambiguous(hits: list[ArticleHeader]) -> bool:
    if len(hits) < 2 or hits[0].score <= 0:
        return False
    same_story = hits[0].title.casefold() == hits[1].title.casefold() and (
        hits[0].kind != hits[1].kind)
    return not same_story and hits[1].score >= AMBIGUITY_RATIO * hits[0].score


async def closest_titles(catalogue: Catalogue, words: str, limit: int = 3) -> list[ArticleHeader]:
    """Suggestions when nothing matches: titles containing one of the longer words, else the
    newest stories."""
    seen: dict[int, ArticleHeader] = {}
    for word in sorted(set(words.split()), key=len, reverse=True)[:4]:
        if len(word) < 3:
            continue
        for header in await catalogue.titles(word[:4], limit):
            seen.setdefault(header.id, header)
        if len(seen) >= limit:
            break
    if not seen:
        for header in await catalogue.latest(limit):
            seen.setdefault(header.id, header)
    return list(seen.values())[:limit]
