"""What an article writes beside a speaker's name, and the acronyms it defines (pure text)."""

from __future__ import annotations

from bot.models import Entity, Speaker
from bot.nlp.descriptions import defined_acronyms, descriptions, mention_windows
from bot.nlp.speakerindex import with_descriptions

TEXT = "\n\n".join((
    "Harbour levy row deepens",
    "The Northern Harbour Trust (NHT) has raised its levy. Mara Quint, chief executive of "
    "the NHT, said the rise was fair.",
    "Trust finance director Olu Bassey said costs had doubled. Local trader Pia Holm, a "
    "friend of Mara Quint, called the levy unfair.",
    "Fishing boats were idle on Monday, the harbour's spokesman told reporters. Ewan Roch "
    "said talks would resume.",
))


def test_acronyms_defined_in_brackets_after_their_words() -> None:
    assert defined_acronyms(TEXT) == {"nht": "Northern Harbour Trust"}
    assert defined_acronyms("He joined the BBC (British Broadcasting Corporation).") == {}


def test_windows_before_and_after_a_name() -> None:
    assert "chief executive of the NHT" in mention_windows(TEXT, "Mara Quint")
    assert "Trust finance director" in mention_windows(TEXT, "Olu Bassey")
    # A role that ends the sentence before the one the name opens.
    assert "the harbour's spokesman told reporters" in mention_windows(TEXT, "Ewan Roch")
    # A whole-word mention only.
    assert mention_windows("Prices rose, said Bassett.", "Price") == []


def test_descriptions_spell_out_acronyms_and_skip_other_people() -> None:
    people = {"Mara", "Quint", "Pia", "Holm", "Olu", "Bassey", "Ewan", "Roch"}
    quint = descriptions("Mara Quint", ["Mara Quint", "Quint"], TEXT, people - {"Mara", "Quint"})
    assert "chief executive of the NHT" in quint
    assert "chief executive of the Northern Harbour Trust" in quint
    holm = descriptions("Pia Holm", ["Pia Holm"], TEXT, people - {"Pia", "Holm"})
    assert "Local trader" in holm
    # A relation anchored on another person describes this one: she is Quint's friend.
    assert "friend of Mara Quint" in holm
    # ... but a window opening with another person's name is theirs.
    assert descriptions("Stan Pound", ["Stan Pound"], "Lucy, Stan Pound's daughter, said.",
                        {"Lucy"}) == []


RELATIONS = "\n\n".join((
    "Sprinter faces doping panel",
    "The sprinter Nikos Varga will appear before a panel next week.",
    'His lawyer, Helena Stroud, said the case was "built on sand". Varga\'s coach, Ilse '
    'Brandt, said he was training well.',
))


def test_a_relation_to_another_person_is_resolved_to_them() -> None:
    people = {"Nikos", "Varga", "Helena", "Stroud", "Ilse", "Brandt"}
    anchors = ["Nikos Varga", "Helena Stroud", "Ilse Brandt"]
    stroud = descriptions("Helena Stroud", ["Helena Stroud"], RELATIONS,
                          people - {"Helena", "Stroud"}, anchors)
    assert "lawyer of Nikos Varga" in stroud
    brandt = descriptions("Ilse Brandt", ["Ilse Brandt"], RELATIONS,
                          people - {"Ilse", "Brandt"}, anchors)
    # Never stored starting with the other's name: a lookup of "Varga" by prefix is his.
    assert "coach of Varga" in brandt
    assert not any(d.startswith(("Varga", "Nikos")) for d in stroud + brandt)


def test_the_index_adds_descriptions_as_aliases_once() -> None:
    speakers = [Speaker("Olu Bassey", ("Bassey",)), Speaker("Mara Quint", ("chief executive",))]
    entities = [Entity("Olu Bassey", "PERSON"), Entity("Mara Quint", "PERSON")]
    found = {s.name: s.aliases for s in with_descriptions(speakers, TEXT, entities)}
    assert found["Olu Bassey"] == ("Bassey", "Trust finance director")
    assert found["Mara Quint"][0] == "chief executive"
    assert "chief executive of the Northern Harbour Trust" in found["Mara Quint"]
    assert len(set(found["Mara Quint"])) == len(found["Mara Quint"])
