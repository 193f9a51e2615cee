"""The engine answering real questions over a real SQLite catalogue built by the real pipeline."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.catalogue.base import Catalogue
from bot.engine import Engine
from bot.messages import Answer, Place, Query, User, Visibility
from bot.models import ArticleDraft

SEED_TITLE = "Kremlin decries US Kaspersky ban as 'unfair competition'"


def ask(text: str, command: str | None = None, **args: str) -> Query:
    return Query(text=text, user=User("u1"), place=Place("test", "c1"),
                 received_at=datetime.now(UTC), command=command, args=tuple(args.items()))


async def _article_text(catalogue: Catalogue, slug: str) -> str:
    article = await catalogue.get_by_slug(slug)
    assert article is not None
    return article.text


def quotes_of(answer: Answer) -> list[tuple[str, str, bool]]:
    return [(q.speaker, q.text, q.verbatim) for c in answer.cards for q in c.quotes]


async def test_summary_of_the_seed_story(engine: Engine) -> None:
    answer = await engine.answer(ask("summarize the Kaspersky story"))
    assert answer.notice is None
    (card,) = answer.cards
    assert card.title == SEED_TITLE
    assert len(card.summary) == 3
    joined = " ".join(card.summary)
    assert "Peskov" in joined
    assert "ban" in joined


async def test_summary_sentences_come_from_the_article_in_order(
    engine: Engine, catalogue: Catalogue
) -> None:
    answer = await engine.answer(ask("tl;dr kaspersky"))
    card = answer.cards[0]
    text = await _article_text(catalogue, card.ref)
    positions = [text.index(sentence) for sentence in card.summary]
    assert positions == sorted(positions)


async def test_what_did_peskov_say_gives_his_verbatim_words(
    engine: Engine, catalogue: Catalogue
) -> None:
    answer = await engine.answer(ask("what did Peskov say?"))
    found = quotes_of(answer)
    verbatim = {text for speaker, text, is_quote in found if is_quote}
    assert "very competitive" in verbatim
    assert "favourite technique of unfair competition" in verbatim
    assert {speaker for speaker, _, _ in found} == {"Dmitry Peskov"}
    text = await _article_text(catalogue, answer.cards[0].ref)
    assert all(t in text for t in verbatim)


@pytest.mark.parametrize("question", [
    "what did the Kremlin spokesman say?",
    "any quotes from Dmitry Peskov",
    "what did Mr Peskov say",
])
async def test_aliases_find_the_same_quotes(engine: Engine, question: str) -> None:
    reference = quotes_of(await engine.answer(ask("what did Peskov say?")))
    assert quotes_of(await engine.answer(ask(question))) == reference


async def test_the_kremlin_includes_its_spokesman(engine: Engine) -> None:
    peskov = set(quotes_of(await engine.answer(ask("what did Peskov say?"))))
    kremlin = set(quotes_of(await engine.answer(ask("what did the Kremlin say about the ban"))))
    assert peskov <= kremlin


async def test_who_said_a_phrase(engine: Engine) -> None:
    answer = await engine.answer(ask("who said 'very competitive'?"))
    assert answer.cards
    assert answer.cards[0].quotes[0].speaker == "Dmitry Peskov"
    assert answer.lead.startswith("Dmitry Peskov")


async def test_reported_speech_is_never_dressed_as_a_quote(engine: Engine) -> None:
    answer = await engine.answer(ask("any quotes from Raimondo"))
    lines = [q for c in answer.cards for q in c.quotes]
    assert lines
    assert all(q.speaker == "Gina Raimondo" for q in lines)
    assert all(not q.verbatim and q.kind == "reported" for q in lines)
    assert any("capacity and intent" in q.text for q in lines)


async def test_quote_command_with_story_lists_every_speaker(engine: Engine) -> None:
    answer = await engine.answer(ask("", command="quote", story="kaspersky"))
    speakers = {q.speaker for c in answer.cards for q in c.quotes}
    assert {"Dmitry Peskov", "Gina Raimondo", "Kaspersky"} <= speakers


async def test_teaser_answers_honestly(engine: Engine) -> None:
    answer = await engine.answer(ask("tell me about the Teams integration story"))
    (card,) = answer.cards
    assert card.kind == "teaser"
    assert card.title.startswith("Bringing Teams to the table")
    assert answer.notice is not None
    assert "teaser" in answer.notice


async def test_latest_is_newest_first_and_capped(engine: Engine) -> None:
    answer = await engine.answer(ask("latest 3"))
    assert len(answer.cards) == 3
    dates = [c.published_at for c in answer.cards]
    assert all(d is not None for d in dates)
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]


async def test_search_ranks_the_matching_story_first(engine: Engine) -> None:
    answer = await engine.answer(ask("search harbour bridge cables"))
    assert answer.cards[0].title.startswith("Council approves harbour bridge repairs")


async def test_a_jsonl_story_keeps_its_url_and_date(engine: Engine) -> None:
    answer = await engine.answer(ask("summarize the library opening hours story"))
    card = answer.cards[0]
    assert card.url is not None
    assert card.url.startswith("https://news.example.test/library-hours")
    assert card.published_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert not card.published_estimated


async def test_unknown_story_says_so_and_suggests(engine: Engine) -> None:
    answer = await engine.answer(ask("summarize the zanzibar volcano story"))
    assert answer.notice is not None
    assert "couldn't find" in answer.notice
    assert answer.visibility == Visibility.EPHEMERAL
    assert not answer.cards


async def test_speaker_not_quoted_anywhere(engine: Engine) -> None:
    answer = await engine.answer(ask("what did Napoleon say?"))
    assert answer.notice is not None
    assert "Napoleon" in answer.notice
    assert not answer.cards


async def test_help_lists_the_commands(engine: Engine) -> None:
    answer = await engine.answer(ask("help"))
    for word in ("summary", "quote", "latest", "search"):
        assert word in answer.lead


async def test_autocomplete(engine: Engine) -> None:
    stories = await engine.suggest_stories("kasp")
    assert stories[0][0] == SEED_TITLE
    assert all(len(label) <= 100 for label, _ in stories)
    assert len(await engine.suggest_stories("")) <= 25
    assert "Dmitry Peskov" in await engine.suggest_speakers("pes")


async def test_about_narrows_a_speaker_to_the_matching_story(engine: Engine) -> None:
    answer = await engine.answer(ask("what did Okafor say about the bridge repairs"))
    assert answer.cards
    assert answer.cards[0].title.startswith("Council approves harbour bridge repairs")
    assert all(q.speaker == "Maria Okafor" for q in answer.cards[0].quotes)


@pytest.mark.parametrize(
    "question",
    ["summarize the Arsenal match", "'; DROP TABLE articles; --",
     "summarize the harbour zeppelin story"],
)
async def test_a_weak_match_is_not_taken_for_the_story(engine: Engine, question: str) -> None:
    """A distinctive word found in no article means that story is not stored: no summary of
    whatever shares only a common word (the rugby story for "match", the Teams teaser for
    "table", the bridge story for "harbour")."""
    answer = await engine.answer(ask(question))
    assert answer.cards == ()
    assert answer.notice is not None
    assert answer.notice.startswith("I couldn't find a story matching")


async def test_nothing_close_lists_the_newest_stories_and_says_so(
    engine: Engine, catalogue: Catalogue
) -> None:
    answer = await engine.answer(ask("summarize the zebra xylophone story"))
    assert answer.cards == ()
    assert answer.notice is not None
    assert "Nothing comes close; the newest stories are listed below." in answer.notice
    assert "Closest titles" not in answer.notice
    newest = [h.slug for h in await catalogue.latest(3)]
    assert [c.ref for c in answer.candidates] == newest


async def test_closest_titles_are_titles_that_share_a_word(engine: Engine) -> None:
    """A story holding part of the words is offered, never summarised as if it were meant."""
    answer = await engine.answer(ask("summarize the festivals zeppelin story"))
    assert answer.cards == ()
    assert answer.notice is not None
    assert answer.notice.startswith("I couldn't find a story matching")
    assert any("festival" in c.title.casefold() for c in answer.candidates)


async def test_a_word_in_another_form_still_finds_the_story(engine: Engine) -> None:
    # the teaser says "integrating"; the index has no stemmer
    answer = await engine.answer(ask("tell me about the Teams integration story"))
    (card,) = answer.cards
    assert card.kind == "teaser"
    assert card.title.startswith("Bringing Teams to the table")


async def test_two_equally_likely_stories_are_listed_not_guessed(
    engine: Engine, catalogue: Catalogue
) -> None:
    from tests.storage.storage_kit import analysis_of

    for side in ("north", "south"):
        draft = ArticleDraft(
            title=f"Tram line opens in the {side}",
            paragraphs=(f"The new tram line in the {side} of the city opened on Monday.",),
            slug=f"trams/{side}",
        )
        await catalogue.upsert(draft, analysis_of(draft))
    answer = await engine.answer(ask("summarize the tram line story"))
    assert answer.cards == ()
    assert answer.notice is not None
    assert "about equally well" in answer.notice
    assert {c.ref for c in answer.candidates} == {"trams/north", "trams/south"}
    clear = await engine.answer(ask("summarize the tram line north story"))
    assert [c.ref for c in clear.cards] == ["trams/north"]


def _suggested_phrasings() -> list[str]:
    """Every example the help and hint texts put in quotation marks (slash commands aside)."""
    from bot.answering import texts

    shown = [texts.HELP_TEXT, texts.WHOSE_QUOTES, texts.WHICH_STORY, texts.NO_SEARCH_WORDS,
             texts.EMPTY_QUESTION]
    found = {m for text in shown for m in re.findall(r'"([^"]+)"', text)}
    return sorted(p for p in found if not p.startswith("/"))


@pytest.mark.parametrize("phrasing", _suggested_phrasings())
async def test_every_phrasing_the_help_suggests_works(engine: Engine, phrasing: str) -> None:
    answer = await engine.answer(ask(phrasing))
    if phrasing == "help":
        assert answer.intent == "help"
        return
    assert answer.cards, (phrasing, answer.lead)
    assert answer.notice is None or answer.intent == "latest", answer.notice
    if "quote" in phrasing or " say" in phrasing or "said" in phrasing:
        assert answer.intent == "quote"
        assert any(card.quotes for card in answer.cards)


@pytest.mark.parametrize(
    "question",
    ["hey, what did Peskov say?", "@everyone what did peskov say", "<@123> what did peskov say",
     "quote peskov", "did Peskov say anything", "what did Peskov say in the kaspersky story",
     "quotes from the Kaspersky story"],
)
async def test_quote_phrasings_give_quotes(engine: Engine, question: str) -> None:
    answer = await engine.answer(ask(question))
    assert answer.intent == "quote"
    assert answer.notice is None, answer.notice
    verbatim = {text for _, text, is_quote in quotes_of(answer) if is_quote}
    assert "very competitive" in verbatim


@pytest.mark.parametrize(
    ("question", "notice"),
    [("summarize", 'Which story? For example "summarize the Kaspersky story".'),
     ("search", 'What should I search for? For example "search ban".')],
)
async def test_a_command_word_alone_asks_for_its_argument(
    engine: Engine, question: str, notice: str
) -> None:
    answer = await engine.answer(ask(question))
    assert answer.notice == notice
    assert answer.cards == ()


@pytest.mark.parametrize(
    ("question", "shown", "noted"),
    [("top 5 stories", 5, False), ("last 2 stories", 2, False), ("latest news please", 5, False),
     ("latest -5", 5, True), ("latest 0", 5, True), ("latest 99999999999999999999", 10, True)],
)
async def test_latest_phrasings_and_bad_counts(
    engine: Engine, catalogue: Catalogue, question: str, shown: int, noted: bool
) -> None:
    from tests.storage.storage_kit import analysis_of

    for n in range(8):  # enough stories to show 10
        draft = ArticleDraft(title=f"Filler story {n}", paragraphs=(f"Body {n}.",), slug=f"f/{n}")
        await catalogue.upsert(draft, analysis_of(draft))
    answer = await engine.answer(ask(question))
    assert answer.intent == "latest"
    assert len(answer.cards) == shown
    assert answer.lead == f"The {shown} newest stories"
    assert (answer.notice is not None) is noted


async def test_a_topic_the_speaker_never_mentions_is_said_not_silently_dropped(
    engine: Engine,
) -> None:
    answer = await engine.answer(ask("what did Okafor say about Kaspersky"))
    assert answer.notice == (
        "I found no quotes from Maria Okafor about \u201ckaspersky\u201d; "
        "here is what Maria Okafor said."
    )
    assert answer.lead == answer.notice  # not "What Maria Okafor said about kaspersky"
    assert answer.cards
    assert all(q.speaker == "Maria Okafor" for c in answer.cards for q in c.quotes)
    on_topic = await engine.answer(ask("what did Okafor say about the bridge repairs"))
    assert on_topic.notice is None
    assert on_topic.lead == "What Maria Okafor said about \u201cbridge repairs\u201d"


async def test_one_sentence_found_by_two_cues_is_shown_once(engine: Engine) -> None:
    answer = await engine.answer(ask("what did the Kremlin say about the ban"))
    shown = [(q.speaker, q.text) for c in answer.cards for q in c.quotes]
    assert shown
    assert len(shown) == len(set(shown)), shown


@pytest.mark.parametrize(("question", "what"), [("digest list", "digest"),
                                                ("/news digest subscribe", "digest"),
                                                ("feeds add https://example.com/rss", "feeds")])
async def test_digest_and_feed_commands_in_free_text_say_where_they_live(
    engine: Engine, question: str, what: str
) -> None:
    answer = await engine.answer(ask(question))
    assert answer.intent == "help"
    assert answer.cards == ()
    assert answer.notice is not None
    assert f"/news {what}" in answer.notice
    assert f"newsbot {what}" in answer.notice


def test_fixed_texts_carry_no_markup() -> None:
    from bot.answering import texts

    for name in ("EMPTY_CATALOGUE", "HELP_TEXT", "MANAGE", "WHICH_STORY", "NO_STORY_NEWEST"):
        text = getattr(texts, name)
        assert not any(mark in text for mark in ("`", "**", "__")), name


async def test_json_of_a_teaser_and_of_quotes(engine: Engine) -> None:
    from bot.jsonout import answer_dict

    teaser = answer_dict(await engine.answer(ask("tell me about the Teams integration story")))
    assert teaser["article"]["kind"] == "teaser"
    assert teaser["summary"] == []  # the notice says it is not a summary
    assert teaser["article"]["lede"].startswith("A decade ago")
    quotes = answer_dict(await engine.answer(ask("what did Peskov say?")))
    assert quotes["article"]["lede"] is None
    assert quotes["quotes"]
