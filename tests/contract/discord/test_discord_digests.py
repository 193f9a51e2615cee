"""``/news digest ...`` through real discord.py and the fake Discord, with the real engine, the
real digest core (``open_newsbot``) and its SQLite store in the catalogue's file."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.discord import DiscordAdapter
from bot.app import Newsbot, open_newsbot
from bot.digests.commands import DigestCommands
from bot.digests.model import Outcome
from bot.digests.scheduler import DigestScheduler
from bot.engine import Engine
from bot.ratelimit import RateLimit
from bot.settings import Settings
from tests.contract.discord.conftest import StartBot
from tests.fakes.discord_fake import CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord
from tests.unit.digests.kit import add_article, finished_runs

ORIGINAL = r"/webhooks/\d+/[^/]+/messages/@original"
EPHEMERAL = 64


class Clock:
    """A fixed clock the test can move."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(second=0, microsecond=0)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Kit:
    bot: DiscordAdapter
    fake: FakeDiscord
    commands: DigestCommands
    clock: Clock
    engine: Engine
    scheduler: DigestScheduler | None = None


@pytest.fixture
async def kit(
    start_bot: StartBot, fake_discord: FakeDiscord, seeded_db: Path
) -> AsyncIterator[Kit]:
    """A bot over the real core, digests running on the catalogue's file (as ``newsbot run``)."""
    clock = Clock()
    # No rate limit: these tests send a dozen commands in a second.
    settings = Settings(database_url=f"sqlite:///{seeded_db}", answers={"burst": 0})
    async with open_newsbot(settings, clock=clock) as app:
        bot = await start_bot(app)
        app.attach(bot)
        await app.start()
        assert app.digests is not None
        assert isinstance(app.engine, Engine)
        scheduler = app.digest_scheduler
        yield Kit(bot, fake_discord, app.digests, clock, app.engine, scheduler)


async def digest(kit: Kit, action: str, options: dict[str, Any] | None = None, **kw: Any) -> Any:
    """Run ``/news digest <action>``; returns the message the user finally sees (a dict)."""
    payload = kit.fake.interaction(action, options, group="digest", **kw)
    await kit.fake.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (callback,) = await kit.fake.wait_request("POST", re.escape(path))
    if callback.body["type"] == 5:  # deferred: the answer replaces "thinking…"
        assert callback.body["data"]["flags"] & EPHEMERAL
        token = payload["token"]
        (edit,) = await kit.fake.wait_request("PATCH", rf"/webhooks/\d+/{token}/messages/@original")
        return edit.body
    assert callback.body["type"] == 4
    data = callback.body["data"]
    assert data["flags"] & EPHEMERAL, "digest answers are private"
    assert data["allowed_mentions"] == {"parse": []}
    return data


async def subscribe(kit: Kit, options: dict[str, Any] | None = None, **kw: Any) -> Any:
    return await digest(kit, "subscribe", {"schedule": "daily 09:00", **(options or {})}, **kw)


def posted(kit: Kit) -> list[dict[str, Any]]:
    return kit.fake.channel_messages[str(CHANNEL_ID)]


FRESH = ("Harbour ferry returns", "Footbridge vote delayed", "Quay market reopens",
         "Lighthouse keeper retires", "Tide tables corrected")


async def add_fresh_stories(kit: Kit) -> list[str]:
    """An hour later, five known stories a minute apart, newer than every seed (seeds without a
    date carry their ingestion time): a digest holds them newest first."""
    kit.clock.now += timedelta(hours=1)
    for minutes, title in enumerate(FRESH, start=1):
        await add_article(kit.engine.catalogue, title, kit.clock() - timedelta(minutes=minutes))
    return list(FRESH)


async def wait_for_posts(kit: Kit, count: int) -> list[dict[str, Any]]:
    for _ in range(500):
        if len(kit.fake.channel_messages.get(str(CHANNEL_ID), [])) >= count:
            break
        await asyncio.sleep(0.01)
    return posted(kit)


