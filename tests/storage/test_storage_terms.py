"""The stemmed search index is built for articles stored before it existed, and rebuilt when
the term rules change."""

from __future__ import annotations

import aiosqlite

from bot.catalogue import terms
from bot.sqlite_backend import sqlite_path
from tests.storage.storage_kit import Backend, MakeDraft, analysis_of


async def test_articles_stored_before_the_index_are_found(
    backend: Backend, make_draft: MakeDraft
) -> None:
    catalogue = await backend.open()
    draft = make_draft("Glacier retreat alarms scientists", "The glaciers are retreating.")
    await catalogue.upsert(draft, analysis_of(draft))
    await catalogue.close()
    async with aiosqlite.connect(sqlite_path(backend.url)) as db:  # as an older newsbot left it
        await db.execute("DELETE FROM articles_terms")
        await db.execute("DELETE FROM search_terms_version")
        await db.commit()
    catalogue = await backend.open()
    try:
        hits = await catalogue.search("glacier retreating", 5)
        assert [h.title for h in hits] == ["Glacier retreat alarms scientists"]
    finally:
        await catalogue.close()


async def test_new_term_rules_rebuild_the_index(
    backend: Backend, make_draft: MakeDraft
) -> None:
    catalogue = await backend.open()
    draft = make_draft("Runner breaks 5,000m record", "A record over 5,000m.")
    await catalogue.upsert(draft, analysis_of(draft))
    await catalogue.close()
    async with aiosqlite.connect(sqlite_path(backend.url)) as db:
        await db.execute("UPDATE articles_terms SET title = 'stale', body = 'stale'")
        await db.execute("UPDATE search_terms_version SET version = ?", (terms.VERSION - 1,))
        await db.commit()
    catalogue = await backend.open()
    try:
        hits = await catalogue.search("five thousand metres", 5)
        assert [h.title for h in hits] == ["Runner breaks 5,000m record"]
    finally:
        await catalogue.close()


async def test_a_deleted_or_updated_article_leaves_no_stale_terms(
    backend: Backend, make_draft: MakeDraft
) -> None:
    catalogue = await backend.open()
    try:
        draft = make_draft("Volcano erupts", "Lava reached the coast.", url="https://x.test/v")
        await catalogue.upsert(draft, analysis_of(draft))
        changed = make_draft("Volcano quiet again", "The ash has settled.", url="https://x.test/v")
        await catalogue.upsert(changed, analysis_of(changed))
        assert await catalogue.search("lava coast", 5) == []
        assert [h.title for h in await catalogue.search("ash settled", 5)] == [
            "Volcano quiet again"]
    finally:
        await catalogue.close()
