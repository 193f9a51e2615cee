"""Idempotent upserts: added / unchanged / updated in place, identity, dedupe, atomicity."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime

import pytest

from bot.catalogue.base import Catalogue, UpsertOutcome
from bot.catalogue.identity import canonical_url
from bot.catalogue.sqlite import SqliteCatalogue
from bot.models import Analysis, ArticleKind, Entity, Speaker
from tests.storage.storage_kit import Backend, MakeDraft, analysis_of, at

PESKOV = Speaker("Dmitry Peskov", ("Peskov", "the Kremlin spokesman"))


async def test_added_then_unchanged_then_updated_in_place(
    catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    draft = make_draft("Kremlin decries ban", "Peskov said it was unfair.", published_at=at(1))
    first = await catalogue.upsert(draft, analysis_of(draft))
    again = await catalogue.upsert(draft, analysis_of(draft))
    changed = make_draft("Kremlin decries ban", "Peskov said it was very unfair.", slug=draft.slug)
    updated = await catalogue.upsert(changed, analysis_of(changed))

    assert first.outcome is UpsertOutcome.ADDED
    assert again.outcome is UpsertOutcome.UNCHANGED
    assert updated.outcome is UpsertOutcome.UPDATED
    assert first.article_id == again.article_id == updated.article_id
    assert first.slug == updated.slug == draft.slug
    assert await catalogue.count() == 1
    stored = await catalogue.get(first.article_id)
    assert stored is not None
    assert stored.paragraphs == ("Peskov said it was very unfair.",)
    assert stored.content_hash == changed.content_hash
    # the update carried no date: the original one is kept
    assert stored.published_at == at(1)
    assert not stored.published_estimated


async def test_round_trip_keeps_every_field(catalogue: Catalogue, make_draft: MakeDraft) -> None:
    draft = make_draft(
        "Kremlin decries US Kaspersky ban",
        "The Kremlin criticised the decision.",
        'Peskov described Kaspersky as a "very competitive" company.',
        url="https://Example.COM/news/kaspersky/?utm_source=x",
        source="Example News",
        byline="A. Reporter",
        published_at=datetime(2024, 6, 21, 9, 30, tzinfo=UTC),
    )
    analysis = analysis_of(
        draft,
        quotes=(("Dmitry Peskov", "very competitive"),),
        speakers=(PESKOV,),
        entities=(Entity("Kaspersky", "ORG", 2), Entity("Kremlin", "ORG")),
    )
    result = await catalogue.upsert(draft, analysis)
    stored = await catalogue.get(result.article_id)
    by_slug = await catalogue.get_by_slug(result.slug)

    assert stored is not None
    assert stored == by_slug
    assert stored.analysis == analysis
    assert (stored.title, stored.paragraphs, stored.kind) == (
        draft.title,
        draft.paragraphs,
        ArticleKind.FULL,
    )
    assert (stored.url, stored.source, stored.byline) == (draft.url, "Example News", "A. Reporter")
    assert stored.published_at == draft.published_at
    assert stored.published_at.tzinfo is not None
    assert stored.published_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert stored.ingested_at.tzinfo is not None
    assert stored.text == draft.text
    for attribution in stored.analysis.attributions:
        assert stored.text[attribution.start : attribution.end] == attribution.text


async def test_missing_date_uses_ingestion_time_marked_estimated(
    catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    before = datetime.now(UTC)
    draft = make_draft()
    result = await catalogue.upsert(draft, analysis_of(draft))
    stored = await catalogue.get(result.article_id)
    assert stored is not None
    assert stored.published_estimated
    assert before <= stored.published_at <= datetime.now(UTC)
    assert stored.published_at.tzinfo is not None


def test_canonical_url_rules() -> None:
    assert canonical_url("HTTPS://News.Example.com/a/b/?utm_source=tw&id=3&fbclid=x#top") == (
        "https://news.example.com/a/b?id=3"
    )
    assert canonical_url("https://example.com/a?gclid=1&utm_medium=m") == "https://example.com/a"
    assert canonical_url("https://example.com/Path/") == "https://example.com/Path"
    assert canonical_url("") is None
    assert canonical_url(None) is None


async def test_same_canonical_url_is_one_article(
    catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    a = make_draft("Title", "Body one.", slug=None, url="https://example.com/story/?utm_source=a")
    b = make_draft("Title", "Body two.", slug=None, url="https://EXAMPLE.com/story#comments")
    first = await catalogue.upsert(a, analysis_of(a))
    second = await catalogue.upsert(b, analysis_of(b))
    assert first.outcome is UpsertOutcome.ADDED
    assert second.outcome is UpsertOutcome.UPDATED
    assert second.article_id == first.article_id
    assert await catalogue.count() == 1


async def test_same_content_under_another_identity_is_stored_once(
    catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    a = make_draft("Same story", "Same body.", slug="business/001")
    b = make_draft("Same story", "Same body.", slug="copies/001")
    c = make_draft("Same story", "Same body.", slug=None)
    results = [await catalogue.upsert(d, analysis_of(d)) for d in (a, b, c)]
    assert [r.outcome for r in results] == [UpsertOutcome.ADDED] + [UpsertOutcome.UNCHANGED] * 2
    assert {r.article_id for r in results} == {results[0].article_id}
    assert await catalogue.count() == 1
    assert await catalogue.known_hash(b) == b.content_hash


async def test_without_url_or_slug_identity_is_the_content(
    catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    a = make_draft("Same title", "One body.", slug=None)
    b = make_draft("Same title", "Another body.", slug=None)
    ra = await catalogue.upsert(a, analysis_of(a))
    rb = await catalogue.upsert(b, analysis_of(b))
    assert rb.outcome is UpsertOutcome.ADDED
    assert ra.slug == "same-title"
    assert rb.slug == "same-title-2"  # slugs stay unique


async def test_known_hash(catalogue: Catalogue, make_draft: MakeDraft) -> None:
    draft = make_draft()
    assert await catalogue.known_hash(draft) is None
    await catalogue.upsert(draft, analysis_of(draft))
    assert await catalogue.known_hash(draft) == draft.content_hash
    changed = make_draft(draft.title, "Changed body.", slug=draft.slug)
    assert await catalogue.known_hash(changed) == draft.content_hash  # differs: analyse again


async def test_update_replaces_child_rows(
    backend_path: str, catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    draft = make_draft("Ban", "Peskov said it was unfair.", "More words.")
    analysis = analysis_of(draft, quotes=(("Dmitry Peskov", "it was unfair"),), speakers=(PESKOV,))
    result = await catalogue.upsert(draft, analysis)
    changed = make_draft("Ban", "Raimondo said it was needed.", slug=draft.slug)
    raimondo = Speaker("Gina Raimondo", ("Raimondo",))
    await catalogue.upsert(
        changed, analysis_of(changed, (("Gina Raimondo", "it was needed"),), (raimondo,))
    )

    assert await catalogue.attributions_by_speaker("Peskov") == []
    hits = await catalogue.attributions_by_speaker("Raimondo")
    assert [h.attribution.text for h in hits] == ["it was needed"]
    stored = await catalogue.get(result.article_id)
    assert stored is not None
    assert len(stored.analysis.sentences) == 2
    with closing(sqlite3.connect(backend_path)) as db:
        for table in ("sentences", "attributions", "speaker_names", "summary_ranking"):
            ids = {r[0] for r in db.execute(f"SELECT article_id FROM {table}")}
            assert ids == {result.article_id}, table
        assert db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1


async def test_delete_cascades(
    backend_path: str, catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    draft = make_draft("Ban", "Peskov said it was unfair.")
    analysis = analysis_of(
        draft, (("Dmitry Peskov", "it was unfair"),), (PESKOV,), (Entity("Kremlin", "ORG"),)
    )
    await catalogue.upsert(draft, analysis)
    with closing(sqlite3.connect(backend_path)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM articles")
        db.commit()
        tables = ("sentences", "summary_ranking", "attributions", "speaker_names", "entities")
        for table in (*tables, "articles_fts", "titles_fts"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


async def test_teaser_never_shadows_the_full_story(
    catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    teaser = make_draft(
        "Bringing Teams to the table", "A decade ago...", slug=None, kind=ArticleKind.TEASER
    )
    full = make_draft("Bringing Teams to the table", "The whole story.", "More of it.")
    t = await catalogue.upsert(teaser, analysis_of(teaser))
    f = await catalogue.upsert(full, analysis_of(full))
    again = await catalogue.upsert(teaser, analysis_of(teaser))

    assert t.outcome is UpsertOutcome.ADDED
    assert f.outcome is UpsertOutcome.UPDATED  # the teaser row became the full story
    assert f.article_id == t.article_id
    assert again.outcome is UpsertOutcome.UNCHANGED
    assert again.article_id == f.article_id
    assert await catalogue.count() == 1
    stored = await catalogue.get(f.article_id)
    assert stored is not None
    assert stored.kind is ArticleKind.FULL
    hits = await catalogue.search("teams table", 5)
    assert [h.kind for h in hits] == ["full"]


async def test_teaser_after_the_full_story_is_not_stored(
    catalogue: Catalogue, make_draft: MakeDraft
) -> None:
    full = make_draft("Automating CX", "The whole story.")
    teaser = make_draft("Automating  cx", "Lede.", slug=None, kind=ArticleKind.TEASER)
    f = await catalogue.upsert(full, analysis_of(full))
    assert await catalogue.known_hash(teaser) == teaser.content_hash
    t = await catalogue.upsert(teaser, analysis_of(teaser))
    assert (t.outcome, t.article_id) == (UpsertOutcome.UNCHANGED, f.article_id)
    assert await catalogue.count() == 1


async def test_metadata_change_updates(catalogue: Catalogue, make_draft: MakeDraft) -> None:
    draft = make_draft("T", "B.", url="https://example.com/t", slug=None, source="A")
    moved = make_draft("T", "B.", url="https://example.com/t", slug=None, source="B")
    first = await catalogue.upsert(draft, analysis_of(draft))
    second = await catalogue.upsert(moved, analysis_of(moved))
    assert second.outcome is UpsertOutcome.UPDATED
    assert second.article_id == first.article_id
    stored = await catalogue.get(first.article_id)
    assert stored is not None
    assert stored.source == "B"


async def test_upsert_many_is_all_or_nothing(catalogue: Catalogue, make_draft: MakeDraft) -> None:
    assert isinstance(catalogue, SqliteCatalogue)
    good = [make_draft() for _ in range(3)]
    results = await catalogue.upsert_many((d, analysis_of(d)) for d in good)
    assert [r.outcome for r in results] == [UpsertOutcome.ADDED] * 3

    more = [make_draft() for _ in range(3)]
    broken = Analysis(sentences=analysis_of(more[1]).sentences * 2, summary_ranking=())
    items = [(more[0], analysis_of(more[0])), (more[1], broken), (more[2], analysis_of(more[2]))]
    with pytest.raises(sqlite3.IntegrityError):
        await catalogue.upsert_many(items)
    assert await catalogue.count() == 3
    assert await catalogue.get_by_slug(more[0].slug or "") is None
    # the catalogue is still usable after the rollback
    ok = await catalogue.upsert(more[0], analysis_of(more[0]))
    assert ok.outcome is UpsertOutcome.ADDED


async def test_concurrent_upserts(catalogue: Catalogue, make_draft: MakeDraft) -> None:
    drafts = [make_draft() for _ in range(40)]
    twice = drafts + drafts[:10]
    results = await asyncio.gather(*(catalogue.upsert(d, analysis_of(d)) for d in twice))
    assert sum(r.outcome is UpsertOutcome.ADDED for r in results) == 40
    assert sum(r.outcome is UpsertOutcome.UNCHANGED for r in results) == 10
    assert await catalogue.count() == 40
    reads = await asyncio.gather(*(catalogue.get_by_slug(d.slug or "") for d in drafts))
    assert all(r is not None for r in reads)


async def test_data_survives_reopen(backend: Backend, make_draft: MakeDraft) -> None:
    first = await backend.open()
    draft = make_draft()
    result = await first.upsert(draft, analysis_of(draft))
    await first.close()
    second = await backend.open()
    try:
        again = await second.upsert(draft, analysis_of(draft))
        assert again.outcome is UpsertOutcome.UNCHANGED
        assert again.article_id == result.article_id
    finally:
        await second.close()


async def test_reads_never_see_half_an_update(catalogue: Catalogue, make_draft: MakeDraft) -> None:
    short = make_draft("Flip", "A short body.", slug="flip")
    long = make_draft(
        "Flip", "A much longer body than before.", "And a second paragraph.", slug="flip"
    )
    first = await catalogue.upsert(short, analysis_of(short))

    async def writer() -> None:
        for i in range(30):
            draft = long if i % 2 == 0 else short
            await catalogue.upsert(draft, analysis_of(draft))

    async def reader() -> int:
        checked = 0
        for _ in range(60):
            stored = await catalogue.get(first.article_id)
            assert stored is not None
            assert len(stored.analysis.sentences) == len(stored.paragraphs) + 1
            for sentence in stored.analysis.sentences:
                assert stored.text[sentence.start : sentence.end] == sentence.text
            checked += 1
        return checked

    _, checked = await asyncio.gather(writer(), reader())
    assert checked == 60
