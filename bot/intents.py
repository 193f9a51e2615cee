"""Free text and slash commands -> an ``Intent`` with its arguments.

Rules, not a model: questions to a news bot are short and formulaic, and rules are fast,
predictable and testable. Anything unrecognised falls back to a story lookup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

MAX_QUESTION_CHARS = 500
MAX_COUNT = 10


class Intent(StrEnum):
    """What the user wants."""

    SUMMARY = "summary"
    QUOTE = "quote"
    LATEST = "latest"
    SEARCH = "search"
    HELP = "help"
    STORY = "story"  # free text we could not classify: find the story, summarise if clear


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """An intent with the arguments it needs; unused arguments stay None."""

    intent: Intent
    story: str | None = None
    speaker: str | None = None
    phrase: str | None = None  # "who said 'very competitive'?"
    topic: str | None = None  # "... about the ban"
    count: int | None = None
    query: str | None = None


_QUOTE_CHARS = "\"'“”‘’«»„"
_HELP = re.compile(r"^(?:/?help|\?|commands|what can you do|how do (?:i|you) use (?:this|you))$")
_LATEST = re.compile(
    r"^(?:(?:show |give )?(?:me )?(?:the )?(?:latest|newest|recent|top)(?: news| stories| "
    r"headlines)?|headlines|what'?s new|what is new|news|any news)(?: (?P<n>\d{1,3}))?$"
)
_SEARCH = re.compile(r"^(?:search(?: for)?|find|look up|stories (?:about|on)|news (?:about|on))"
                     r"\s+(?P<q>.+)$")
_SUMMARY = re.compile(
    r"^(?:(?:please |can you |could you )?(?:summari[sz]e|sum up|recap|give me a summary of|"
    r"summary(?: of)?|tl;?dr|tell me about|what(?:'s| is) the (?=.*\bstory\b)|"
    r"what happened (?:with|to|in)|explain)\s*:?\s*)(?P<s>.+)$"
)
_WHO_SAID = re.compile(r"^who said\s*:?\s*(?P<p>.+)$")
_WHAT_SAID = re.compile(
    r"^(?:what|how) (?:did|does|has|have) (?P<sp>.+?) (?:say|said|said|claim|claimed|think|"
    r"thought|comment|respond(?:ed)?|react(?:ed)?)(?: (?:about|on|of|regarding|to) (?P<t>.+))?$"
)
_QUOTES_FROM = re.compile(
    r"^(?:any |show |give me |get )?(?:me )?(?:the )?(?:quotes?|statements?|comments?|words)"
    r"(?: (?:from|by|of) (?P<sp>.+?))?(?: (?:about|on|in|regarding) (?P<t>.+))?$"
)
_STORY_NOISE = re.compile(
    r"\b(?:the|a|an|story|stories|article|news|piece|report|about|on|please|thanks|thank you)\b"
)


def clean_text(text: str) -> str:
    """Drop control characters and collapse white space; keep every script and emoji."""
    kept = "".join(
        ch if unicodedata.category(ch)[0] != "C" or ch in "\t\n" else " " for ch in text
    )
    return " ".join(kept.split())


def parse(text: str) -> ParsedQuery:
    """Classify a free-text question. ``text`` must already be cleaned and length-checked."""
    lowered = text.strip().rstrip("?!. ").strip()
    low = lowered.casefold()
    if not low or _HELP.match(low):
        return ParsedQuery(Intent.HELP)
    if m := _LATEST.match(low):
        return ParsedQuery(Intent.LATEST, count=_count(m.group("n")))
    if m := _WHO_SAID.match(low):
        return ParsedQuery(Intent.QUOTE, phrase=_original(lowered, m.start("p")).strip(_QUOTE_CHARS
                           + " "))
    if m := _WHAT_SAID.match(low):
        return _quote(lowered, m)
    if m := _QUOTES_FROM.match(low):
        return _quote(lowered, m)
    if m := _SEARCH.match(low):
        return ParsedQuery(Intent.SEARCH, query=_original(lowered, m.start("q")))
    if m := _SUMMARY.match(low):
        return ParsedQuery(Intent.SUMMARY, story=story_words(_original(lowered, m.start("s"))))
    return ParsedQuery(Intent.STORY, story=story_words(lowered))


def _quote(original: str, m: re.Match[str]) -> ParsedQuery:
    speaker = m.group("sp")
    topic = m.group("t")
    return ParsedQuery(
        Intent.QUOTE,
        speaker=_original(original, m.start("sp"), m.end("sp")).strip() if speaker else None,
        topic=story_words(_original(original, m.start("t"))) if topic else None,
    )


def _original(text: str, start: int, end: int | None = None) -> str:
    """The user's own casing for a span found in the case-folded copy."""
    return text[start:end]


def _count(raw: str | None) -> int | None:
    return None if raw is None else max(1, min(MAX_COUNT, int(raw)))


def story_words(text: str) -> str:
    """The words that identify a story, without filler ("the ... story")."""
    stripped = _STORY_NOISE.sub(" ", text.casefold().strip(_QUOTE_CHARS + " "))
    words = stripped.split()
    return " ".join(words) if words else text.strip()


def from_command(command: str, args: dict[str, str]) -> ParsedQuery:
    """A slash command with named options -> the same structure as free text."""
    name = command.casefold()
    if name in {"summary", "summarize", "summarise"}:
        return ParsedQuery(Intent.SUMMARY, story=args.get("story"))
    if name in {"quote", "quotes"}:
        return ParsedQuery(
            Intent.QUOTE, speaker=args.get("speaker") or None, story=args.get("story") or None,
            phrase=args.get("phrase") or None, topic=args.get("topic") or None,
        )
    if name == "latest":
        raw = args.get("count")
        return ParsedQuery(Intent.LATEST, count=_count(raw) if raw and raw.isdigit() else None)
    if name == "search":
        return ParsedQuery(Intent.SEARCH, query=args.get("query"))
    return ParsedQuery(Intent.HELP)
