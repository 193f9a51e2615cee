"""HTTP mode: requests signed exactly as Slack signs them, against Bolt's verification."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

from adapters.slack import SlackAdapter
from tests.contract.slack.slack_samples import ACK_DEADLINE, StubEngine, unlimited
from tests.fakes.slack_fake import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    form_body,
    sign,
    signed_headers,
)


async def _post(adapter: SlackAdapter, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


def _event_body(fake: FakeSlack, event: dict[str, Any], event_id: str) -> bytes:
    return json.dumps(fake.event_callback(event, event_id=event_id)).encode()


async def test_signed_slash_command_answered(
    fake_slack: FakeSlack, http_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    body = form_body(fake_slack.slash_command("search bridge council"))
    headers = signed_headers(body, content_type="application/x-www-form-urlencoded")
    status, _ = await _post(http_adapter, body, headers)
    assert status == 200
    await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
    assert fake_slack.responses[0].body["response_type"] == "in_channel"
    assert stub_engine.queries[0].args == (("query", "bridge council"),)


async def test_forged_signature_rejected(
    fake_slack: FakeSlack, http_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    body = form_body(fake_slack.slash_command("summary bridge"))
    headers = signed_headers(
        body, secret="not-the-secret", content_type="application/x-www-form-urlencoded"
    )
    status, _ = await _post(http_adapter, body, headers)
    assert status == 401
    tampered = signed_headers(b"other body", content_type="application/x-www-form-urlencoded")
    status, _ = await _post(http_adapter, body, tampered)
    assert status == 401
    assert stub_engine.queries == []


async def test_six_minute_old_timestamp_rejected(
    fake_slack: FakeSlack, http_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    body = _event_body(fake_slack, fake_slack.mention("bridge"), "Ev0OLD")
    status, _ = await _post(http_adapter, body, signed_headers(body, age=6 * 60))
    assert status == 401
    assert stub_engine.queries == []


async def test_retried_event_answered_once(
    fake_slack: FakeSlack, http_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    body = _event_body(fake_slack, fake_slack.mention("bridge"), "Ev0HTTPRETRY")
    first = await _post(http_adapter, body, signed_headers(body))
    retry_headers = signed_headers(body) | {
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_timeout",
    }
    second = await _post(http_adapter, body, retry_headers)
    assert (first[0], second[0]) == (200, 200)
    await fake_slack.wait_until(lambda: fake_slack.posted, what="the answer")
    await asyncio.sleep(0.1)
    assert len(stub_engine.queries) == 1
    assert len(fake_slack.posted) == 1
    assert fake_slack.posted[0].params["thread_ts"]


async def test_url_verification_challenge(http_adapter: SlackAdapter) -> None:
    body = json.dumps(
        {"type": "url_verification", "challenge": "abc123", "token": "legacy"}
    ).encode()
    status, text = await _post(http_adapter, body, signed_headers(body))
    assert status == 200
    assert "abc123" in text


def test_signature_matches_slack_documentation_example() -> None:
    # Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert sign(secret, 1531420618, body) == expected


async def test_engine_failure_still_acked_and_reported(
    fake_slack: FakeSlack, http_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    stub_engine.fail = True
    body = form_body(fake_slack.slash_command("latest"))
    headers = signed_headers(body, content_type="application/x-www-form-urlencoded")
    started = time.monotonic()
    status, _ = await _post(http_adapter, body, headers)
    assert status == 200
    assert time.monotonic() - started < ACK_DEADLINE  # acked, not a 404 after Slack gave up
    await fake_slack.wait_until(lambda: fake_slack.responses, what="error reply")
    reply = fake_slack.responses[0].body
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Something went wrong (ref ")


async def test_private_answers_option(fake_slack: FakeSlack, stub_engine: StubEngine) -> None:
    adapter = SlackAdapter(
        unlimited(stub_engine),
        BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        mode="http",
        api_base_url=fake_slack.api_url,
        http_port=0,
        public_answers=False,
    )
    await adapter.connect()
    try:
        body = form_body(fake_slack.slash_command("summary bridge"))
        headers = signed_headers(body, content_type="application/x-www-form-urlencoded")
        assert (await _post(adapter, body, headers))[0] == 200
        await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
    finally:
        await adapter.stop()
    assert fake_slack.responses[0].body["response_type"] == "ephemeral"


async def test_http_ack_returns_while_a_slow_engine_is_still_working(
    fake_slack: FakeSlack, http_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    """The HTTP reply is the ack: it must come back within Slack's 3 s while the engine (which
    answers only when released, or after 30 s) is still working."""
    stub_engine.delay = 30.0
    body = form_body(fake_slack.slash_command("latest"))
    headers = signed_headers(body, content_type="application/x-www-form-urlencoded")
    started = time.monotonic()
    status, _ = await asyncio.wait_for(_post(http_adapter, body, headers), ACK_DEADLINE)
    acked = time.monotonic()
    assert status == 200
    assert acked - started < ACK_DEADLINE
    await fake_slack.wait_until(lambda: stub_engine.queries, within=ACK_DEADLINE,
                                what="the question")
    assert not stub_engine.answered_at  # still working
    assert fake_slack.responses == []
    stub_engine.release()
    await fake_slack.wait_until(lambda: fake_slack.responses, what="the answer")
    assert acked < stub_engine.answered_at[0] <= fake_slack.responses[0].at  # ack, answer, reply
