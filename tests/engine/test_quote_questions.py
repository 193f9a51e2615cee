"""Quote questions as people type them, over a real catalogue of this file's own short
articles (ingested by the real pipeline): roles, possessives, acronyms, "what did X call Y",
"who said ..." in other words, typos. Names, roles and stories here are made up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.catalogue.open import open_catalogue
from bot.engine import Engine
from bot.messages import Answer, Place, Query, User

PORT = "\n\n".join((
    'Port authority warns fishermen over dredging bill',
    'The Lakeside Port Authority (LPA) has warned that the cost of dredging the harbour '
    'channel could double by next spring.',
    '"We will not pass the bill on to the fishermen who keep this harbour alive," said Ingrid'
    ' Vasquez, chief executive of the LPA. She called the original dredging plan "a '
    'bottomless pit" and said a cheaper scheme would be put to the board in May.',
    'Tomas Berg, a spokesman for the Regional Transport Board, said the board "remains '
    'committed to the harbour" but would not comment on the figures.',
    'Local skipper Ronan Quill said the uncertainty was hurting trade. "Nobody will buy a '
    'boat when they do not know whether they can get it out of the harbour," he said.',
))
STRIKER = "\n\n".join((
    'Rinaldi hits back at Brennan coach',
    'Brennan United striker Paolo Rinaldi has hit back at his coach after being dropped for '
    "Saturday's derby.",
    'Coach Dieter Hahn had described the striker as "lazy and overpaid" in a radio interview '
    'on Thursday.',
    '"He has never kicked a ball in his life at this level, so he should be careful what he '
    'says," Rinaldi told the club\'s fan magazine. "I train harder than anyone in that squad."',
    "The club's chairman, Margit Olsen, said she backed the coach fully.",
))
FERRY = "\n\n".join((
    'Ferry operator cuts winter crossings',
    'The island ferry operator Bluewater Lines is to cut its winter timetable by a third, '
    'blaming fuel prices.',
    'A Bluewater spokesman, Aled Price, said the decision had been "painful but unavoidable".'
    ' He said the company would review the timetable in March.',
    'Island councillor Fiona Dunne called the cuts "a betrayal of everyone who lives here".',
))

BLOG = "\n\n".join((
    "Campaign condemns blogger's jail term",
    "An online campaign for the jailed blogger Omid Farsi drew thousands of visitors on "
    "Monday, the campaign's director told reporters. Lena Marsh said the sentence would "
    '"only make the bloggers louder".',
    "The court in the capital gave Mr Farsi four years for articles critical of the "
    "government.",
))

FUEL = "\n\n".join((
    "Bluewater Lines fuel bill doubles",
    "The fuel bill of the ferry operator Bluewater Lines has doubled in a year.",
    'Bluewater spokesman Carl Ives said the rise in fuel costs was "the worst we have seen '
    'in forty years".',
))

# An organisation that is itself a speaker, and its spokeswoman named beside it.
LEAKS = "\n\n".join((
    "Harbour council attacks water firm over leaks",
    "The Harbour District Council has strongly criticised Clearwater Utilities over leaks "
    "that flooded the old quay twice this winter.",
    'Maja Lind, spokeswoman for the Harbour District Council, said the leaks were "a '
    'disgrace to the whole region" and called for an inquiry.',
))


@pytest.fixture(scope="module")
def quotes_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue of the three stories above, really analysed, built once."""
    from bot.ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("quote-articles")
    for name, text in (("port", PORT), ("striker", STRIKER), ("ferry", FERRY), ("blog", BLOG),
                       ("fuel", FUEL), ("leaks", LEAKS)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    db = tmp_path_factory.mktemp("quote-db") / "quotes.db"

    async def build() -> None:
        catalogue = await open_catalogue(f"sqlite:///{db}")
        try:
            report = await ingest_paths(catalogue, [folder])
            assert not report.rejected
        finally:
            await catalogue.close()

    asyncio.run(build())
    return db


@pytest.fixture
async def quote_engine(quotes_db: Path) -> AsyncIterator[Engine]:
    catalogue = await open_catalogue(f"sqlite:///{quotes_db}")
    try:
        yield Engine(catalogue)
    finally:
        await catalogue.close()


async def ask(engine: Engine, text: str) -> Answer:
    return await engine.answer(Query(text=text, user=User("u1"), place=Place("test", "c1"),
                                     received_at=datetime.now(UTC)))


def said(answer: Answer) -> list[tuple[str, str]]:
    return [(q.speaker, q.text) for card in answer.cards for q in card.quotes]


def by(answer: Answer, speaker: str, words: str) -> bool:
    """One quote of the answer is ``speaker``'s and holds ``words``."""
    return any(speaker in who and words in text for who, text in said(answer))


@pytest.mark.parametrize(
    ("question", "speaker", "words"),
    [
        # A role with the organisation, an acronym the article defines, "boss" for
        # "chief executive".
        ("what did the LPA boss say about the fishermen?", "Ingrid Vasquez", "fishermen"),
        ("what did the lakeside port authority chief say about the fishermen",
         "Ingrid Vasquez", "fishermen"),
        # A shorter role than the article's ("a spokesman for the Regional Transport Board").
        ("what did the transport board spokesman say about the harbour", "Tomas Berg",
         "remains committed to the harbour"),
        # A possessive: "the club's chairman".
        ("what did the club's chairman say about the coach", "Margit Olsen", "backed the coach"),
        # "what did X call Y", "how did X describe Y", named and by role.
        ("what did the port authority's chief executive call the dredging plan?",
         "Ingrid Vasquez", "a bottomless pit"),
        ("how did hahn describe rinaldi?", "Hahn", "lazy and overpaid"),
        ("what did the island councillor call the cuts", "Fiona Dunne", "a betrayal"),
        # A person described, not named or titled.
        ("what did the guy from bluewater say about the timetable", "Aled Price",
         "painful but unavoidable"),
        # Two spokesmen of one company: the topic tells them apart.
        ("what did the bluewater spokesman say about fuel costs", "Carl Ives", "the worst"),
        ("what did the bluewater spokesman say about the timetable decision", "Aled Price",
         "painful"),
        # A role that ends the sentence before the one the name opens.
        ("what did the campaign director say about the sentence", "Lena Marsh",
         "only make the bloggers louder"),
        # A name typed with a typo.
        ("what did lena marhs say about the sentence", "Lena Marsh", "bloggers louder"),
        # A role of an organisation that also speaks: the role's holder, not the
        # organisation, whichever way round the role is put.
        ("what did the harbour district council spokeswoman call the leaks?", "Maja Lind",
         "a disgrace"),
        ("what did the spokeswoman for the harbour district council say about the leaks",
         "Maja Lind", "a disgrace"),
        # Typos in the intent words.
        ("waht did the bluewater spokesman say abt the decision", "Aled Price",
         "painful but unavoidable"),
    ],
)
async def test_speakers_asked_about_by_role_or_description(
    quote_engine: Engine, question: str, speaker: str, words: str
) -> None:
    answer = await ask(quote_engine, question)
    assert by(answer, speaker, words), (answer.lead, said(answer))


async def test_a_role_answer_says_whom_it_took_the_role_to_mean(quote_engine: Engine) -> None:
    answer = await ask(quote_engine, "what did the LPA boss say about the fishermen?")
    assert "Ingrid Vasquez" in answer.lead
    assert "the LPA boss" in answer.lead
    assert answer.notice is None


@pytest.mark.parametrize(
    ("question", "speaker", "words"),
    [
        ("who said the coach had never kicked a ball?", "Paolo Rinaldi", "never kicked a ball"),
        ("who called the ferry cuts a betrayal", "Fiona Dunne", "betrayal"),
        ("who warned that nobody would buy a boat", "Ronan Quill", "Nobody will buy a boat"),
    ],
)
async def test_who_said_finds_a_quote_told_in_other_words(
    quote_engine: Engine, question: str, speaker: str, words: str
) -> None:
    answer = await ask(quote_engine, question)
    assert by(answer, speaker, words), (answer.lead, said(answer))


async def test_a_paraphrase_is_not_passed_off_as_the_words_themselves(
    quote_engine: Engine,
) -> None:
    answer = await ask(quote_engine, "who said the coach had never kicked a ball?")
    assert "closest" in answer.lead.casefold()
    port = await ask(quote_engine, "who said 'a bottomless pit'?")
    assert port.lead.startswith("Ingrid Vasquez said it")


@pytest.mark.parametrize(
    "question",
    ["what did the finance minister say about dredging?",
     "what did the goalkeeper say about the derby"],
)
async def test_a_role_nobody_in_the_stories_holds_finds_no_quotes(
    quote_engine: Engine, question: str
) -> None:
    answer = await ask(quote_engine, question)
    assert said(answer) == []
    assert answer.notice is not None
    assert "no quotes" in answer.notice


async def test_quotes_shown_as_quotes_stand_word_for_word_in_the_article(
    quote_engine: Engine,
) -> None:
    answer = await ask(quote_engine, "what did the LPA boss say about the dredging plan")
    verbatim = [q.text for card in answer.cards for q in card.quotes if q.verbatim]
    assert verbatim
    assert all(text in PORT for text in verbatim)


async def test_phrase_search_finds_words_in_order(quotes_db: Path) -> None:
    catalogue = await open_catalogue(f"sqlite:///{quotes_db}")
    try:
        found = await catalogue.phrase("get it out of the harbour", 5)
        assert [h.title for h in found] == ["Port authority warns fishermen over dredging bill"]
        assert await catalogue.phrase("harbour the of out it get", 5) == []
        assert await catalogue.phrase('" OR harbour NEAR(', 5) == []
    finally:
        await catalogue.close()
