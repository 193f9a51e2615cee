"""Feeds into digests, end to end: a local HTTP feed is polled into the real SQLite catalogue and
a real ``DigestService`` posts from it (recording deliverer, injected clock)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.digests.model import Outcome, Subscription
from bot.digests.service import DigestService
from bot.digests.sqlite_store import SqliteDigestStore
from bot.feeds.fetch import Fetcher
from bot.feeds.service import FeedService
from bot.feeds.sqlite_store import SqliteFeedStore
from bot.feeds.store import Feed, FullText
from bot.models import PARAGRAPH_SEPARATOR, Analysis, ArticleDraft, Sentence
from tests.feeds.conftest import FeedServer, Reply, plain_analyser
from tests.feeds.content import Item, rss20, story
from tests.unit.digests.kit import FakeClock, RecordingDeliverer, subscribe

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


@dataclass
class Desk:
    """Feeds and digests on one SQLite file, both on the test clock."""

    feeds: FeedService
    digests: DigestService
    catalogue: Catalogue
    deliverer: RecordingDeliverer
    clock: FakeClock

    async def add_feed(self, url: str) -> Feed:
        return await self.feeds.store.add(url, interval_minutes=15, full_text=FullText.NEVER,
                                          added_by="test", now=self.clock())

    async def subscription(self) -> Subscription:
        sub = await subscribe(self.digests.store, self.clock)
        assert isinstance(sub, Subscription)
        return sub


@pytest.fixture
async def desk(tmp_path: Path, fetcher: Fetcher) -> AsyncIterator[Desk]:
    db = tmp_path / "newsbot.db"
    clock = FakeClock(T0)
    catalogue = await open_catalogue(f"sqlite:///{db}", clock)
    feed_store, digest_store = SqliteFeedStore(str(db)), SqliteDigestStore(str(db))
    await feed_store.open()
    await digest_store.open()
    deliverer = RecordingDeliverer()
    feeds = FeedService(feed_store, catalogue, fetcher, analyser=plain_analyser, clock=clock)
    digests = DigestService(digest_store, catalogue, {"console": deliverer}, clock=clock)
    yield Desk(feeds, digests, catalogue, deliverer, clock)
    await digest_store.close()
    await feed_store.close()
    await catalogue.close()


async def test_an_edited_entry_without_a_link_updates_its_article_and_is_not_posted_again(
        server: FeedServer, desk: Desk) -> None:
    v1 = Item("Ferry timetable", None, story(1), guid="tag:gazette,2026:ferry")
    v2 = Item("Ferry timetable (corrected)", None, story(1, extra=" (times corrected)"),
              guid="tag:gazette,2026:ferry")
    feed = await desk.add_feed(server.serve("/feed", [Reply(rss20([v1])), Reply(rss20([v2]))]))
    sub = await desk.subscription()
    first = await desk.feeds.poll(feed.id)
    assert first.ingest.added == 1
    [stored] = await desk.catalogue.latest(5)
    assert await desk.digests.run_now(sub.id) is Outcome.POSTED
    assert desk.deliverer.titles() == ["Ferry timetable"]

    desk.clock.advance(hours=1)
    second = await desk.feeds.poll(feed.id)
    assert (second.fresh, second.ingest.updated, second.ingest.added) == (1, 1, 0)
    after = await desk.catalogue.latest(5)
    assert [(h.id, h.title) for h in after] == [(stored.id, "Ferry timetable (corrected)")]
    desk.clock.advance(hours=1)
    assert await desk.digests.run_now(sub.id) is Outcome.EMPTY
    assert len(desk.deliverer.sent) == 1


async def test_a_changed_entry_found_already_stored_keeps_its_article_id(
        server: FeedServer, desk: Desk) -> None:
    original = Item("Footbridge saved", server.url("/s/bridge"), story(1))
    # Only the feed's author line changes: the entry is fresh, its text is already stored.
    edited = Item("Footbridge saved", server.url("/s/bridge"), story(1), author="Ada Penrose")
    feed = await desk.add_feed(server.serve("/feed", [Reply(rss20([original])),
                                                      Reply(rss20([edited]))]))
    await desk.feeds.poll(feed.id)
    [article] = await desk.catalogue.latest(5)
    [entry] = (await desk.feeds.store.seen(feed.id)).values()
    assert entry.article_id == article.id
    report = await desk.feeds.poll(feed.id)
    # The new author is recorded on the same article (it used to be skipped as unchanged).
    assert (report.fresh, report.ingest.updated, report.ingest.added) == (1, 1, 0)
    [entry] = (await desk.feeds.store.seen(feed.id)).values()
    assert entry.article_id == article.id
    assert await desk.feeds.store.is_full_text(article.id) is True


class CountingAnalyser:
    """One sentence per paragraph (offsets into the article text), counting the drafts it
    analysed: a metadata-only update must reuse the stored analysis, not analyse again."""

    def __init__(self) -> None:
        self.drafts: list[str] = []

    async def __call__(self, drafts: Sequence[ArticleDraft]) -> list[Analysis]:
        self.drafts += [d.title for d in drafts]
        return [self._one(d) for d in drafts]

    @staticmethod
    def _one(draft: ArticleDraft) -> Analysis:
        sentences, start = [], len(draft.title) + len(PARAGRAPH_SEPARATOR)
        for number, paragraph in enumerate(draft.paragraphs, start=1):
            sentences.append(Sentence(number - 1, paragraph, start, start + len(paragraph),
                                      number))
            start += len(paragraph) + len(PARAGRAPH_SEPARATOR)
        return Analysis(sentences=tuple(sentences), summary_ranking=(1, 0),
                        keywords=("footbridge",))


async def test_a_new_author_or_date_updates_the_article_without_analysis_or_a_repost(
        server: FeedServer, desk: Desk) -> None:
    analyser = CountingAnalyser()
    desk.feeds = FeedService(desk.feeds.store, desk.catalogue, desk.feeds.fetcher,
                             analyser=analyser, clock=desk.clock)
    link = server.url("/s/bridge")
    first = Item("Footbridge saved", link, story(1), "Tue, 03 Mar 2026 08:00:00 GMT")
    edited = Item("Footbridge saved", link, story(1), "Tue, 03 Mar 2026 08:45:00 GMT",
                  author="Ada Penrose")
    feed = await desk.add_feed(server.serve("/feed", [Reply(rss20([first])),
                                                      Reply(rss20([edited]))]))
    sub = await desk.subscription()
    await desk.feeds.poll(feed.id)
    [header] = await desk.catalogue.latest(5)
    before = await desk.catalogue.get(header.id)
    assert before is not None
    assert before.byline is None
    assert await desk.digests.run_now(sub.id) is Outcome.POSTED

    desk.clock.advance(hours=1)
    report = await desk.feeds.poll(feed.id)
    assert (report.fresh, report.ingest.updated, report.ingest.added) == (1, 1, 0)
    after = await desk.catalogue.get(header.id)
    assert after is not None
    assert (after.byline, after.published_at) == (
        "Ada Penrose", datetime(2026, 3, 3, 8, 45, tzinfo=UTC))
    assert after.analysis == before.analysis  # the stored analysis, kept whole
    assert analyser.drafts == ["Footbridge saved"]  # analysed once, at the first poll
    assert [h.id for h in await desk.catalogue.latest(5)] == [header.id]
    desk.clock.advance(hours=1)
    assert await desk.digests.run_now(sub.id) is Outcome.EMPTY  # never posted again
    assert len(desk.deliverer.sent) == 1

    # The same story seen first by another feed, with another author, changes nothing.
    other = await desk.add_feed(server.serve("/other", Reply(rss20(
        [Item("Footbridge saved", link, story(1), author="Someone Else")], title="Other"))))
    assert (await desk.feeds.poll(other.id)).ingest.unchanged == 1
    kept = await desk.catalogue.get(header.id)
    assert kept is not None
    assert (kept.byline, kept.source) == ("Ada Penrose", "Marlow Vale Gazette")


async def test_an_entry_stored_under_its_content_hash_is_adopted_by_its_guid_on_edit(
        server: FeedServer, desk: Desk, tmp_path: Path) -> None:
    v1 = Item("Ferry timetable", None, story(1), guid="tag:gazette,2026:ferry")
    v2 = Item("Ferry timetable (corrected)", None, story(1, extra=" (times corrected)"),
              guid="tag:gazette,2026:ferry")
    feed = await desk.add_feed(server.serve("/feed", [Reply(rss20([v1])), Reply(rss20([v2]))]))
    await desk.feeds.poll(feed.id)
    [stored] = await desk.catalogue.latest(5)
    # As stored before link-less entries had a stable identity: by their content hash.
    with sqlite3.connect(tmp_path / "newsbot.db") as conn:
        conn.execute("UPDATE articles SET identity = 'hash:' || content_hash")
    second = await desk.feeds.poll(feed.id)
    assert (second.fresh, second.ingest.updated, second.ingest.added) == (1, 1, 0)
    after = await desk.catalogue.latest(5)
    assert [(h.id, h.title) for h in after] == [(stored.id, "Ferry timetable (corrected)")]
    with sqlite3.connect(tmp_path / "newsbot.db") as conn:
        [(ident,)] = conn.execute("SELECT identity FROM articles").fetchall()
    assert ident.startswith("slug:ferry-timetable") is False  # the guid's slug, not the title's
    assert ident.startswith("slug:taggazette2026ferry-")


async def test_an_entry_that_already_has_its_identity_is_not_adopted_again(
        server: FeedServer, desk: Desk, tmp_path: Path) -> None:
    versions = [Item("Ferry timetable", None, story(1, extra=f" (version {n})"),
                     guid="tag:gazette,2026:ferry") for n in (1, 2, 3)]
    feed = await desk.add_feed(server.serve("/feed", [Reply(rss20([v])) for v in versions]))
    await desk.feeds.poll(feed.id)
    with sqlite3.connect(tmp_path / "newsbot.db") as conn:
        conn.execute("UPDATE articles SET identity = 'hash:' || content_hash")
    # Every statement the catalogue's one writer connection runs (a private attribute: the
    # point is what reaches SQLite, which no public method shows).
    writes: list[str] = []
    await desk.catalogue._db.set_trace_callback(writes.append)  # type: ignore[attr-defined]
    moves = [await desk.feeds.poll(feed.id) for _ in range(2)]  # versions 2 and 3, both edits
    adoptions = [sql for sql in writes if "identity LIKE 'hash:%'" in sql]
    assert len(adoptions) == 1  # version 2 moved it; version 3 found it moved and wrote nothing
    assert [(m.fresh, m.ingest.updated, m.ingest.added) for m in moves] == [(1, 1, 0)] * 2
    [stored] = await desk.catalogue.latest(5)
    assert "(version 3)" in stored.lede


async def test_a_new_feed_story_reaches_the_next_digest_once(
        server: FeedServer, desk: Desk) -> None:
    old = Item("Bridge vote", server.url("/s/1"), story(1), "Tue, 03 Mar 2026 08:00:00 GMT")
    new = Item("Ferry returns", server.url("/s/2"), story(2), "Tue, 03 Mar 2026 10:30:00 GMT")
    feed = await desk.add_feed(server.serve("/feed", [Reply(rss20([old])),
                                                      Reply(rss20([new, old]))]))
    sub = await desk.subscription()
    await desk.feeds.poll(feed.id)
    assert await desk.digests.run_now(sub.id) is Outcome.POSTED
    desk.clock.set(datetime(2026, 3, 3, 11, 0, tzinfo=UTC))
    report = await desk.feeds.poll(feed.id)
    assert (report.ingest.added, report.ingest.unchanged) == (1, 0)
    assert await desk.digests.run_now(sub.id) is Outcome.POSTED
    desk.clock.advance(hours=1)
    await desk.feeds.poll(feed.id)
    assert await desk.digests.run_now(sub.id) is Outcome.EMPTY
    assert [desk.deliverer.titles(i) for i in range(len(desk.deliverer.sent))] == [
        ["Bridge vote"], ["Ferry returns"]]
