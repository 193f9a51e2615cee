"""Domain records shared by ingestion, analysis and the catalogue.

All offsets are character offsets into ``ArticleDraft.text`` (title line, a blank line, then the
paragraphs separated by blank lines), so a stored attribution can always be checked against the
stored text. Datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

PARAGRAPH_SEPARATOR = "\n\n"


class ArticleKind(StrEnum):
    """Whether the catalogue holds the whole story or only a teaser (title and lede)."""

    FULL = "full"
    TEASER = "teaser"


class AttributionKind(StrEnum):
    """How an attribution stands in the article."""

    DIRECT = "direct"  # the whole content is in quotation marks
    PARTIAL = "partial"  # a quoted fragment inside the journalist's sentence
    REPORTED = "reported"  # indirect speech: never shown in quotation marks


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article with its offsets into the article text."""

    index: int
    text: str
    start: int
    end: int
    paragraph: int  # 0 is the title, 1.. the body paragraphs


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said what, where. ``text`` is exactly ``article_text[start:end]``."""

    speaker: str | None  # resolved name ("Dmitry Peskov"); None when unknown
    speaker_mention: str | None  # the words in the text ("He"); None when implicit
    speaker_start: int | None
    speaker_end: int | None
    cue: str  # "said", "accused ... of", "according to"
    text: str
    kind: AttributionKind
    sentence: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity, counted per article."""

    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, ...
    count: int = 1


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker's canonical name and the other ways the article names them."""

    name: str
    aliases: tuple[str, ...] = ()  # "Peskov", "the Kremlin spokesman", ...


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything computed once at ingestion so answering needs no NLP model."""

    sentences: tuple[Sentence, ...]
    summary_ranking: tuple[int, ...]  # sentence indexes, most important first (title excluded)
    attributions: tuple[Attribution, ...] = ()
    entities: tuple[Entity, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article as read from a source, before analysis and storage."""

    title: str
    paragraphs: tuple[str, ...]
    kind: ArticleKind = ArticleKind.FULL
    slug: str | None = None  # stable id: file path without extension, or derived from the title
    url: str | None = None
    source: str | None = None
    byline: str | None = None
    published_at: datetime | None = None  # None: unknown, the catalogue uses ingestion time
    # The absolute path of the file the article was read from (None for feeds, JSON Lines and
    # teasers): a file's identity, so another file with the same relative path is another story.
    origin: str | None = None

    @property
    def text(self) -> str:
        """The canonical text that every offset refers to."""
        return PARAGRAPH_SEPARATOR.join((self.title, *self.paragraphs))

    @property
    def content_hash(self) -> str:
        """A hash of title and body, for dedupe without a URL and change detection."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the catalogue returns it, with its analysis."""

    id: int  # catalogue row id
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    kind: ArticleKind
    url: str | None
    source: str | None
    byline: str | None
    published_at: datetime
    published_estimated: bool  # True when the date is the ingestion time
    ingested_at: datetime
    content_hash: str
    analysis: Analysis = field(default_factory=lambda: Analysis(sentences=(), summary_ranking=()))

    @property
    def text(self) -> str:
        """The canonical text that every offset refers to."""
        return PARAGRAPH_SEPARATOR.join((self.title, *self.paragraphs))

    @property
    def lede(self) -> str:
        """The first body paragraph, or an empty string."""
        return self.paragraphs[0] if self.paragraphs else ""
