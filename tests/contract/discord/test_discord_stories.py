"""``/news stories remove`` through real discord.py and the fake Discord, with the real core
(``open_newsbot``) on a real catalogue: managers only, from a channel, by exact id."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Newsbot, open_newsbot
from bot.settings import Settings
from tests.contract.discord.conftest import StartBot
from tests.fakes.discord_fake import FakeDiscord

SEED = "000_4f50a4a6f3bb85bf"
EPHEMERAL = 64


@pytest.fixture
async def app(start_bot: StartBot, seeded_db: Path) -> AsyncIterator[Newsbot]:
    settings = Settings(database_url=f"sqlite:///{seeded_db}", answers={"burst": 0})
    async with open_newsbot(settings) as opened:
        opened.attach(await start_bot(opened))
        yield opened


async def stories(fake: FakeDiscord, options: dict[str, Any], **kw: Any) -> Any:
    """Run ``/news stories remove``; the message the user finally sees (a dict)."""
    payload = fake.interaction("remove", options, group="stories", **kw)
    await fake.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (callback,) = await fake.wait_request("POST", re.escape(path))
    if callback.body["type"] == 5:
        assert callback.body["data"]["flags"] & EPHEMERAL
        token = payload["token"]
        (edit,) = await fake.wait_request("PATCH", rf"/webhooks/\d+/{token}/messages/@original")
        return edit.body
    return callback.body["data"]


async def test_a_manager_removes_a_story_by_its_id(
    app: Newsbot, fake_discord: FakeDiscord
) -> None:
    catalogue = app.stories.catalogue if app.stories else None
    assert catalogue is not None
    before = await catalogue.count()
    refused = await stories(fake_discord, {"id": SEED}, manage=False)
    assert "Only members who can manage channels" in refused["content"]
    in_dm = await stories(fake_discord, {"id": SEED}, guild=False)
    assert "not a direct message" in in_dm["content"]
    assert await catalogue.get_by_slug(SEED) is not None
    done = await stories(fake_discord, {"id": SEED})
    assert "Removed the story" in done["content"]
    assert await catalogue.get_by_slug(SEED) is None
    assert await catalogue.count() == before - 1
    again = await stories(fake_discord, {"id": SEED})
    assert "No story has the id" in again["content"]


async def test_the_id_is_autocompleted_from_titles(
    app: Newsbot, fake_discord: FakeDiscord
) -> None:
    payload = fake_discord.interaction("remove", {"id": "Kreml"}, group="stories", focused="id")
    await fake_discord.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (callback,) = await fake_discord.wait_request("POST", re.escape(path))
    assert callback.body["type"] == 8
    assert {"name": "Kremlin decries US Kaspersky ban as 'unfair competition'",
            "value": SEED} in callback.body["data"]["choices"]
