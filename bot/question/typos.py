"""Intent words typed in a hurry ("waht did", "sumarize", "qoute") read as meant.

A closed vocabulary matched by edit distance: only the words that steer the parser are
corrected, and only where they can stand (the first words of a question, or a quoting verb
after them), so a story's own words are never "corrected" into something else.
"""

from __future__ import annotations

import re


def _split(text: str) -> list[str]:
    return text.split()


# Words that open a question or name what is wanted.
_OPENERS = (
    "what", "who", "how", "did", "does", "summarize", "summarise", "summary", "quote",
    "quotes", "explain", "recap", "latest", "search", "tell", "show", "give",
)
# Verbs and particles after the speaker in a quote question.
_VERBS = ("say", "said", "describe", "compare", "comment", "about", "quote", "quotes",
          "summarize", "summarise", "reaction", "response")
# Chat shorthand that edit distance cannot reach ("abt" is two edits from "about").
_SHORTHAND = {"abt": "about", "wat": "what", "wht": "what", "wot": "what",
              "whta": "what", "wut": "what", "smth": "something",
              "tldr": "tl;dr", "hw": "how", "pls": "please", "plz": "please", "abot": "about"}
# Real words one edit from a vocabulary word: left alone ("that" is not "what").
_KEEP = frozenset(_split(
    "that chat hat who why how hoe now new saw sad sat day way pay lay may ray bay hay "
    "has had was did dig die kid lid rid aid bid hid mid tid sid lord cord word ward wore "
    "cited sided tied dies does doe toes goes hoes compact compete complete comet commit "
    "about above quite quota quoted quotas sail salad sand said saying sayings sway stay "
    "tale tall tell tells till toll well sell bell cell dell yell shot shoe snow slow show "
    "shows glow blow flow grow give live dive five hive jive wive gave gives gift "
    "sat say sway days ways hows whom whose shat what paid raid laid maid slid skid staid "
    "abort abut compere"
))
_WORD = re.compile(r"(?<![\w'’])[^\W\d_]+(?![\w'’])")


def damerau(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (an adjacent swap is one edit), stopping early once
    every path exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[-1]


def closest(word: str, vocabulary: tuple[str, ...]) -> str | None:
    """The vocabulary word ``word`` was meant to be, or None: within one edit (an adjacent
    swap counts as one), the nearest, ties going to the earlier entry."""
    low = word.casefold()
    if low in vocabulary:
        return low
    if low in _KEEP or len(low) < 3:
        return None
    limit = 1
    best, best_distance = None, limit + 1
    for candidate in vocabulary:
        if candidate[0] != low[0] and len(low) < 5:
            continue  # short words: a wrong first letter is another word, not a typo
        distance = damerau(low, candidate, limit)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def correct(text: str, openers: int = 2) -> str:
    """``text`` with misspelt intent words corrected in place: the first ``openers`` words
    against the question openers, shorthand anywhere, quoting verbs after the first word."""
    count = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal count
        token = match.group(0)
        low = token.casefold()
        count += 1
        fixed = _SHORTHAND.get(low)
        if fixed is None and count <= openers:
            fixed = closest(token, _OPENERS)
        if fixed is None and count > 1 and len(low) >= 4:
            fixed = closest(token, _VERBS)
        return fixed if fixed and fixed != low else token

    return _WORD.sub(fix, text)
