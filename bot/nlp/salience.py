"""Who "he" or "she" stands for: the person the last main clauses were about.

The last person *named* is often the wrong one: "When he refused to support prime minister
Harold Wilson ..., he said: ..." is not Wilson speaking, and "Mr Hain told the programme that
Mr Howard's stance ... He then accused ..." is Hain. News prose keeps its topic in the subject
of the main clause and refers back to it with a pronoun, so a pronoun first looks for the
latest main-clause subject (a name, a person described — "A spokesman for the press said ...
He added" —, or an earlier pronoun already resolved) in its own sentence and the two before it.
Mentions inside quotation marks are the speaker's words, not the article's topic: skipped.

spaCy objects are typed ``Any``: spaCy ships no type information mypy can use.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.nlp.lexicon import (
    FEMININE_NOUNS,
    FEMININE_PRONOUNS,
    MASCULINE_NOUNS,
    PERSON_DESCRIPTION_NOUNS,
    ROLE_NOUNS,
)

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
SUBJECT_PRONOUNS = frozenset({"he", "she"})
_WINDOW = 2  # sentences before the pronoun's own that may hold its antecedent


@dataclass(frozen=True, slots=True)
class Subject:
    """A person in main-clause subject position: where, who, and their gender if known."""

    position: int
    name: str
    gender: str | None = None
    # The subject of a clause before the main verb ("where Mr Rubio began ..., he showed"):
    # an antecedent only for a pronoun of the same sentence.
    fronted: bool = False


@dataclass(slots=True)
class SubjectChain:
    """Main-clause subjects of one article in text order, with its sentence starts."""

    sentence_starts: list[int] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)

    def add(self, subject: Subject) -> None:
        """Record a subject (kept sorted by position)."""
        i = bisect.bisect_right(self.positions, subject.position)
        self.positions.insert(i, subject.position)
        self.subjects.insert(i, subject)

    def holds(self, name: str) -> bool:
        """Whether ``name`` is already a subject of the chain (so a person)."""
        return any(s.name == name for s in self.subjects)

    def latest(self, position: int, avoid: str | None, gender_of: dict[str, str]) -> str | None:
        """The latest subject before ``position`` within the window, not of gender ``avoid``."""
        sent = max(bisect.bisect_right(self.sentence_starts, position) - 1, 0)
        here = self.sentence_starts[sent] if self.sentence_starts else 0
        floor = self.sentence_starts[max(sent - _WINDOW, 0)] if self.sentence_starts else 0
        for i in range(bisect.bisect_left(self.positions, position) - 1, -1, -1):
            s = self.subjects[i]
            if s.position < floor:
                break
            if s.fronted and s.position < here:
                continue
            gender = s.gender or gender_of.get(s.name)
            if avoid is None or gender != avoid:
                return s.name
        return None


def fronted_subject(tok: Any) -> bool:
    """The subject of a clause that comes before the main verb: "In Miami, where Mr Rubio
    began his career, he ...", "When he refused ..., he said"."""
    if tok.dep_ not in SUBJECT_DEPS or any(c.dep_ == "conj" for c in tok.children):
        return False
    root = tok
    for _ in range(12):
        if root.head.i == root.i:
            break
        root = root.head
    return bool(root.i > tok.i and not main_subject(tok))


def main_subject(tok: Any) -> bool:
    """The subject of the sentence's main verb (or of a verb conjoined to it), one person:
    "he" never stands for "Blair and Brown"."""
    if tok.dep_ not in SUBJECT_DEPS or any(c.dep_ == "conj" for c in tok.children):
        return False
    verb = tok.head
    for _ in range(4):
        if verb.dep_ != "conj":
            break
        verb = verb.head
    return bool(verb.dep_ == "ROOT")


def quoted(position: int, quotes: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether ``position`` lies inside one of ``quotes`` (sorted; ``starts`` their starts)."""
    i = bisect.bisect_right(starts, position) - 1
    return i >= 0 and quotes[i][0] <= position < quotes[i][1]


def subject_heads(doc: Any) -> Iterable[Any]:
    """Head tokens of subjects (of the main clause or a clause before it) that may name a
    person: proper nouns (the small model leaves many names untagged: "Lord Callaghan", "Mr
    Davies") and singular person descriptions ("A spokesman for the press said"). Read from
    the token arrays, so the many other tokens are never built as Python objects."""
    from spacy.attrs import DEP, ENT_IOB, POS, TAG

    strings = doc.vocab.strings
    deps = {strings[d] for d in SUBJECT_DEPS}
    nn, propn = strings["NN"], strings["PROPN"]
    for i, (dep, pos, tag, iob) in enumerate(doc.to_array([DEP, POS, TAG, ENT_IOB]).tolist()):
        if dep not in deps or not (pos == propn or (tag == nn and iob == 2)):  # 2 = no entity
            continue
        tok = doc[i]
        lemma = tok.lemma_.lower()
        if pos != propn and lemma not in ROLE_NOUNS and lemma not in PERSON_DESCRIPTION_NOUNS:
            continue
        if main_subject(tok) or fronted_subject(tok):
            yield tok


def pronoun_subjects(doc: Any) -> Iterable[Any]:
    """He and she as subjects of the main clause or of a clause before it, in text order."""
    from spacy.attrs import DEP, LOWER

    strings = doc.vocab.strings
    deps = {strings[d] for d in SUBJECT_DEPS}
    pronouns = {strings[p] for p in SUBJECT_PRONOUNS}
    for i, (dep, lower) in enumerate(doc.to_array([DEP, LOWER]).tolist()):
        if dep in deps and lower in pronouns:
            tok = doc[i]
            if main_subject(tok) or fronted_subject(tok):
                yield tok


def noun_gender(lemma: str) -> str | None:
    """ "f" for "spokeswoman", "m" for "spokesman", else None."""
    return "f" if lemma in FEMININE_NOUNS else "m" if lemma in MASCULINE_NOUNS else None


def pronoun_gender_to_avoid(pronoun: str) -> str:
    """The gender a pronoun cannot stand for."""
    return "m" if pronoun in FEMININE_PRONOUNS else "f"
