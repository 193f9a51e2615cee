"""Polling into the real SQLite catalogue (trivial analyser): dedupe, updates, excerpts and
pages, conditional GET, bad input recorded per feed, health and the 24-hour report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from bot.admin import AdminReports
from bot.feeds.service import FeedService
from bot.feeds.store import Feed, FullText
from bot.messages import Answer, Place
from bot.models import Analysis, ArticleDraft, ArticleKind
from tests.feeds.conftest import FeedServer, Reply, Rig, plain_analyser
from tests.feeds.content import Item, atom, excerpt, json_feed, page, rss20, story

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


async def add(rig: Rig, url: str, mode: FullText = FullText.AUTO) -> Feed:
    return await rig.store.add(url, interval_minutes=15, full_text=mode, added_by="test", now=T0)


async def test_poll_stores_articles_then_304_costs_nothing(server: FeedServer, rig: Rig) -> None:
    items = [Item(f"Story {n}", server.url(f"/s/{n}"), story(n), "Tue, 03 Mar 2026 08:00:00 GMT")
             for n in range(3)]
    feed = await add(rig, server.serve("/feed", Reply(rss20(items), etag='"1"')))
    report = await rig.service.poll(feed.id)
    assert (report.ingest.added, report.error, report.pages) == (3, None, 0)
    headers = await rig.catalogue.latest(10)
    assert {h.kind for h in headers} == {"full"}
    assert {h.source for h in headers} == {
        "Marlow Vale Gazette"}
    again = await rig.service.poll(feed.id)
    assert again.not_modified
    assert again.ingest.added == 0
    health = await rig.store.get(feed.id)
    assert health is not None
    assert health.last_success is not None
    assert (health.consecutive_failures, health.articles, health.etag) == (0, 3, '"1"')


async def test_same_story_through_two_feeds_is_one_article(server: FeedServer, rig: Rig) -> None:
    shared = Item("Footbridge saved", server.url("/s/bridge?utm_source=rss"), story(1))
    no_link = Item("Ferry timetable", None, story(2))
    a = await add(rig, server.serve("/a", Reply(rss20([shared, no_link]))))
    shared_b = Item("Footbridge saved", server.url("/s/bridge?utm_campaign=atom&fbclid=x"),
                    story(1))
    b = await add(rig, server.serve("/b", Reply(atom([shared_b, no_link]),
                                                content_type="application/atom+xml")))
    first = await rig.service.poll(a.id)
    second = await rig.service.poll(b.id)
    assert first.ingest.added == 2
    assert (second.ingest.added, second.ingest.updated, second.ingest.unchanged) == (0, 0, 2)
    assert await rig.catalogue.count() == 2


async def test_changed_entry_updates_the_same_article(server: FeedServer, rig: Rig) -> None:
    v1 = Item("Bridge vote", server.url("/s/1"), story(1))
    v2 = Item("Bridge vote (corrected)", server.url("/s/1"), story(1, extra=" (updated)"))
    feed = await add(rig, server.serve("/feed", [Reply(rss20([v1])), Reply(rss20([v2]))]))
    await rig.service.poll(feed.id)
    before = await rig.catalogue.latest(5)
    report = await rig.service.poll(feed.id)
    after = await rig.catalogue.latest(5)
    assert report.ingest.updated == 1
    assert len(after) == 1
    assert after[0].id == before[0].id  # same id: a digest that sent it will not send it again
    assert after[0].title == "Bridge vote (corrected)"
    third = await rig.service.poll(feed.id)  # same document again: nothing to do
    assert (third.fresh, third.ingest.updated) == (0, 0)


async def test_excerpt_feed_reads_article_pages(server: FeedServer, rig: Rig) -> None:
    items = [Item(f"Story {n}", server.url(f"/p/{n}"), excerpt(n)) for n in range(2)]
    for n in range(2):
        server.serve(f"/p/{n}", Reply(page(f"Story {n}"), content_type="text/html"))
    feed = await add(rig, server.serve("/feed", Reply(rss20(items))))
    report = await rig.service.poll(feed.id)
    assert (report.ingest.added, report.pages, report.notes) == (2, 2, [])
    article = await rig.catalogue.get((await rig.catalogue.latest(1))[0].id)
    assert article is not None
    assert article.kind is ArticleKind.FULL
    text = article.text
    assert "Ada Penrose" in text
    assert "Copyright" not in text
    assert "tracker" not in text
    assert "console.log" not in text
    assert "Sport" not in text
    assert article.paragraphs[0].startswith("The council of Marlow Vale")
    await rig.service.poll(feed.id)  # the document again, same entries: pages not re-read
    assert server.hits("/p/0") == 1
    assert await rig.store.is_full_text(article.id) is True


async def test_unreadable_page_keeps_the_excerpt_as_a_teaser(server: FeedServer,
                                                             rig: Rig) -> None:
    items = [Item("Gone", server.url("/p/gone"), excerpt(1)),
             Item("Not html", server.url("/p/pdf"), excerpt(2))]
    server.serve("/p/pdf", Reply(b"%PDF-1.4", content_type="application/pdf"))
    feed = await add(rig, server.serve("/feed", Reply(rss20(items))))
    report = await rig.service.poll(feed.id)
    assert report.ingest.added == 2
    assert any("HTTP 404" in n for n in report.notes)
    assert any("not an HTML page" in n for n in report.notes)
    assert {h.kind for h in await rig.catalogue.latest(5)} == {"teaser"}


async def test_never_mode_then_full_feed_upgrades_the_teaser(server: FeedServer,
                                                             rig: Rig) -> None:
    short = await add(rig, server.serve("/short", Reply(rss20(
        [Item("Bridge vote", server.url("/s/1"), excerpt(1))]))), FullText.NEVER)
    full = await add(rig, server.serve("/full", Reply(json_feed(
        [Item("Bridge vote", server.url("/s/1?utm_source=json"), story(1))]),
        content_type="application/feed+json")))
    await rig.service.poll(short.id)
    teaser = (await rig.catalogue.latest(1))[0]
    assert teaser.kind == "teaser"
    assert server.hits("/s/1") == 0
    report = await rig.service.poll(full.id)
    upgraded = (await rig.catalogue.latest(5))
    assert report.ingest.updated == 1
    assert len(upgraded) == 1
    assert upgraded[0].id == teaser.id
    assert upgraded[0].kind == "full"
    await rig.service.poll(short.id)  # the excerpt again never downgrades the full story
    assert (await rig.catalogue.latest(1))[0].kind == "full"


async def test_no_link_no_date_uses_hash_and_ingestion_time(server: FeedServer,
                                                            rig: Rig) -> None:
    feed = await add(rig, server.serve("/feed", Reply(rss20([Item("Undated", None, story(1))]))))
    await rig.service.poll(feed.id)
    header = (await rig.catalogue.latest(1))[0]
    assert header.url is None
    assert header.published_estimated


@pytest.mark.parametrize(("reply", "reason"), [
    (Reply(rss20([Item("A", "http://127.0.0.1:1/a", story(1))])[:-40]), "malformed XML"),
    (Reply(page("Home"), content_type="text/html"), "not a feed: an HTML page"),
    (Reply(b"<rss>" + b"x" * (300 * 1024) + b"</rss>"), "too large"),
    (Reply(status=302, headers={"Location": "/feed"}), "redirect loop"),
    (Reply(status=410), "HTTP 410"),
])
async def test_bad_feeds_are_recorded_with_a_reason(server: FeedServer, rig: Rig, reply: Reply,
                                                    reason: str) -> None:
    feed = await add(rig, server.serve("/feed", reply))
    report = await rig.service.poll(feed.id)
    assert report.error is not None
    assert reason in report.error
    health = await rig.store.get(feed.id)
    assert health is not None
    assert health.consecutive_failures == 1
    assert health.last_error is not None
    assert reason in health.last_error
    assert await rig.catalogue.count() == 0


async def test_a_failed_entry_is_retried_not_hidden_behind_304(server: FeedServer,
                                                               rig: Rig) -> None:
    items = [Item(f"Story {n}", server.url(f"/s/{n}"), story(n)) for n in range(3)]
    feed = await add(rig, server.serve("/feed", Reply(rss20(items), etag='"v1"')))

    async def flaky(drafts: Sequence[ArticleDraft]) -> list[Analysis]:
        if any(d.title == "Story 1" for d in drafts):
            raise RuntimeError("model crashed")
        return await plain_analyser(drafts)

    rig.service._analyser = flaky
    report = await rig.service.poll(feed.id)
    assert report.ingest.added == 2
    assert report.ingest.rejected == [
        (server.url("/s/1"), "analysis failed (RuntimeError)")]
    stored = await rig.store.get(feed.id)
    assert stored is not None
    assert stored.etag is None
    assert stored.last_rejected
    assert "analysis failed" in stored.last_rejected
    rig.service._analyser = plain_analyser
    retry = await rig.service.poll(feed.id)
    assert (retry.not_modified, retry.fresh, retry.ingest.added) == (False, 1, 1)
    assert (await rig.store.get(feed.id)).etag == '"v1"'  # type: ignore[union-attr]


class Admin:
    def __init__(self, fail_first: int = 0) -> None:
        self.sent: list[tuple[Place, Answer]] = []
        self.fail_first = fail_first

    async def deliver(self, place: Place, answer: Answer) -> None:
        if self.fail_first:
            self.fail_first -= 1
            raise ConnectionError("adapter not connected yet")
        self.sent.append((place, answer))


async def test_failing_for_a_day_is_reported_once_per_streak(server: FeedServer,
                                                             rig: Rig) -> None:
    now = [T0]
    admin = Admin()
    place = Place(platform="slack", channel="C-ADMIN")
    service = FeedService(rig.store, rig.catalogue, rig.service.fetcher,
                          analyser=plain_analyser, clock=lambda: now[0],
                          admins=AdminReports(place, {"slack": admin}))
    feed = await add(rig, server.serve("/feed", [Reply(status=404)] * 5 + [Reply(rss20([]))]
                                       + [Reply(status=404)] * 3))
    for hours in (0, 12, 24, 25):
        now[0] = T0 + timedelta(hours=hours)
        await service.poll(feed.id)
    assert len(admin.sent) == 1
    assert admin.sent[0][0] == place
    text = admin.sent[0][1].lead
    assert f"Feed #{feed.id}" in text
    assert "HTTP 404" in text
    assert "2026-03-03 09:00" in text
    now[0] = T0 + timedelta(hours=26)
    await service.poll(feed.id)  # 5th failure
    now[0] = T0 + timedelta(hours=27)
    await service.poll(feed.id)  # recovers: the streak ends
    healthy = await rig.store.get(feed.id)
    assert healthy is not None
    assert healthy.consecutive_failures == 0
    for hours in (28, 40, 53):
        now[0] = T0 + timedelta(hours=hours)
        await service.poll(feed.id)
    assert len(admin.sent) == 2  # a new streak, a new report


async def test_storage_failure_rejects_the_entry_and_is_retried(
        server: FeedServer, rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    items = [Item(f"Story {n}", server.url(f"/s/{n}"), story(n)) for n in range(2)]
    feed = await add(rig, server.serve("/feed", Reply(rss20(items), etag='"v1"')))
    real_one = rig.catalogue.upsert

    async def broken_many(pairs: object) -> object:
        raise OSError("disk full")

    async def picky(draft: ArticleDraft, analysis: Analysis) -> object:
        if draft.title == "Story 1":
            raise OSError("disk full")
        return await real_one(draft, analysis)

    monkeypatch.setattr(rig.catalogue, "upsert_many", broken_many)
    monkeypatch.setattr(rig.catalogue, "upsert", picky)
    report = await rig.service.poll(feed.id)
    assert report.ingest.added == 1
    assert report.ingest.rejected == [(server.url("/s/1"), "could not be stored (OSError)")]
    assert await rig.catalogue.count() == 1
    monkeypatch.undo()
    retry = await rig.service.poll(feed.id)
    assert (retry.fresh, retry.ingest.added) == (1, 1)
    assert await rig.catalogue.count() == 2


async def test_unexpected_errors_show_in_health(server: FeedServer, rig: Rig) -> None:
    feed = await add(rig, server.serve("/feed", Reply(rss20([Item("A", None, story(1))]))))

    async def broken(draft: ArticleDraft) -> str | None:
        raise RuntimeError("database is locked")

    rig.catalogue.known_hash = broken  # type: ignore[method-assign]
    report = await rig.service.poll(feed.id)
    assert report.error == "unexpected error (RuntimeError)"
    health = await rig.store.get(feed.id)
    assert health is not None
    assert health.consecutive_failures == 1


async def test_an_undelivered_report_is_tried_again(server: FeedServer, rig: Rig) -> None:
    now = [T0]
    admin = Admin(fail_first=1)
    service = FeedService(rig.store, rig.catalogue, rig.service.fetcher,
                          analyser=plain_analyser, clock=lambda: now[0],
                          admins=AdminReports(Place("slack", "C-ADMIN"), {"slack": admin}),
                          report_after=timedelta(hours=1))
    feed = await add(rig, server.serve("/feed", Reply(status=404)))
    for hours in (0, 1, 2, 3):
        now[0] = T0 + timedelta(hours=hours)
        await service.poll(feed.id)
    assert len(admin.sent) == 1  # the failed delivery at 1 h, delivered at 2 h, not again at 3 h


async def test_a_poll_that_cannot_deliver_leaves_the_report_to_the_bot(
        server: FeedServer, rig: Rig) -> None:
    """``newsbot feeds poll`` (no deliverers) or a process without the admin channel's
    platform must not use up the streak's one report."""
    now = [T0]
    place = Place(platform="slack", channel="C-ADMIN")
    cli = FeedService(rig.store, rig.catalogue, rig.service.fetcher, analyser=plain_analyser,
                      clock=lambda: now[0], admins=AdminReports(place, {}))
    discord_only = FeedService(rig.store, rig.catalogue, rig.service.fetcher,
                               analyser=plain_analyser, clock=lambda: now[0],
                               admins=AdminReports(place, {"discord": Admin()}))
    admin = Admin()
    bot = FeedService(rig.store, rig.catalogue, rig.service.fetcher, analyser=plain_analyser,
                      clock=lambda: now[0], admins=AdminReports(place, {"slack": admin}))
    feed = await add(rig, server.serve("/feed", Reply(status=404)))
    await cli.poll(feed.id)
    now[0] = T0 + timedelta(hours=25)
    await cli.poll(feed.id)
    await discord_only.poll(feed.id)
    failing = await rig.store.get(feed.id)
    assert failing is not None
    assert (failing.consecutive_failures, failing.failure_reported) == (3, False)
    now[0] = T0 + timedelta(hours=26)
    await bot.poll(feed.id)
    assert len(admin.sent) == 1
    assert "has been failing since 2026-03-03 09:00 UTC (4 polls)" in admin.sent[0][1].lead


