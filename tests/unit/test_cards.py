"""The honesty rule: quotation marks only for words that stand in the article at their offsets."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.answering.cards import lines_for, quote_lines
from bot.models import Analysis, ArticleKind, Attribution, AttributionKind, Sentence, StoredArticle

TITLE = "Ban decried"
BODY = 'Peskov said it was "very competitive". Later a rival said "very competitive" too.'


def article_with(*attributions: Attribution) -> StoredArticle:
    text = f"{TITLE}\n\n{BODY}"
    start = text.index("Peskov")
    sentences = (Sentence(0, TITLE, 0, len(TITLE), 0), Sentence(1, BODY, start, len(text), 1))
    return StoredArticle(
        id=1, slug="s", title=TITLE, paragraphs=(BODY,), kind=ArticleKind.FULL, url=None,
        source=None, byline=None, published_at=datetime(2024, 6, 21, tzinfo=UTC),
        published_estimated=False, ingested_at=datetime(2024, 6, 21, tzinfo=UTC),
        content_hash="h", analysis=Analysis(sentences, (1,), attributions),
    )


def quote(text: str, start: int, cue: str = "said") -> Attribution:
    return Attribution("Dmitry Peskov", "Peskov", None, None, cue, text, AttributionKind.DIRECT,
                       1, start, start + len(text))


def test_a_quote_at_its_offsets_is_verbatim() -> None:
    article = article_with()
    start = article.text.index("very competitive")
    (line,) = quote_lines(article, quote("very competitive", start))
    assert (line.verbatim, line.text) == (True, "very competitive")


def test_a_quote_whose_offsets_point_elsewhere_is_not_shown_in_quotation_marks() -> None:
    article = article_with()
    wrong = article.text.index("Later")  # the words occur in the article, but not here
    (line,) = quote_lines(article, quote("very competitive", wrong))
    assert line.verbatim is False
    assert line.kind == "reported"
    assert line.text == BODY


def test_the_same_words_from_the_same_speaker_are_listed_once_whatever_the_cue() -> None:
    article = article_with()
    start = article.text.index("very competitive")
    lines = lines_for(article, [quote("very competitive", start, "said"),
                                quote("very competitive", start, "describing")], 5)
    assert [(q.speaker, q.text) for q in lines] == [("Dmitry Peskov", "very competitive")]
