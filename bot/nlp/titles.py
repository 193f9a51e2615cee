"""Titles the tagger glued to a name: "Chief Executive Satya Nadella", "Prof Gavin Yamey",
"Coach Dieter Hahn" are Satya Nadella, Gavin Yamey and Dieter Hahn, who hold those roles.

The tagger often takes a capitalised title before a name as part of the name. Left there, the
speaker is "Coach Dieter Hahn": the answer shows the title as a first name, and the role is
not an alias a question can find ("what did the coach say"). Pure Python over the names the
attribution step produced; run once per article at ingestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.models import Attribution, Speaker
from bot.nlp.lexicon import ROLE_NOUNS, words

# Capitalised words that, before a name, are a title or part of one. Honorifics ("Mr",
# "Sir") are part of how a name is written and stay; ``normalise_name`` drops them for lookup.
TITLE_WORDS = ROLE_NOUNS | words(
    """prof professor dr doctor coach boss head captain skipper striker forward midfielder
    defender goalkeeper keeper winger inspector superintendent constable detective sergeant
    officer commander commissioner bishop archbishop rabbi imam cardinal editor presenter
    singer frontman frontwoman guitarist drummer chef judge justice prosecutor solicitor
    barrister counsel councillor mp mep deputy vice acting assistant senior shadow former
    interim executive managing chief lead principal headteacher headmaster headmistress
    chairperson secretary-general sen senator rep gov mayor gen col lt maj adm pres premier
    rev reverend producer founder owner trainer physio umpire referee ambassador"""
)
# Royal and religious styles ("Prince Charles", "Sister Wendy") are how the name is written.
HONORIFICS = words("""mr mrs ms miss sir dame lord lady king queen prince princess sheikh emir
    pope father sister brother""")
# Abbreviated titles, spelled out for the role alias ("Prof" -> "professor").
_SPELLED = {"prof": "professor", "dr": "doctor", "gen": "general", "col": "colonel",
            "lt": "lieutenant", "maj": "major", "adm": "admiral", "sen": "senator",
            "rep": "representative", "gov": "governor", "pres": "president",
            "rev": "reverend", "supt": "superintendent", "det": "detective"}


def _key(word: str) -> str:
    return word.casefold().rstrip(".")


def split_title(name: str) -> tuple[str, str] | None:
    """``(role, name)`` when ``name`` opens with a capitalised title: "Chief Executive Satya
    Nadella" -> ("chief executive", "Satya Nadella"); None when it holds no such title.

    The title runs up to the last title word before the name; every word of it is
    capitalised. Two words of the name are left, or the title has two words: "Dean Martin"
    or "General Motors" is no title and a name. A title of honorifics alone ("Sir Alex
    Ferguson") is part of the name.
    """
    parts = name.split()
    last = -1
    for i, word in enumerate(parts[:-1]):
        if not word[:1].isupper():
            return None
        if _key(word) in TITLE_WORDS:
            last = i
    if last < 0:
        return None
    title, rest = parts[: last + 1], parts[last + 1 :]
    if all(_key(w) in HONORIFICS for w in title) or not all(w[:1].isupper() for w in rest):
        return None
    if len(rest) < 2 and len(title) < 2:
        return None
    role = " ".join(_SPELLED.get(_key(w), w.casefold()) for w in title
                    if _key(w) not in HONORIFICS)
    return role, " ".join(rest)


def unglue(
    attributions: Sequence[Attribution], speakers: Sequence[Speaker], people: Iterable[str]
) -> tuple[list[Attribution], list[Speaker]]:
    """Attributions and speakers with each glued title taken off a person's name (``people``:
    the names tagged as persons, with or without the title) and kept as an alias (the role,
    and the name as first written). Two speakers left with one name are one: "Coach Dieter
    Hahn" and "Dieter Hahn" are the same man."""
    persons = set(people)
    renames: dict[str, tuple[str, str]] = {}
    for name in {a.speaker for a in attributions if a.speaker} | {s.name for s in speakers}:
        found = split_title(name)
        # A person by the tag on the whole or on the name the title is taken off.
        if found is not None and persons & {name, found[1]}:
            renames[name] = found
    if not renames:
        return list(attributions), list(speakers)
    moved = [replace(a, speaker=renames[a.speaker][1]) if a.speaker in renames else a
             for a in attributions]
    return moved, _merged(speakers, renames)


def _merged(speakers: Iterable[Speaker], renames: dict[str, tuple[str, str]]) -> list[Speaker]:
    aliases: dict[str, dict[str, None]] = {}
    for speaker in speakers:
        role, name = renames.get(speaker.name, ("", speaker.name))
        found = aliases.setdefault(name, {})
        extra = (speaker.name, role, f"the {role}") if role else ()
        for alias in (*speaker.aliases, *extra):
            if alias and alias != name:
                found.setdefault(alias, None)
    return [Speaker(name, tuple(found)) for name, found in aliases.items()]
