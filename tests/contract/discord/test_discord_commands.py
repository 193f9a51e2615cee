"""Each /news command round trip through real discord.py against the fake Discord."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

import aiohttp
import pytest

from adapters.discord import DiscordAdapter
from bot.intents import Intent
from bot.messages import Answer
from tests.contract.discord.conftest import StartBot, StubEngine
from tests.fakes.discord_fake import APP_ID, CHANNEL_ID, GUILD_ID, USER_ID, FakeDiscord, Recorded

CALLBACK = r"/interactions/(\d+)/([^/]+)/callback"
INTERACTION_DEADLINE = 3.0  # Discord drops an interaction not answered or deferred by then
ORIGINAL = rf"/webhooks/{APP_ID}/[^/]+/messages/@original"
FOLLOWUP = rf"/webhooks/{APP_ID}/[^/]+"
NO_PARSE: dict[str, list[str]] = {"parse": []}


async def slash(
    fake: FakeDiscord, sub: str, options: dict[str, Any] | None = None, **kw: Any
) -> Recorded:
    """Dispatch /news <sub> and return the recorded interaction callback."""
    payload = fake.interaction(sub, options, **kw)
    await fake.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (callback,) = await fake.wait_request("POST", re.escape(path))
    assert callback.query == {"with_response": "1"}
    return callback


@pytest.mark.usefixtures("bot")
async def test_summary_round_trip(fake_discord: FakeDiscord, stub_engine: StubEngine) -> None:
    callback = await slash(fake_discord, "summary", {"story": "council-bridge"})
    assert callback.body["type"] == 4
    data = callback.body["data"]
    assert data["allowed_mentions"] == NO_PARSE
    assert not data.get("flags", 0) & 64
    (embed,) = data["embeds"]
    assert embed["title"] == "Council approves new bridge"
    assert embed["url"] == "https://news.example/council-bridge"
    assert embed["description"] == "The council approved the bridge on Monday. Work starts in May."
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Jane Doe — said"] == "“This is a great day for the city.”"
    assert fields["John Roe — warned"] == "costs could rise"  # reported: no quotation marks
    assert "<t:1772366400:R>" in fields["Source"]
    assert "<t:1772366400:f>" in fields["Source"]
    assert embed["footer"]["text"] == "Source: Example News"
    (query,) = stub_engine.queries
    assert (query.command, query.args) == ("summary", (("story", "council-bridge"),))
    assert query.user.id == str(USER_ID)
    assert query.user.can_manage
    assert query.place.channel == str(CHANNEL_ID)
    assert query.place.workspace == str(GUILD_ID)
    assert not query.place.is_direct


@pytest.mark.usefixtures("bot")
@pytest.mark.parametrize(
    ("sub", "options", "args"),
    [
        (
            "quote",
            {"speaker": "Jane Doe", "story": "council-bridge"},
            (("speaker", "Jane Doe"), ("story", "council-bridge")),
        ),
        ("quote", {}, ()),
        ("latest", {"count": 3}, (("count", "3"),)),
        ("latest", {}, ()),
        ("search", {"query": "bridge costs"}, (("query", "bridge costs"),)),
        ("help", {}, ()),
    ],
)
async def test_command_round_trips(
    fake_discord: FakeDiscord, stub_engine: StubEngine, sub: str, options: dict[str, Any], args: Any
) -> None:
    callback = await slash(fake_discord, sub, options)
    assert callback.body["type"] == 4
    data = callback.body["data"]
    assert data["allowed_mentions"] == NO_PARSE
    assert not data.get("flags", 0) & 64
    (query,) = stub_engine.queries
    assert (query.command, query.args) == (sub, args)
    if sub == "help":
        assert data["content"] == "Ask me about the news."
        assert data["embeds"] == []
        return
    assert data["content"] == "Here you go."
    (embed,) = data["embeds"]  # the stub's story, rendered like the summary's
    assert embed["title"] == "Council approves new bridge"
    assert embed["url"] == "https://news.example/council-bridge"
    assert embed["description"] == "The council approved the bridge on Monday. Work starts in May."
    names = [f["name"] for f in embed["fields"]]
    assert names == ["Jane Doe — said", "John Roe — warned", "Source"]
    assert embed["footer"]["text"] == "Source: Example News"


@pytest.mark.usefixtures("bot")
async def test_user_error_is_ephemeral(fake_discord: FakeDiscord) -> None:
    callback = await slash(fake_discord, "summary", {"story": "nope"})
    data = callback.body["data"]
    assert data["flags"] & 64
    assert "I don't know that story." in data["content"]
    assert data["allowed_mentions"] == NO_PARSE


async def deferred(fake: FakeDiscord, engine: StubEngine, sub: str,
                   options: dict[str, Any]) -> Recorded:
    """Send a slash command to an engine that would take longer than Discord's 3 s deadline
    and return the deferral, checked to have come in time and before the engine finished;
    then let the engine finish."""
    engine.delay = 30.0
    sent = time.monotonic()
    callback = await slash(fake, sub, options)
    assert callback.body == {"type": 5}  # deferred, "thinking", public
    assert callback.at - sent < INTERACTION_DEADLINE
    assert engine.queries
    assert not engine.answered_at  # deferred while the engine was still working
    engine.release()
    return callback


async def test_slow_engine_is_deferred_then_edited(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord
) -> None:
    await start_bot(stub_engine, answer_budget=0.05)
    callback = await deferred(fake_discord, stub_engine, "summary", {"story": "council-bridge"})
    (edit,) = await fake_discord.wait_request("PATCH", ORIGINAL)
    assert callback.at < stub_engine.answered_at[0] <= edit.at  # deferral, answer, edit
    assert edit.body["embeds"][0]["title"] == "Council approves new bridge"
    assert edit.body["allowed_mentions"] == NO_PARSE


async def test_slow_user_error_replaces_deferral_privately(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord
) -> None:
    await start_bot(stub_engine, answer_budget=0.05)
    callback = await deferred(fake_discord, stub_engine, "summary", {"story": "nope"})
    (followup,) = await fake_discord.wait_request("POST", FOLLOWUP)
    assert callback.at < followup.at  # the private follow-up comes after the deferral
    assert fake_discord.find("DELETE", ORIGINAL)
    assert followup.body["flags"] & 64
    assert followup.query["wait"] == "1"
    assert followup.body["allowed_mentions"] == NO_PARSE


@pytest.mark.usefixtures("bot")
async def test_unexpected_error_gets_a_ref(
    fake_discord: FakeDiscord, stub_engine: StubEngine, caplog: pytest.LogCaptureFixture
) -> None:
    stub_engine.fail = RuntimeError("secret database path /srv/x")
    with caplog.at_level(logging.ERROR, logger="newsbot.discord"):
        callback = await slash(fake_discord, "search", {"query": "x"})
    data = callback.body["data"]
    match = re.fullmatch(
        r"Something went wrong \(ref ([0-9a-f]{6})\)\. It has been logged\.", data["content"]
    )
    assert match, data["content"]
    assert data["flags"] & 64
    assert "secret" not in str(callback.body)
    (record,) = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert record.exc_info is not None
    assert "secret database path" in str(record.exc_info[1])


async def test_cooldown_per_user(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord
) -> None:
    await start_bot(stub_engine, burst=1, burst_seconds=30)
    first = await slash(fake_discord, "search", {"query": "a"})
    second = await slash(fake_discord, "search", {"query": "b"})
    other = await slash(fake_discord, "search", {"query": "c"}, user_id=USER_ID + 1)
    assert not first.body["data"].get("flags", 0) & 64
    assert second.body["data"]["flags"] & 64
    assert "Slow down" in second.body["data"]["content"]
    assert not other.body["data"].get("flags", 0) & 64
    assert [q.arg("query") for q in stub_engine.queries] == ["a", "c"]


@pytest.mark.usefixtures("bot")
async def test_story_autocomplete(fake_discord: FakeDiscord, stub_engine: StubEngine) -> None:
    callback = await slash(fake_discord, "summary", {"story": "sto"}, focused="story")
    assert callback.body["type"] == 8
    choices = callback.body["data"]["choices"]
    assert len(choices) == 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert choices[0]["value"] == "story-0"
    assert stub_engine.prefixes == ["sto"]
    assert not stub_engine.queries


@pytest.mark.usefixtures("bot")
async def test_speaker_autocomplete(fake_discord: FakeDiscord) -> None:
    callback = await slash(fake_discord, "quote", {"speaker": "ja"}, focused="speaker")
    assert callback.body["data"]["choices"] == [{"name": "Jane Doe", "value": "Jane Doe"}]


@pytest.mark.usefixtures("bot")
async def test_dm_slash_command(fake_discord: FakeDiscord, stub_engine: StubEngine) -> None:
    await slash(fake_discord, "help", guild=False)
    (query,) = stub_engine.queries
    assert query.place.is_direct
    assert query.place.workspace is None
    assert query.user.can_manage


def _answer(**kw: Any) -> Answer:
    return Answer(intent=Intent.SUMMARY, lead="Here.", **kw)


async def test_failure_after_deferral_edits_the_thinking_message(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord
) -> None:
    await start_bot(stub_engine, answer_budget=0.05)
    stub_engine.fail = RuntimeError("boom")
    callback = await deferred(fake_discord, stub_engine, "search", {"query": "x"})
    (edit,) = await fake_discord.wait_request("PATCH", ORIGINAL)
    assert callback.at < edit.at
    assert edit.body["content"].startswith("Something went wrong (ref ")
    assert "boom" not in str(edit.body)


async def test_slow_autocomplete_answers_empty_in_time(
    bot: DiscordAdapter, fake_discord: FakeDiscord, stub_engine: StubEngine
) -> None:
    async def slow(prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        await asyncio.sleep(5)
        return []

    stub_engine.suggest_stories = slow  # type: ignore[method-assign]
    bot.autocomplete_budget = 0.05
    sent = time.monotonic()
    callback = await slash(fake_discord, "summary", {"story": "x"}, focused="story")
    assert callback.body == {"type": 8, "data": {"choices": []}}
    assert callback.at - sent < INTERACTION_DEADLINE  # the 5 s lookup was not waited for


async def test_fake_reports_unimplemented_endpoints(fake_discord: FakeDiscord) -> None:
    url = f"{fake_discord.api_base}/guilds/1/members"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 404
    assert fake_discord.unimplemented == ["GET /guilds/1/members"]
    fake_discord.unimplemented.clear()  # the fixture would fail this test otherwise
