"""Stored articles -> neutral ``Card``s, and attributions -> ``QuoteLine``s.

The honesty rule lives here: text is shown as a verbatim quote only when it stands, exactly, in
the stored article at the stored offsets; anything else is shown as the attributed sentence.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.catalogue.base import ArticleHeader
from bot.messages import Card, QuoteLine
from bot.models import ArticleKind, Attribution, AttributionKind, StoredArticle
from bot.nlp.quotemarks import find_quotes

QUOTE_MARKS = "\"'“”‘’«»„ "


def header_card(header: ArticleHeader) -> Card:
    """A one-line card for listings: title, lede, date, link."""
    return Card(
        title=header.title,
        ref=header.slug,
        body=header.lede,
        url=header.url,
        source=header.source,
        published_at=header.published_at,
        published_estimated=header.published_estimated,
        kind=header.kind,
    )


def summary_sentences(article: StoredArticle, k: int) -> tuple[str, ...]:
    """The top ``k`` ranked sentences in article order; a teaser gives its lede; ``k=0``
    gives nothing (quote answers show the quotes, not the summary)."""
    if k <= 0:
        return ()
    if article.kind == ArticleKind.TEASER or not article.analysis.sentences:
        return (article.lede,) if article.lede else ()
    chosen = sorted(article.analysis.summary_ranking[:k])
    by_index = {s.index: s for s in article.analysis.sentences}
    return tuple(by_index[i].text for i in chosen if i in by_index)


def article_card(
    article: StoredArticle, k: int = 3, quotes: tuple[QuoteLine, ...] = ()
) -> Card:
    """A full card: title, link, source, date and the summary."""
    summary = summary_sentences(article, k)
    return Card(
        title=article.title,
        ref=article.slug,
        body=" ".join(summary),
        url=article.url,
        source=article.source,
        published_at=article.published_at,
        published_estimated=article.published_estimated,
        kind=article.kind,
        summary=summary,
        quotes=quotes,
    )


def verbatim_fragments(article_text: str, attribution: Attribution) -> list[str]:
    """The words of a direct or partial quote that stand inside quotation marks, only when the
    attribution's text stands exactly in the article at its stored offsets (so each fragment
    does too). A direct quote stored without its marks is one fragment."""
    text = attribution.text
    if not text or article_text[attribution.start : attribution.end] != text:
        return []
    spans = find_quotes(text)
    if spans:
        pieces = [text[s.inner[0] : s.inner[1]] for s in spans]
    elif attribution.kind == AttributionKind.DIRECT:
        pieces = [text]
    else:
        pieces = []
    fragments = []
    for piece in pieces:
        words = piece.strip(QUOTE_MARKS).rstrip(",;:")
        if words and words not in fragments:
            fragments.append(words)
    return fragments


def quote_lines(article: StoredArticle, attribution: Attribution) -> list[QuoteLine]:
    """Direct and partial quotes shown verbatim, one line per quoted fragment; reported speech
    (or anything that fails the verbatim check) shown as the attributed sentence, never in
    quotation marks."""
    sentences = article.analysis.sentences
    index = attribution.sentence
    context = sentences[index].text if 0 <= index < len(sentences) else attribution.text
    speaker = attribution.speaker or attribution.speaker_mention or "An unnamed source"
    if attribution.kind in (AttributionKind.DIRECT, AttributionKind.PARTIAL):
        fragments = verbatim_fragments(article.text, attribution)
        if fragments:
            kind = attribution.kind.value
            return [QuoteLine(speaker, attribution.cue, f, kind, True, context) for f in fragments]
    return [QuoteLine(speaker, attribution.cue, context, AttributionKind.REPORTED.value, False,
                      context)]


def lines_for(article: StoredArticle, attributions: Iterable[Attribution], limit: int
              ) -> tuple[QuoteLine, ...]:
    """Quote lines for several attributions, without repeats (the same words from the same
    speaker once, whatever the cue: one sentence can be found by two cues), at most ``limit``."""
    lines: list[QuoteLine] = []
    seen: set[tuple[str, str]] = set()
    for attribution in attributions:
        for line in quote_lines(article, attribution):
            if (line.speaker, line.text) not in seen:
                seen.add((line.speaker, line.text))
                lines.append(line)
    return tuple(lines[:limit])
