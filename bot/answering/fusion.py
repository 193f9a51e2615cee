"""Fusing the word ranking with the meaning ranking, and judging whether the best is clear.

Reciprocal rank fusion (each ranking adds ``1 / (RRF_K + rank)``) needs no calibration between
bm25-like scores and cosines, which live on different scales. Its ordering is what the user is
offered; whether the best may be *answered* is judged on the evidence behind it: enough of the
question's words held (coverage) or close enough in meaning (cosine), and a clear lead over the
runner-up, in fused rank or in the ranking that found it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalogue.base import ArticleHeader, Catalogue

RRF_K = 60
# Fused lead, in units of the gap between ranks 1 and 2 of one ranking: 1.5 means the two
# rankings broadly agree (first in both against second in both clears it; first and second
# swapped between them does not).
RRF_LEAD = 1.5
# Words alone: the best's lead over the runner-up, as a share of what a story holding every
# word of the question would score (a ratio of scores would shrink with every word both hold).
LEXICAL_LEAD = 0.08
MIN_COSINE = 0.35  # meaning alone is evidence from this cosine
COSINE_LEAD = 0.05  # ... and a clear lead from this much over the runner-up
MIN_WORD_EVIDENCE = 0.5  # coverage at which the words' first can contradict the fused best
SOME_COVERAGE = 0.25  # ... and below which the words dismiss the meaning's first
SOME_COSINE = 0.25  # ... and the meaning dismisses the words' first
AGREE_WITHIN = 3  # "the other ranking agrees": it has the story among its first few
SAME_STORY = 0.8  # share of the shorter text's word triples the other text holds
SAME_LEDE_WORDS = 8  # a first sentence this long, word for word, is the same story
SHOWN = 6  # how many distinct stories the ranking keeps: the best, the runner-up, the offers


@dataclass(frozen=True, slots=True)
class Candidate:
    """A story in the fused ranking, with what each ranking said of it (rank 0: not found)."""

    header: ArticleHeader
    fused: float
    word_rank: int = 0
    meaning_rank: int = 0
    cosine: float = 0.0


async def rank(
    catalogue: Catalogue,
    words: str,
    hits: list[ArticleHeader],
    nearest: list[tuple[int, float]],
) -> list[Candidate]:
    """Word hits and nearest stories fused into one ranking, best first. Stories only the
    meaning found are scored on the words too, so their coverage is known."""
    by_id = {h.id: h for h in hits}
    missing = [i for i, _ in nearest if i not in by_id]
    if missing:
        by_id.update({h.id: h for h in await catalogue.score(words, missing)})
    word_rank = {h.id: r for r, h in enumerate(hits, 1)}
    meaning = {i: (r, cos) for r, (i, cos) in enumerate(nearest, 1) if i in by_id}
    fused = []
    for article_id, header in by_id.items():
        w = word_rank.get(article_id, 0)
        m, cosine = meaning.get(article_id, (0, 0.0))
        score = sum(1 / (RRF_K + r) for r in (w, m) if r)
        fused.append(Candidate(header, score, w, m, cosine))
    return sorted(fused, key=lambda c: (-c.fused, c.word_rank or 1_000_000))


def has_evidence(best: Candidate, min_coverage: float) -> bool:
    """Enough of the question's words, or close enough in meaning."""
    return best.header.coverage >= min_coverage or best.cosine >= MIN_COSINE


