"""Stored articles -> neutral ``Card``s, and attributions -> ``QuoteLine``s.

The honesty rule lives here: text is shown as a verbatim quote only when it stands, exactly, in
the stored article; anything else is shown as the attributed sentence.
"""

from __future__ import annotations

from bot.catalogue.base import ArticleHeader
from bot.messages import Card, QuoteLine
from bot.models import ArticleKind, Attribution, AttributionKind, StoredArticle

QUOTE_MARKS = "\"'“”‘’«»„ "


def header_card(header: ArticleHeader) -> Card:
    """A one-line card for listings: title, lede, date, link."""
    return Card(
        title=header.title,
        article_id=header.slug,
        body=header.lede,
        url=header.url,
        source=header.source,
        published_at=header.published_at,
        published_estimated=header.published_estimated,
        kind=header.kind,
    )


def summary_sentences(article: StoredArticle, k: int) -> tuple[str, ...]:
    """The top ``k`` ranked sentences in article order; a teaser gives its lede."""
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
        article_id=article.slug,
        body=" ".join(summary),
        url=article.url,
        source=article.source,
        published_at=article.published_at,
        published_estimated=article.published_estimated,
        kind=article.kind,
        summary=summary,
        quotes=quotes,
    )


def is_verbatim(article_text: str, attribution: Attribution) -> bool:
    """True when the quoted words stand exactly in the article, where the offsets say."""
    words = attribution.text.strip(QUOTE_MARKS)
    if not words:
        return False
    located = article_text[attribution.start : attribution.end]
    return words in located and words in article_text


def quote_line(article: StoredArticle, attribution: Attribution) -> QuoteLine:
    """Show direct and partial quotes verbatim; reported speech (or anything that fails the
    verbatim check) as the attributed sentence, never in quotation marks."""
    sentences = article.analysis.sentences
    context = sentences[attribution.sentence].text if 0 <= attribution.sentence < len(
        sentences) else attribution.text
    speaker = attribution.speaker or attribution.speaker_mention or "An unnamed source"
    quoted = attribution.kind in (AttributionKind.DIRECT, AttributionKind.PARTIAL)
    if quoted and is_verbatim(article.text, attribution):
        text = attribution.text.strip(QUOTE_MARKS)
        return QuoteLine(speaker, attribution.cue, text, attribution.kind.value, True, context)
    return QuoteLine(speaker, attribution.cue, context, AttributionKind.REPORTED.value, False,
                     context)
