"""Recognise a news site's furniture around an article: share and newsletter lines, and the
lists of other stories ("Recent Stories", "Related") whose teasers follow the article.

A list heading ends the article: from it (and from any share or newsletter lines just before it)
on, everything is furniture. A share or newsletter line followed only by furniture also ends
the article; inside the article such a line is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_PUNCT_EDGES = " \t:;.,!-–—|>»«<*#•·→"
_NOUNS = r"(stories|story|articles|news|content|topics|links|coverage|reads|reading|posts)"
_HEADING = re.compile(
    rf"(?:(?:recent|related|more|latest|top|popular|trending|other|similar) {_NOUNS}"
    r"|related|you (?:may|might) also like|read more|most (?:read|popular|viewed)"
    r"|more on this story|see also|also read|further reading|in other news)"
)
_SHARE = re.compile(
    r"(?:share(?: (?:this|story|article|this story|this article|this page|via \w+|on \w+"
    r"(?: (?:and|or) \w+)*))?"
    r"|(?:sign up|subscribe|register)(?: (?:to|for|now for))?(?: our| the| a)?(?: \w+)?"
    r" newsletters?\b.*"
    r"|newsletters?(?: sign ?-?up)?|subscribe(?: now)?|follow us(?: on .*)?"
    r"|(?:print|email) (?:this )?(?:story|article|page)|tweet|click to share.*)"
)
MAX_FURNITURE_LINE = 100
TEASER_TITLE_MAX = 200
TEASER_LEDE_MIN_WORDS = 6


def _key(line: str) -> str:
    return " ".join(line.strip(_PUNCT_EDGES).casefold().split())


def is_heading(line: str) -> bool:
    """A heading that introduces a list of other stories."""
    return len(line) <= MAX_FURNITURE_LINE and _HEADING.fullmatch(_key(line)) is not None


def is_share_line(line: str) -> bool:
    """A share, follow or newsletter sign-up line."""
    return len(line) <= MAX_FURNITURE_LINE and _SHARE.fullmatch(_key(line)) is not None


def title_index(lines: Sequence[str]) -> int | None:
    """Index of the first non-empty line (the title), or None."""
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def furniture_start(lines: Sequence[str]) -> int:
    """Index of the first furniture line after the title (``len(lines)`` when there is none)."""
    first = title_index(lines)
    if first is None:
        return len(lines)
    cut = next((i for i in range(first + 1, len(lines)) if is_heading(lines[i])), len(lines))
    while cut > first + 1 and (not lines[cut - 1].strip() or is_share_line(lines[cut - 1])):
        cut -= 1
    return cut


@dataclass(frozen=True, slots=True)
class Teaser:
    """A story listed in the furniture: its title and a one-paragraph lede."""

    title: str
    lede: str


def _blocks(lines: Sequence[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        text = line.strip()
        if not text:
            blocks.append([])
        elif not is_share_line(text) and not is_heading(text):
            blocks[-1].append(text)
    return [block for block in blocks if block]


def teasers(furniture: Sequence[str]) -> list[Teaser]:
    """Teasers listed under a story-list heading: a title line directly followed by a lede."""
    start = next((i for i, line in enumerate(furniture) if is_heading(line)), None)
    if start is None:
        return []
    found = []
    for block in _blocks(furniture[start + 1 :]):
        if len(block) != 2:
            continue
        title, lede = block
        if len(title) <= TEASER_TITLE_MAX and len(lede.split()) >= TEASER_LEDE_MIN_WORDS:
            found.append(Teaser(title, lede))
    return found