DESSERT = "Le café sert une crème brûlée."  # detectors read cp1252 as "crčme brűlée"


def western_page(title: str, *, meta: bool) -> bytes:
    """A plain cp1252 article page, with or without a <meta charset> naming it."""
    story = "The council of Marlow Vale voted on Tuesday to rebuild the old footbridge. " * 4
    declared = "<meta charset='windows-1252'>" if meta else ""
    return (f"<html><head>{declared}<title>{title}</title></head><body><article>"
            f"<h1>{title}</h1><p>{DESSERT}</p><p>{story}</p></article></body></html>"
            ).encode("cp1252")


@pytest.mark.parametrize(("content_type", "meta"), [
    ("text/html; charset=windows-1252", False),  # the header alone names it
    ("text/html", True),  # the page alone names it
    ("text/html", False),  # nobody names it: not UTF-8, so cp1252
])
async def test_non_utf8_pages_are_read_correctly(server: FeedServer, rig: Rig,
                                                 content_type: str, meta: bool) -> None:
    server.serve("/p/1", Reply(western_page("Friday on the quay", meta=meta),
                               content_type=content_type))
    feed = await add(rig, server.serve("/feed", Reply(rss20([
        Item("Friday on the quay", server.url("/p/1"), excerpt(1))]))))
    report = await rig.service.poll(feed.id)
    assert report.pages == 1
    [header] = await rig.catalogue.latest(1)
    stored = await rig.catalogue.get(header.id)
    assert stored is not None
    assert DESSERT in stored.paragraphs
    single = await rig.service.ingest_url(server.url("/p/1"))
    assert single.error is None


def test_undeclared_utf8_pages_stay_utf8() -> None:
    from bot.feeds.pages import decode_page

    assert decode_page(DESSERT.encode("utf-8")) == DESSERT
    assert decode_page(DESSERT.encode("cp1252")) == DESSERT
    assert decode_page(b"\xef\xbb\xbf" + DESSERT.encode("utf-8")) == DESSERT
    assert decode_page(DESSERT.encode("cp1252"), "no-such-charset") == DESSERT
