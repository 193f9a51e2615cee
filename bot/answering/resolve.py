"""Which story does the user mean? Slug first, then the ranked full-text index."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalogue.base import ArticleHeader, Catalogue
from bot.models import StoredArticle

# Two hits whose scores are this close are "about equally likely": we ask instead of guessing.
AMBIGUITY_RATIO = 0.92
CANDIDATES = 5
# A hit must hold at least this IDF-weighted share of the question's informative words: "the
# Arsenal match" is not the rugby story that merely has "match" when no story has "arsenal".
MIN_COVERAGE = 0.5
SUGGESTIONS = 3
_ID_SHAPED = re.compile(r"[-_/0-9]")
_ID_EDGES = "\"'“”‘’.,;:!?()[]<>"


@dataclass(frozen=True, slots=True)
class Resolution:
    """The story found, or why not: ambiguous candidates, or the closest titles (or, when
    nothing is even close, the newest stories, flagged by ``newest``)."""

    article: StoredArticle | None
    candidates: tuple[ArticleHeader, ...] = ()
    ambiguous: bool = False
    newest: bool = False


async def resolve_story(catalogue: Catalogue, words: str) -> Resolution:
    """Find one story for ``words`` (a slug from autocomplete, or free words)."""
    words = words.strip()
    if not words:
        return Resolution(None)
    by_slug = await catalogue.get_by_slug(words) or await _id_among(catalogue, words)
    if by_slug is not None:
        return Resolution(by_slug)
    hits = await catalogue.search(words, CANDIDATES)
    good = [h for h in hits if h.coverage >= MIN_COVERAGE]
    if not good:
        return await _not_found(catalogue, words, hits)
    if _ambiguous(good):
        close = tuple(h for h in good if h.score >= AMBIGUITY_RATIO * good[0].score)
        return Resolution(None, close, ambiguous=True)
    return Resolution(await catalogue.get(good[0].id), tuple(good[1:]))


async def _id_among(catalogue: Catalogue, words: str) -> StoredArticle | None:
    """The story whose exact id is one of the words ("key points of business/021"): an id
    ``newsbot stories`` printed must find its story however the question is put. Only words
    shaped like ids (holding ``-``, ``_``, ``/`` or a digit) are tried, and only when exactly
    one of them is an id."""
    found: list[StoredArticle] = []
    for word in dict.fromkeys(words.split()):
        if _ID_SHAPED.search(word) and len(found) < 2:
            story = await catalogue.get_by_slug(word.strip(_ID_EDGES))
            if story is not None and all(f.id != story.id for f in found):
                found.append(story)
    return found[0] if len(found) == 1 else None


async def _not_found(catalogue: Catalogue, words: str, weak: list[ArticleHeader]) -> Resolution:
    """Titles sharing a longer word, then stories matching only part of the words; failing
    those, the newest stories, labelled as such."""
    suggestions = {h.id: h for h in await closest_titles(catalogue, words)}
    for header in weak:
        suggestions.setdefault(header.id, header)
    if suggestions:
        return Resolution(None, tuple(list(suggestions.values())[:SUGGESTIONS]))
    return Resolution(None, tuple(await catalogue.latest(SUGGESTIONS)), newest=True)


def _ambiguous(hits: list[ArticleHeader]) -> bool:
    if len(hits) < 2 or hits[0].score <= 0:
        return False
    same_story = hits[0].title.casefold() == hits[1].title.casefold() and (
        hits[0].kind != hits[1].kind)
    return not same_story and hits[1].score >= AMBIGUITY_RATIO * hits[0].score


async def closest_titles(
    catalogue: Catalogue, words: str, limit: int = SUGGESTIONS
) -> list[ArticleHeader]:
    """Suggestions when nothing matches: titles containing one of the longer words (by its
    first four letters); empty when none does."""
    seen: dict[int, ArticleHeader] = {}
    for word in sorted(set(words.split()), key=len, reverse=True)[:4]:
        if len(word) < 3:
            continue
        for header in await catalogue.titles(word[:4], limit):
            seen.setdefault(header.id, header)
        if len(seen) >= limit:
            break
    return list(seen.values())[:limit]
