"""An id that ``newsbot stories`` prints finds its story however the question is put: the
words inside an id ("news", "the") are not filler, and an id among other words still counts."""

from __future__ import annotations

import pytest

from bot.catalogue.base import Catalogue
from bot.engine import Engine
from bot.intents import story_words
from bot.models import ArticleDraft
from tests.engine.test_answers import ask
from tests.unit.ingest.test_ingest_pipeline import CountingAnalyser

SLUG = "news-from-the-associated-press"
TITLE = "Wire round-up for the harbour towns"


@pytest.fixture
async def with_wire_story(catalogue: Catalogue) -> Catalogue:
    draft = ArticleDraft(title=TITLE, slug=SLUG, paragraphs=(
        "Ferries to the harbour towns will run late on Sunday, the operator said.",
        "The coastal road reopens on Monday after repairs."))
    [analysis] = await CountingAnalyser()([draft])
    await catalogue.upsert(draft, analysis)
    return catalogue


def test_filler_words_inside_an_id_are_kept() -> None:
    assert story_words(SLUG) == SLUG
    assert story_words(f"the {SLUG} story") == SLUG
    assert story_words("business/the-021") == "business/the-021"
    assert story_words("the news about the ban") == "ban"


@pytest.mark.parametrize("question", [
    SLUG, f"summarize {SLUG}", f"key points of {SLUG}", f"what's in {SLUG}?",
    f"tell me about the {SLUG} story", f"summary of “{SLUG}”", SLUG.upper(),
])
async def test_a_printed_id_finds_its_story(
    with_wire_story: Catalogue, engine: Engine, question: str
) -> None:
    answer = await engine.answer(ask(question))
    assert answer.notice is None, answer.notice
    assert answer.cards[0].title == TITLE
