"""Which speaker of a story a phrase means: "the fed chairman", "ryanair's boss", "the guy
from Keyobs", "the IAAF spokesman Nick Davies".

Each speaker's *profile* is every way the article names them: their name and surname, the
aliases of the speaker index ("Federal Reserve chairman"), and the words the article writes
beside each mention of the name ("Andy Williams, chief executive of Powys Local Health Board";
"Palace stadium manager Kevin Corner"), with the acronyms the article defines ("Athletics
Kenya (AK)"). A phrase's words are scored against it, role words through a small lexicon and
abbreviations by prefix ("Fed" for "Federal") or initials. Pure Python over a stored article:
no model at answer time.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.models import Attribution, StoredArticle
from bot.nlp.descriptions import defined_acronyms, mention_windows
from bot.nlp.lexicon import ROLE_NOUNS
from bot.nlp.names import clean_display
from bot.question.rolewords import FILLER, PERSON_WORDS, same_role
from bot.question.typos import damerau
from bot.textutil import fold

# PyStemmer ships no type information: loaded by name and typed ``Any``.
_STEM: Any = importlib.import_module("Stemmer").Stemmer("english")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_GROUP_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})
_ANCHOR_PREPS = ("of", "for", "at", "from")
GROUP_PENALTY = 0.25  # "the guy from Bluewater" is a person of Bluewater, not Bluewater
MIN_PREFIX = 3
MIN_TYPO = 5  # words this long may be one edit from the article's
# What a word of the phrase earns: the speaker's own name, a word written beside them, a
# role of the same kind, an abbreviation, or merely a word found elsewhere in the story.
NAME, NEAR, ROLE, SHORT, STORY = 1.0, 1.0, 0.9, 0.8, 0.4
GENERIC_STORY = 0.8
HEAD_WEIGHT = 2.5


def stems(text: str) -> list[str]:
    """Casefolded word stems of ``text`` (Snowball English)."""
    return [str(s) for s in _STEM.stemWords(_WORD.findall(fold(text)))]


@functools.lru_cache(maxsize=4096)
def stem_set(text: str) -> frozenset[str]:
    """The distinct stems of ``text``, cached: one answer weighs the same sentences and
    quotes several times, and the stories a busy channel asks about repeat."""
    return frozenset(_STEM.stemWords(list(set(_WORD.findall(fold(text))))))


@dataclass(slots=True)
class Profile:
    """One speaker of one article and the words the article names them with."""

    name: str
    name_words: set[str] = field(default_factory=set)
    near: set[str] = field(default_factory=set)  # stems written beside the name, aliases
    raw: set[str] = field(default_factory=set)  # unstemmed words, for prefixes and initials
    quotes: int = 0
    members: frozenset[str] = frozenset()  # speaker names of the article that are this one
    group: bool = False  # an organisation, place or people, not a person


def same_person(name: str, speakers: Iterable[str]) -> frozenset[str]:
    """The article's speaker names that are ``name``'s person: a one-word name that is a word
    of exactly one longer name ("Ozzy" and "Ozzy Osbourne") is the same person."""
    names = [n for n in speakers if n]
    def longer(short: str) -> list[str]:
        return [n for n in names if len(n.split()) > 1 and short in n.split()]
    members = {name}
    if len(name.split()) == 1 and len(found := longer(name)) == 1:
        members.add(found[0])
    for other in names:
        if len(other.split()) == 1 and longer(other) == [name]:
            members.add(other)
    return frozenset(members)


def profiles(article: StoredArticle) -> list[Profile]:
    """A profile for every speaker the article quotes, most quoted first."""
    text = article.text
    acronyms = defined_acronyms(text)
    counts: dict[str, int] = {}
    for attribution in article.analysis.attributions:
        if attribution.speaker:
            counts[attribution.speaker] = counts.get(attribution.speaker, 0) + 1
    aliases = {s.name: s.aliases for s in article.analysis.speakers}
    groups = {e.text.casefold() for e in article.analysis.entities if e.label in _GROUP_LABELS}
    found = []
    for name, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        profile = Profile(name, set(stems(name)), quotes=count,
                          group=clean_display(name).casefold() in groups)
        profile.members = same_person(name, counts)
        forms = [name, *aliases.get(name, ())]
        for form in forms:
            _add(profile, form, acronyms)
        for form in forms:
            if form[:1].isupper() and len(form) >= 3:
                for window in mention_windows(text, form):
                    _add(profile, window, acronyms)
        found.append(profile)
    return found


def _add(profile: Profile, words: str, acronyms: dict[str, str]) -> None:
    raw = _WORD.findall(fold(words))
    profile.raw.update(raw)
    profile.near.update(_STEM.stemWords(raw))
    for acronym, expansion in acronyms.items():
        if acronym in raw:
            _add_plain(profile, expansion)
        elif fold(expansion) in fold(words):
            profile.raw.add(acronym)
            profile.near.add(acronym)


def _add_plain(profile: Profile, words: str) -> None:
    raw = _WORD.findall(fold(words))
    profile.raw.update(raw)
    profile.near.update(_STEM.stemWords(raw))


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """How well a phrase names a profile: ``score`` 0..1, ``named`` when a word of the phrase
    is the speaker's own name or is written beside it (not merely found in the story)."""

    score: float
    named: bool
    by_name: bool = False  # every word of the phrase is a word of the speaker's own name
    # The phrase's head noun names this speaker (by name, role or alias): "the Kremlin
    # spokesman" is headed by "spokesman", which the Kremlin itself is not.
    head: bool = True


