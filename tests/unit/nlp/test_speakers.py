"""Speaker names: normalisation for lookups, and the per-article speaker index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.models import Speaker
from bot.nlp.quotes import extract_attributions, parse_article
from bot.nlp.sentences import split_sentences
from bot.nlp.speakerindex import speaker_matches
from bot.nlp.speakers import normalise_name

SEED = Path(__file__).resolve().parents[3] / "seeds" / "000_4f50a4a6f3bb85bf.txt"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Dmitry Peskov", "dmitry peskov"),
        ("Mr. Peskov's", "peskov"),
        ("Peskov’s", "peskov"),
        ("President Joe Biden", "joe biden"),
        ("Dr Jane O'Neil", "jane o neil"),
        ("the Kremlin spokesman", "kremlin spokesman"),
        ("  KASPERSKY  ", "kaspersky"),
        ("President", "president"),  # a title alone is kept, not emptied
        ("", ""),
    ],
)
def test_normalise_name(raw: str, key: str) -> None:
    assert normalise_name(raw) == key


def test_speaker_matches_name_alias_and_title() -> None:
    peskov = Speaker("Dmitry Peskov", ("Peskov", "the Kremlin spokesman"))
    for query in ("Peskov", "mr peskov", "Dmitry Peskov", "The Kremlin spokesman"):
        assert speaker_matches(peskov, query), query
    for query in ("Raimondo", "spokesman for the White House", ""):
        assert not speaker_matches(peskov, query), query


@pytest.fixture(scope="module")
def seed_index() -> tuple[list[Speaker], list[Any]]:
    from bot.nlp.model import load_nlp

    text = SEED.read_text(encoding="utf-8").split("Share Story:")[0].rstrip()
    sentences = split_sentences(text)
    doc = parse_article(load_nlp(), text, sentences)
    found, speakers = extract_attributions(doc, text, sentences)
    return speakers, found


@pytest.mark.slow
def test_seed_index_links_peskov_and_the_kremlin_spokesman(
    seed_index: tuple[list[Speaker], list[Any]],
) -> None:
    speakers, found = seed_index
    by_surname = [s for s in speakers if speaker_matches(s, "Peskov")]
    by_role = [s for s in speakers if speaker_matches(s, "the Kremlin spokesman")]
    by_long_role = [s for s in speakers if speaker_matches(s, "spokesman for the Kremlin")]
    assert [s.name for s in by_surname] == ["Dmitry Peskov"]
    assert by_role == by_surname == by_long_role
    quotes = [a for a in found if a.speaker == "Dmitry Peskov"]
    assert len(quotes) >= 2


@pytest.mark.slow
def test_seed_index_names_each_speaker_once(
    seed_index: tuple[list[Speaker], list[Any]],
) -> None:
    speakers, _ = seed_index
    names = [s.name for s in speakers]
    assert len(names) == len(set(names))
    kaspersky = next(s for s in speakers if s.name == "Kaspersky")
    assert speaker_matches(kaspersky, "the company")
    raimondo = next(s for s in speakers if s.name == "Gina Raimondo")
    assert speaker_matches(raimondo, "Raimondo")
    assert not speaker_matches(raimondo, "Peskov")


@pytest.mark.slow
def test_role_mentions_resolve_to_the_named_holder() -> None:
    from bot.nlp.model import load_nlp

    text = "\n\n".join((
        "A headline",
        "Dmitry Peskov, spokesman for the Kremlin, spoke on Friday.",
        "The Kremlin spokesman said that the ban was unfair.",
        "US commerce secretary Gina Raimondo announced the ban on Thursday.",
        "The commerce secretary said that the risk was real.",
    ))
    sentences = split_sentences(text)
    found, speakers = extract_attributions(
        parse_article(load_nlp(), text, sentences), text, sentences
    )
    unfair = next(a for a in found if "the ban was unfair" in a.text)
    assert (unfair.speaker, unfair.speaker_mention) == ("Dmitry Peskov", "The Kremlin spokesman")
    risk = next(a for a in found if "the risk was real" in a.text)
    assert risk.speaker == "Gina Raimondo"
    peskov = next(s for s in speakers if s.name == "Dmitry Peskov")
    assert speaker_matches(peskov, "spokesman for the Kremlin")