async def test_manager_subscribes_and_the_digest_arrives_once(kit: Kit) -> None:
    data = await subscribe(kit, {"timezone": "Europe/London", "max": 3, "style": "titles"})
    assert data["content"].startswith("Digest #1 set up: daily at 09:00 (Europe/London), up to 3")
    (sub,) = await kit.commands.store.find("discord", str(GUILD_ID), str(CHANNEL_ID))
    assert (sub.max_stories, sub.style.value, sub.created_by) == (3, "titles", str(USER_ID))

    fresh = await add_fresh_stories(kit)
    final = await digest(kit, "now", {"id": 1})
    assert "Posted digest #1." in final["content"]
    (message,) = posted(kit)
    titles = [e["title"] for e in message["embeds"]]
    assert titles == fresh[:3]
    assert message["content"].startswith("Your news digest: 3 new stories, newest first.")
    assert message["allowed_mentions"] == {"parse": []}

    again = await digest(kit, "now", {"id": 1})
    assert "already posted this minute" in again["content"]
    assert await kit.commands.service.run_slot(1, kit.clock()) is Outcome.DUPLICATE
    assert len(posted(kit)) == 1


async def test_non_manager_is_refused_and_nothing_is_stored(kit: Kit) -> None:
    data = await subscribe(kit, manage=False)
    assert "Only members who can manage this channel" in data["content"]
    assert await kit.commands.store.find() == []
    await subscribe(kit)
    refused = await digest(kit, "now", {"id": 1}, manage=False)
    assert "Only members who can manage this channel" in refused["content"]
    assert posted(kit) == []


async def test_list_unsubscribe_and_bad_input(kit: Kit) -> None:
    await subscribe(kit, {"topic": "harbour bridge", "style": "full"})
    listed = await digest(kit, "list")
    (embed,) = listed["embeds"]
    assert embed["title"].endswith("1 daily at 09:00 (UTC)")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert set(fields) >= {"Channel", "Stories", "Topic", "Status", "Next", "Last run"}
    assert fields["Topic"] == "harbour bridge"
    assert fields["Status"] == "active"
    bad = await digest(kit, "subscribe", {"schedule": "daily 25:00"})
    assert "**Note:** 25:00 is not a time of day: use HH:MM between 00:00 and 23:59." in (
        bad["content"])
    assert bad["flags"] & EPHEMERAL
    assert len(await kit.commands.store.find()) == 1
    zone = await subscribe(kit, {"timezone": "Mars/Olympus"})
    assert "Unknown time zone" in zone["content"]
    gone = await digest(kit, "unsubscribe", {"id": 1})
    assert gone["content"] == "Digest #1 removed."
    empty = await digest(kit, "list")
    assert empty["content"].startswith("No digests here yet")
    assert await kit.commands.store.find() == []


async def test_unknown_channel_pauses_the_subscription(kit: Kit) -> None:
    await subscribe(kit)
    kit.fake.unknown_channels.add(str(CHANNEL_ID))
    final = await digest(kit, "now", {"id": 1})
    assert "paused" in final["content"]
    listed = await digest(kit, "list")
    fields = {f["name"]: f["value"] for f in listed["embeds"][0]["fields"]}
    assert fields["Status"].startswith("paused: delivery refused: not found (HTTP 404")
    assert "Last error" in fields
    kit.fake.unknown_channels.clear()
    resumed = await digest(kit, "resume", {"id": 1})
    assert resumed["content"].startswith("Digest #1 resumed.")


async def test_preview_is_private_and_posts_nothing(kit: Kit) -> None:
    await subscribe(kit)
    fresh = await add_fresh_stories(kit)
    data = await digest(kit, "preview", {"id": 1})
    assert data["content"].startswith("Preview of digest #1, due ")
    assert [e["title"] for e in data["embeds"] if "title" in e] == fresh
    assert posted(kit) == []


