"""The per-article speaker index: each speaker with every other way the article names them,
so "what did Peskov say" and "what did the Kremlin spokesman say" find the same quotes."""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import Attribution, Speaker
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


def speaker_matches(speaker: Speaker, query: str) -> bool:
    """True when ``query`` names ``speaker``: its name, an alias, or its surname.

    "Peskov", "Mr Peskov", "the Kremlin spokesman" and "Dmitry Peskov" all match Dmitry Peskov.
    """
    key = normalise_name(query)
    if not key:
        return False
    return any(normalise_name(n) == key for n in (speaker.name, *speaker.aliases))
