"""Start-up handshake, command sync schema, gateway resume."""

from __future__ import annotations

from typing import Any

from adapters.discord import DiscordAdapter
from tests.contract.discord.conftest import StartBot, StubEngine
from tests.fakes.discord_fake import APP_ID, GUILD_ID, FakeDiscord


def _options(command: dict[str, Any], sub: str) -> dict[str, dict[str, Any]]:
    subcommand = next(o for o in command["options"] if o["name"] == sub)
    return {o["name"]: o for o in subcommand.get("options", [])}


async def test_startup_handshake_and_global_sync(
    bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    paths = [(r.method, r.path) for r in fake_discord.requests]
    assert paths[:3] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("PUT", f"/applications/{APP_ID}/commands"),
    ]
    identify = fake_discord.identifies[0]
    assert identify["token"] == "fake-token"
    intents = identify["intents"]
    assert intents & (1 << 0)
    assert intents & (1 << 12)
    assert intents & (1 << 9)
    privileged = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
    assert intents & privileged == 0

    (news,) = fake_discord.synced_commands["global"]
    assert news["name"] == "news"
    names = {o["name"] for o in news["options"]}
    assert names == {"summary", "quote", "latest", "search", "help", "digest", "feeds",
                     "stories"}
    groups = ("digest", "feeds", "stories")
    assert all(o["type"] == 1 for o in news["options"] if o["name"] not in groups)
    (stories,) = [o for o in news["options"] if o["name"] == "stories"]
    (remove,) = stories["options"]
    assert remove["name"] == "remove"
    (story_id,) = remove["options"]
    assert (story_id["name"], story_id["required"], story_id["autocomplete"]) == ("id", True, True)
    summary = _options(news, "summary")
    assert summary["story"]["required"] is True
    assert summary["story"]["autocomplete"] is True
    quote = _options(news, "quote")
    assert quote["speaker"]["autocomplete"] is True
    assert quote["story"]["autocomplete"] is True
    assert not quote["speaker"].get("required")
    assert not quote["story"].get("required")
    latest = _options(news, "latest")["count"]
    assert (latest["type"], latest["min_value"], latest["max_value"]) == (4, 1, 10)
    assert not latest.get("required")
    search = _options(news, "search")["query"]
    assert search["type"] == 3
    assert search["required"] is True
    assert not search.get("autocomplete")
    assert _options(news, "help") == {}
    assert set(news["contexts"]) == {0, 1, 2}


async def test_dev_guild_sync(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord
) -> None:
    await start_bot(stub_engine, dev_guild_id=GUILD_ID)
    assert set(fake_discord.synced_commands) == {str(GUILD_ID)}
    assert fake_discord.find("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")


async def test_digest_group_schema(bot: DiscordAdapter, fake_discord: FakeDiscord) -> None:
    (news,) = fake_discord.synced_commands["global"]
    group = next(o for o in news["options"] if o["name"] == "digest")
    assert group["type"] == 2  # SUB_COMMAND_GROUP, one level inside /news
    subs = {o["name"]: o for o in group["options"]}
    assert set(subs) == {"subscribe", "list", "unsubscribe", "preview", "now", "resume"}
    assert all(o["type"] == 1 for o in subs.values())
    subscribe = _options(group, "subscribe")
    assert list(subscribe) == [
        "schedule",
        "timezone",
        "max",
        "topic",
        "style",
        "notify_empty",
    ]  # required first, as Discord demands
    assert subscribe["schedule"]["required"] is True
    assert (subscribe["schedule"]["type"], subscribe["schedule"]["max_length"]) == (3, 100)
    assert subscribe["timezone"]["autocomplete"] is True
    assert not subscribe["timezone"].get("required")
    limit = subscribe["max"]
    assert (limit["type"], limit["min_value"], limit["max_value"]) == (4, 1, 20)
    assert subscribe["topic"]["max_length"] == 200
    assert [c["value"] for c in subscribe["style"]["choices"]] == ["titles", "brief", "full"]
    assert subscribe["notify_empty"]["type"] == 5
    assert _options(group, "list") == {}
    for name in ("unsubscribe", "preview", "now", "resume"):
        (option,) = _options(group, name).values()
        assert (option["name"], option["type"], option["required"]) == ("id", 4, True)
        assert option["autocomplete"] is True
