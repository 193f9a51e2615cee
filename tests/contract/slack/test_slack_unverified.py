"""The error handler never acts on an unverified body: even a request that
reaches Bolt without the HTTP gate (here: dispatched to the real AsyncApp directly) and makes
slack_sdk's verifier raise gets a 401, and neither its response_url nor its channel is used."""

from __future__ import annotations

import asyncio
import json

from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack import SlackAdapter
from tests.contract.slack.slack_samples import StubEngine
from tests.fakes.slack_fake import FakeSlack, form_body, signed_headers


async def test_error_handler_refuses_a_body_bolt_could_not_verify(
    fake_slack: FakeSlack, http_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    calls_before = len(fake_slack.calls)
    slash = form_body(fake_slack.slash_command("latest")).decode()
    event = json.dumps(fake_slack.event_callback(fake_slack.mention("latest")))
    for body, stamp in ((slash, "abc"), (event, "1e3")):
        request = AsyncBoltRequest(
            body=body,
            headers={"x-slack-request-timestamp": stamp, "x-slack-signature": "v0=00"},
        )
        response = await http_adapter.app.async_dispatch(request)
        assert response.status == 401
    await asyncio.sleep(0.2)
    assert fake_slack.responses == []
    assert fake_slack.calls[calls_before:] == []
    assert stub_engine.queries == []


async def test_a_verified_listener_failure_is_still_reported(
    fake_slack: FakeSlack, http_adapter: SlackAdapter
) -> None:
    """The error handler still tells the asker when a *signed* request's listener fails."""

    async def boom(ack: object) -> None:
        raise RuntimeError("listener bug")

    http_adapter.app.command("/boom")(boom)
    payload = fake_slack.slash_command("x") | {"command": "/boom"}
    body = form_body(payload)
    headers = signed_headers(body, content_type="application/x-www-form-urlencoded")
    request = AsyncBoltRequest(body=body.decode(), headers=dict(headers.items()))
    await http_adapter.app.async_dispatch(request)
    await fake_slack.wait_until(lambda: fake_slack.responses, what="error reply")
    assert fake_slack.responses[0].body["text"].startswith("Something went wrong (ref ")
