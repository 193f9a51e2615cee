"""How an article describes each speaker beside their name, and the acronyms it defines.

"Andy Williams, chief executive of Powys Local Health Board", "Palace stadium manager Kevin
Corner", "A lawyer for the victims, Eduardo Contreras", "..., the campaign's director told
reporters. Curt Hopkins said": the words beside a name say who the person is, so a question
naming the role ("the Powys health board boss") can find them. Pure Python over the text:
stored with the speaker index at ingestion and read again at answer time (no model).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.nlp.lexicon import ROLE_NOUNS, words

_CAP_RUN = re.compile(
    r"((?:[A-Z][\w'&-]*\s+(?:(?:of|for|and|the|de|on)\s+)?){1,7})\(([A-Z]{2,7})\)")
_CUT = "\"“”‘’;:()[]"
WINDOW_WORDS = 8
MAX_MENTIONS = 6
MAX_DESCRIPTIONS = 8  # stored per speaker
_ARTICLES = frozenset({"a", "an", "the"})
_POSSESSIVES = frozenset({"his", "her", "their"})
_LINKS = frozenset({"of", "for", "to"})
# Nouns that describe a person by their tie to another: "his lawyer", "an ally of X".
_RELATIONS = words("""ally aide adviser advisor lawyer solicitor barrister attorney counsel
    agent manager coach spokesman spokeswoman spokesperson representative deputy assistant
    secretary wife husband widow partner girlfriend boyfriend fiancee fiance son daughter
    mother father brother sister friend colleague teammate team-mate rival biographer doctor
    confidant associate supporter critic successor predecessor boss employer""")
_DESCRIBING = ROLE_NOUNS | _RELATIONS


def defined_acronyms(text: str) -> dict[str, str]:
    """Acronyms the article defines in brackets after a capitalised name, casefolded:
    "Athletics Kenya (AK)" -> {"ak": "Athletics Kenya"}; only when the initials agree."""
    found: dict[str, str] = {}
    for match in _CAP_RUN.finditer(text):
        words = match.group(1).split()
        acronym = match.group(2)
        capitals = [w for w in words if w[:1].isupper()]
        for start in range(len(capitals)):
            tail = capitals[start:]
            if "".join(w[0] for w in tail).casefold() == acronym.casefold():
                found[acronym.casefold()] = " ".join(tail)
                break
    return found


def mention_windows(text: str, form: str) -> list[str]:
    """The words beside each of the first mentions of ``form``: the words before it in its
    clause ("Palace stadium manager", or "A lawyer for the victims" before ", Name,"), and
    an apposition or "of ..." after it ("Name, chief executive of X,")."""
    return [w for _, w in _windows_at(text, form)]


def _windows_at(text: str, form: str) -> list[tuple[int, str]]:
    """``mention_windows`` with where each mention starts."""
    windows: list[tuple[int, str]] = []
    at = text.find(form)
    while at >= 0 and len(windows) < 2 * MAX_MENTIONS:
        end = at + len(form)
        # A whole-word mention only: "Price" is not the start of "Prices".
        if not (at and text[at - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
            windows.append((at, _before(text[max(0, at - 160) : at])))
            windows.append((at, _after(text[end : end + 160])))
        at = text.find(form, end)
    return [(at, w) for at, w in windows if w]


def _before(left: str) -> str:
    left = left.rsplit("\n", maxsplit=1)[-1]  # never across a paragraph (or the title)
    pieces = re.split(r"[.!?]\s", left)
    if len(pieces) > 1 and not pieces[-1].strip():
        return _introduced(pieces[-2])
    stripped = pieces[-1].rstrip()
    if stripped.endswith(","):  # "A lawyer for the victims, Eduardo Contreras"
        stripped = stripped[:-1]
        stripped = re.split(r",", stripped)[-1]
    else:
        stripped = stripped.split(",")[-1]
    for mark in _CUT:
        stripped = stripped.split(mark)[-1]
    return " ".join(stripped.split()[-WINDOW_WORDS:])


def _introduced(previous: str) -> str:
    """A role that ends the sentence before one opening with the name: "..., the campaign's
    director told the BBC. Curt Hopkins said" (the role introduces the name)."""
    clause = previous.rsplit(",", maxsplit=1)[-1]
    for mark in _CUT:
        clause = clause.split(mark)[-1]
    words = clause.split()[:WINDOW_WORDS]
    return " ".join(words) if any(w.casefold() in ROLE_NOUNS for w in words) else ""


