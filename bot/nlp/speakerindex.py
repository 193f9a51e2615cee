"""The per-article speaker index: each speaker with every other way the article names them,
so "what did Peskov say" and "what did the Kremlin spokesman say" find the same quotes."""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import Attribution, Entity, Speaker
from bot.nlp.descriptions import descriptions
from bot.nlp.lexicon import ORG_PRONOUNS, PERSON_PRONOUNS, words
from bot.nlp.names import clean_display, normalise_name
from bot.nlp.speakers import SpeakerResolver

# Mentions that never name anyone on their own: pronouns and relative pronouns.
_NOT_ALIASES = PERSON_PRONOUNS | ORG_PRONOUNS | words("they them we i you who which that")


def build_index(attributions: Iterable[Attribution], resolver: SpeakerResolver) -> list[Speaker]:
    """One ``Speaker`` per resolved speaker, with every other way the article names them."""
    order: list[str] = []
    aliases: dict[str, set[str]] = {}
    for a in attributions:
        if a.speaker is None:
            continue
        if a.speaker not in aliases:
            order.append(a.speaker)
            aliases[a.speaker] = set(resolver.aliases.get(a.speaker, ()))
        mention = a.speaker_mention
        if mention and mention.lower() not in _NOT_ALIASES:
            aliases[a.speaker].add(clean_display(mention))
    speakers: list[Speaker] = []
    for name in order:
        key = normalise_name(name)
        names: dict[str, str] = {}  # one alias per lookup key: "the spokesman" = "The spokesman"
        for alias in sorted(aliases[name]):
            norm = normalise_name(alias)
            if norm not in {key, ""}:
                names.setdefault(norm, alias)
        words_ = name.split()
        if len(words_) > 1 and resolver.kind_of(name) == "person":
            names.setdefault(normalise_name(words_[-1]), words_[-1])  # the surname
        speakers.append(Speaker(name, tuple(sorted(names.values(), key=str.lower))))
    return speakers


def with_descriptions(
    speakers: Iterable[Speaker], text: str, entities: Iterable[Entity]
) -> list[Speaker]:
    """Each speaker with what the article writes beside their name added to their aliases
    ("chief executive of Powys Local Health Board", "Palace stadium manager"), so a role
    asked about is found by lookup. Words naming another person (a PERSON entity) keep a
    description out: "Lucy, Stephen Pound's daughter" does not describe Stephen Pound."""
    named = [clean_display(e.text) for e in entities if e.label == "PERSON"]
    people = {w for name in named for w in name.split() if len(w) >= 3 and w[:1].isupper()}
    # Full names a relation may hang on ("his lawyer" -> "Kenteris's lawyer").
    anchors = list(dict.fromkeys(n for n in named if len(n.split()) >= 2))
    found = []
    for speaker in speakers:
        own = set(speaker.name.split())
        extra = descriptions(speaker.name, [speaker.name, *speaker.aliases], text,
                             people - own, anchors)
        known = {normalise_name(a) for a in (speaker.name, *speaker.aliases)}
        added = [d for d in extra if normalise_name(d) not in known]
        found.append(Speaker(speaker.name, (*speaker.aliases, *added)))
    return found


def speaker_matches(speaker: Speaker, query: str) -> bool:
    """True when ``query`` names ``speaker``: its name, an alias, or its surname.

    "Peskov", "Mr Peskov", "the Kremlin spokesman" and "Dmitry Peskov" all match Dmitry Peskov.
    """
    key = normalise_name(query)
    if not key:
        return False
    return any(normalise_name(n) == key for n in (speaker.name, *speaker.aliases))
