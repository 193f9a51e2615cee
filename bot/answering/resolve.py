"""Which story does the user mean? Slug first, then words and (when configured) meaning.

Candidates come from the catalogue's ranked word search and, with a ``SemanticIndex``, from the
stories nearest in meaning; the two rankings are fused by reciprocal rank fusion. A story is
answered only when the evidence is there and the best clearly beats the runner-up; two
candidates that are the same story (a copy, another edition) count once. Otherwise the user is
asked, with the candidates: "did you mean" when the best is weak, "which one" when several are
about equally good; nothing is ever summarised as if certain when it is not.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, replace

from bot.answering import fusion
from bot.catalogue import terms
from bot.catalogue.base import ArticleHeader, Catalogue
from bot.models import StoredArticle
from bot.semantic import SemanticIndex

log = logging.getLogger(__name__)

CANDIDATES = 5
POOL = 10  # candidates taken from the word ranking
MEANING_POOL = 100  # ... and from the meaning ranking (brute-force cosine: a long list is cheap)
# A hit must hold at least this IDF-weighted share of the question's informative words: "the
# Arsenal match" is not the rugby story that merely has "match" when no story has "arsenal".
MIN_COVERAGE = 0.5
# Below MIN_COVERAGE but at least this: offered as "did you mean", never answered.
WEAK_COVERAGE = 0.25
SUGGESTIONS = 3
_ID_SHAPED = re.compile(r"[-_/0-9]")
_ID_EDGES = "\"'“”‘’.,;:!?()[]<>"


@dataclass(frozen=True, slots=True)
class Resolution:
    """The story found, or why not: ambiguous candidates, a weak best offered as "did you
    mean" (``uncertain``), or the closest titles (or, when nothing is even close, the newest
    stories, flagged by ``newest``)."""

    article: StoredArticle | None
    candidates: tuple[ArticleHeader, ...] = ()
    ambiguous: bool = False
    newest: bool = False
    uncertain: bool = False


async def resolve_story(
    catalogue: Catalogue, words: str, semantic: SemanticIndex | None = None
) -> Resolution:
    """Find one story for ``words`` (a slug from autocomplete, or free words)."""
    words = words.strip()
    if not words:
        return Resolution(None)
    by_slug = await catalogue.get_by_slug(words) or await _id_among(catalogue, words)
    if by_slug is not None:
        return Resolution(by_slug)
    # Side by side: the word search runs on the catalogue's connection thread and the meaning
    # search (embedding + matrix product) on a worker thread, so neither waits for the other.
    hits, nearest = await asyncio.gather(catalogue.search(words, POOL),
                                         _nearest(semantic, words))
    ranked = await fusion.rank(catalogue, words, hits, nearest)
    ranked = await fusion.merge_same_story(catalogue, ranked)
    if not ranked or not fusion.has_evidence(ranked[0], MIN_COVERAGE):
        return await _not_found(catalogue, words, ranked)
    if not fusion.clear_winner(ranked, semantic is not None):
        return Resolution(None, _offers(ranked), ambiguous=True)
    article = await catalogue.get(ranked[0].header.id)
    return Resolution(article, tuple(c.header for c in ranked[1:CANDIDATES]))


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


def _offers(ranked: list[fusion.Candidate]) -> tuple[ArticleHeader, ...]:
    """The first few of the fused ranking, plus the first of the words and of the meaning
    when fusion put them further down: each ranking's favourite is worth offering."""
    chosen = ranked[:SUGGESTIONS]
    chosen += [c for c in ranked[SUGGESTIONS:] if 1 in (c.word_rank, c.meaning_rank)]
    return tuple(c.header for c in chosen[:CANDIDATES])


async def _nearest(semantic: SemanticIndex | None, words: str) -> list[tuple[int, float]]:
    """The stories nearest in meaning; none when no index is configured or it fails (the
    words alone still answer: a broken model must not take answering down with it)."""
    if semantic is None:
        return []
    try:
        return list(await semantic.nearest(words, MEANING_POOL))
    except Exception:
        log.exception("semantic search failed; answering from words alone")
        return []


async def _not_found(
    catalogue: Catalogue, words: str, weak: list[fusion.Candidate]
) -> Resolution:
    """A weak best is offered as "did you mean" with its runners-up; failing that, titles
    sharing a longer word, then stories matching only part of the words; failing those, the
    newest stories, labelled as such."""
    if weak and fusion.has_evidence(weak[0], WEAK_COVERAGE):
        return Resolution(None, _offers(weak), uncertain=True)
    suggestions = {h.id: h for h in await closest_titles(catalogue, words)}
    for candidate in weak:
        if candidate.header.coverage > 0:
            suggestions.setdefault(candidate.header.id, candidate.header)
    if suggestions:
        return Resolution(None, tuple(list(suggestions.values())[:SUGGESTIONS]))
    return Resolution(None, tuple(await catalogue.latest(SUGGESTIONS)), newest=True)


async def closest_titles(
    catalogue: Catalogue, words: str, limit: int = SUGGESTIONS
) -> list[ArticleHeader]:
    """Suggestions when nothing matches: titles containing one of the longer words of the
    question (by its first four letters); empty when none does. Words as search reads them:
    a lone letter or a mark is no word to suggest by."""
    seen: dict[int, ArticleHeader] = {}
    informative = {w.surface for w in terms.query_words(words) if w.informative}
    for word in sorted(informative, key=len, reverse=True)[:4]:
        if len(word) < 3:
            continue
        for header in await catalogue.titles(word[:4], limit):
            seen.setdefault(header.id, replace(header, coverage=0.0))
        if len(seen) >= limit:
            break
    return list(seen.values())[:limit]
