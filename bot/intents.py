"""Free text and slash commands -> an ``Intent`` with its arguments.

Rules, not a model: questions to a news bot are short and formulaic, and rules are fast,
predictable and testable. Anything unrecognised falls back to a story lookup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.numbers import ascii_int, signed_ascii_int
from bot.question import quoteforms, typos

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
    DIGEST = "digest"  # scheduled channel digests (bot.digests.commands)
    FEEDS = "feeds"  # the news feeds (bot.feeds.commands)
    STORIES = "stories"  # removing stored stories (bot.stories)


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
    note: str | None = None  # said alongside the answer ("I show at most 10 stories")


_QUOTE_CHARS = "\"'“”‘’«»„"
_F = re.IGNORECASE  # matched on the user's own text: case-folding can change its length
_HELP = re.compile(r"^(?:/?help|\?|commands|what can you do|how do (?:i|you) use (?:this|you))$",
                   _F)
_LATEST = re.compile(
    r"^(?:(?:show|give|get|list)(?: me)? )?(?:the )?(?:"
    r"(?:latest|newest|recent|top|last)(?: (?P<n>[-+]?[0-9]+))?(?: (?:news|stories|headlines))?"
    r"|headlines|what'?s new|what is new|what'?s the latest|news|any news)"
    r"(?: (?P<m>[-+]?[0-9]+))?(?: (?:news|stories|headlines))?(?: please)?$", _F,
)
_SEARCH = re.compile(r"^(?:search(?: for)?|find|look up|stories (?:about|on)|news (?:about|on))"
                     r"(?:\s+(?P<q>.+))?$", _F)
_SUMMARY = re.compile(
    r"^(?:(?:please |can you |could you )?(?:summari[sz]e|sum up|recap|give me a summary of|"
    r"summary(?: of)?|tl;?\s?dr(?: on| of| for| about)?|tell me (?:more )?about|"
    r"(?:give me |what'?s |what is )?the gist(?: of| on)?|gist(?: of| on)?|"
    r"catch me up(?: on| with)?|fill me in(?: on)?|brief me(?: on)?|update me(?: on)?|"
    r"what(?:'?s| is) the (?:deal|story|score|situation) (?:with|on|behind)|"
    r"what(?:'?s| is) (?:going on|happening|up) (?:with|in|at)|"
    r"(?:the )?(?:lowdown|rundown|skinny) on|anything (?:on|about)|"
    r"what(?:'s| is) the (?=.*\bstory\b)|"
    r"what happened (?:with|to|in|at|over)|explain)\s*:?\s*)(?P<s>.+)?$", _F,
)
_WHO_SAID = re.compile(r"^who said\s*:?\s*(?P<p>.+)$", _F)
_VERB = (r"(?:say|said|claim|claimed|think|thought|comment|respond(?:ed)?|react(?:ed)?|"
         r"tell (?:reporters|us))")
_WHAT_SAID = re.compile(
    r"^(?:(?:what|how) (?:did|does|has|have) (?P<sp>.+?) " + _VERB
    + r"(?: anything| something)?|did (?P<sp2>.+?) " + _VERB + r"(?: anything| something)?)"
    r"(?: (?P<tail>(?:about|on|of|regarding|to|in|from) .+))?$", _F,
)
_QUOTES_FROM = re.compile(
    r"^(?:any |show |give me |get |list )?(?:me )?(?:the )?(?:quotes?|statements?|comments?|words)"
    r"(?: (?:from|by|of) (?P<sp>.+?))?(?: (?P<tail>(?:about|on|in|regarding) .+))?$", _F,
)
_QUOTE_SPEAKER = re.compile(r"^quote (?P<sp>.+)$", _F)
_MANAGE = re.compile(
    r"^/?(?:news )?(?:(?P<what>digests?)(?: (?:subscribe|list|unsubscribe|preview|now)\b.*)?"
    r"|(?P<feeds>feeds?)(?: (?:add|remove|list)\b.*)?)$", _F,
)
_SAID_NOBODY = re.compile(r"^(?:what|who) (?:did|does|has) (?:say|said)$", _F)
_QUOTED_IN = re.compile(r"^who(?:'s| is| was)? (?:quoted|speaks|talks) in (?P<st>.+)$", _F)
# "... in the Kaspersky story": the story to look in, not a topic. Only "story" and "article":
# "about the prisoner report" is a topic and "his pre-Budget report" a speaker.
_STORY_TAIL = re.compile(
    r"^(?:(?:in|from|about|on) )?(?:the |this |that )?(?P<st>.+?) (?:story|article)$", _F,
)
_TOPIC_TAIL = re.compile(r"^(?:about|on|of|regarding|to|in|from) (?P<t>.+)$", _F)
_LEAD_IN = re.compile(
    r"^(?:(?:<[@#][!&]?\w+>|<![^>]*>|@\w+)[\s,:]*"
    r"|(?:hey|hi|hello|ok|okay|so|yo|newsbot|bot|please)\b[\s,:!.]*)+", _F,
)
_WHAT_ABOUT = re.compile(r"^(?:what|how) about\s+", _F)
# Whole words only: "news" and "the" inside an id ("news-from-the-associated-press",
# "business/021") are part of the id, which must reach the catalogue intact.
_STORY_NOISE = re.compile(
    r"(?<![\w/-])(?:the|a|an|story|stories|article|news|piece|report|about|on|please|thanks|"
    r"thank you)(?![\w/-])",
    _F,
)
# Format characters that change how text looks or reads but carry no letters (bidi overrides
# and isolates, invisible separators); ZWJ and ZWNJ are kept: they join emoji sequences and
# shape Persian and Indic words.
_JOINERS = frozenset("\u200c\u200d")


_TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?)")
# Platform mention tokens anywhere (<@123>, <@&role>, <#channel>, <!here>) name no story.
_MENTION = re.compile(r"<(?:[@#][!&]?\w+|![^>]*)>")


def clean_text(text: str) -> str:
    """Drop terminal escape sequences and invisible format characters (keeping ZWJ/ZWNJ), turn
    other control characters into spaces and collapse white space; keep every script and
    emoji."""
    kept = []
    for ch in _TERMINAL_ESCAPE.sub(" ", text):
        category = unicodedata.category(ch)
        if category == "Cf" and ch not in _JOINERS:
            continue
        kept.append(" " if category[0] == "C" and category != "Cf" and ch not in "\t\n" else ch)
    return " ".join("".join(kept).split())


def strip_lead_in(text: str) -> str:
    """The question without mentions and leading greetings ("<@123> hey, what did...")."""
    return " ".join(_MENTION.sub(" ", _LEAD_IN.sub("", text, count=1)).split())


def parse(text: str) -> ParsedQuery:
    """Classify a free-text question. ``text`` must already be cleaned and length-checked."""
    text = typos.correct(strip_lead_in(text.strip()).rstrip("?!. ").strip())
    if not text or _HELP.match(text):
        return ParsedQuery(Intent.HELP)
    if m := _LATEST.match(text):
        return _latest(m.group("n") or m.group("m"))
    if m := _MANAGE.match(text):  # digest and feed commands are not free text
        return ParsedQuery(Intent.HELP, topic="digest" if m.group("what") else "feeds")
    if quote := _parse_quote(text):
        return quote
    if m := _SEARCH.match(text):
        return ParsedQuery(Intent.SEARCH, query=m.group("q"))
    if m := _SUMMARY.match(text):
        story = m.group("s")
        return ParsedQuery(Intent.SUMMARY, story=story_words(story) if story else None)
    return ParsedQuery(Intent.STORY, story=story_words(_WHAT_ABOUT.sub("", text)))


def _parse_quote(text: str) -> ParsedQuery | None:
    """A quote question in any of its phrasings, or None."""
    if m := _WHO_SAID.match(text):
        return ParsedQuery(Intent.QUOTE, phrase=m.group("p").strip(_QUOTE_CHARS + " "))
    if m := _QUOTED_IN.match(text):
        return _quote(None, m.group("st"))
    if _SAID_NOBODY.match(text):
        return ParsedQuery(Intent.QUOTE)
    if m := _WHAT_SAID.match(text):
        return _quote(m.group("sp") or m.group("sp2"), m.group("tail"))
    if m := _QUOTES_FROM.match(text):
        return _quote(m.group("sp"), m.group("tail"))
    if ask := quoteforms.match(text):
        if ask.phrase:
            return ParsedQuery(Intent.QUOTE, phrase=ask.phrase.strip(_QUOTE_CHARS + " "))
        return _quote(ask.speaker, ask.tail)
    if m := _QUOTE_SPEAKER.match(text):
        return _quote(m.group("sp"), None)
    return None


def _quote(speaker: str | None, tail: str | None) -> ParsedQuery:
    """A quote question: "from the Kaspersky story" names the story to look in, "about the
    ban" a topic; a "speaker" that is really a story ("quotes from the X story") is the story."""
    story = topic = None
    if speaker and (m := _STORY_TAIL.match(speaker.strip())):
        speaker, story = None, story_words(m.group("st"))
    if tail and (m := _STORY_TAIL.match(tail.strip())):
        story = story_words(m.group("st"))
    elif tail and (m := _TOPIC_TAIL.match(tail.strip())):
        topic = story_words(m.group("t"))
    elif tail and (bare := quoteforms.topic_words(tail)):
        topic = story_words(bare)  # "what did X call England": no preposition
    who = speaker.strip() if speaker else None
    return ParsedQuery(Intent.QUOTE, speaker=who or None, story=story, topic=topic)


