"""Quote answers: who said what, verbatim, with speaker, cue and link."""

from __future__ import annotations

from collections.abc import Iterable

from bot.answering import texts
from bot.answering.cards import article_card, lines_for
from bot.answering.resolve import MIN_COVERAGE, resolve_story
from bot.answering.speakerrank import Candidate, on_topic, rank_speakers, ranked_quotes
from bot.answering.summary import unresolved
from bot.answering.whosaid import who_said
from bot.catalogue.base import Catalogue, SpeakerHit
from bot.intents import Intent, ParsedQuery
from bot.messages import Answer, Card
from bot.models import Attribution, StoredArticle
from bot.semantic import SemanticIndex
from bot.textutil import speaker_key, words

MAX_ARTICLES = 3
TOPIC_ARTICLES = 20  # stories matching "... about <topic>" searched for the speaker
NAMED_ARTICLES = 4  # stories of a speaker found by name that are ranked beside the search's
_STOP = {"the", "a", "an", "of", "on", "in", "to", "and", "about", "with", "for"}


async def answer_quotes(
    catalogue: Catalogue, pq: ParsedQuery, max_quotes: int,
    semantic: SemanticIndex | None = None,
) -> Answer:
    """Route a quote question: by phrase, by speaker (optionally in one story), or by story
    (found by its words and, with ``semantic``, by meaning)."""
    if pq.phrase:
        return await who_said(catalogue, pq.phrase, max_quotes)
    scope: StoredArticle | None = None
    if pq.story:
        resolution = await resolve_story(catalogue, pq.story, semantic)
        if resolution.article is None:
            return unresolved(Intent.QUOTE, pq.story, resolution)
        scope = resolution.article
    if pq.speaker:
        return await _by_speaker(catalogue, pq.speaker, scope, pq.topic, max_quotes)
    if scope is None and pq.topic:
        resolution = await resolve_story(catalogue, pq.topic, semantic)
        if resolution.article is None:
            return unresolved(Intent.QUOTE, pq.topic, resolution)
        scope = resolution.article
    if scope is None:
        return Answer.note(Intent.QUOTE, texts.WHOSE_QUOTES)
    return _story_quotes(scope, max_quotes)


def _story_quotes(article: StoredArticle, max_quotes: int) -> Answer:
    attributions = article.analysis.attributions
    if not attributions:
        return Answer.note(Intent.QUOTE, texts.NO_QUOTES_STORY.format(title=article.title))
    lines = lines_for(article, pick_attributions(attributions, max_quotes), max_quotes)
    return Answer(Intent.QUOTE, f"Who said what in \u201c{article.title}\u201d",
                  (article_card(article, k=0, quotes=lines),))


_KIND_ORDER = {"direct": 0, "partial": 1, "reported": 2}


def pick_attributions(attributions: Iterable[Attribution], limit: int) -> list[Attribution]:
    """Verbatim quotes before reported speech, every speaker heard once before anyone twice,
    then shown in text order."""
    ranked = sorted(attributions, key=lambda a: (_KIND_ORDER.get(a.kind.value, 3), a.start))
    chosen: list[Attribution] = []
    heard: set[str] = set()
    for attribution in ranked:
        who = (attribution.speaker or "").casefold()
        if who not in heard and len(chosen) < limit:
            heard.add(who)
            chosen.append(attribution)
    for attribution in ranked:
        if len(chosen) >= limit:
            break
        if attribution not in chosen:
            chosen.append(attribution)
    return sorted(chosen, key=lambda a: a.start)


async def _by_speaker(
    catalogue: Catalogue, speaker: str, scope: StoredArticle | None, topic: str | None,
    max_quotes: int,
) -> Answer:
    """A speaker by name or by role: "what did Peskov say" lists their quotes across stories;
    with a topic, or named by a role ("the Fed chairman"), the best (story, speaker) pair."""
    hits = await _speaker_hits(catalogue, speaker, [scope.id] if scope else None)
    if hits and not topic:
        return await _named_answer(catalogue, hits, speaker, None, max_quotes)
    named: dict[int, set[str]] = {}
    for hit in hits[:NAMED_ARTICLES * 10]:
        if hit.article.id in named or len(named) < NAMED_ARTICLES:
            named.setdefault(hit.article.id, set()).add(hit.attribution.speaker or "")
    candidates = await rank_speakers(catalogue, speaker, topic, scope, named)
    if not candidates:
        if hits:
            return await _named_answer(catalogue, hits, speaker, topic, max_quotes)
        return Answer.note(Intent.QUOTE,
                           texts.NO_QUOTES_SPEAKER.format(speaker=speaker.strip()[:100]))
    return _candidate_answer(candidates[0], speaker, topic, max_quotes)


