"""A bare role that points back to a person named earlier, paragraphs away.

"Health Secretary John Reid announced the plan." ... "The secretary said it would pass."
Within a sentence or two the resolver links "the secretary" to Reid; paragraphs later it
keeps "the secretary" as a speaker of its own, and a question about Reid misses the quote.
Here, after the speaker index is built, a speaker named only by a role ("the minister", "the
club's manager") becomes the one person the article describes with that role word before
the quote, when exactly one does. Pure Python over the text and the names already found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.models import Attribution, Entity, Speaker
from bot.nlp.descriptions import descriptions
from bot.nlp.lexicon import ROLE_NOUNS
from bot.nlp.names import clean_display
from bot.nlp.titles import TITLE_WORDS, split_title

_ROLE_WORDS = ROLE_NOUNS | TITLE_WORDS
_WORD = re.compile(r"[\w-]+")


def bare_role(name: str) -> str | None:
    """The role word heading a speaker named only by a role ("the minister" -> "minister",
    "The club's manager" -> "manager"), else None: a name or a capitalised title is no bare
    role."""
    parts = name.split()
    if len(parts) < 2 or parts[0].casefold() != "the":
        return None
    if any(w[:1].isupper() for w in parts[1:]):
        return None
    head = parts[-1].casefold()
    return head if head in _ROLE_WORDS else None


def _role_words(aliases: Iterable[str]) -> set[str]:
    return {w for a in aliases for w in _WORD.findall(a.casefold()) if w in _ROLE_WORDS}


def resolve_roles(
    attributions: Sequence[Attribution], speakers: Sequence[Speaker], text: str,
    entities: Iterable[Entity],
) -> tuple[list[Attribution], list[Speaker]]:
    """Each bare-role speaker given to the one person described with its role word and named
    before its first quote; the role joins that person's aliases."""
    if not any(bare_role(s.name) for s in speakers):
        return list(attributions), list(speakers)  # the common case: nothing to read
    people = _described_people(speakers, text, entities)
    renames: dict[str, str] = {}
    for speaker in speakers:
        head = bare_role(speaker.name)
        if head is None:
            continue
        first = min((a.start for a in attributions if a.speaker == speaker.name), default=-1)
        holders = [name for name, (at, roles) in people.items()
                   if head in roles and 0 <= at < first and name != speaker.name]
        if len(holders) == 1:
            renames[speaker.name] = holders[0]
    if not renames:
        return list(attributions), list(speakers)
    moved = [replace(a, speaker=renames[a.speaker]) if a.speaker in renames else a
             for a in attributions]
    return moved, _merged(speakers, renames)


def _described_people(
    speakers: Sequence[Speaker], text: str, entities: Iterable[Entity]
) -> dict[str, tuple[int, set[str]]]:
    """Each person (a speaker with a name, or a person the article tags) with where they are
    first named and the role words written beside them or in their aliases."""
    found: dict[str, tuple[int, set[str]]] = {}
    for speaker in speakers:
        if bare_role(speaker.name) is None and speaker.name in text:
            found[speaker.name] = (text.find(speaker.name), _role_words(speaker.aliases))
    tagged: dict[str, set[str]] = {}
    for entity in entities:
        if entity.label == "PERSON":
            name = clean_display(entity.text)
            role, name = split_title(name) or ("", name)  # "Transport Minister Olwen Pryce"
            tagged.setdefault(name, set()).update(_role_words([role]))
    people_words = {w for name in tagged for w in name.split()}
    for name, titled in tagged.items():
        if name in found or len(name.split()) < 2 or any(name in other for other in found):
            continue
        forms = [name, name.split()[-1]]
        beside = descriptions(name, forms, text, people_words - set(name.split()))
        found[name] = (text.find(name), titled | _role_words(beside))
    return found


def _merged(speakers: Iterable[Speaker], renames: dict[str, str]) -> list[Speaker]:
    aliases: dict[str, dict[str, None]] = {}
    for speaker in speakers:
        name = renames.get(speaker.name, speaker.name)
        found = aliases.setdefault(name, {})
        # A person first quoted here is found by surname too, as the index does for others.
        surname = name.split()[-1:] if name != speaker.name else []
        for alias in (*speaker.aliases, speaker.name, *surname):
            if alias != name:
                found.setdefault(alias, None)
    return [Speaker(name, tuple(found)) for name, found in aliases.items()]
