"""Which story a question means: words in other forms, numbers, place words, typos, names,
honest confidence, copies of one story, hostile spellings, and fusion with meaning.

The articles are this file's own (hand-made analyses, no spaCy), stored in a real SQLite file.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.engine import Engine
from bot.messages import Place, Query, User
from tests.storage.storage_kit import analysis_of, at, draft_factory

STORIES: dict[str, tuple[str, ...]] = {
    "libraries": ("Council votes to shut three libraries",
                  "The closures were approved by councillors on Tuesday night.",
                  "Campaigners said reading rooms in the villages would be missed."),
    "record": ("Runner breaks 5,000m world record in Oslo",
               "The 5,000m mark had stood for eleven years before the race on Friday.",
               "She said the crowd carried her over the last lap."),
    "striker": ("Striker returns after 6 operations",
                "The forward had 6 operations on his knee in two seasons.",
                "His manager said the club had never doubted him."),
    "ethiopia": ("Ethiopia takes marathon gold in Berlin",
                 "Ethiopia's team won the marathon gold ahead of a strong field.",
                 "The winner said the cold weather suited her."),
    "kenya": ("Kenya takes marathon gold in Chicago",
              "Kenya's team won the marathon gold in warm weather.",
              "Officials praised the organisers of the race."),
    "glacier": ("Glacier retreat alarms scientists",
                "The glacier has lost a third of its ice in a decade, researchers say.",
                "Tourism in the valley depends on the ice."),
    "housing": ("Student accommodation shortage worsens",
                "Universities say the accommodation shortage has left students sleeping "
                "on sofas.",
                "Rents near the campus have risen sharply."),
    "harbour": ("Harbour bridge repairs approved",
                "The harbour bridge will close for repairs while the ferry runs extra trips.",
                "Traders fear the works will cost them custom."),
    "ferry": ("Ferry timetable changes announced",
              "The ferry will run extra trips while the harbour bridge is closed.",
              "Passengers can buy tickets on board."),
    "letters": ("Health plan sets out options",
                "Plan B would add vitamin E to bread; the R number and the Z list of "
                "priorities follow.",
                "Ministers will decide in the spring."),
    "election": ("Parliament debates election date",
                 "Members argued over the date of the next election for hours.",
                 "The vote is expected next week."),
    "volcano": ("Volcano erupts near the capital",
                "Lava flowed towards the coast as the volcano erupted overnight.",
                "Flights were cancelled across the region."),
    "tube": ("Underground strike paralyses the capital",
             "Train drivers walked out on the underground network, stopping every line.",
             "Commuters queued for buses in the rain."),
}
COPY_TITLE = "Bank raises interest rates again"
COPY_BODY = ("The central bank raised interest rates for the fourth time this year.",
             "Borrowers face higher mortgage payments, economists warned.")


@dataclass
class Newsroom:
    """The stored stories, by key, with their row ids."""

    catalogue: Catalogue
    ids: dict[str, int]
    copies: tuple[str, str]

    def engine(self, semantic: ConceptIndex | None = None) -> Engine:
        return Engine(self.catalogue, semantic=semantic)


@pytest.fixture
async def newsroom(tmp_path: Path) -> AsyncIterator[Newsroom]:
    catalogue = await open_catalogue(f"sqlite:///{tmp_path / 'news.db'}")
    make = draft_factory()
    ids: dict[str, int] = {}
    try:
        for day, (key, (title, *body)) in enumerate(STORIES.items(), 1):
            draft = make(title, *body, slug=f"news/{key}", published_at=at(1 + day % 20))
            ids[key] = (await catalogue.upsert(draft, analysis_of(draft))).article_id
        copies = []
        for n, extra in enumerate(("", " Shares in lenders fell.")):
            draft = make(COPY_TITLE, COPY_BODY[0], COPY_BODY[1] + extra,
                         slug=f"news/rates-{n}", published_at=at(25))
            ids[f"rates-{n}"] = (await catalogue.upsert(draft, analysis_of(draft))).article_id
            copies.append(draft.slug or "")
        yield Newsroom(catalogue, ids, (copies[0], copies[1]))
    finally:
        await catalogue.close()


def ask(text: str) -> Query:
    return Query(text=text, user=User("u1"), place=Place("test", "c1"),
                 received_at=datetime.now(UTC))


async def answered(engine: Engine, text: str) -> str | None:
    """The slug of the story summarised, or None when the engine asked back."""
    answer = await engine.answer(ask(text))
    return answer.cards[0].ref if answer.cards else None


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("summarize the library closure vote", "news/libraries"),  # stems on both sides
        ("tl;dr five thousand metres record", "news/record"),  # "5,000m"
        ("striker back after six operations", "news/striker"),  # "6"
        ("the ethiopian marathon win", "news/ethiopia"),  # "Ethiopia"
        ("summarize the glaceir retreat story", "news/glacier"),  # a swap
        ("the accomodaton shortage", "news/housing"),  # two edits, a long word
    ],
)
async def test_other_spellings_of_the_same_words_find_the_story(
    newsroom: Newsroom, question: str, slug: str
) -> None:
    assert await answered(newsroom.engine(), question) == slug


async def test_two_close_stories_are_asked_about_not_guessed(newsroom: Newsroom) -> None:
    """Both stories hold the harbour bridge and the ferry: neither clearly beats the other, so
    the user is asked, with both offered."""
    answer = await newsroom.engine().answer(ask("harbour bridge ferry extra trips"))
    assert answer.cards == ()
    offered = {c.ref for c in answer.candidates}
    assert {"news/harbour", "news/ferry"} <= offered


async def test_a_weak_best_is_offered_not_summarised(newsroom: Newsroom) -> None:
    """Only "volcano" of the question is stored anywhere: the story holding it is offered as
    "did you mean", not summarised as if it were the zeppelin story."""
    answer = await newsroom.engine().answer(ask("volcano zeppelin story"))
    assert answer.cards == ()
    assert answer.notice is not None
    assert "Did you mean" in answer.notice
    assert answer.candidates


async def test_two_copies_of_one_story_are_one_answer(newsroom: Newsroom) -> None:
    """Same title, nearly the same text: one story, answered, not a question back."""
    slug = await answered(newsroom.engine(), "bank raises interest rates")
    assert slug in newsroom.copies


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("summarize v o l c a n o", "news/volcano"),
        ("v\u0337\u0322\u031bo\u0338\u0327l\u0335\u0328c\u0336\u0322a\u0337\u031bn\u0334\u0321"
         "o\u0337\u0322 erupts", "news/volcano"),
        ("tl;dr z e b r a", None),
        ("z\u0337\u0322e\u0338\u0327b\u0335\u0328r\u0336\u0322a\u0337\u031b", None),
        ("p l a n b e", None),
    ],
)
async def test_spaced_or_zalgo_letters_are_one_word_or_nothing(
    newsroom: Newsroom, question: str, slug: str | None
) -> None:
    """Letters spaced out or buried in combining marks read as the word they spell: the
    volcano story, or nothing for a word no story holds. Never the story that happens to
    hold single letters ("Plan B", "vitamin E")."""
    assert await answered(newsroom.engine(), question) == slug


async def test_nothing_matched_says_so_for_lone_letters(newsroom: Newsroom) -> None:
    answer = await newsroom.engine().answer(ask("b e"))
    assert answer.cards == ()
    assert all(c.ref != "news/letters" for c in answer.candidates)


# --- fusion with a SemanticIndex ------------------------------------------------------------

CONCEPTS = {
    "transport": {"underground", "tube", "subway", "metro", "train", "trains", "buses",
                  "commuters", "line"},
    "strike": {"strike", "walkout", "walked", "stoppage"},
    "city": {"capital", "city"},
    "nature": {"volcano", "lava", "glacier", "ice"},
    "sport": {"marathon", "runner", "striker", "record", "race"},
}


class ConceptIndex:
    """A real, tiny ``SemanticIndex``: each text's vector counts the concepts its words name
    (a hand-made lexicon stands in for the embedding model), nearest by cosine."""

    def __init__(self, vectors: dict[int, list[float]]) -> None:
        self.vectors = vectors
        self.asked: list[str] = []

    @staticmethod
    def embed(text: str) -> list[float]:
        words = set(text.casefold().replace(",", " ").replace(".", " ").split())
        return [float(len(words & members)) for members in CONCEPTS.values()]

    async def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        self.asked.append(text)
        query = self.embed(text)
        scored = [(article_id, _cosine(query, v)) for article_id, v in self.vectors.items()]
        return sorted(scored, key=lambda p: -p[1])[:k]


class BrokenIndex:
    """A ``SemanticIndex`` whose model fails."""

    async def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        raise RuntimeError("model file unreadable")


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(x * x for x in b))
    return sum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0


def concept_index(newsroom: Newsroom) -> ConceptIndex:
    vectors = {}
    for key, article_id in newsroom.ids.items():
        title, *body = STORIES.get(key, (COPY_TITLE, *COPY_BODY))
        vectors[article_id] = ConceptIndex.embed(" ".join([title, *body]))
    return ConceptIndex(vectors)


async def test_meaning_finds_a_paraphrase_the_words_miss(newsroom: Newsroom) -> None:
    question = "summarize the metro walkout in the city"
    assert await answered(newsroom.engine(), question) is None  # words alone: not found
    index = concept_index(newsroom)
    assert await answered(newsroom.engine(index), question) == "news/tube"
    assert index.asked  # the index was consulted


async def test_meaning_and_words_agreeing_answer_the_story(newsroom: Newsroom) -> None:
    index = concept_index(newsroom)
    assert await answered(newsroom.engine(index), "volcano lava story") == "news/volcano"


async def test_a_failing_index_leaves_the_words_to_answer(newsroom: Newsroom) -> None:
    engine = Engine(newsroom.catalogue, semantic=BrokenIndex())
    assert await answered(engine, "summarize the glacier retreat story") == "news/glacier"


async def test_a_tie_in_meaning_is_asked_about(newsroom: Newsroom) -> None:
    """Meaning finds two stories exactly as near and the words none: the user is asked."""
    index = concept_index(newsroom)
    index.vectors[newsroom.ids["volcano"]] = index.vectors[newsroom.ids["tube"]]
    answer = await newsroom.engine(index).answer(ask("summarize the metro stoppage"))
    assert answer.cards == ()
    assert {"news/tube", "news/volcano"} <= {c.ref for c in answer.candidates}