def _candidate_answer(best: Candidate, phrase: str, topic: str | None, max_quotes: int
                      ) -> Answer:
    """The chosen speaker's quotes in the chosen story, those on the topic first; the lead
    says whom a role was taken to mean."""
    article = best.article
    lines = lines_for(article, ranked_quotes(best, topic, max_quotes), max_quotes)
    card = article_card(article, k=0, quotes=lines)
    about = f" about \u201c{topic.strip()[:100]}\u201d" if topic else ""
    lead = f"What {best.speaker} said{about}"
    if speaker_key(phrase) not in speaker_key(best.speaker):
        lead += texts.TAKEN_AS.format(phrase=phrase.strip()[:100], name=best.speaker,
                                      title=article.title)
    if topic and not on_topic(best, topic):
        message = texts.NO_QUOTES_TOPIC.format(speaker=best.speaker, topic=topic.strip()[:100])
        return Answer(Intent.QUOTE, message, (card,), notice=message)
    return Answer(Intent.QUOTE, lead, (card,))


async def _named_answer(
    catalogue: Catalogue, hits: list[SpeakerHit], speaker: str, topic: str | None,
    max_quotes: int,
) -> Answer:
    """Quotes found by the speaker's own name, across up to ``MAX_ARTICLES`` stories."""
    on_topic_ = bool(topic) and await _on_topic(catalogue, hits, topic or "")
    if on_topic_:
        hits = _rank_by_topic(hits, topic or "")
    cards = await _cards_for(catalogue, hits, max_quotes)
    name = hits[0].attribution.speaker or speaker.strip()
    if topic and not on_topic_:
        # Never head unrelated quotes with the topic: say it found none, then show the rest.
        message = texts.NO_QUOTES_TOPIC.format(speaker=name, topic=topic.strip()[:100])
        return Answer(Intent.QUOTE, message, cards, notice=message)
    lead = f"What {name} said" + (f" about \u201c{topic}\u201d" if topic else "")
    return Answer(Intent.QUOTE, lead, cards)


async def _on_topic(catalogue: Catalogue, hits: list[SpeakerHit], topic: str) -> bool:
    """Whether any of the quotes, or the stories they are in, is about the topic."""
    if any(_topic_overlap(hit, topic) for hit in hits):
        return True
    about = await catalogue.search(topic, TOPIC_ARTICLES)
    ids = {h.id for h in about if h.coverage >= MIN_COVERAGE}
    return any(hit.article.id in ids for hit in hits)


async def _speaker_hits(
    catalogue: Catalogue, speaker: str, article_ids: list[int] | None
) -> list[SpeakerHit]:
    """The speaker's own attributions (name, alias or surname), then those of speakers whose
    name or alias starts with the words: "the Kremlin" also finds "the Kremlin spokesman",
    Dmitry Peskov."""
    key = speaker_key(speaker)
    if not key:
        return []
    found = list(await catalogue.attributions_by_speaker(key, article_ids))
    for name in await catalogue.speakers(key, 5):
        found.extend(await catalogue.attributions_by_speaker(name, article_ids))
    return _dedupe(found)


def _dedupe(hits: Iterable[SpeakerHit]) -> list[SpeakerHit]:
    seen: set[tuple[int, int, int]] = set()
    kept = []
    for hit in hits:
        key = (hit.article.id, hit.attribution.start, hit.attribution.end)
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def _topic_overlap(hit: SpeakerHit, topic: str) -> int:
    """How many of the topic's words the quote or its article's title has."""
    terms = {w for w in words(topic) if w not in _STOP}
    here = set(words(hit.attribution.text)) | set(words(hit.article.title))
    return len(terms & here)


def _rank_by_topic(hits: list[SpeakerHit], topic: str) -> list[SpeakerHit]:
    """Quotes whose words (or their article's title) mention the topic come first."""
    return sorted(hits, key=lambda hit: _topic_overlap(hit, topic), reverse=True)


async def _cards_for(catalogue: Catalogue, hits: list[SpeakerHit], max_quotes: int
                     ) -> tuple[Card, ...]:
    """Group hits by article (first-seen order), at most MAX_ARTICLES cards."""
    order: dict[int, list[Attribution]] = {}
    for hit in hits:
        if hit.article.id in order or len(order) < MAX_ARTICLES:
            order.setdefault(hit.article.id, []).append(hit.attribution)
    cards = []
    budget = max_quotes
    for article_id, attributions in order.items():
        article = await catalogue.get(article_id)
        if article is None or budget <= 0:
            continue
        lines = lines_for(article, sorted(attributions, key=lambda a: a.start), budget)
        budget -= len(lines)
        cards.append(article_card(article, k=0, quotes=lines))
    return tuple(cards)
