"""The fake Slack itself: it must notice what the real Slack would refuse or not serve."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.app import build_client
from tests.fakes.slack_fake import BOT_TOKEN, FakeSlack


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/elsewhere"),
        ("PUT", "/api/chat.postMessage"),
        ("GET", "/response/x"),
        ("DELETE", "/link"),
    ],
)
async def test_fake_reports_other_paths_and_methods(
    fake_slack: FakeSlack, method: str, path: str
) -> None:
    url = f"http://127.0.0.1:{fake_slack.port}{path}"
    async with aiohttp.ClientSession() as session, session.request(method, url) as response:
        assert response.status == 404
    assert fake_slack.unimplemented == [f"{method} {path}"]
    fake_slack.unimplemented.clear()  # the fixture would fail this test otherwise


async def test_fake_reports_unknown_api_methods(fake_slack: FakeSlack) -> None:
    client = build_client(BOT_TOKEN, fake_slack.api_url)
    with pytest.raises(SlackApiError):
        await client.api_call("conversations.kick", json={"channel": "C1"})
    assert fake_slack.unimplemented == ["conversations.kick"]
    fake_slack.unimplemented.clear()


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"text": "x" * 40_001}, "msg_too_long"),
        ({"text": "t", "blocks": [section("b")] * 51}, "invalid_blocks"),
        ({"text": "t", "blocks": [section("s" * 3001)]}, "invalid_blocks"),
        ({"text": "t", "blocks": [header("h" * 151)]}, "invalid_blocks"),
        ({"text": "t", "blocks": [section("s" * 2500)] * 5}, "msg_blocks_too_long"),
    ],
)
async def test_fake_refuses_messages_over_slack_limits(
    fake_slack: FakeSlack, message: dict[str, Any], error: str
) -> None:
    client = build_client(BOT_TOKEN, fake_slack.api_url)
    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(channel="C0NEWS", **message)
    assert caught.value.response["error"] == error
    assert fake_slack.posted == []
    (violation,) = fake_slack.limit_violations
    assert violation.startswith(f"chat.postMessage: {error}")
    webhook = AsyncWebhookClient(fake_slack.response_url("r1"))
    response = await webhook.send_dict(message)
    assert (response.status_code, response.body) == (400, error)
    assert fake_slack.responses == []
    assert len(fake_slack.limit_violations) == 2
    fake_slack.limit_violations.clear()  # the fixture would fail this test otherwise


async def test_fake_accepts_messages_within_limits(fake_slack: FakeSlack) -> None:
    client = build_client(BOT_TOKEN, fake_slack.api_url)
    blocks = [section("s" * 3000)] * 3 + [section("b")] * 47  # 50 blocks, 9047 characters
    await client.chat_postMessage(channel="C0NEWS", text="x" * 40_000, blocks=blocks)
    assert len(fake_slack.posted) == 1
