"""Round trips through the real Bolt app, the real engine and a real seeded SQLite catalogue."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.slack import SlackAdapter
from bot.engine import Engine
from tests.contract.slack.slack_samples import unlimited
from tests.fakes.slack_fake import APP_TOKEN, BOT_TOKEN, FakeSlack

SEED_TITLE = "Kremlin decries US Kaspersky ban as 'unfair competition'"


@pytest.fixture
async def adapter(fake_slack: FakeSlack, engine: Engine) -> AsyncIterator[SlackAdapter]:
    slack = SlackAdapter(
        unlimited(engine), BOT_TOKEN, app_token=APP_TOKEN, api_base_url=fake_slack.api_url
    )
    await slack.connect()
    await fake_slack.wait_until(lambda: fake_slack.connected, what="socket connection")
    try:
        yield slack
    finally:
        await slack.stop()


async def _ask(fake: FakeSlack, text: str) -> dict[str, Any]:
    before = len(fake.responses)
    await fake.send_envelope("slash_commands", fake.slash_command(text))
    await fake.wait_until(lambda: len(fake.responses) > before, within=15, what="respond()")
    return fake.responses[before].body


def _headers(body: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in body["blocks"] if b["type"] == "header"]


@pytest.mark.usefixtures("adapter")
async def test_summary_of_the_seed_story(fake_slack: FakeSlack) -> None:
    body = await _ask(fake_slack, "summary kaspersky")
    assert body["response_type"] == "in_channel"
    assert _headers(body)[0] == SEED_TITLE
    blocks = json.dumps(body["blocks"], ensure_ascii=False)
    assert "Peskov" in blocks
    assert "<!date^" in blocks


@pytest.mark.usefixtures("adapter")
async def test_quote_with_speaker_and_story(fake_slack: FakeSlack) -> None:
    body = await _ask(fake_slack, "quote Peskov about kaspersky")
    blocks = json.dumps(body["blocks"], ensure_ascii=False)
    assert "*Dmitry Peskov*" in blocks
    assert "“very competitive”" in blocks


@pytest.mark.usefixtures("adapter")
async def test_unknown_story_is_an_ephemeral_notice(fake_slack: FakeSlack) -> None:
    body = await _ask(fake_slack, "summary zebra migration in antarctica")
    assert body["response_type"] == "ephemeral"
    assert body["text"]


@pytest.mark.usefixtures("adapter")
async def test_latest_and_search(fake_slack: FakeSlack) -> None:
    latest = await _ask(fake_slack, "latest 2")
    assert 1 <= len(_headers(latest)) <= 2
    found = await _ask(fake_slack, "search kaspersky ban")
    assert SEED_TITLE in json.dumps(found["blocks"], ensure_ascii=False)


@pytest.mark.usefixtures("adapter")
async def test_mention_asks_in_free_text(fake_slack: FakeSlack) -> None:
    event = fake_slack.mention("what did Peskov say?")
    await fake_slack.send_envelope("events_api", fake_slack.event_callback(event))
    await fake_slack.wait_until(lambda: fake_slack.posted, within=15, what="thread reply")
    post = fake_slack.posted[0]
    assert post.params["thread_ts"] == event["ts"]
    assert "very competitive" in json.dumps(post.params["blocks"], ensure_ascii=False)