@dataclass(frozen=True, slots=True)
class Phrase:
    """A speaker phrase read for matching: its informative words, the role noun it is headed
    by ("chairman" in "the education select committee chairman", "director" in "director of
    the campaign"), and whether it names a person generically ("the guy from Keyobs")."""

    words: tuple[str, ...]
    head: str | None
    generic: bool


def read_phrase(phrase: str) -> Phrase:
    """``phrase`` as a ``Phrase``."""
    raw = _WORD.findall(fold(phrase).replace("'s ", " "))
    generic = any(w in PERSON_WORDS for w in raw)
    words = tuple(w for w in raw if w not in FILLER and w not in PERSON_WORDS)
    head = None
    if not generic and words:
        # The head comes before the role's anchor: "director of the campaign", "spokesman
        # for the Kremlin", "analyst at UBS".
        cut = min((raw.index(p) for p in _ANCHOR_PREPS if p in raw), default=len(raw))
        heads = [w for w in raw[:cut] if w in words]
        head = heads[-1] if heads else words[-1]
    return Phrase(words, head, generic)


def match_phrase(phrase: Phrase, profile: Profile, story: frozenset[str]) -> PhraseMatch:
    """Score a phrase against one speaker; ``story`` holds the stems of the whole article.
    The head noun counts ``HEAD_WEIGHT`` times: "the committee chairman" is a chairman."""
    if not phrase.words:
        return PhraseMatch(0.0, False)
    total = weight = 0.0
    named, head = False, phrase.head is None
    for index, word in enumerate(phrase.words):
        value = _word_value(word, list(phrase.words[index + 1 :]), profile, story)
        if value == STORY and phrase.generic:
            value = GENERIC_STORY  # "the guy suing NBC": the words tell his story
        named = named or value >= SHORT
        head = head or (word == phrase.head and value >= SHORT)
        times = HEAD_WEIGHT if word == phrase.head else 1.0
        total += value * times
        weight += times
    score = total / weight
    if profile.group and (phrase.generic or _role_of(phrase, profile)):
        # "the guy from Bluewater", "the Kremlin spokesman": a person of the group, not the
        # group itself.
        score *= GROUP_PENALTY
        head = False
    by_name = all(_STEM.stemWord(w) in profile.name_words for w in phrase.words)
    return PhraseMatch(score, named, by_name, head)


def _role_of(phrase: Phrase, profile: Profile) -> bool:
    """The phrase is a person's role with this group's own name as its anchor ("the Kremlin
    spokesman", "the spokesman for the Kremlin"): the role's holder is asked about. (The group
    flag comes from the tagger, which takes some people for organisations: a role merely
    written beside such a "group", "his lawyer, Helena Stroud", does not count.)"""
    if phrase.head not in ROLE_NOUNS:
        return False
    return any(_STEM.stemWord(w) in profile.name_words for w in phrase.words if w != phrase.head)


def _word_value(word: str, following: list[str], profile: Profile,
                story: frozenset[str]) -> float:
    stem = _STEM.stemWord(word)
    if stem in profile.name_words:
        return NAME
    if stem in profile.near:
        return NEAR
    if profile.near & {_STEM.stemWord(w) for w in same_role(word)}:
        return ROLE
    if _abbreviates(word, following, profile.raw):
        return SHORT
    if len(word) >= MIN_TYPO and any(
        abs(len(w) - len(word)) <= 1 and w[:1] == word[:1] and damerau(word, w, 1) <= 1
        for w in profile.raw
    ):
        return SHORT  # "greenspn", "skiner": a name typed in a hurry (first letter kept)
    return STORY if stem in story else 0.0


def _abbreviates(word: str, following: list[str], raw: Iterable[str]) -> bool:
    """"fed" for "federal"; "athletics kenya" for "ak"; "iaaf" for a run of words with those
    initials is caught by ``defined_acronyms``."""
    pool = set(raw)
    if len(word) >= MIN_PREFIX and any(w.startswith(word) and len(w) > len(word) for w in pool):
        return True
    for size in (2, 3, 4):
        if len(following) >= size - 1:
            initials = word[0] + "".join(w[0] for w in following[: size - 1])
            if initials in pool:
                return True
    return False


def story_stems(article: StoredArticle) -> frozenset[str]:
    """Every word stem of the article's title and text."""
    return stem_set(article.text)


def topic_overlap(topic_stems: list[str], attribution: Attribution, sentence: str) -> float:
    """The share of the topic's stems found in a quote or the sentence that holds it."""
    if not topic_stems:
        return 0.0
    here = stem_set(attribution.text) | stem_set(sentence)
    return sum(1 for s in topic_stems if s in here) / len(topic_stems)
