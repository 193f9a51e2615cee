"""Search terms: one normaliser for stored text and for questions, so both sides agree.

Text is folded (NFKC, casefolded, combining diacritical marks dropped: accents and "Zalgo"
stacks alike), numbers are written one way ("5,000m" and "5000 metres" both become
``5000 m``, "six" becomes ``6``, "the sixties" ``60s``), and every word is reduced to its
Snowball English stem (PyStemmer), so "retiring" finds "retires" and "subsidies" "subsidy".

Why Snowball in Python rather than SQLite FTS5's ``porter`` tokenizer: Python's ``sqlite3``
cannot register an FTS5 tokenizer, so FTS5 could only apply its own rules, and the number and
unit rules above must run on both sides anyway; Snowball's English stemmer (Porter2) also fixes
known faults of the original Porter algorithm FTS5 ships, and it is the stemmer PostgreSQL's
``english`` configuration uses, so a later PostgreSQL catalogue can stem the same way. The
stemmed text is stored in its own FTS5 table (``articles_terms``) whose plain ``unicode61``
tokenizer just splits it again at the spaces this module puts in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer  # type: ignore[import-not-found]  # PyStemmer ships no type hints

from bot.catalogue.fts import MAX_QUERY_CHARS, MAX_TERM_CHARS, STOPWORDS

# Bump when the rules below change: stored terms are rebuilt so both sides agree again.
VERSION = 2

# The combining diacritical mark blocks (accents, and what "Zalgo" text stacks on letters).
# Marks of other scripts (Devanagari vowel signs, Arabic harakat) are part of their words.
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_SCRIPT_MARKS = "\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD = re.compile(rf"(?:[^\W_]|[{_SCRIPT_MARKS}\u0900-\u0dff\u0e00-\u0eff\u0f00-\u109f])+")
# Terminal escape sequences (CSI, OSC) left in stored text would glue their parameters to the
# next word ("\x1b[31mchars" is not "31mchars"): dropped, as chat questions never hold them.
_ESCAPES = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3})((?:,\d{3})+)(?![\d,]*\d)")
_DECADE = re.compile(r"(?<!\d)(?:19|')?([1-9]0)s\b")
_PERCENT = re.compile(r"(\d)\s*%")
_NUMBER_UNIT = re.compile(r"(?<![^\W\d_])(\d+)([^\W\d_]+)")

_SMALL = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
]  # fmt: skip
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_SMALL)} | _TENS
_COMPOUND_TENS = frozenset({"twenty", *_TENS})
_ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth",
]  # fmt: skip
_DECADE_WORDS = {f"{word[:-1]}ies": f"{value}s" for word, value in _TENS.items()}
_MULTIPLIERS = {"hundred": 100, "thousand": 1000}
# One spelling per unit: "metres" and the "m" of "200m" alike ("m" is also "million", as in
# "£5m": both sides read it the same way, and the number carries the meaning).
UNITS: dict[str, str] = {
    "metre": "m", "metres": "m", "meter": "m", "meters": "m", "million": "m", "mn": "m",
    "mln": "m", "billion": "bn", "billions": "bn", "trillion": "tn", "kilometre": "km",
    "kilometres": "km", "kilometer": "km", "kilometers": "km", "kilogram": "kg",
    "kilograms": "kg", "kilo": "kg", "kilos": "kg", "percent": "pc",
    "centimetre": "cm", "centimetres": "cm", "millimetre": "mm", "millimetres": "mm",
}  # fmt: skip
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_SPACED_RUN = 3  # "k a s p e r s k y": this many single letters in a row are one word


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def drop_stray_marks(text: str) -> str:
    """``text`` with combining diacritical marks that compose with nothing removed: accented
    letters stay (NFC composes them), Devanagari or Arabic marks stay (other blocks), and
    "Zalgo" stacks, which no language writes, go: "v̷̢o̸l̵" reads "vol"."""
    return _DIACRITICS.sub("", unicodedata.normalize("NFC", text))


def fold(text: str) -> str:
    """Casefolded text without combining diacritical marks ("Zalgo" stacks included), with
    numbers written one way (thousands separators, decades, per cent)."""
    decomposed = unicodedata.normalize("NFKD", _ESCAPES.sub(" ", text))
    plain = unicodedata.normalize("NFKC", _DIACRITICS.sub("", decomposed)).casefold()
    plain = _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", ""), plain)
    plain = _DECADE.sub(r"\1s", plain)
    plain = _PERCENT.sub(r"\1 percent", plain).replace("per cent", "percent")
    return _NUMBER_UNIT.sub(_split_unit, plain)


def _split_unit(match: re.Match[str]) -> str:
    """"200m" -> "200 m", but "1960s", "60s", "6th" and "3d" stay one word."""
    digits, letters = match.group(1), match.group(2)
    if letters in {"s", "st", "nd", "rd", "th", "d"}:
        return match.group(0)
    return f"{digits} {letters}"


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order, numbers and units in one spelling."""
    raw = [w[:MAX_TERM_CHARS] for w in _WORD.findall(fold(text))]
    out: list[str] = []
    previous = ""
    for typed in raw:
        word = _canonical(typed)
        if out and typed in _MULTIPLIERS and out[-1].isdigit():
            out[-1] = str(int(out[-1]) * _MULTIPLIERS[typed])  # "five thousand" -> 5000
        elif previous in _COMPOUND_TENS and 0 < NUMBER_WORDS.get(typed, 10) < 10:
            out[-1] = str(NUMBER_WORDS[previous] + NUMBER_WORDS[typed])  # "twenty five" -> 25
        else:
            out.append(word)
        previous = typed
    return out


def _canonical(word: str) -> str:
    if word in NUMBER_WORDS:
        return str(NUMBER_WORDS[word])
    if word in _DECADE_WORDS:
        return _DECADE_WORDS[word]
    if word in UNITS:
        return UNITS[word]
    if word in _ORDINALS:
        return f"{_ORDINALS.index(word) + 1}th"
    if m := _ORDINAL_DIGITS.match(word):
        return f"{int(m.group(1))}th"
    return word


def stem(word: str) -> str:
    """One folded word's stem (digits and units are kept as they are)."""
    if word.isdigit():
        return word
    return str(_stemmer().stemWord(word))


def stems(text: str) -> list[str]:
    """The stems of ``text``'s words, in order (stopwords kept: phrases need them)."""
    return [str(s) for s in _stemmer().stemWords(words(text))]


def index_text(text: str) -> str:
    """What ``articles_terms`` stores for ``text``: its stems, separated by spaces."""
    return " ".join(stems(text))


@dataclass(frozen=True, slots=True)
class QueryWord:
    """A word of a question: as typed (folded), its stem, and whether it is evidence."""

    surface: str
    stem: str
    informative: bool


def query_words(text: str) -> list[QueryWord]:
    """The question's words in order (bounded). Runs of single letters are joined into one
    word ("k a s p e r s k y" is "kaspersky"); any other single letter, and stopwords, are not
    evidence of a story."""
    joined = _join_spaced(words(text[:MAX_QUERY_CHARS]))
    out = []
    for word in joined:
        single_letter = len(word) == 1 and not word.isdigit()
        informative = not single_letter and word not in STOPWORDS
        out.append(QueryWord(word, stem(word), informative))
    return out


def _join_spaced(seq: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for word in [*seq, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        out += ["".join(run)] if len(run) >= _SPACED_RUN else run
        run = []
        if word:
            out.append(word)
    return out
