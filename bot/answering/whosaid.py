"""Who said it: find a quote by what it says, word for word or in other words.

"who said 'very competitive'?" looks for the words verbatim first. "who said tube commuters
are being taken as hostages?" paraphrases a quote ("we are being taken as hostages"), so the
stories matching the words are searched and their attributed quotes and reported sentences
scored by the share of the question's word stems they hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering import texts
from bot.answering.cards import article_card, lines_for
from bot.answering.speakermatch import stem_set, stems
from bot.catalogue.base import Catalogue
from bot.intents import Intent
from bot.messages import Answer
from bot.models import Attribution, StoredArticle
from bot.textutil import fold

STORIES = 6  # stories searched for the quote's words
MIN_SHARE = 0.5  # a paraphrase must hold at least this share of the question's words
STORY_WEIGHT = 0.2  # a better-matching story breaks ties between similar quotes
SHOWN = 3  # quotes of the found speaker shown, best first
MIN_HELD = 2  # ... and hold at least this many of its stems (all, when it has fewer)
SENTENCE_ONLY = 0.7  # a stem in the quote's sentence but not in the quote itself
# Words that carry no content in a question's paraphrase of a quote.
_GLUE = frozenset({"the", "a", "an", "is", "are", "was", "were", "be", "been", "being", "to",
                   "of", "and", "or", "that", "this", "it", "its", "in", "on", "at", "for",
                   "with", "as", "by", "who", "said", "says", "say", "there", "their", "they",
                   "he", "she", "his", "her", "them", "him", "isn", "t", "s", "shouldn",
                   "wasn", "weren", "don", "doesn", "didn", "hasn", "haven", "will", "would",
                   "have", "has", "had", "me", "my", "i", "we", "us", "our", "you", "your",
                   "do", "does", "did", "can", "could", "should", "shall", "may", "might",
                   "must", "what", "which", "when", "while", "then", "than", "so", "very"})


@dataclass(frozen=True, slots=True)
class _Found:
    article: StoredArticle
    attribution: Attribution
    share: float
    score: float


async def who_said(catalogue: Catalogue, phrase: str, max_quotes: int) -> Answer:
    """The speaker of the quote whose words (or sentence) are ``phrase``, or closest to it."""
    wanted = fold(phrase).strip("\"' ")
    if not wanted:
        return Answer.note(Intent.QUOTE, texts.WHOSE_QUOTES)
    exact = await catalogue.phrase(phrase, STORIES)
    hits = await catalogue.search(phrase, STORIES)
    ids = list(dict.fromkeys([h.id for h in exact] + [h.id for h in hits]))[:STORIES]
    articles = [a for i in ids if (a := await catalogue.get(i)) is not None]
    for article in articles:  # word for word first
        matches = [a for a in article.analysis.attributions if _contains(article, a, wanted)]
        if matches:
            lines = lines_for(article, matches, max_quotes)
            lead = f"{lines[0].speaker} said it, in \u201c{article.title}\u201d"
            return Answer(Intent.QUOTE, lead, (article_card(article, k=0, quotes=lines),))
    coverage = {h.id: h.coverage for h in hits}
    best = _closest(articles, phrase, coverage)
    if best is not None:
        return _paraphrase_answer(best, phrase, max_quotes)
    unattributed = next((a for a in articles if wanted in fold(a.text)), None)
    if unattributed is not None:
        message = texts.PHRASE_UNATTRIBUTED.format(phrase=phrase.strip()[:100],
                                                   title=unattributed.title)
        return Answer.note(Intent.QUOTE, message)
    return Answer.note(Intent.QUOTE, texts.NO_PHRASE.format(phrase=phrase.strip()[:100]))


def _closest(articles: list[StoredArticle], phrase: str, coverage: dict[int, float]
             ) -> _Found | None:
    """The attributed quote holding the largest weighted share of the phrase's stems. Within
    a story, a stem found in many of its sentences ("Kuznetsova" in the Kuznetsova story)
    says little about which quote is meant and weighs less; one in the quote itself counts
    more than one elsewhere in its sentence."""
    wanted = list(dict.fromkeys(
        s for s in stems(" ".join(w for w in _words(phrase) if w not in _GLUE)) if len(s) > 1
    ))
    if not wanted:
        return None
    best: _Found | None = None
    for article in articles:
        weights = _weights(article, wanted)
        for attribution in article.analysis.attributions:
            if not attribution.speaker:
                continue
            share, held = _share(article, attribution, weights)
            score = share + STORY_WEIGHT * coverage.get(article.id, 0.0)
            if held < min(MIN_HELD, len(wanted)) or share < MIN_SHARE:
                continue
            if best is None or score > best.score:
                best = _Found(article, attribution, share, score)
    return best


def _weights(article: StoredArticle, wanted: list[str]) -> dict[str, float]:
    """Each stem's weight in this story: one over the number of its sentences holding it."""
    counts = dict.fromkeys(wanted, 0)
    for sentence in article.analysis.sentences:
        for s in stem_set(sentence.text) & counts.keys():
            counts[s] += 1
    return {s: 1.0 / max(1, n) for s, n in counts.items()}


def _words(text: str) -> list[str]:
    return fold(text).replace("'", " ").replace("’", " ").split()


def _share(article: StoredArticle, attribution: Attribution, weights: dict[str, float]
           ) -> tuple[float, int]:
    """The weighted share of the stems a quote holds (those only in the rest of its sentence
    at ``SENTENCE_ONLY``), and how many it holds."""
    sentences = article.analysis.sentences
    index = attribution.sentence
    quote = stem_set(attribution.text)
    sentence = stem_set(sentences[index].text) if 0 <= index < len(sentences) else frozenset()
    whole = sum(weights.values()) or 1.0
    got = held = 0.0
    for s, weight in weights.items():
        if s in quote:
            got, held = got + weight, held + 1
        elif s in sentence:
            got, held = got + SENTENCE_ONLY * weight, held + 1
    return got / whole, int(held)


def _paraphrase_answer(best: _Found, phrase: str, max_quotes: int) -> Answer:
    """The closest quote first, then the same speaker's other quotes nearest the words."""
    article = best.article
    weights = _weights(article, stems(phrase))
    same = [a for a in article.analysis.attributions
            if a.speaker == best.attribution.speaker and a is not best.attribution]
    same.sort(key=lambda a: -_share(article, a, weights)[0])
    lines = lines_for(article, [best.attribution, *same[: SHOWN - 1]], max_quotes)
    lead = texts.PHRASE_CLOSEST.format(who=lines[0].speaker, title=article.title)
    return Answer(Intent.QUOTE, lead, (article_card(article, k=0, quotes=lines),))


def _contains(article: StoredArticle, attribution: Attribution, wanted: str) -> bool:
    if wanted in fold(attribution.text):
        return True
    sentences = article.analysis.sentences
    index = attribution.sentence
    return 0 <= index < len(sentences) and wanted in fold(sentences[index].text)
