"""Every forged request of the corpus, against the real Bolt HTTP app: a 401, and nothing done.
The fake Slack records every Web API call and every response_url post."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from adapters.slack import SlackAdapter
from tests.contract.slack.slack_samples import StubEngine
from tests.fakes.slack_fake import FakeSlack
from tests.hostile.corpus import REQUESTS, load_request


@pytest.mark.parametrize("path", REQUESTS, ids=[p.stem for p in REQUESTS])
async def test_forged_request_is_refused_and_triggers_nothing(
    path: Path, fake_slack: FakeSlack, http_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    forged = load_request(path, fake_slack.response_url("forged"))
    calls_before = len(fake_slack.calls)
    url = f"http://127.0.0.1:{http_adapter.http_port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=forged.body, headers=forged.headers) as response,
    ):
        status = response.status
    await asyncio.sleep(0.3)  # Bolt acts after the reply: give a wrong reaction time to show
    assert status == 401, forged.why
    assert fake_slack.responses == [], forged.why  # nothing posted to the body's response_url
    assert fake_slack.calls[calls_before:] == [], forged.why  # no chat.postMessage, no auth
    assert stub_engine.queries == [], forged.why
