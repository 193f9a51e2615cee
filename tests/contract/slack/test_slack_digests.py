"""``/news digest ...`` through real Bolt (Socket Mode) and the fake Slack, with the real engine,
the real digest core (``open_newsbot``) and its SQLite store in the catalogue's file."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.slack import SlackAdapter, SlackDeliverer, build_client
from adapters.slack.managers import Managers
from adapters.slack.render import escape_plain
from bot.app import open_newsbot
from bot.digests.commands import DigestCommands
from bot.digests.model import Outcome
from bot.digests.scheduler import DigestScheduler
from bot.engine import Engine
from bot.settings import Settings
from tests.fakes.slack_fake import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.unit.digests.kit import add_article, finished_runs

CHANNEL = "C0NEWS"
OWNER, MEMBER, LISTED = "U0OWNER", "U0ALICE", "U0ADMIN"
REFUSAL = "Only members who can manage this channel"


class Clock:
    """A fixed clock."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(second=0, microsecond=0)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Kit:
    adapter: SlackAdapter
    fake: FakeSlack
    commands: DigestCommands
    clock: Clock
    engine: Engine
    scheduler: DigestScheduler | None = None


@pytest.fixture
async def kit(fake_slack: FakeSlack, seeded_db: Path) -> AsyncIterator[Kit]:
    """The adapter in Socket Mode over the real core, digests running as in ``newsbot run``."""
    fake_slack.users = {OWNER: {"is_owner": True}, MEMBER: {}, "U0BOSS": {"is_admin": True}}
    clock = Clock()
    # No rate limit: these tests send a dozen commands in a second.
    settings = Settings(database_url=f"sqlite:///{seeded_db}", answers={"burst": 0})
    async with open_newsbot(settings, clock=clock) as app:
        adapter = SlackAdapter(
            app,
            BOT_TOKEN,
            app_token=APP_TOKEN,
            api_base_url=fake_slack.api_url,
            admin_user_ids=frozenset({LISTED}),
        )
        adapter.deliverer = SlackDeliverer(adapter.client, min_interval=0.05)
        app.attach(adapter)  # what ``newsbot run`` does
        await adapter.connect()
        await fake_slack.wait_until(lambda: fake_slack.connected, what="socket connection")
        await app.start()
        assert app.digests is not None
        assert isinstance(app.engine, Engine)
        scheduler = app.digest_scheduler
        yield Kit(adapter, fake_slack, app.digests, clock, app.engine, scheduler)


async def news(kit: Kit, text: str, *, user: str = OWNER, channel: str = CHANNEL) -> Any:
    """Send ``/news <text>``; returns the first response_url post (the answer)."""
    payload = kit.fake.slash_command(text, user=user, channel=channel)
    key = payload["response_url"].rsplit("/", 1)[1]
    await kit.fake.send_envelope("slash_commands", payload)
    await kit.fake.wait_until(lambda: any(r.key == key for r in kit.fake.responses), what=text)
    return next(r.body for r in kit.fake.responses if r.key == key)


