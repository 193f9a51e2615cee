"""``/news stories remove`` through real Bolt (Socket Mode) and the fake Slack, with the real
core (``open_newsbot``) on a real catalogue: managers only, from a channel, by exact id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.slack import SlackAdapter
from bot.app import Newsbot, open_newsbot
from bot.settings import Settings
from tests.fakes.slack_fake import APP_TOKEN, BOT_TOKEN, FakeSlack

CHANNEL = "C0NEWS"
OWNER, MEMBER = "U0OWNER", "U0ALICE"
SEED = "000_4f50a4a6f3bb85bf"


@pytest.fixture
async def app(fake_slack: FakeSlack, seeded_db: Path) -> AsyncIterator[Newsbot]:
    fake_slack.users = {OWNER: {"is_owner": True}, MEMBER: {}}
    settings = Settings(database_url=f"sqlite:///{seeded_db}", answers={"burst": 0})
    async with open_newsbot(settings) as opened:
        adapter = SlackAdapter(opened, BOT_TOKEN, app_token=APP_TOKEN,
                               api_base_url=fake_slack.api_url)
        opened.attach(adapter)
        await adapter.connect()
        await fake_slack.wait_until(lambda: fake_slack.connected, what="socket connection")
        yield opened


async def news(fake: FakeSlack, text: str, *, user: str = OWNER, channel: str = CHANNEL) -> Any:
    payload = fake.slash_command(text, user=user, channel=channel)
    key = payload["response_url"].rsplit("/", 1)[1]
    await fake.send_envelope("slash_commands", payload)
    await fake.wait_until(lambda: any(r.key == key for r in fake.responses), what=text)
    return next(r.body for r in fake.responses if r.key == key)


async def test_a_workspace_owner_removes_a_story_by_its_id(
    app: Newsbot, fake_slack: FakeSlack
) -> None:
    assert app.stories is not None
    catalogue = app.stories.catalogue
    refused = await news(fake_slack, f"stories remove {SEED}", user=MEMBER)
    assert refused["response_type"] == "ephemeral"
    assert "Only members who can manage channels" in refused["text"]
    in_dm = await news(fake_slack, f"stories remove {SEED}", channel="D0OWNER")
    assert "not a direct message" in in_dm["text"]
    usage = await news(fake_slack, "stories")
    assert "'/news stories remove' takes one story id" in usage["text"]
    assert await catalogue.get_by_slug(SEED) is not None
    done = await news(fake_slack, f"stories remove {SEED}")
    assert "Removed the story" in done["text"]
    assert await catalogue.get_by_slug(SEED) is None
    again = await news(fake_slack, f"stories remove {SEED}")
    assert "No story has the id" in again["text"]
