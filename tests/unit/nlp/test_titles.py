"""Titles the tagger glued to a name, and bare roles that point back paragraphs away (pure
Python over names already found; names and roles here are made up)."""

from __future__ import annotations

import pytest

from bot.models import Attribution, AttributionKind, Entity, Speaker
from bot.nlp.rolerefs import bare_role, resolve_roles
from bot.nlp.titles import split_title, unglue


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Chief Executive Anya Korvell", ("chief executive", "Anya Korvell")),
        ("Prof Liam Ostrander", ("professor", "Liam Ostrander")),
        ("Coach Dieter Hahn", ("coach", "Dieter Hahn")),
        ("Health Secretary Olwen Pryce", ("health secretary", "Olwen Pryce")),
        ("Dr. Mara Quint", ("doctor", "Mara Quint")),
        # Honorifics are how the name is written; one-word titles before one word may be a
        # first name ("Dean").
        ("Sir Alan Brock", None),
        ("Dean Hollis", None),
        ("Anya Korvell", None),
        ("Chief Executive", None),
    ],
)
def test_a_title_before_a_name_is_split_off(name: str, split: tuple[str, str] | None) -> None:
    assert split_title(name) == split


def _said(speaker: str, start: int) -> Attribution:
    return Attribution(speaker, speaker, start, start + 5, "said", "words", AttributionKind.DIRECT,
                       0, start, start + 5)


def test_unglued_speakers_merge_and_keep_the_title_as_an_alias() -> None:
    attributions = [_said("Coach Dieter Hahn", 10), _said("Dieter Hahn", 50), _said("Ivo", 90)]
    speakers = [Speaker("Coach Dieter Hahn", ("Hahn",)), Speaker("Dieter Hahn", ("Hahn",)),
                Speaker("Ivo")]
    moved, merged = unglue(attributions, speakers, ["Coach Dieter Hahn", "Dieter Hahn", "Ivo"])
    assert [a.speaker for a in moved] == ["Dieter Hahn", "Dieter Hahn", "Ivo"]
    assert [s.name for s in merged] == ["Dieter Hahn", "Ivo"]
    assert {"Hahn", "coach", "Coach Dieter Hahn"} <= set(merged[0].aliases)


def test_only_people_are_unglued() -> None:
    moved, merged = unglue([_said("General Dynamo Works", 0)], [Speaker("General Dynamo Works")],
                           [])
    assert moved[0].speaker == "General Dynamo Works"
    assert merged == [Speaker("General Dynamo Works")]


TEXT = "\n\n".join((
    "Minister unveils rail plan",
    "Transport Minister Olwen Pryce unveiled a plan to reopen four lines. Ivo Brandt, a rail "
    "enthusiast, welcomed it.",
    "The lines were closed in the 1960s.",
    'The minister said the plan would "change everything".',
))


def test_a_bare_role_paragraphs_later_is_the_person_it_describes() -> None:
    assert bare_role("the minister") == "minister"
    assert bare_role("The club's manager") == "manager"
    assert bare_role("the Kremlin") is None
    at = TEXT.index("The minister")
    attributions = [_said("the minister", at)]
    entities = [Entity("Transport Minister Olwen Pryce", "PERSON"), Entity("Ivo Brandt", "PERSON")]
    moved, speakers = resolve_roles(attributions, [Speaker("the minister")], TEXT, entities)
    assert moved[0].speaker == "Olwen Pryce"
    assert "the minister" in speakers[0].aliases


def test_a_bare_role_two_people_hold_stays_unresolved() -> None:
    text = TEXT.replace("Ivo Brandt, a rail enthusiast,", "Finance Minister Ivo Brandt")
    at = text.index("The minister")
    entities = [Entity("Olwen Pryce", "PERSON"), Entity("Ivo Brandt", "PERSON")]
    moved, _ = resolve_roles([_said("the minister", at)], [Speaker("the minister")], text,
                             entities)
    assert moved[0].speaker == "the minister"