def _after(right: str) -> str:
    head = right.lstrip()
    if right.startswith(","):
        clause = right[1:].split(",", maxsplit=1)[0]
    elif re.match(r"\s+(?:of|from|at|for|with)\s", right):
        clause = re.split(r"[,.;:\"“”]", right)[0]
    elif right.startswith(" ("):
        clause = head[1:].split(")")[0]
    else:
        return ""
    clause = re.split(r"[.!?]\s|[\"“”]|\n", clause)[0]
    return " ".join(clause.split()[:WINDOW_WORDS + 2])


def descriptions(name: str, forms: list[str], text: str, others: set[str],
                 anchors: Sequence[str] = ()) -> list[str]:
    """What the article writes beside ``name`` (or another of its ``forms``) that says who
    they are, as aliases: descriptions with a role noun or a capitalised name, leading
    article dropped, each also with a defined acronym spelled out or shortened ("chief
    executive of the LPA" and "chief executive of the Lakeside Port Authority"). A window
    naming another speaker (``others``: their name words) is left out: it describes them,
    unless it names them as the anchor of a relation ("Kenteris' lawyer", "an ally of Gordon
    Brown"), kept as "lawyer of Kenteris". "His lawyer" is also read with "his" as the last
    of ``anchors`` (the article's people, full names) named before it."""
    acronyms = defined_acronyms(text)
    found: dict[str, None] = {}
    for form in forms:
        if not (form[:1].isupper() and len(form) >= 3):
            continue
        for at, window in _windows_at(text, form):
            words = window.strip(" ,").split()
            while words and words[0].casefold() in _ARTICLES:
                words.pop(0)
            if not _describes(words, name, others):
                continue
            plain = _flipped(words, others) or " ".join(words)
            for variant in (plain, _anchored(words, text[:at], anchors, name)):
                if variant:
                    found.setdefault(variant, None)
                    for spelled in _acronym_forms(variant, acronyms):
                        found.setdefault(spelled, None)
    return list(found)[:MAX_DESCRIPTIONS]


def _anchored(words: list[str], before: str, anchors: Sequence[str], name: str) -> str:
    """"His lawyer" as "lawyer of Kostas Kenteris": the possessive pronoun read as the person
    named last before the mention (never the speaker themself); "" when it opens with none."""
    if not words or words[0].casefold() not in _POSSESSIVES or len(words) < 2:
        return ""
    own = set(name.split())
    best, where = "", -1
    for anchor in anchors:
        if own & set(anchor.split()):
            continue
        at = max(before.rfind(anchor), before.rfind(anchor.split()[-1]))
        if at > where:
            best, where = anchor, at
    return f"{' '.join(words[1:])} of {best}" if best else ""


def _flipped(words: list[str], others: set[str]) -> str:
    """"Kenteris' lawyer" as "lawyer of Kenteris", "" when no other person's name opens the
    words as a possessive. Stored the other way round, the alias would start with the other
    person's name, and a lookup of that name by prefix would take it for theirs."""
    for i, word in enumerate(words[:-1]):
        bare = re.sub(r"(?:'s|’s|'|’)$", "", word)
        if bare not in others:
            return ""
        if bare != word:
            owner = " ".join([*words[:i], bare])
            return f"{' '.join(words[i + 1 :])} of {owner}"
    return ""


def _describes(words: list[str], name: str, others: set[str]) -> bool:
    own = set(name.split())
    while words and words[-1] in own:  # "Island councillor Fiona" before "Dunne"
        words.pop()
    if not words or not _others_only_anchor(words, others):
        return False
    role = any(w.casefold().strip(",.") in _DESCRIBING for w in words)
    return role or (len(words) >= 2 and any(w[:1].isupper() for w in words))


def _others_only_anchor(words: list[str], others: set[str]) -> bool:
    """True when no word names another person, or each that does is the anchor of a
    relation: possessive ("Kenteris' lawyer") or after "of", "for", "to" following a role
    or relation noun ("an ally of Gordon Brown"). "Lucy, Stephen Pound's daughter" seen from
    Pound's side opens with Lucy: hers, not his."""
    relation = False
    for i, word in enumerate(words):
        low = word.casefold().strip(",.")
        if low in _DESCRIBING:
            relation = True
        if word.strip(",.'’s") not in others:
            continue
        possessive = re.search(r"(?:'s|’s|'|’)$", word) is not None
        after_link = relation and i > 0 and any(
            w.casefold() in _LINKS for w in words[max(0, i - 3) : i])
        if not (possessive or after_link):
            return False
    return True


def _acronym_forms(text: str, acronyms: dict[str, str]) -> list[str]:
    forms = []
    for acronym, expansion in acronyms.items():
        upper = acronym.upper()
        if re.search(rf"\b{re.escape(upper)}\b", text):
            forms.append(re.sub(rf"\b{re.escape(upper)}\b", expansion, text))
        elif expansion in text:
            forms.append(text.replace(expansion, upper))
    return forms
