"""Named entities and keywords of a parsed article, for the catalogue's search index.

Entities are counted per article after normalising the surface form ("the Kremlin's" and
"Kremlin" are one entity; a bare surname counts for the full name seen in the same article).
Keywords are the most frequent content lemmas, with the title's words counting double: cheap,
stable, and good enough to route "news about Kaspersky" to the right stories.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bot.models import Entity

ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
MAX_ENTITIES = 30
MAX_KEYWORDS = 8

_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_SPACES = re.compile(r"\s+")
_KEYWORD_POS = frozenset({"NOUN", "PROPN"})
_MIN_KEYWORD_LEN = 3


def normalise_entity(text: str) -> str:
    """``"the Kremlin's"`` -> ``"Kremlin"``: no leading article, possessive or odd spacing."""
    text = _SPACES.sub(" ", text).strip(" \t\n\"“”‘’'.,;:()")
    text = _POSSESSIVE.sub("", text)
    return _LEADING_THE.sub("", text).strip()


def extract_entities(doc: Any) -> tuple[Entity, ...]:
    """Entities of interest, counted, most frequent first (ties: first seen first)."""
    counts: Counter[tuple[str, str]] = Counter()
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        name = normalise_entity(ent.text)
        if name:
            counts[(name, ent.label_)] += 1  # Counter keeps first-seen order for ties
    _fold_surnames(counts)
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return tuple(Entity(text, label, count) for (text, label), count in ranked[:MAX_ENTITIES])


def _fold_surnames(counts: Counter[tuple[str, str]]) -> None:
    """Count "Peskov" for "Dmitry Peskov" when the article names exactly one such person."""
    full_names: dict[str, list[str]] = {}
    for name, label in counts:
        parts = name.split()
        if label == "PERSON" and len(parts) > 1:
            full_names.setdefault(parts[-1], []).append(name)
    for (name, label), count in list(counts.items()):
        owners = full_names.get(name, [])
        if label == "PERSON" and " " not in name and len(owners) == 1:
            counts[(owners[0], "PERSON")] += count
            del counts[(name, label)]


def extract_keywords(doc: Any, title_end: int) -> tuple[str, ...]:
    """The most frequent entity names and noun lemmas, for the search index.

    Mentions before ``title_end`` (the title) count double; a multi-word name stays one
    keyword ("united states").
    """
    counts: Counter[str] = Counter()
    in_entity: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in ENTITY_LABELS:
            in_entity.update(range(ent.start, ent.end))
            name = normalise_entity(ent.text).lower()
            if len(name) >= _MIN_KEYWORD_LEN:
                counts[name] += 2 if ent.start_char < title_end else 1
    for tok in doc:
        if tok.i in in_entity or tok.pos_ not in _KEYWORD_POS:
            continue
        if tok.is_stop or not tok.is_alpha:
            continue
        lemma = (tok.text if tok.pos_ == "PROPN" else tok.lemma_).lower()
        if len(lemma) >= _MIN_KEYWORD_LEN:
            counts[lemma] += 2 if tok.idx < title_end else 1
    return tuple(word for word, _ in counts.most_common(MAX_KEYWORDS))
