"""Summary ranking: article order, k, short articles, teasers, the lead kept."""

from __future__ import annotations

import time

from bot.models import ArticleKind
from bot.nlp.sentences import split_sentences
from bot.nlp.summarize import lead_index, rank_sentences, summary, tokens

ARTICLE = "\n\n".join(
    [
        "Storm floods coastal towns",
        "Heavy rain flooded three coastal towns on Monday, forcing hundreds from their homes.",
        "The local bakery celebrated its fiftieth anniversary with a cake contest.",
        "Flood water in the coastal towns reached two metres as the storm rain continued, "
        "and rescuers moved hundreds of residents from flooded homes.",
        "A football match was postponed.",
        "Officials said the storm would bring more rain to the flooded coastal towns, "
        "and residents of the towns were told to leave their homes before the flood rose.",
        "In other news, a cat was rescued from a tree.",
    ]
)


def test_ranking_covers_each_body_sentence_once_and_excludes_the_title() -> None:
    sentences = split_sentences(ARTICLE)
    ranking = rank_sentences(sentences, sentences[0].text)
    assert sorted(ranking) == [s.index for s in sentences if s.paragraph >= 1]
    assert 0 not in ranking


def test_lead_first_then_the_central_sentences() -> None:
    sentences = split_sentences(ARTICLE)
    ranking = rank_sentences(sentences, sentences[0].text)
    assert ranking[0] == 1  # the lead
    # The two long flood sentences beat the bakery, the match and the cat.
    assert set(ranking[1:3]) == {3, 5}
    chosen = summary(sentences, ranking, k=3)
    assert [s.index for s in chosen] == [1, 3, 5]  # article order


def test_k_is_configurable_and_order_is_article_order() -> None:
    sentences = split_sentences(ARTICLE)
    ranking = rank_sentences(sentences, sentences[0].text)
    assert [s.index for s in summary(sentences, ranking, k=1)] == [1]
    five = summary(sentences, ranking, k=5)
    assert len(five) == 5
    assert [s.index for s in five] == sorted(s.index for s in five)
    assert summary(sentences, ranking, k=0) == []


def test_short_article_is_returned_whole() -> None:
    text = "Title\n\nFirst sentence here. Second one.\n\nThird one."
    sentences = split_sentences(text)
    ranking = rank_sentences(sentences, "Title")
    assert [s.text for s in summary(sentences, ranking, k=3)] == [
        "First sentence here.",
        "Second one.",
        "Third one.",
    ]


def test_teaser_returns_its_lede() -> None:
    text = "Title\n\nThe lede says what happened. It has two sentences.\n\nMore below."
    sentences = split_sentences(text)
    ranking = rank_sentences(sentences, "Title")
    got = summary(sentences, ranking, k=1, kind=ArticleKind.TEASER)
    assert [s.text for s in got] == ["The lede says what happened.", "It has two sentences."]


def test_lead_is_kept_even_when_not_central() -> None:
    text = "\n\n".join(
        [
            "Markets",
            "A surprise resignation shook the central bank on Tuesday morning in the capital.",
            *[f"Shares in bank {i} fell as shares in other banks fell too." for i in range(6)],
        ]
    )
    sentences = split_sentences(text)
    free = rank_sentences(sentences, "Markets", keep_lead=False)
    kept = rank_sentences(sentences, "Markets")
    assert free[0] != 1  # on centrality alone the lead would not come first
    assert kept[0] == 1
    assert 1 in {s.index for s in summary(sentences, kept, k=2)}


def test_byline_or_dateline_is_not_the_lead() -> None:
    text = (
        "Title\n\nBy Jane Doe\n\nLONDON (Reuters) -\n\n"
        "The government announced a sweeping reform of the tax system on Monday morning. "
        "It will take effect next year."
    )
    sentences = split_sentences(text)
    assert lead_index(sentences) == 3
    assert rank_sentences(sentences, "Title")[0] == 3


def test_no_body_and_degenerate_input() -> None:
    assert rank_sentences([], "") == ()
    only_title = split_sentences("Just a title")
    assert rank_sentences(only_title, "Just a title") == ()
    assert summary(only_title, (), k=3) == []
    # Sentences with no content words at all still get ranked (no division by zero).
    sentences = split_sentences("T\n\nIt is. So it was. And then?  Yes!")
    assert sorted(rank_sentences(sentences, "T")) == [1, 2, 3, 4]


def test_tokens_drop_stopwords_and_possessives_and_fold_plurals() -> None:
    assert tokens("The Kremlin's bans and the company’s companies") == [
        "kremlin",
        "ban",
        "company",
        "company",
    ]


def test_ranking_is_fast() -> None:
    body = "\n\n".join(
        f"Sentence {i} talks about topic {i % 7} and the economy of region {i % 5}."
        for i in range(60)
    )
    sentences = split_sentences("Economy\n\n" + body)
    rank_sentences(sentences, "Economy")
    t0 = time.perf_counter()
    for _ in range(20):
        rank_sentences(sentences, "Economy")
    assert (time.perf_counter() - t0) / 20 < 0.05


def test_a_lead_starting_with_by_is_not_a_byline() -> None:
    text = "Domains\n\nBy early 2005 the net could have two new domain names.\n\nMore text here."
    sentences = split_sentences(text)
    assert lead_index(sentences) == 1
