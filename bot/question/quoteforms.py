"""The ways people ask for quotes, beyond "what did X say about Y".

"what did X call Y", "how did X describe Y", "what did X compare Y to", "X's reaction to Y",
"did X comment on Y", "X's Y speech" name a speaker X and a topic Y; "who accused / warned /
praised / called ..." give the words of a quote to find its speaker. Each matcher returns the
raw pieces; ``bot.intents`` turns them into a ``ParsedQuery``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_F = re.IGNORECASE

# Verbs a quote question asks with, after the speaker: "what did X <verb> ...".
_ASK_VERBS = (
    r"say|said|saying|says|think|thought|comment(?:ed)?|respond(?:ed)?|react(?:ed)?|"
    r"tell (?:reporters|us|the \w+)|told (?:reporters|the \w+)|call|called|describe|described|"
    r"label|labell?ed|dub|dubbed|brand|branded|compare|compared|liken|likened|"
    r"make of|feel about|reckon|mean by|have to say|write|wrote|claim|claimed|argue|argued|"
    r"warn(?:ed)? (?:about|of|against|that)|predict(?:ed)?|admit(?:ted)?|reveal(?:ed)?|"
    r"blame|blamed|accuse|accused|criticise|criticize|praise|praised|want|wanted|"
    r"announce|announced|suggest(?:ed)?|promise(?:d)?|insist(?:ed)?|deny|denied|"
    r"confirm(?:ed)?|explain(?:ed)?"
)
# Verbs of "who <verb> ...": the rest is what the quote says.
_WHO_VERBS = (
    r"said|says|say|claimed|claims|accused|accuses|warned|warns|praised|praises|called|calls|"
    r"described|describes|criticised|criticized|attacked|blamed|urged|insisted|argued|admitted|"
    r"denied|compared|likened|told|dismissed|branded|slammed|condemned|backed|welcomed|joked|"
    r"complained|suggested|predicted|promised|vowed|threatened|labell?ed|dubbed|reckoned|"
    r"thinks|thought|believes|believed|hit out at|lashed out at|mocked|ridiculed|defended|"
    r"(?:was|is|got) quoted (?:as )?saying|talked about|spoke about|compared"
)
_WHAT_VERB = re.compile(
    r"^(?:what|how|why) (?:did|does|do|has|have|had|was|is|were|would) (?P<sp>.+?) "
    rf"(?P<v>{_ASK_VERBS})(?=\s|$)(?: (?P<tail>.+))?$", _F,
)
_DID_VERB = re.compile(
    r"^(?:did|has|have|does) (?P<sp>.+?) (?:say|said|comment(?:ed)?|speak|spoken|talk(?:ed)?|"
    r"remark(?:ed)?|mention(?:ed)?|respond(?:ed)?|react(?:ed)?|weigh(?:ed)? in)"
    r"(?: anything| something| much)?(?: (?P<tail>.+))?$", _F,
)
_REACTION = re.compile(
    r"^(?:what (?:was|is|were|are) |what's |how was |show me |give me )?(?:the )?(?P<sp>.+?)"
    r"(?:'s|’s|s'|s’) (?:reaction|response|view|views|take|verdict|comment|comments|remarks|"
    r"words|thoughts|opinion|answer|reply|statement|quote|quotes)"
    r"(?: (?:to|on|about|of|regarding|over|after) (?P<tail>.+))?$", _F,
)
_SPEECH = re.compile(
    r"^(?:(?:what did|what was in|quotes from|what's in) )?(?P<sp>[^\s']+(?: [^\s']+)?)"
    r"(?:'s|’s) (?P<tail>.+?) (?:speech|interview|statement|remarks|address|lecture|letter|"
    r"testimony|press conference|briefing|op-ed|column)(?: say)?$", _F,
)
_WHO_VERB = re.compile(rf"^who (?:has |had |just )?(?P<v>{_WHO_VERBS})\s*:?\s*(?P<p>.+)$", _F)
_LEAD_PREP = re.compile(
    r"^(?:(?:about|on|of|regarding|concerning|over|in|from|to|back to|after|at|with) )+", _F)
_TRAIL_PREP = re.compile(r"\s+(?:to|with|as|about|on|of)$", _F)


@dataclass(frozen=True, slots=True)
class QuoteAsk:
    """A quote question's pieces: who is asked about, the topic, or the words of a quote."""

    speaker: str | None = None
    tail: str | None = None  # as typed: "about the ban", "in the X story", "england"
    phrase: str | None = None  # "who accused ... of X": the quote's content


def match(text: str) -> QuoteAsk | None:
    """The quote question ``text`` asks, or None when it is not one of these phrasings."""
    if m := _WHO_VERB.match(text):
        return QuoteAsk(phrase=m.group("p"))
    if m := _WHAT_VERB.match(text):
        return QuoteAsk(m.group("sp"), _tail(m.group("tail")))
    if m := _DID_VERB.match(text):
        return QuoteAsk(m.group("sp"), _tail(m.group("tail")))
    if m := _REACTION.match(text):
        return QuoteAsk(m.group("sp"), _tail(m.group("tail")))
    if m := _SPEECH.match(text):
        return QuoteAsk(m.group("sp"), _tail(m.group("tail")))
    return None


def _tail(tail: str | None) -> str | None:
    """A topic tail with a dangling preposition dropped ("18-rated games to" -> "18-rated
    games"); the leading one is kept for the story/topic split."""
    if not tail:
        return None
    tail = _TRAIL_PREP.sub("", tail.strip())
    return tail or None


def topic_words(tail: str) -> str:
    """The topic without its leading prepositions ("back to michael johnson")."""
    return _LEAD_PREP.sub("", tail.strip()).strip()
