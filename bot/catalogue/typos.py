"""Edit distance for typo tolerance: which stored words a mistyped question word could be.

Only words the catalogue does not know are corrected, and only towards words it holds: a
closed vocabulary keeps "competion" -> "competition" from inventing words. Longer words may
be further off ("suplements" is one edit from "supplements"; eight letters and more allow two).
"""

from __future__ import annotations

MIN_LENGTH = 4  # shorter words are too easily another real word
TWO_EDITS_FROM = 8
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def allowed_edits(word: str) -> int:
    """How many edits a word of this length may be from its correction."""
    if len(word) < MIN_LENGTH or not word.isalpha():
        return 0
    return 2 if len(word) >= TWO_EDITS_FROM else 1


def one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``word``."""
    letters = _LETTERS + "".join(sorted(set(word) - set(_LETTERS)))
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return (deletes | swaps | replaces | inserts) - {word}


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (an adjacent swap is one edit), or ``limit + 1``
    as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1] if row[-1] <= limit else limit + 1
