"""Names as the article writes them and as they are looked up: normalised keys, display forms.

Pure Python (no model): the catalogue stores and looks up speaker names with ``normalise_name``.
"""

from __future__ import annotations

import functools
import re

from bot.nlp.lexicon import TITLES

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)
def normalise_name(s: str) -> str:
    """Lookup key for a name: casefolded, possessive, titles, punctuation and "the" removed.

    >>> normalise_name("Mr. Peskov's")
    'peskov'
    """
    s = _POSSESSIVE.sub("", s.strip())
    s = _NON_WORD.sub(" ", s.replace("’", "'")).casefold()
    words = [w for w in _SPACES.split(s) if w]
    while len(words) > 1 and (words[0] in TITLES or words[0] == "the"):
        words.pop(0)
    return " ".join(words)


def clean_display(s: str) -> str:
    """A name for display: possessive dropped, spaces collapsed, "the" dropped before a name."""
    s = _POSSESSIVE.sub("", _SPACES.sub(" ", s.strip()))
    rest = s[4:]
    if s.lower().startswith("the ") and all(w[:1].isupper() for w in rest.split()):
        return rest
    return s