def blocks_of(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params["blocks"]
    return list(json.loads(blocks) if isinstance(blocks, str) else blocks)


def headers(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "header"]


def fields(body: dict[str, Any]) -> str:
    return json.dumps([b.get("fields") for b in body["blocks"] if b.get("fields")])


FRESH = ("Harbour ferry returns", "Footbridge vote delayed", "Quay market reopens",
         "Lighthouse keeper retires", "Tide tables corrected")


async def add_fresh_stories(kit: Kit) -> list[str]:
    """An hour later, five known stories a minute apart, newer than every seed (seeds without a
    date carry their ingestion time): a digest holds them newest first."""
    kit.clock.now += timedelta(hours=1)
    for minutes, title in enumerate(FRESH, start=1):
        await add_article(kit.engine.catalogue, title, kit.clock() - timedelta(minutes=minutes))
    return [escape_plain(title) for title in FRESH]


async def test_owner_subscribes_and_the_digest_arrives_once(kit: Kit) -> None:
    body = await news(kit, "digest subscribe daily 09:00 tz Europe/London max 3 style titles")
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("Digest #1 set up: daily at 09:00 (Europe/London), up to 3")
    (sub,) = await kit.commands.store.find("slack", "T0001", CHANNEL)
    assert (sub.max_stories, sub.style.value, sub.created_by) == (3, "titles", OWNER)

    fresh = await add_fresh_stories(kit)
    done = await news(kit, "digest now 1")
    assert done["response_type"] == "ephemeral"
    assert "Posted digest #1." in done["text"]
    (post,) = kit.fake.posts_to(CHANNEL)
    assert headers(blocks_of(post.params)) == fresh[:3]
    assert post.params["text"].startswith("Your news digest: 3 new stories, newest first.")

    again = await news(kit, "digest now 1")
    assert "already posted this minute" in again["text"]
    assert await kit.commands.service.run_slot(1, kit.clock()) is Outcome.DUPLICATE
    assert len(kit.fake.posts_to(CHANNEL)) == 1


async def test_member_is_refused_and_admins_are_asked_once(kit: Kit) -> None:
    refused = await news(kit, "digest subscribe daily 09:00", user=MEMBER)
    assert refused["response_type"] == "ephemeral"
    assert REFUSAL in refused["text"]
    await news(kit, "digest subscribe weekdays 08:30", user=MEMBER)
    assert await kit.commands.store.find() == []
    assert len(kit.fake.calls_to("users.info")) == 1  # cached per user
    listed = await news(kit, "digest subscribe daily 07:00", user=LISTED)
    boss = await news(kit, "digest subscribe daily 08:00", user="U0BOSS")
    assert "Digest #1 set up" in listed["text"]
    assert "Digest #2 set up" in boss["text"]
    assert [c.params["user"] for c in kit.fake.calls_to("users.info")] == [MEMBER, "U0BOSS"]
    now = await news(kit, "digest now 1", user=MEMBER)
    assert REFUSAL in now["text"]
    assert kit.fake.posts_to(CHANNEL) == []


async def test_list_unsubscribe_and_usage(kit: Kit) -> None:
    await news(kit, 'digest subscribe "0 9 * * 1-5" topic harbour bridge style full')
    listed = await news(kit, "digest list", user=MEMBER)  # anyone may look
    assert listed["response_type"] == "ephemeral"
    assert "#1 cron 0 9 * * 1-5" in json.dumps(listed["blocks"])
    shown = fields(listed)
    for name in ("Channel", "Stories", "Topic", "Status", "Next", "Last run"):
        assert f"*{name}*" in shown
    assert "harbour bridge" in shown
    bad = await news(kit, "digest subscribe tz Europe/London")
    assert bad["response_type"] == "ephemeral"
    assert "needs a schedule first" in json.dumps(bad["blocks"])
    assert "/news digest subscribe &lt;schedule&gt;" in json.dumps(bad["blocks"])
    hour = await news(kit, "digest subscribe daily 25:00")
    assert "25:00 is not a time of day: use HH:MM between 00:00 and 23:59." in hour["text"]
    assert hour["response_type"] == "ephemeral"
    gone = await news(kit, "digest unsubscribe 1")
    assert gone["text"] == "Digest #1 removed."
    empty = await news(kit, "digest list")
    assert empty["text"].startswith("No digests here yet")


async def test_channel_not_found_pauses_the_subscription(kit: Kit) -> None:
    await news(kit, "digest subscribe daily 09:00")
    kit.fake.channel_errors[CHANNEL] = "channel_not_found"
    done = await news(kit, "digest now 1")
    assert "paused" in done["text"]
    listed = await news(kit, "digest list")
    assert "paused: delivery refused: channel_not_found" in fields(listed)
    del kit.fake.channel_errors[CHANNEL]
    resumed = await news(kit, "digest resume 1")
    assert resumed["text"].startswith("Digest #1 resumed.")


async def test_refused_token_pauses_no_subscription(kit: Kit) -> None:
    """A revoked token fails every channel alike: retry later, never pause them one by one."""
    await news(kit, "digest subscribe daily 09:00")
    await news(kit, "digest subscribe daily 09:00", channel="C0OTHER")
    kit.fake.token_error = "token_revoked"
    subscriptions = await kit.commands.store.find()
    assert len(subscriptions) == 2
    for sub in subscriptions:
        assert await kit.commands.service.run_slot(sub.id, kit.clock()) is Outcome.RETRY
    assert not any(sub.paused for sub in await kit.commands.store.find())
    kit.fake.token_error = None  # the operator fixed the token: the next slot posts
    kit.clock.now += timedelta(minutes=1)
    assert await kit.commands.service.run_slot(subscriptions[0].id, kit.clock()) is Outcome.POSTED


async def test_preview_is_private_and_dm_is_refused(kit: Kit) -> None:
    await news(kit, "digest subscribe daily 09:00")
    fresh = await add_fresh_stories(kit)
    preview = await news(kit, "digest preview 1", user=MEMBER)
    assert preview["response_type"] == "ephemeral"
    assert preview["text"].startswith("Preview of digest #1, due ")
    assert headers(preview["blocks"]) == fresh
    assert kit.fake.posts_to(CHANNEL) == []
    dm = await news(kit, "digest list", channel="D0ALICE")
    assert "posted into channels" in dm["text"]


async def test_admin_check_cache_expires_and_failures_refuse(fake_slack: FakeSlack) -> None:
    fake_slack.users = {"U1": {"is_admin": True}}
    ticks = [0.0]
    managers = Managers(build_client(BOT_TOKEN, fake_slack.api_url), clock=lambda: ticks[0])
    assert await managers.can_manage("U1")
    fake_slack.users["U1"] = {}  # demoted: still trusted until the cache entry expires
    assert await managers.can_manage("U1")
    ticks[0] += 301
    assert not await managers.can_manage("U1")
    assert not await managers.can_manage("U404")  # users.info error: refused, asked again soon
    ticks[0] += 31
    fake_slack.users["U404"] = {"is_primary_owner": True}
    assert await managers.can_manage("U404")
    assert [c.params["user"] for c in fake_slack.calls_to("users.info")] == [
        "U1",
        "U1",
        "U404",
        "U404",
    ]


async def test_a_scheduled_digest_arrives_through_the_scheduler(kit: Kit) -> None:
    """Not ``digest now``: the subscription's APScheduler job fires and the digest reaches the
    channel through Bolt's client and the fake."""
    await news(kit, "digest subscribe daily 09:00 max 3")
    fresh = await add_fresh_stories(kit)
    scheduler = kit.scheduler
    assert scheduler is not None
    assert scheduler.next_run(1) is not None  # the subscribe command scheduled the job
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    scheduler.scheduler.modify_job("digest:1", next_run_time=due)
    scheduler.scheduler.wakeup()
    await kit.fake.wait_until(lambda: bool(kit.fake.posts_to(CHANNEL)), what="scheduled post")
    (post,) = kit.fake.posts_to(CHANNEL)
    assert headers(blocks_of(post.params)) == fresh[:3]
    [run] = await finished_runs(kit.commands.store, 1)
    assert (run.slot_at, run.status.value) == (due, "posted")
    assert await kit.commands.service.run_slot(1, due) is Outcome.DUPLICATE
    assert len(kit.fake.posts_to(CHANNEL)) == 1
