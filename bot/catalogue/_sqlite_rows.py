"""Row <-> record conversion for the SQLite catalogue (datetimes, JSON, child rows)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from bot.catalogue import terms
from bot.catalogue.base import ArticleHeader
from bot.models import (
    Analysis,
    ArticleDraft,
    ArticleKind,
    Attribution,
    AttributionKind,
    Entity,
    Sentence,
    Speaker,
    StoredArticle,
)
from bot.nlp.names import normalise_name
from bot.timestamps import from_iso

Row = Any  # sqlite3.Row: indexable by column name
LEDE_MAX = 300
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})

HEADER_COLUMNS = (
    "a.id, a.slug, a.title, a.kind, a.url, a.source, a.published_at, a.published_estimated, a.lede,"
    " a.ingested_at"
)
ARTICLE_COLUMNS = (
    "id, slug, title, kind, url, source, byline, published_at, published_estimated, "
    "ingested_at, content_hash, keywords, paragraphs"
)


def lede_of(draft: ArticleDraft, analysis: Analysis) -> str:
    """First sentence of the first body paragraph (or the paragraph itself), bounded."""
    for sentence in analysis.sentences:
        if sentence.paragraph == 1:
            return sentence.text[:LEDE_MAX]
    return draft.paragraphs[0][:LEDE_MAX] if draft.paragraphs else ""


def header(row: Row, score: float = 0.0) -> ArticleHeader:
    """An ``ArticleHeader`` from a row selected with ``HEADER_COLUMNS``."""
    return ArticleHeader(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        kind=row["kind"],
        url=row["url"],
        source=row["source"],
        published_at=from_iso(row["published_at"]),
        published_estimated=bool(row["published_estimated"]),
        lede=row["lede"],
        score=score,
        ingested_at=from_iso(row["ingested_at"]),
    )


def stored_article(row: Row, analysis: Analysis) -> StoredArticle:
    """A ``StoredArticle`` from a row selected with ``ARTICLE_COLUMNS``."""
    return StoredArticle(
        id=row["id"],
        slug=row["slug"],
        title=row["title"],
        paragraphs=tuple(json.loads(row["paragraphs"])),
        kind=ArticleKind(row["kind"]),
        url=row["url"],
        source=row["source"],
        byline=row["byline"],
        published_at=from_iso(row["published_at"]),
        published_estimated=bool(row["published_estimated"]),
        ingested_at=from_iso(row["ingested_at"]),
        content_hash=row["content_hash"],
        analysis=analysis,
    )


def sentence_rows(article_id: int, analysis: Analysis) -> list[tuple[object, ...]]:
    """Rows for the ``sentences`` table."""
    return [(article_id, s.index, s.text, s.start, s.end, s.paragraph) for s in analysis.sentences]


def attribution_rows(article_id: int, analysis: Analysis) -> list[tuple[object, ...]]:
    """Rows for the ``attributions`` table (speaker_norm filled for lookups)."""
    return [
        (
            article_id, ordinal, a.speaker, normalise_name(a.speaker) if a.speaker else None,
            a.speaker_mention, a.speaker_start, a.speaker_end, a.cue, a.text, a.kind.value,
            a.sentence, a.start, a.end,
        )
        for ordinal, a in enumerate(analysis.attributions)
    ]  # fmt: skip


ATTRIBUTION_COLUMNS = ", ".join(
    f't."{c}" AS t_{c}'
    for c in (
        "speaker", "speaker_mention", "speaker_start", "speaker_end", "cue", "text", "kind",
        "sentence", "start", "end",
    )
)  # fmt: skip


def attribution(row: Row, prefix: str = "") -> Attribution:
    """An ``Attribution`` from an ``attributions`` row (columns optionally prefixed)."""
    return Attribution(
        speaker=row[prefix + "speaker"],
        speaker_mention=row[prefix + "speaker_mention"],
        speaker_start=row[prefix + "speaker_start"],
        speaker_end=row[prefix + "speaker_end"],
        cue=row[prefix + "cue"],
        text=row[prefix + "text"],
        kind=AttributionKind(row[prefix + "kind"]),
        sentence=row[prefix + "sentence"],
        start=row[prefix + "start"],
        end=row[prefix + "end"],
    )


def _name_rows(analysis: Analysis) -> dict[tuple[str, str], tuple[str, str, int]]:
    """(name_norm, alias_norm) -> (name, alias, origin); origin 0 name, 1 alias, 2 derived."""
    rows: dict[tuple[str, str], tuple[str, str, int]] = {}

    def add(name: str, alias: str, origin: int) -> None:
        name_norm, alias_norm = normalise_name(name), normalise_name(alias)
        if name_norm and alias_norm and alias_norm not in _PRONOUNS:
            rows.setdefault((name_norm, alias_norm), (name, alias, origin))

    for speaker in analysis.speakers:
        add(speaker.name, speaker.name, 0)
        for alias in speaker.aliases:
            add(speaker.name, alias, 1)
    named = [s.name for s in analysis.speakers]
    named += [a.speaker for a in analysis.attributions if a.speaker]
    for name in named:
        add(name, name, 2)
        words = name.split()
        if len(words) > 1:
            add(name, words[-1], 2)
    return rows


def speaker_rows(article_id: int, analysis: Analysis) -> list[tuple[object, ...]]:
    """Rows for ``speaker_names``: every way a speaker is named, in a stable order."""
    return [
        (article_id, ordinal, name, key[0], alias, key[1], origin)
        for ordinal, (key, (name, alias, origin)) in enumerate(_name_rows(analysis).items())
    ]


def speakers_from_rows(rows: Iterable[Row]) -> tuple[Speaker, ...]:
    """Rebuild ``Analysis.speakers`` (names and their aliases, not derived rows)."""
    names: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    for row in rows:
        if row["origin"] == 0:
            names[row["name_norm"]] = row["name"]
            aliases.setdefault(row["name_norm"], [])
        elif row["origin"] == 1:
            aliases.setdefault(row["name_norm"], []).append(row["alias"])
    return tuple(Speaker(name, tuple(aliases.get(norm, ()))) for norm, name in names.items())


def fts_row(article_id: int, draft: ArticleDraft, analysis: Analysis) -> tuple[object, ...]:
    """The ``articles_fts`` row: title, body, speakers and entities as plain text."""
    speaker_words = [s.name for s in analysis.speakers]
    speaker_words += [alias for s in analysis.speakers for alias in s.aliases]
    speaker_words += [a.speaker for a in analysis.attributions if a.speaker]
    return (
        article_id,
        draft.title,
        "\n\n".join(draft.paragraphs),
        " ; ".join(dict.fromkeys(speaker_words)),
        " ; ".join(e.text for e in analysis.entities),
    )


def terms_row(fts: tuple[object, ...]) -> tuple[object, ...]:
    """The ``articles_terms`` row for an ``articles_fts`` row: each column as search terms."""
    article_id, *columns = fts
    return (article_id, *(terms.index_text(str(column)) for column in columns))


def entity_rows(article_id: int, entities: Sequence[Entity]) -> list[tuple[object, ...]]:
    """Rows for the ``entities`` table."""
    return [(article_id, i, e.text, e.label, e.count) for i, e in enumerate(entities)]


def sentence(row: Row) -> Sentence:
    """A ``Sentence`` from a ``sentences`` row."""
    return Sentence(row["idx"], row["text"], row["start"], row["end"], row["paragraph"])
