"""Round trips through real discord.py, the real engine and a real seeded SQLite catalogue."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from adapters.discord import DiscordAdapter
from bot.engine import Engine
from tests.contract.discord.conftest import StartBot
from tests.contract.discord.test_discord_commands import NO_PARSE, slash
from tests.fakes.discord_fake import BOT_ID, CHANNEL_ID, DM_CHANNEL_ID, FakeDiscord

SEED_TITLE = "Kremlin decries US Kaspersky ban as 'unfair competition'"


@pytest.fixture
async def real_bot(start_bot: StartBot, engine: Engine) -> DiscordAdapter:
    """The adapter over the real engine (the answer budget generous for a cold catalogue)."""
    return await start_bot(engine, answer_budget=2.5)


def _data(body: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = body["data"]
    assert data["allowed_mentions"] == NO_PARSE
    return data


def _titles(data: dict[str, Any]) -> list[str]:
    return [e["title"] for e in data.get("embeds", []) if "title" in e]


@pytest.mark.usefixtures("real_bot")
async def test_summary_of_the_seed_story(fake_discord: FakeDiscord) -> None:
    callback = await slash(fake_discord, "summary", {"story": "kaspersky"})
    data = _data(callback.body)
    assert not data.get("flags", 0) & 64
    assert _titles(data)[0].replace("\\", "") == SEED_TITLE
    text = json.dumps(data["embeds"], ensure_ascii=False)
    assert "<t:" in text
    assert data["embeds"][0]["description"]


@pytest.mark.usefixtures("real_bot")
async def test_quote_with_speaker_and_story(fake_discord: FakeDiscord) -> None:
    callback = await slash(fake_discord, "quote", {"speaker": "Peskov", "story": "kaspersky"})
    fields = [f for e in _data(callback.body)["embeds"] for f in e.get("fields", [])]
    peskov = [f["value"] for f in fields if f["name"].startswith("Dmitry Peskov — ")]
    assert any("very competitive" in value for value in peskov)
    assert all(value.startswith("“") and value.endswith("”") for value in peskov)  # verbatim


@pytest.mark.usefixtures("real_bot")
async def test_unknown_story_is_ephemeral(fake_discord: FakeDiscord) -> None:
    callback = await slash(fake_discord, "summary", {"story": "zebra migration in antarctica"})
    data = _data(callback.body)
    assert data["flags"] & 64
    assert data["content"]


@pytest.mark.usefixtures("real_bot")
async def test_latest_and_search(fake_discord: FakeDiscord) -> None:
    latest = _data((await slash(fake_discord, "latest", {"count": 2})).body)
    assert 1 <= len(_titles(latest)) <= 2
    found = _data((await slash(fake_discord, "search", {"query": "kaspersky ban"})).body)
    assert SEED_TITLE in json.dumps(found, ensure_ascii=False).replace("\\\\", "")


@pytest.mark.usefixtures("real_bot")
async def test_story_autocomplete_from_the_catalogue(fake_discord: FakeDiscord) -> None:
    callback = await slash(fake_discord, "summary", {"story": "kasp"}, focused="story")
    choices = callback.body["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert any("Kaspersky" in c["name"] for c in choices)


@pytest.mark.usefixtures("real_bot")
async def test_mention_asks_in_free_text(fake_discord: FakeDiscord) -> None:
    message = fake_discord.message(f"<@{BOT_ID}> what did Peskov say?", mention_bot=True)
    await fake_discord.dispatch("MESSAGE_CREATE", message)
    (sent,) = await fake_discord.wait_request("POST", f"/channels/{CHANNEL_ID}/messages", wait=15)
    assert sent.body["allowed_mentions"] == NO_PARSE
    assert "very competitive" in json.dumps(sent.body, ensure_ascii=False)


@pytest.mark.usefixtures("real_bot")
async def test_help_is_private(fake_discord: FakeDiscord) -> None:
    data = _data((await slash(fake_discord, "help")).body)
    assert data["flags"] & 64
    assert "I answer from the stored text" in data["content"]


@pytest.mark.usefixtures("real_bot")
async def test_speaker_autocomplete_from_the_catalogue(fake_discord: FakeDiscord) -> None:
    callback = await slash(fake_discord, "quote", {"speaker": "Pes"}, focused="speaker")
    names = [c["name"] for c in callback.body["data"]["choices"]]
    assert "Dmitry Peskov" in names


@pytest.mark.usefixtures("real_bot")
async def test_dm_asks_in_free_text(fake_discord: FakeDiscord) -> None:
    message = fake_discord.message("summarize the Kaspersky story", guild=False)
    await fake_discord.dispatch("MESSAGE_CREATE", message)
    (sent,) = await fake_discord.wait_request(
        "POST", f"/channels/{DM_CHANNEL_ID}/messages", wait=15
    )
    assert sent.body["allowed_mentions"] == NO_PARSE
    assert _titles(sent.body)[0] == SEED_TITLE


HOSTILE_ASK = "@everyone <@&123> @here <#9>"


def _assert_inert(body: dict[str, Any]) -> None:
    """No ping and nothing that renders as a mention, role, channel or broadcast."""
    assert body["allowed_mentions"] == NO_PARSE
    text = json.dumps({k: body.get(k) for k in ("content", "embeds")}, ensure_ascii=False)
    assert "@everyone" not in text.replace("@\u200beveryone", "")
    assert "@here" not in text.replace("@\u200bhere", "")
    assert not re.search(r"<[@#]", text)
    # The engine did echo the user's text, defused (free text drops mention tokens such as
    # <@&123> before answering; slash-command options keep them, defused).
    assert "@\u200beveryone" in text


@pytest.mark.usefixtures("real_bot")
@pytest.mark.parametrize(
    ("sub", "options"),
    [
        ("search", {"query": HOSTILE_ASK}),
        ("summary", {"story": HOSTILE_ASK}),
        ("quote", {"speaker": HOSTILE_ASK}),
    ],
)
async def test_user_text_echoed_by_the_engine_never_pings(
    fake_discord: FakeDiscord, sub: str, options: dict[str, Any]
) -> None:
    callback = await slash(fake_discord, sub, options)
    _assert_inert(callback.body["data"])


@pytest.mark.usefixtures("real_bot")
async def test_mention_echoed_by_the_engine_never_pings(fake_discord: FakeDiscord) -> None:
    message = fake_discord.message(f"<@{BOT_ID}> summarize {HOSTILE_ASK}", mention_bot=True)
    await fake_discord.dispatch("MESSAGE_CREATE", message)
    (sent,) = await fake_discord.wait_request("POST", f"/channels/{CHANNEL_ID}/messages", wait=15)
    _assert_inert(sent.body)