async def test_timezone_and_id_autocomplete(kit: Kit) -> None:
    async def choices(action: str, options: dict[str, Any], focused: str) -> list[Any]:
        payload = kit.fake.interaction(action, options, group="digest", focused=focused)
        await kit.fake.dispatch("INTERACTION_CREATE", payload)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        (callback,) = await kit.fake.wait_request("POST", re.escape(path))
        assert callback.body["type"] == 8
        return list(callback.body["data"]["choices"])

    london = await choices("subscribe", {"schedule": "daily 09:00", "timezone": "lond"}, "timezone")
    assert london[0] == {"name": "Europe/London", "value": "Europe/London"}
    assert len(await choices("subscribe", {"timezone": "a"}, "timezone")) == 25
    await subscribe(kit)
    ids = await choices("now", {"id": ""}, "id")
    assert ids == [{"name": "#1 daily at 09:00 (UTC)", "value": 1}]


async def test_dm_and_unwired_bot_get_a_notice(
    start_bot: StartBot, fake_discord: FakeDiscord, engine: Engine
) -> None:
    app = Newsbot(engine, limit=RateLimit(0, 1.0))
    bot = await start_bot(app)
    kit = Kit(bot, fake_discord, None, Clock(), engine)  # type: ignore[arg-type]
    off = await digest(kit, "list")
    assert "not running" in off["content"]
    app.digests = _Never()  # type: ignore[assignment]
    dm = await digest(kit, "list", guild=False)
    assert "server channels" in dm["content"]
    app.digests = _Broken()  # type: ignore[assignment]
    broken = await digest(kit, "list")  # the core fails: the one handler answers with a ref
    assert re.fullmatch(
        r"Something went wrong \(ref [0-9a-f]{6}\)\. It has been logged\.", broken["content"]
    )


class _Broken:
    """Digest commands whose store fails (a locked database, say)."""

    handle = DigestCommands.handle

    async def list(self, user: Any, place: Any) -> Any:
        raise RuntimeError("database is locked at /srv/secret.db")

    async def choices(self, place: Any, typed: str = "") -> Any:
        raise RuntimeError("database is locked at /srv/secret.db")


async def test_failing_id_autocomplete_answers_no_choices(
    start_bot: StartBot, fake_discord: FakeDiscord, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    await start_bot(Newsbot(engine, digests=_Broken()))  # type: ignore[arg-type]
    payload = fake_discord.interaction("now", {"id": ""}, group="digest", focused="id")
    with caplog.at_level(logging.ERROR, logger="newsbot.discord"):
        await fake_discord.dispatch("INTERACTION_CREATE", payload)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        (callback,) = await fake_discord.wait_request("POST", re.escape(path))
    assert callback.body == {"type": 8, "data": {"choices": []}}
    (record,) = [r for r in caplog.records if "digest id autocomplete" in r.getMessage()]
    assert record.exc_info is not None


class _Never:
    """Digest commands whose store must not be reached: only the core's checks may answer."""

    handle = DigestCommands.handle

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"digest core called: {name}")


async def test_a_scheduled_digest_arrives_through_the_scheduler(kit: Kit) -> None:
    """Not ``digest now``: the subscription's APScheduler job fires and the digest reaches the
    channel through discord.py and the fake."""
    await subscribe(kit, {"max": 3})
    fresh = await add_fresh_stories(kit)
    scheduler = kit.scheduler
    assert scheduler is not None
    assert scheduler.next_run(1) is not None  # the subscribe command scheduled the job
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    scheduler.scheduler.modify_job("digest:1", next_run_time=due)
    scheduler.scheduler.wakeup()
    (message,) = await wait_for_posts(kit, 1)
    assert [e["title"] for e in message["embeds"]] == fresh[:3]
    [run] = await finished_runs(kit.commands.store, 1)
    assert (run.slot_at, run.status.value) == (due, "posted")
    assert await kit.commands.service.run_slot(1, due) is Outcome.DUPLICATE
    assert len(posted(kit)) == 1
