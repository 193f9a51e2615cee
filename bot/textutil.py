"""Small text helpers shared by the engine (no NLP model)."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_TITLES = re.compile(
    r"^(?:the |mr\.? |mrs\.? |ms\.? |dr\.? |prof\.? |sir |president |senator |sen\.? |"
    r"secretary |minister |prime minister |chancellor |governor |gov\.? |rep\.? )+"
)


def fold(text: str) -> str:
    """Case- and quote-insensitive form for matching user words against article text."""
    normal = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(normal.split())


def speaker_key(name: str) -> str:
    """A speaker name as users type it, reduced for lookup: no titles, no possessive."""
    key = fold(name).strip(" .,;:!?\"'")
    key = re.sub(r"'s$", "", key)
    return _TITLES.sub("", key).strip()


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters and digits in any script)."""
    return re.findall(r"\w+", fold(text))
