"""Rank the speakers a quote question may mean, across the stories the question points to.

"what did the fed chairman say about baby boomers retiring?": the stories come from a search
on the whole question (speaker phrase and topic); in each, every quoted speaker's profile is
scored against the phrase (``speakermatch``), and the best (story, speaker) pair also weighs
how well the story matches and how well that speaker's quotes match the topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.speakermatch import (
    Phrase,
    match_phrase,
    profiles,
    read_phrase,
    stems,
    story_stems,
    topic_overlap,
)
from bot.catalogue.base import Catalogue
from bot.models import Attribution, StoredArticle

STORIES = 6  # stories searched for the phrase's speaker
MIN_STORY_COVERAGE = 0.25  # share of the question's words a story must hold to be read
MIN_MATCH = 0.5  # a phrase must name the speaker at least this well
MIN_RELAXED = 0.3  # ... or, in the best story when nobody is named, match this well
EXACT = 1.3  # a speaker found by the phrase as their own name
PHRASE_WEIGHT, STORY_WEIGHT, TOPIC_WEIGHT = 1.5, 1.0, 1.0
QUOTED_BONUS = 0.02  # per quote, up to five: "the guy" is the story's most quoted person


@dataclass(frozen=True, slots=True)
class Candidate:
    """A speaker of one story, with the score that ranks it and their attributions there."""

    article: StoredArticle
    speaker: str
    score: float
    attributions: tuple[Attribution, ...]


async def rank_speakers(
    catalogue: Catalogue, phrase: str, topic: str | None, scope: StoredArticle | None,
    named: dict[int, set[str]] | None = None,
) -> list[Candidate]:
    """(story, speaker) pairs for ``phrase``, best first; empty when nobody fits. ``named``
    holds speakers already found by exact name (article id -> names): they rank first.

    A speaker must be named by the phrase (a word of it is their name or written beside
    them) unless the phrase is generic ("the guy suing NBC"); when nobody is, the best
    story's speakers are tried on the story's words alone ("the amputee bike racer")."""
    read = read_phrase(phrase)
    if not read.words and not read.generic:
        return []
    topic_stems = [s for s in stems(topic or "") if len(s) > 1]
    stories = await _stories(catalogue, phrase, topic, scope, named or {})
    found = _score(stories, read, topic_stems, named or {}, strict=True)
    if not found and stories:
        found = _score(stories[:1], read, topic_stems, {}, strict=False)
    return sorted(found, key=lambda c: -c.score)


def _score(
    stories: list[tuple[StoredArticle, float]], phrase: Phrase, topic_stems: list[str],
    named: dict[int, set[str]], *, strict: bool,
) -> list[Candidate]:
    found: list[Candidate] = []
    for article, story_score in stories:
        story = story_stems(article)
        for profile in profiles(article):
            match = match_phrase(phrase, profile, story)
            # Found by name only through a modifier ("the Kremlin spokesman" finds the
            # Kremlin), a speaker the head noun does not name is not the one asked about.
            exact = bool(profile.members & named.get(article.id, set())) and (
                match.by_name or match.head)
            # Found by their own name ("Stephen Pound"), a speaker outranks one merely
            # written beside it; found by a role alias ("UBS economist"), the topic decides.
            value = (EXACT if match.by_name else max(1.0, match.score)) if exact else match.score
            if not exact and (value < MIN_MATCH or not (match.named or phrase.generic)
                              ) and strict:
                continue
            if not strict and value < MIN_RELAXED:
                continue
            # Found by name, the article's other speakers found by it come along: "the
            # Kremlin" also finds "the Kremlin spokesman", Dmitry Peskov.
            who = profile.members | named.get(article.id, set()) if exact else profile.members
            mine = tuple(a for a in article.analysis.attributions if a.speaker in who)
            topical = max((_overlap(article, a, topic_stems) for a in mine), default=0.0)
            score = (PHRASE_WEIGHT * value + STORY_WEIGHT * story_score
                     + TOPIC_WEIGHT * topical + QUOTED_BONUS * min(profile.quotes, 5))
            found.append(Candidate(article, profile.name, score, mine))
    return found


async def _stories(
    catalogue: Catalogue, phrase: str, topic: str | None, scope: StoredArticle | None,
    named: dict[int, set[str]],
) -> list[tuple[StoredArticle, float]]:
    """The stories to look in, each with how well it matches the question (0..1)."""
    if scope is not None:
        return [(scope, 1.0)]
    hits = await catalogue.search(f"{phrase} {topic or ''}", STORIES)
    # A story holding little of the question rarely holds its speaker: not read, unless
    # nothing better was found (each story read is a handful of queries).
    kept = [h for h in hits if h.coverage >= MIN_STORY_COVERAGE] or hits[:2]
    scores = {h.id: h.coverage * (1.0 - 0.05 * rank) for rank, h in enumerate(kept)}
    for article_id in named:
        scores.setdefault(article_id, 0.0)
    stories = []
    for article_id, score in scores.items():
        article = await catalogue.get(article_id)
        if article is not None:
            stories.append((article, score))
    return stories


def _overlap(article: StoredArticle, attribution: Attribution, topic_stems: list[str]) -> float:
    sentences = article.analysis.sentences
    index = attribution.sentence
    sentence = sentences[index].text if 0 <= index < len(sentences) else ""
    return topic_overlap(topic_stems, attribution, sentence)


def ranked_quotes(candidate: Candidate, topic: str | None, limit: int) -> list[Attribution]:
    """The candidate's attributions, those on the topic first, then verbatim before reported,
    at most ``limit``, shown in text order."""
    topic_stems = [s for s in stems(topic or "") if len(s) > 1]
    order = {"direct": 0, "partial": 1, "reported": 2}
    ranked = sorted(
        candidate.attributions,
        key=lambda a: (-_overlap(candidate.article, a, topic_stems), order.get(a.kind.value, 3),
                       a.start),
    )
    return sorted(ranked[:limit], key=lambda a: a.start)


def on_topic(candidate: Candidate, topic: str) -> bool:
    """Whether any of the candidate's quotes, or their story, holds a word of the topic."""
    topic_stems = [s for s in stems(topic) if len(s) > 1]
    if any(_overlap(candidate.article, a, topic_stems) for a in candidate.attributions):
        return True
    return bool(set(topic_stems) & story_stems(candidate.article))
