"""Per-article state of attribution extraction: the parse, the text, its sentences and quotes.

spaCy objects are typed ``Any``: spaCy ships no type information mypy can use.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.models import Attribution, Sentence
from bot.nlp.quotemarks import QuoteSpan
from bot.nlp.speakers import SpeakerResolver


@dataclass(slots=True)
class ArticleState:
    """Per-article state shared by the attribution passes."""

    doc: Any
    text: str
    sentences: Sequence[Sentence]
    quotes: list[QuoteSpan]
    resolver: SpeakerResolver
    starts: list[int] = field(default_factory=list)  # sentence start offsets, for bisect
    used_cues: set[int] = field(default_factory=set)  # verb token indexes taken by quotes
    quote_starts: list[int] = field(default_factory=list)
    found: list[Attribution] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)  # token indexes that may be cues
    # Quote-only paragraphs left open, waiting for a speaker named when the quotation goes on.
    pending: list[tuple[QuoteSpan, Sentence]] = field(default_factory=list)
    # Also report thought, perception and decisions ("believes", "wants", "decided"), as
    # PolNeAR annotates them; answers about what people said want speech only.
    thought: bool = False

    def sentence_at(self, char: int) -> Sentence:
        """The sentence holding character ``char``."""
        i = max(bisect.bisect_right(self.starts, char) - 1, 0)
        return self.sentences[i]

    def in_quote(self, char: int) -> bool:
        """True when character ``char`` lies inside a quotation."""
        i = bisect.bisect_right(self.quote_starts, char) - 1
        return i >= 0 and self.quotes[i].start <= char < self.quotes[i].end

    def tokens(self, start: int, end: int) -> Any:
        """The tokens covering ``text[start:end]`` (an empty span when none)."""
        return self.doc.char_span(start, end, alignment_mode="expand") or self.doc[0:0]

    def paragraph_start(self, sent: Sentence) -> int:
        """Offset of the first sentence of ``sent``'s paragraph."""
        i = sent.index
        while i > 0 and self.sentences[i - 1].paragraph == sent.paragraph:
            i -= 1
        return self.sentences[i].start