def clear_winner(ranked: list[Candidate], semantic: bool) -> bool:
    """Whether the best clearly beats the runner-up. With meaning and words both ranking, the
    best must also be first in one of them, and not clearly beaten in the other by that
    ranking's own first: a compromise neither ranking prefers is asked about."""
    if len(ranked) < 2:
        return True
    best, second = ranked[0], ranked[1]
    if not semantic:
        return _word_lead(best, second) >= LEXICAL_LEAD
    if 1 not in (best.word_rank, best.meaning_rank) or _contradicted(best, ranked):
        return False
    unit = 1 / (RRF_K + 1) - 1 / (RRF_K + 2)
    if best.fused - second.fused >= RRF_LEAD * unit:
        return True
    words_clear = best.word_rank == 1 and _word_lead(best, second) >= LEXICAL_LEAD
    meaning_clear = (best.meaning_rank == 1 and best.cosine >= MIN_COSINE
                     and best.cosine - second.cosine >= COSINE_LEAD)
    return (words_clear and 0 < best.meaning_rank <= AGREE_WITHIN) or (
        meaning_clear and (best.word_rank == 0 or best.word_rank <= AGREE_WITHIN))


def _contradicted(best: Candidate, ranked: list[Candidate]) -> bool:
    """Whether the first of the words, or of the meaning, is another story that clearly beats
    the best by that ranking's own measure and is not dismissed by the other ranking (a story
    sharing none of the question's words does not outvote one holding all of them)."""
    for other in ranked[1:]:
        if (other.word_rank == 1 and other.header.coverage >= MIN_WORD_EVIDENCE
                and _word_lead(other, best) >= LEXICAL_LEAD
                and (other.cosine >= SOME_COSINE or best.cosine < MIN_COSINE)):
            return True
        if (other.meaning_rank == 1 and other.cosine >= MIN_COSINE
                and other.cosine - best.cosine >= COSINE_LEAD
                and (other.header.coverage >= SOME_COVERAGE
                     or best.header.coverage < MIN_WORD_EVIDENCE)):
            return True
    return False


def _word_lead(best: Candidate, second: Candidate) -> float:
    """(best - runner-up) over the best's score at full coverage: score / coverage."""
    full = best.header.score / max(best.header.coverage, 0.05)
    return (best.header.score - second.header.score) / full if full > 0 else 0.0


async def merge_same_story(catalogue: Catalogue, ranked: list[Candidate]) -> list[Candidate]:
    """The first few of the ranking with later copies of a story dropped: a candidate that is
    the same story as a better one (the same long lead sentence, or the same title and nearly
    the same text) is no alternative to it. Texts are fetched only for pairs sharing a title,
    each once."""
    texts: dict[int, str | None] = {}
    kept: list[Candidate] = []
    for candidate in ranked:
        if len(kept) >= SHOWN:
            break
        if not any([await _same_story(catalogue, k.header, candidate.header, texts)
                    for k in kept]):
            kept.append(candidate)
    return kept


async def same_story(catalogue: Catalogue, a: ArticleHeader, b: ArticleHeader) -> bool:
    """Whether two stored articles are one story: a teaser and its full text, a copy, or
    another edition with nearly the same words."""
    return await _same_story(catalogue, a, b, {})


async def _same_story(
    catalogue: Catalogue, a: ArticleHeader, b: ArticleHeader, texts: dict[int, str | None]
) -> bool:
    same_title = a.title.casefold() == b.title.casefold()
    same_lede = bool(a.lede) and a.lede.casefold() == b.lede.casefold()
    if not (same_title or same_lede):
        return False
    if same_title and a.kind != b.kind:
        return True  # the teaser of a story and its full text
    if same_lede and len(a.lede.split()) >= SAME_LEDE_WORDS:
        return True  # a long first sentence word for word: a copy, an edition, an update
    for header in (a, b):
        if header.id not in texts:
            article = await catalogue.get(header.id)
            texts[header.id] = article.text if article else None
    first, second = texts[a.id], texts[b.id]
    return bool(first and second) and _overlap(first or "", second or "") >= SAME_STORY


_WORD = re.compile(r"\w+")


def _overlap(a: str, b: str) -> float:
    """The share of the shorter text's word triples that the other text holds."""
    def triples(text: str) -> set[tuple[str, ...]]:
        words = _WORD.findall(text.casefold())
        return {tuple(words[i:i + 3]) for i in range(max(0, len(words) - 2))}

    ta, tb = triples(a), triples(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))
