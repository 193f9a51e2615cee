"""Roles people hold, read off the parse: "spokesman for the Kremlin", "A spokeswoman for
Kaspersky, Maria Ivanova", and the shorter forms a role goes by ("the spokesman").

spaCy objects are typed ``Any``: spaCy ships no type information mypy can use.
"""

from __future__ import annotations

from typing import Any

from bot.nlp.lexicon import ROLE_NOUNS
from bot.nlp.names import normalise_name

_ARTICLES = frozenset({"a", "an", "the"})


def appositive_name(head: Any) -> str | None:
    """The proper name in apposition to a common noun, if any.

    "A spokeswoman for Kaspersky, Maria Ivanova," counts too: the parser hangs the name on
    the role's object, and an organisation's apposition is no person.
    """
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return proper_name(child)
    if head.lemma_.lower() not in ROLE_NOUNS:
        return None
    for obj in role_objects(head):
        for child in obj.children:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                return proper_name(child)
    return None


def role_holding(name: Any) -> Any | None:
    """The role noun whose object a person's name is in apposition to, else None."""
    obj = name.head
    if name.dep_ != "appos" or obj.dep_ != "pobj" or obj.head.dep_ != "prep":
        return None
    role = obj.head.head
    return role if role.lemma_.lower() in ROLE_NOUNS and role.pos_ == "NOUN" else None


def role_preps(role: Any) -> list[Any]:
    """The "for", "of" and "at" after a role noun ("spokesman for the Kremlin")."""
    return [c for c in role.children if c.dep_ == "prep" and c.lower_ in {"for", "of", "at"}]


def role_objects(role: Any) -> list[Any]:
    """The objects of ``role_preps`` ("the Kremlin" of "spokesman for the Kremlin")."""
    return [o for p in role_preps(role) for o in p.children if o.dep_ == "pobj"]


def proper_name(tok: Any) -> str:
    doc = tok.doc
    start = tok.i
    while start > tok.left_edge.i and doc[start - 1].pos_ == "PROPN":
        start -= 1
    return str(doc[start : tok.i + 1].text)


def role_forms(phrase: str, head: str) -> list[str]:
    """A role phrase and its shorter forms holding the head, article dropped and case kept
    ("a spokesman for the White House" -> "spokesman for the White House", "spokesman"; "US
    commerce secretary" -> "commerce secretary", "secretary")."""
    words = phrase.split()
    while len(words) > 1 and words[0].lower() in _ARTICLES:
        words.pop(0)
    keys = [normalise_name(w) for w in words]
    head_key = normalise_name(head)
    if head_key not in keys:
        return [" ".join(words)]
    cut = keys.index(head_key)
    tails = [" ".join(words[i:]) for i in range(cut + 1)]
    heads = [" ".join(words[i : cut + 1]) for i in range(cut + 1)]
    return list(dict.fromkeys(tails + heads))
