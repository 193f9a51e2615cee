"""A database that takes no writes (read-only, disk full) stops a feed poll once, with
SQLite's reason, the way it stops a file ingest: no entry is blamed for it, no traceback per
entry, and the next poll (the database writable again) stores every entry."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.feeds.store import FullText
from tests.feeds.conftest import FeedServer, Reply, Rig
from tests.feeds.content import Item, rss20, story

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
READ_ONLY = "attempt to write a readonly database"


async def _query_only(connection: Any, on: bool) -> None:
    """``PRAGMA query_only``: what a read-only file (chmod, a read-only mount) gives."""
    await connection.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


async def test_a_read_only_database_stops_the_poll_with_its_reason(
        server: FeedServer, rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    items = [Item(f"Story {n}", server.url(f"/s/{n}"), story(n)) for n in range(3)]
    url = server.serve("/feed", Reply(rss20(items), etag='"v1"'))
    feed = await rig.store.add(url, interval_minutes=15, full_text=FullText.NEVER,
                               added_by="test", now=T0)
    writers = [rig.catalogue._db, rig.store._db]  # type: ignore[attr-defined]
    for writer in writers:
        await _query_only(writer, True)
    with caplog.at_level(logging.INFO):
        report = await rig.service.poll(feed.id)
    assert report.error == f"cannot write to the database file {rig.path} ({READ_ONLY})"
    assert report.ingest.rejected == []  # no entry is blamed for the database's state
    assert not [r for r in caplog.records if r.exc_info]  # no traceback, let alone one each
    assert await rig.catalogue.count() == 0
    for writer in writers:
        await _query_only(writer, False)
    retry = await rig.service.poll(feed.id)
    assert (retry.error, retry.fresh, retry.ingest.added) == (None, 3, 3)


async def test_ingest_url_stops_the_same_way(server: FeedServer, rig: Rig) -> None:
    url = server.serve("/feed", Reply(rss20([Item("Story 1", server.url("/s/1"), story(1))])))
    await _query_only(rig.catalogue._db, True)  # type: ignore[attr-defined]
    report = await rig.service.ingest_url(url, FullText.NEVER)
    assert report.error == f"cannot write to the database file {rig.path} ({READ_ONLY})"
    assert report.ingest.rejected == []
