"""Speakers asked about by a relation, a title the tagger glued to the name, or a role given
paragraphs from the name, over a real catalogue of this file's own short articles (ingested
by the real pipeline). Names, roles and stories here are made up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.catalogue.open import open_catalogue
from bot.engine import Engine
from bot.messages import Answer, Place, Query, User

SPRINTER = "\n\n".join((
    "Sprinter Varga faces doping hearing",
    "The sprinter Nikos Varga will appear before a disciplinary panel in Lausanne next week "
    "after missing three tests.",
    'His lawyer, Helena Stroud, said the case against him was "built on sand" and that the '
    "tests had been booked on the wrong dates.",
    'Delia Marchetti, an ally of Marcus Trent, said the panel should "take its time".',
    "The federation's lawyer, Tomas Weil, said the missed tests were \"a matter of record\".",
))
CHIPS = "\n\n".join((
    "Chipmaker Korvell Systems lifts profits",
    'Chief Executive Anya Korvell said demand for the new processors was "stronger than we '
    'dared hope".',
    'Prof Liam Ostrander, who studies the industry, said the boom "will not last for ever".',
))
RAIL = "\n\n".join((
    "Minister unveils northern rail plan",
    "Transport Minister Olwen Pryce unveiled a plan on Monday to reopen four branch lines in "
    "the north.",
    "The lines were closed in the 1960s. Local councils have campaigned for their return for "
    "years, and some stations are now houses.",
    "Engineers say the work could take a decade. Costs have not been published.",
    'The minister said the plan would "change everything for the valleys".',
))


@pytest.fixture(scope="module")
def roles_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue of the stories above, really analysed, built once."""
    from bot.ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("role-articles")
    for name, text in (("sprinter", SPRINTER), ("chips", CHIPS), ("rail", RAIL)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    db = tmp_path_factory.mktemp("role-db") / "roles.db"

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
async def engine(roles_db: Path) -> AsyncIterator[Engine]:
    catalogue = await open_catalogue(f"sqlite:///{roles_db}")
    try:
        yield Engine(catalogue)
    finally:
        await catalogue.close()


async def ask(engine: Engine, text: str) -> Answer:
    return await engine.answer(Query(text=text, user=User("u1"), place=Place("test", "c1"),
                                     received_at=datetime.now(UTC)))


def said(answer: Answer) -> list[tuple[str, str]]:
    return [(q.speaker, q.text) for card in answer.cards for q in card.quotes]


@pytest.mark.parametrize(
    ("question", "speaker", "words"),
    [
        # A relation resolved to its anchor: "his lawyer" after Varga is named.
        ("what did varga's lawyer say", "Helena Stroud", "built on sand"),
        ("what did the federation's lawyer say", "Tomas Weil", "a matter of record"),
        ("what did the ally of marcus trent say", "Delia Marchetti", "take its time"),
        # A title glued to the name by the tagger, asked by role and by name.
        ("what did the korvell ceo say about demand", "Anya Korvell", "stronger than"),
        ("what did anya korvell say about demand", "Anya Korvell", "stronger than"),
        ("what did professor ostrander say about the boom", "Liam Ostrander", "last for ever"),
        # A role given paragraphs after the name.
        ("what did olwen pryce say about the rail plan", "Olwen Pryce", "change everything"),
        ("what did the transport secretary say about the valleys", "Olwen Pryce",
         "change everything"),
    ],
)
async def test_speakers_found_by_relation_title_or_distant_role(
    engine: Engine, question: str, speaker: str, words: str
) -> None:
    answer = await ask(engine, question)
    # The speaker shown is the person, without a title glued on or a bare role for a name.
    assert any(who == speaker and words in text for who, text in said(answer)), (
        answer.lead, said(answer))
