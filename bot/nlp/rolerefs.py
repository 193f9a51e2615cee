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


_LINKS = frozenset({"of", "for", "at", "to"})


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'").replace("'s ", " "))


def _role_phrases(aliases: Iterable[str]) -> list[tuple[str, frozenset[str]]]:
    """The roles in ``aliases``: each head role word with all the words of its alias. A role
    word is a head when it ends the alias or a preposition follows ("chief executive of the
    LPA"): in "premier insisted Mr" it is someone else's subject, not this person's role."""
    found = []
    for alias in aliases:
        found_words = _words(alias)
        for i, word in enumerate(found_words):
            if word in _ROLE_WORDS and (i == len(found_words) - 1 or found_words[i + 1] in _LINKS):
                found.append((word, frozenset(found_words)))
    return found


def _holds(phrases: list[tuple[str, frozenset[str]]], head: str, rest: set[str]) -> bool:
    """Whether one of a person's roles is ``head`` with every other word of the bare role:
    "the finance minister" is held by a "Scottish Finance Minister", not a "health minister"."""
    return any(h == head and rest <= words_ for h, words_ in phrases)


def resolve_roles(
    attributions: Sequence[Attribution], speakers: Sequence[Speaker], text: str,
    entities: Iterable[Entity],
) -> tuple[list[Attribution], list[Speaker]]:
    """Each bare-role speaker given to the one person described with its role (the role's
    head and its other words) and named before its first quote; the role joins that person's
    aliases."""
    if not any(bare_role(s.name) for s in speakers):
        return list(attributions), list(speakers)  # the common case: nothing to read
    people = _described_people(speakers, text, entities)
    renames: dict[str, str] = {}
    for speaker in speakers:
        head = bare_role(speaker.name)
        if head is None:
            continue
        rest = set(_words(speaker.name)) - {"the", head}
        first = min((a.start for a in attributions if a.speaker == speaker.name), default=-1)
        holders = _one_each([name for name, (at, roles) in people.items()
                             if 0 <= at < first and _holds(roles, head, rest)])
        if len(holders) == 1:
            renames[speaker.name] = holders[0]
    if not renames:
        return list(attributions), list(speakers)
    moved = [replace(a, speaker=renames[a.speaker]) if a.speaker in renames else a
             for a in attributions]
    return moved, _merged(speakers, renames)


def _one_each(names: list[str]) -> list[str]:
    """One name per person: "Mr Brown" and "Gordon Brown" are one (the longer name kept)."""
    by_surname: dict[str, str] = {}
    for name in names:
        surname = name.split()[-1]
        if len(name) > len(by_surname.get(surname, "")):
            by_surname[surname] = name
    return list(by_surname.values())


def _described_people(
    speakers: Sequence[Speaker], text: str, entities: Iterable[Entity]
) -> dict[str, tuple[int, list[tuple[str, frozenset[str]]]]]:
    """Each person (a speaker with a name, or a person the article tags) with where they are
    first named and the roles written beside them or in their aliases. A "name" ending in a
    role word ("Scottish Finance Minister") is a title the tagger took for a name: left out."""
    found: dict[str, tuple[int, list[tuple[str, frozenset[str]]]]] = {}
    for speaker in speakers:
        if _named(speaker.name) and speaker.name in text:
            found[speaker.name] = (text.find(speaker.name), _role_phrases(speaker.aliases))
    tagged: dict[str, list[str]] = {}
    for entity in entities:
        if entity.label == "PERSON":
            name = clean_display(entity.text)
            role, name = split_title(name) or ("", name)  # "Transport Minister Olwen Pryce"
            tagged.setdefault(name, []).append(role)
    people_words = {w for name in tagged for w in name.split()}
    for name, titles in tagged.items():
        if name in found or len(name.split()) < 2 or any(name in other for other in found):
            continue
        if not _named(name):
            continue
        forms = [name, name.split()[-1]]
        beside = descriptions(name, forms, text, people_words - set(name.split()))
        found[name] = (text.find(name), _role_phrases([*titles, *beside]))
    return found


def _named(name: str) -> bool:
    """A person's name: capitalised, neither a bare role nor ending in a role word."""
    return (name[:1].isupper() and bare_role(name) is None
            and name.rsplit(maxsplit=1)[-1].casefold() not in _ROLE_WORDS)


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
