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
    assert {o["name"] for o in news["options"]} == {"summary", "quote", "latest", "search", "help"}
    assert all(o["type"] == 1 for o in news["options"])
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