def _latest(raw: str | None) -> ParsedQuery:
    """The newest stories; a count out of range is clamped or replaced, with a note."""
    if raw is None:
        return ParsedQuery(Intent.LATEST)
    value = signed_ascii_int(raw)
    if value is None or value < 1:
        note = f"\u201c{raw}\u201d is not a number of stories I can show, so here are the newest."
        return ParsedQuery(Intent.LATEST, note=note)
    if value > MAX_COUNT:
        note = f"I show at most {MAX_COUNT} stories at a time."
        return ParsedQuery(Intent.LATEST, count=MAX_COUNT, note=note)
    return ParsedQuery(Intent.LATEST, count=value)


def clamp_count(count: int) -> int:
    """How many stories a "latest" answer lists for ``count``: from 1 to ``MAX_COUNT``, the one
    bound every platform's command and the engine use."""
    return max(1, min(MAX_COUNT, count))


def _count(raw: str | None) -> int | None:
    """A slash command's count option, clamped; None when it is not ASCII digits."""
    value = None if raw is None else ascii_int(raw.strip())
    return None if value is None else clamp_count(value)


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
        return ParsedQuery(Intent.LATEST, count=_count(raw))
    if name == "search":
        return ParsedQuery(Intent.SEARCH, query=args.get("query"))
    return ParsedQuery(Intent.HELP)
