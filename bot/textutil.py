"""Small text helpers shared by the engine and the CLI (no NLP model)."""

from __future__ import annotations

import re
import unicodedata

from bot.messages import Answer

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


# Character-class bodies shared by the text filters, so they agree on what a control is.
# C0 and C1 controls other than white space (tab, line feed, vertical tab, form feed, carriage
# return), DEL included.
NON_SPACE_CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x9f"
# Bidi embedding, override and isolate controls: they reorder what is shown after them.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_UNPRINTABLE = re.compile(f"[{NON_SPACE_CONTROLS}\x0b-\x0d{BIDI_CONTROLS}]")
_C1 = re.compile(f"[\x7f-\x9f{BIDI_CONTROLS}]")


def terminal_safe(text: str) -> str:
    """``text`` for a terminal: control characters (escape sequences, bell, carriage return)
    and bidi overrides shown as ``?``; tabs and newlines kept."""
    return _UNPRINTABLE.sub("?", text)


def json_safe(document: str) -> str:
    """JSON text (``ensure_ascii=False``) with DEL, C1 controls and bidi overrides escaped
    as ``\\uXXXX`` too; ``json`` escapes only C0 controls. They can only occur inside
    strings, so the document stays valid and decodes to the same value."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def listing_text(answer: Answer) -> str:
    """A ``list`` answer (``newsbot digest list``, ``newsbot feeds list``) as terminal text:
    the lead, then each card's title and body and its fields, which the console renderer does
    not show."""
    lines = [answer.lead]
    for card in answer.cards:
        lines.append(f"{card.title}  ({card.body})" if card.body else card.title)
        lines.extend(f"    {name}: {value}" for name, value in card.fields)
    return "\n".join(lines)
