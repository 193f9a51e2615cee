"""Helpers for the storage suite: drafts and hand-built analyses (no spaCy)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.models import (
    Analysis,
    ArticleDraft,
    Attribution,
    AttributionKind,
    Entity,
    Sentence,
    Speaker,
)


@dataclass
class Backend:
    """How to open (and reopen) one backend's catalogue in a test."""

    name: str
    url: str

    async def open(self, clock: Callable[[], datetime] | None = None) -> Catalogue:
        """Open (creating and migrating) the catalogue; ``clock`` stamps ingestion times."""
        return await open_catalogue(self.url, clock)


def sentences_of(draft: ArticleDraft) -> tuple[Sentence, ...]:
    """One sentence per paragraph (the title is sentence 0), offsets into ``draft.text``."""
    found = []
    start = 0
    for index, part in enumerate((draft.title, *draft.paragraphs)):
        found.append(Sentence(index, part, start, start + len(part), index))
        start += len(part) + 2
    return tuple(found)


def quote_of(draft: ArticleDraft, speaker: str, words: str, kind: str = "direct") -> Attribution:
    """An attribution of ``words`` (which must occur in a body paragraph) to ``speaker``."""
    text = draft.text
    start = text.index(words)
    sentence = next(s for s in sentences_of(draft) if s.start <= start < s.end)
    return Attribution(
        speaker=speaker,
        speaker_mention=speaker.rsplit(maxsplit=1)[-1],
        speaker_start=None,
        speaker_end=None,
        cue="said",
        text=words,
        kind=AttributionKind(kind),
        sentence=sentence.index,
        start=start,
        end=start + len(words),
    )


def analysis_of(
    draft: ArticleDraft,
    quotes: tuple[tuple[str, str], ...] = (),
    speakers: tuple[Speaker, ...] = (),
    entities: tuple[Entity, ...] = (),
) -> Analysis:
    """A plausible analysis: per-paragraph sentences, lead-first ranking, given quotes."""
    sentences = sentences_of(draft)
    return Analysis(
        sentences=sentences,
        summary_ranking=tuple(s.index for s in sentences[1:]),
        attributions=tuple(quote_of(draft, who, words) for who, words in quotes),
        entities=entities,
        speakers=speakers,
        keywords=("alpha", "beta"),
    )


MakeDraft = Callable[..., ArticleDraft]


def draft_factory() -> MakeDraft:
    """Drafts with distinct default titles, bodies and slugs."""
    counter = iter(range(1, 1_000_000))

    def make(title: str | None = None, *paragraphs: str, **fields: Any) -> ArticleDraft:
        number = next(counter)
        fields.setdefault("slug", f"section/{number:03d}")
        return ArticleDraft(
            title=title or f"Story number {number}",
            paragraphs=paragraphs or (f"Body of story {number} about nothing in particular.",),
            **fields,
        )

    return make


def at(day: int, hour: int = 12) -> datetime:
    """A fixed aware UTC datetime in June 2024."""
    return datetime(2024, 6, day, hour, tzinfo=UTC)
