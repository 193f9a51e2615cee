"""The search-term rules both sides of the index share: folding, numbers, stems, places,
typos, spaced letters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.catalogue import terms, typos
from bot.catalogue.demonyms import related_stems


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("5,000m", "five thousand metres"),
        ("6 operations", "six operations"),
        ("the 1980s", "the eighties"),
        ("25%", "twenty-five per cent"),
        ("£3m deal", "3 million deal"),
        ("Café owners", "cafe owner"),
        ("3rd place", "third place"),
    ],
)
def test_two_spellings_give_the_same_terms(a: str, b: str) -> None:
    assert terms.stems(a) == terms.stems(b)


def test_numbers_are_not_run_together() -> None:
    assert terms.words("2,500 and 3") == ["2500", "and", "3"]
    assert terms.words("scores 20-5") == ["scores", "20", "5"]  # digits are never summed


def test_spaced_letters_are_one_word_and_lone_letters_no_evidence() -> None:
    words = terms.query_words("what about k a s p e r s k y and plan b")
    assert [w.surface for w in words if w.informative] == ["kaspersky", "plan"]


def test_stray_marks_go_and_real_accents_stay() -> None:
    zalgo = "k\u0337\u0322a\u0338s\u0335"
    assert terms.drop_stray_marks(zalgo) == "kas"
    assert terms.drop_stray_marks("Cafe\u0301 Ha\u0308agen") == "Café Häagen"
    assert terms.drop_stray_marks("नमस्ते") == "नमस्ते"  # Devanagari marks are letters' parts


def test_places_and_their_words_are_one_family() -> None:
    assert "ethiopia" in related_stems(terms.stem("ethiopian"))
    assert terms.stem("welsh") in related_stems("wale")  # Snowball: wales -> wale
    assert related_stems(terms.stem("marathon")) == frozenset()


@pytest.mark.parametrize(
    ("typed", "meant", "edits"),
    [("glaceir", "glacier", 1), ("accomodaton", "accommodation", 2), ("volcno", "volcano", 1)],
)
def test_edit_distance(typed: str, meant: str, edits: int) -> None:
    assert typos.distance(typed, meant, 2) == edits
    assert typos.allowed_edits(typed) >= edits


def test_short_words_are_never_corrected() -> None:
    assert typos.allowed_edits("cat") == 0
    assert typos.allowed_edits("2024") == 0


@given(st.text(max_size=200))
def test_any_text_gives_bounded_plain_terms(text: str) -> None:
    stems = terms.stems(text)
    for stem in stems:
        assert stem
        assert not any(ch.isspace() for ch in stem)
        assert len(stem) <= 48
    assert len(terms.query_words(text)) <= len(terms.words(text))


def test_terminal_escapes_do_not_glue_to_words() -> None:
    assert terms.words("Control \x1b[31mchars\x07 \x9b2J and \x1b]0;title\x07 end") == [
        "control", "chars", "and", "end"]
