"""Who a speaker mention refers to (the index of speakers is built in ``speakerindex``).

Resolution is deliberately simple and local (no coreference model): the article is read in
order, and a mention is resolved against what came before it. "He"/"she" -> the latest
main-clause subject nearby (``salience``), else the last person named; "it"/"the company"/"the
firm" -> the last organisation, a surname -> the full name seen
earlier, "the Kremlin spokesman" -> the person an apposition or a title gave that role
("Dmitry Peskov, spokesman for the Kremlin", "US commerce secretary Gina Raimondo").
spaCy objects are typed ``Any``: spaCy ships no type information mypy can use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.nlp import roles, salience
from bot.nlp.lexicon import (
    FEMININE_NAMES,
    FEMININE_PRONOUNS,
    HONORIFIC_GENDER,
    MASCULINE_NAMES,
    ORG_NOUNS,
    ORG_PRONOUNS,
    PERSON_DESCRIPTION_NOUNS,
    PERSON_PRONOUNS,
    ROLE_NOUNS,
    TITLES,
)
from bot.nlp.names import clean_display, normalise_name

__all__ = ["SpeakerResolver", "mention_span", "named_entities", "normalise_name"]

_LABEL_KINDS = {"PERSON": "person", "ORG": "org", "NORP": "place", "GPE": "place"}
_GENDER_LOOKBACK = 3  # names of unknown gender a pronoun may skip for one of its gender
# What a person is called besides a name: "Talk show host Jerry Springer" makes "the TV host"
# point back to him, "David Jason, the star of ..." makes "the star" do so.
_PERSON_NOUNS = ROLE_NOUNS | PERSON_DESCRIPTION_NOUNS
_MODIFIERS = frozenset({"det", "compound", "amod", "nmod", "nummod", "poss", "case", "npadvmod"})


def named_entities(doc: Any) -> list[Any]:
    """Spans of the people, organisations and places in ``doc``.

    Read from the token arrays: ``Doc.ents`` builds every token object in Python and cost
    more than the rest of attribution put together.
    """
    from spacy.attrs import ENT_IOB, ENT_TYPE
    from spacy.tokens import Span

    arr = doc.to_array([ENT_IOB, ENT_TYPE])
    strings = doc.vocab.strings
    spans: list[Any] = []
    start = -1
    label = ""
    for i, (iob, typ) in enumerate(arr.tolist()):
        if start >= 0 and iob != 1:  # 1 = inside: anything else ends the open entity
            spans.append(Span(doc, _first_name_start(doc, start, i), i, label=label))
            start = -1
        if iob == 3:  # 3 = beginning
            label = strings[typ]
            start = i if label in _LABEL_KINDS else -1
    if start >= 0:
        spans.append(Span(doc, _first_name_start(doc, start, len(doc)), len(doc), label=label))
    return spans


def _first_name_start(doc: Any, start: int, end: int) -> int:
    """Widen a name the tagger cut short ("Dmitry [Peskov]") over proper-noun compounds.

    Never over a title, a lower-case word or the tail of a hyphenated one: "President-elect
    Rodrigo Chaves" is Rodrigo Chaves, not "elect Rodrigo Chaves".
    """
    while (
        start > 0
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].dep_ == "compound"
        and start <= doc[start - 1].head.i < end
        and doc[start - 1].ent_iob_ == "O"
        and doc[start - 1].lower_.rstrip(".") not in TITLES
        and doc[start - 1].text[:1].isupper()
        and not (start > 1 and doc[start - 2].text in "-–" and not doc[start - 2].whitespace_)
    ):
        start -= 1
    return start


def _voted_kinds(ents: list[Any], first_line: int) -> dict[str, str]:
    """Person or organisation by majority over the body's mentions of a name's last word.

    The small model tags the same name differently from one sentence to the next
    ("Raimondo" ORG after "Gina Raimondo" PERSON; "US Kaspersky" PERSON in a title-case
    headline); a vote across the article settles it, a multi-word person name winning ties.
    """
    votes: dict[str, dict[str, float]] = {}
    for ent in ents:
        kind = _LABEL_KINDS.get(ent.label_)
        key = normalise_name(ent.text)
        if kind is None or not key or ent.start_char < first_line:
            continue
        tally = votes.setdefault(key.split()[-1], {})
        bonus = 0.5 if kind == "person" and " " in key else 0
        tally[kind] = tally.get(kind, 0) + 1 + bonus
    return {word: max(t, key=lambda k: t[k]) for word, t in votes.items()}


@dataclass(slots=True)
class _Named:
    position: int  # character offset of the mention
    name: str
    kind: str  # "person" | "org" | "place"
    words: tuple[str, ...]  # normalised words of ``name``


@dataclass(slots=True)
class SpeakerResolver:
    """Resolves mentions against names seen earlier in one article (build with ``from_doc``)."""

    named: list[_Named] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)  # name -> "m" | "f" when known
    pronoun_votes: dict[str, list[str | None]] = field(default_factory=dict)
    by_last: dict[str, list[_Named]] = field(default_factory=dict)  # last word -> names
    roles: dict[str, str] = field(default_factory=dict)  # normalised role phrase -> name
    aliases: dict[str, set[str]] = field(default_factory=dict)  # name -> other ways of naming
    chain: salience.SubjectChain = field(default_factory=salience.SubjectChain)

    @classmethod
    def from_doc(
        cls, doc: Any, text: str, quotes: Sequence[tuple[int, int]] = ()
    ) -> SpeakerResolver:
        """Index the named people and organisations of ``doc`` (over ``text``) and their roles.

        ``text`` is passed in because ``Doc.text`` rebuilds the string token by token;
        ``quotes`` (sorted character spans) hold the speakers' own words, which never set
        the topic a pronoun refers back to.
        """
        r = cls()
        spans = sorted(quotes)
        starts = [q[0] for q in spans]
        ents = named_entities(doc)
        first_line = text.find("\n", len(text) - len(text.lstrip()))  # the title's end
        kinds = _voted_kinds(ents, first_line)
        for ent in ents:
            kind = _LABEL_KINDS.get(ent.label_)
            if kind is None or ent.start_char < first_line:
                continue  # headline entities are unreliable in title case
            key = normalise_name(ent.text)
            kind = kinds.get(key.split()[-1] if key else "", kind)
            before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
            honorific = HONORIFIC_GENDER.get(before) if kind == "person" else None
            r._add(ent.start_char, ent.text, kind, honorific)
            if kind == "person":
                r._learn_roles(ent)
                r._learn_gender(honorific, ent)
        r.settle_genders()
        r._build_chain(doc, spans, starts)
        return r

    def _build_chain(self, doc: Any, spans: list[tuple[int, int]], starts: list[int]) -> None:
        """Add the people described and the he/she subjects, resolved in text order, to the
        chain of main-clause subjects that named people started."""
        self.chain.sentence_starts = [s.start_char for s in doc.sents]
        for tok in salience.subject_heads(doc):
            if not salience.quoted(tok.idx, spans, starts):
                subject = self._subject(tok)
                if subject is not None:
                    self.chain.add(subject)
        for tok in salience.pronoun_subjects(doc):
            if salience.quoted(tok.idx, spans, starts):
                continue
            avoid = salience.pronoun_gender_to_avoid(tok.lower_)
            name = self._pronoun(tok.idx, avoid)
            if name:
                fronted = not salience.main_subject(tok)
                self.chain.add(salience.Subject(tok.idx, name, fronted=fronted))

    def _subject(self, head: Any) -> salience.Subject | None:
        """A main-clause subject as a person of the chain, or None when it names no person:
        a name must be a person's or carry a title ("Mr Davies" is a person even where the
        tagger called "Quentin Davies" an organisation)."""
        mention = mention_span(head)
        name = self.resolve(mention, mention.start_char)
        if not name:
            return None
        fronted = not salience.main_subject(head)
        if head.pos_ != "PROPN":
            gender = salience.noun_gender(head.lemma_.lower())
            return salience.Subject(head.idx, name, gender, fronted)
        around = mention.doc[max(mention.start - 1, 0) : mention.end]
        titled = any(t.lower_.rstrip(".") in TITLES for t in around)
        # A name the chain already holds as a person ("her son, Usman Hasib,") stays one
        # where the tagger calls it an organisation.
        if titled or self.kind_of(name) == "person" or self.chain.holds(name):
            return salience.Subject(head.idx, name, fronted=fronted)
        return None  # "Suspicion fell on ...", "Skyrim is ...": no person

    def _pronoun(self, position: int, avoid: str) -> str | None:
        """A he/she: the latest main-clause subject nearby, else the last person named."""
        return self.chain.latest(position, avoid, self.gender) or self._last(
            "person", position, avoid=avoid
        )

    def _add(self, position: int, text: str, kind: str, gender: str | None = None) -> None:
        name = clean_display(text)
        if not name:
            return
        earlier = self.full_name(name, position, kind, gender)
        if earlier is not None:
            if earlier != name:
                self.aliases.setdefault(earlier, set()).add(name)
            name = earlier
        entry = _Named(position, name, kind, tuple(normalise_name(name).split()))
        self.named.append(entry)
        if entry.words:
            self.by_last.setdefault(entry.words[-1], []).append(entry)

    def full_name(
        self, mention: str, before: int, kind: str | None = None, gender: str | None = None
    ) -> str | None:
        """The earlier, longer name this mention abbreviates ("Peskov" -> "Dmitry Peskov").

        A known gender must agree: "Mrs. Clinton" is not "Bill Clinton".
        """
        key = normalise_name(mention)
        if not key:
            return None
        words = tuple(key.split())
        for n in reversed(self.by_last.get(words[-1], ())):
            if n.position >= before or (kind is not None and n.kind != kind):
                continue
            if gender is not None and self.gender.get(n.name, gender) != gender:
                continue
            full = n.words
            if full == words or (len(words) < len(full) and full[-len(words) :] == words):
                return n.name
        return self._first_name_of(words, before, kind) if len(words) == 1 else None

    def _first_name_of(self, words: tuple[str, ...], before: int, kind: str | None) -> str | None:
        """ "Nusaybah" after "Nusaybah Mohamed": a lone first name is the one person named
        earlier with it (never when two people share it, nor for an honorific's surname)."""
        if kind not in {None, "person"} or words[0] in HONORIFIC_GENDER:
            return None
        names = {
            n.name for n in self.named
            if n.position < before and n.kind == "person" and len(n.words) > 1
            and n.words[0] == words[0]
        }
        return names.pop() if len(names) == 1 else None

    def _learn_gender(self, honorific: str | None, ent: Any) -> None:
        """Gender of the name just added: its honorific ("Mrs. Clinton"), its first name, or
        the first he/she that follows it in its sentence ("Kelly Holmes ... her run")."""
        name = self.named[-1].name if self.named else ""
        words_ = normalise_name(name).split()
        first = words_[0] if len(words_) > 1 else ""
        guess = honorific or (
            "f" if first in FEMININE_NAMES else "m" if first in MASCULINE_NAMES else None
        )
        if guess:
            self.gender[name] = guess
        elif name not in self.gender:
            self.pronoun_votes.setdefault(name, []).append(_next_pronoun_gender(ent))

    def settle_genders(self) -> None:
        """Where no honorific or first name told, the pronouns after the name decide."""
        for name, votes in self.pronoun_votes.items():
            if name in self.gender:
                continue
            f, m = votes.count("f"), votes.count("m")
            if f != m:
                self.gender[name] = "f" if f > m else "m"

    def _learn_roles(self, ent: Any) -> None:
        """Roles from an apposition ("X, spokesman for Y,") or a title before the name."""
        name = self.full_name(ent.text, ent.start_char + 1) or clean_display(ent.text)
        head = ent.root
        for child in head.children:
            if child.dep_ == "appos" and child.lemma_.lower() in _PERSON_NOUNS:
                self._add_role(name, child)
        if head.dep_ == "appos" and head.head.lemma_.lower() in _PERSON_NOUNS:
            self._add_role(name, head.head, exclude=head)
        role = roles.role_holding(head)
        if role is not None:  # "A spokeswoman for Kaspersky, Maria Ivanova,"
            self._add_role(name, role, exclude=head)
        # "US commerce secretary Gina Raimondo": the title's words before the name.
        title = [t for t in ent.doc[head.left_edge.i : ent.start] if t.dep_ in {"compound", "amod"}]
        if title and title[-1].pos_ == "NOUN" and title[-1].lemma_.lower() in _PERSON_NOUNS:
            self._index_role(name, " ".join(t.text for t in title), title[-1].text)

    def _index_role(self, name: str, phrase: str, head: str) -> None:
        """Every form of a role ("US commerce secretary", "commerce secretary", "the
        secretary") resolves to ``name`` and names them in the speaker index."""
        aliases = self.aliases.setdefault(name, set())
        aliases.add(phrase)
        for form in roles.role_forms(phrase, head):
            self.roles.setdefault(normalise_name(form), name)
            aliases.add(form if " " in form else f"the {form}")

    def _add_role(self, name: str, role: Any, exclude: Any = None) -> None:
        skip = set() if exclude is None else {t.i for t in exclude.subtree}
        toks = [t for t in role.subtree if t.i not in skip and not t.is_punct]
        self._index_role(name, " ".join(t.text for t in toks), role.text)
        # "spokesman for the Kremlin" also reads "the Kremlin spokesman".
        for prep in roles.role_preps(role):
            obj = " ".join(
                t.text for t in prep.subtree
                if t.i not in skip and t.i != prep.i and t.dep_ != "det" and not t.is_punct
            )
            flipped = f"the {obj} {role.text}"
            self.roles.setdefault(normalise_name(flipped), name)
            self.aliases[name].add(flipped)

    def resolve(self, mention: Any, position: int) -> str | None:
        """The name a speaker mention (a spaCy Span) stands for, or None when unknown."""
        head = mention.root
        low = head.lower_
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS:
            if low in PERSON_PRONOUNS:
                avoid = salience.pronoun_gender_to_avoid(low)
                name = self._pronoun(position, avoid)
                self._learn_from_pronoun(name, low)
                return name
            if low in ORG_PRONOUNS:
                return self._last("org", position)
            return None
        text = mention.text
        if head.pos_ == "PROPN" or head.ent_type_:
            doc = mention.doc
            before = doc[mention.start - 1].lower_ if mention.start > 0 else ""
            gender = HONORIFIC_GENDER.get(mention[0].lower_) or HONORIFIC_GENDER.get(before)
            return self.full_name(text, position + len(text), gender=gender) or clean_display(
                text
            )
        named = roles.appositive_name(head)
        if named:  # "the company's owner, Tom Brown,"
            return self.full_name(named, position + len(text)) or named
        key = normalise_name(text)
        if key in self.roles:
            return self.roles[key]
        lemma = head.lemma_.lower()
        # "the company" points back; "the Russian government" names itself.
        if lemma in ORG_NOUNS and _bare_description(mention, head):
            return self._last("org", position) or clean_display(text)
        if lemma in _PERSON_NOUNS and mention[0].lower_ == "the":
            return self.roles.get(lemma) or clean_display(text)
        return clean_display(text)

    def kind_of(self, name: str) -> str | None:
        """ "person", "org" or "place" for a name the article tagged, else None."""
        return next((n.kind for n in self.named if n.name == name), None)

    def _last(self, kind: str, position: int, avoid: str | None = None) -> str | None:
        """The last name of ``kind`` before ``position``, skipping a known ``avoid`` gender.

        With a gender to match, a recent name known to have it beats a later one of unknown
        gender ("Alice Moore met Bob Taylor. ... she replied" is Alice).
        """
        unknown: str | None = None
        seen: set[str] = set()
        for n in reversed(self.named):
            if n.position >= position or n.kind != kind:
                continue
            gender = self.gender.get(n.name)
            if avoid is None or (gender is not None and gender != avoid):
                return n.name
            if gender is None:
                unknown = unknown or n.name
            seen.add(n.name)
            if unknown is not None and len(seen) > _GENDER_LOOKBACK:
                break
        return unknown

    def _learn_from_pronoun(self, name: str | None, pronoun: str) -> None:
        """ "he said" resolved to a name of unknown gender tells its gender from then on."""
        if name is not None and name not in self.gender:
            self.gender[name] = "f" if pronoun in FEMININE_PRONOUNS else "m"


def _next_pronoun_gender(ent: Any, window: int = 12) -> str | None:
    """ "m" or "f" from the first he/his/him or she/her within a few words after ``ent``,
    stopping at another person's name or the end of the sentence."""
    doc = ent.doc
    for tok in doc[ent.end : min(ent.end + window, len(doc))]:
        if tok.is_sent_start or tok.ent_type_ == "PERSON":
            return None
        low = tok.lower_
        if low in {"he", "his", "him", "himself"}:
            return "m"
        if low in {"she", "her", "hers", "herself"}:
            return "f"
    return None


def _bare_description(mention: Any, head: Any) -> bool:
    """ "the company", "this cybersecurity firm": a determiner and common nouns only."""
    if mention[0].lower_ not in {"the", "this", "that"}:
        return False
    return all(t.pos_ in {"DET", "NOUN"} for t in mention if t.i != head.i)




def mention_span(head: Any) -> Any:
    """The words naming a speaker whose head token is ``head``: the named entity, or the noun
    with its modifiers."""
    doc = head.doc
    if head.ent_iob_ != "O" and head.pos_ == "PROPN":
        start, end = head.i, head.i + 1
        while start > 0 and doc[start].ent_iob_ == "I" and doc[start - 1].lower_ != "the":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].tag_ != "POS":
            end += 1
        return doc[start:end]
    start = head.i
    for left in reversed(list(head.lefts)):
        # Whole modifiers ("The Paris-based IEA watchdog"), up to the first gap or comma.
        if left.dep_ not in _MODIFIERS or left.right_edge.i != start - 1:
            break
        if any(t.text == "," for t in doc[left.left_edge.i : start]):
            break
        start = left.left_edge.i
    end = head.i + 1
    for right in head.rights:
        if right.dep_ not in {"flat", "compound"} or right.i != end:
            break
        end = right.i + 1
    return doc[start:end]
