"""Socket Mode: the real Bolt handler against the fake Slack websocket."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.slack import SlackAdapter
from bot.settings import ConfigError
from tests.contract.slack.slack_samples import ACK_DEADLINE, NOT_FOUND, StubEngine, unlimited
from tests.fakes.slack_fake import APP_TOKEN, BOT_TOKEN, FakeSlack


async def test_hello_and_auth(fake_slack: FakeSlack, socket_adapter: SlackAdapter) -> None:
    assert fake_slack.ws_connections == 1
    opened = [c for c in fake_slack.calls if c.method == "apps.connections.open"]
    assert len(opened) == 2  # the start-up token check, then the socket URL
    assert all(str(c.token).startswith("xapp-") for c in opened)
    assert fake_slack.calls[0].method == "auth.test"


async def test_slash_command_acked_then_answered(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    payload = fake_slack.slash_command("summary council bridge")
    envelope = await fake_slack.send_envelope("slash_commands", payload)
    await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
    await fake_slack.wait_until(lambda: fake_slack.acks, what="ack")
    assert [a.key for a in fake_slack.acks] == [envelope]
    body = fake_slack.responses[0].body
    assert body["response_type"] == "in_channel"
    assert body["blocks"][0]["type"] == "section"
    assert any(b["type"] == "header" for b in body["blocks"])
    assert body["text"] == "Here is the story. — Council approves the new bridge"
    # Bolt sends the ack up to 10 ms after ack() (it polls), so a quick answer may even arrive
    # first; what Slack needs is the ack within 3 s.
    assert fake_slack.acks[0].at - fake_slack.sent_at[envelope] < 3.0
    query = stub_engine.queries[0]
    assert query.command == "summary"
    assert query.args == (("story", "council bridge"),)
    assert query.place.channel == "C0NEWS"
    assert query.place.workspace == "T0001"


async def test_unknown_subcommand_gets_ephemeral_usage(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("weather paris"))
    await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
    body = fake_slack.responses[0].body
    assert body["response_type"] == "ephemeral"
    text = str(body["blocks"])
    assert "Unknown subcommand" in text
    assert "/news summary &lt;story&gt;" in text
    assert stub_engine.queries == []


async def test_user_error_is_ephemeral(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    stub_engine.answer_for["summary"] = NOT_FOUND
    await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("summary nothing"))
    await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
    assert fake_slack.responses[0].body["response_type"] == "ephemeral"
    assert "could not find" in fake_slack.responses[0].body["text"]


async def test_quote_subcommand_and_admin_flag(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    payload = fake_slack.slash_command("quote Jane Doe about the bridge", user="U0ADMIN")
    await fake_slack.send_envelope("slash_commands", payload)
    await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
    query = stub_engine.queries[0]
    assert query.command == "quote"
    assert query.args == (("speaker", "Jane Doe"), ("story", "the bridge"))
    assert query.user.can_manage
    blocks = str(fake_slack.responses[0].body["blocks"])
    assert "“This bridge connects us”" in blocks
    assert "“the cost was too high”" not in blocks


async def test_failure_reports_a_ref_and_logs_the_traceback(
    fake_slack: FakeSlack,
    socket_adapter: SlackAdapter,
    stub_engine: StubEngine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stub_engine.fail = True
    await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("latest 3"))
    await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
    body = fake_slack.responses[0].body
    assert body["response_type"] == "ephemeral"
    match = re.fullmatch(
        r"Something went wrong \(ref ([0-9a-f]{6})\)\. It has been logged\.", body["text"]
    )
    assert match is not None
    assert "secret internal detail" not in json.dumps(body)
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None
    assert BOT_TOKEN not in caplog.text


async def test_mention_answered_in_a_thread(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    event = fake_slack.mention("what happened with the bridge?")
    await fake_slack.send_envelope("events_api", fake_slack.event_callback(event))
    await fake_slack.wait_until(lambda: fake_slack.posted, what="chat.postMessage")
    post = fake_slack.posted[0]
    assert post.params["channel"] == "C0NEWS"
    assert post.params["thread_ts"] == event["ts"]
    assert post.token == BOT_TOKEN
    query = stub_engine.queries[0]
    assert query.command is None
    assert query.text == "what happened with the bridge?"


async def test_direct_message_answered_in_the_dm(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    event = fake_slack.direct_message("latest news please")
    await fake_slack.send_envelope("events_api", fake_slack.event_callback(event))
    await fake_slack.wait_until(lambda: fake_slack.posted, what="chat.postMessage")
    post = fake_slack.posted[0]
    assert post.params["channel"] == "D0ALICE"
    assert "thread_ts" not in post.params
    assert stub_engine.queries[0].place.is_direct


@pytest.mark.parametrize(
    "extra",
    [
        {"bot_id": "B0OTHER"},
        {"user": "U0BOT"},
        {"subtype": "message_changed"},
        {"subtype": "bot_message", "bot_id": "B0BOT"},
    ],
)
async def test_bot_and_own_messages_ignored(
    fake_slack: FakeSlack,
    socket_adapter: SlackAdapter,
    stub_engine: StubEngine,
    extra: dict[str, str],
) -> None:
    ignored = fake_slack.direct_message("hello") | extra
    await fake_slack.send_envelope("events_api", fake_slack.event_callback(ignored))
    marker = fake_slack.direct_message("a human asks")
    await fake_slack.send_envelope("events_api", fake_slack.event_callback(marker))
    await fake_slack.wait_until(lambda: len(fake_slack.acks) == 2, what="acks")
    await fake_slack.wait_until(lambda: fake_slack.posted, what="the human's answer")
    assert [q.text for q in stub_engine.queries] == ["a human asks"]
    assert len(fake_slack.posted) == 1


async def test_retried_event_envelope_answered_once(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    body = fake_slack.event_callback(fake_slack.mention("bridge"), event_id="Ev0RETRY")
    await fake_slack.send_envelope("events_api", body)
    await fake_slack.send_envelope("events_api", body, retry_attempt=1)
    await fake_slack.wait_until(lambda: len(fake_slack.acks) == 2, what="both acks")
    await fake_slack.wait_until(lambda: fake_slack.posted, what="the answer")
    await asyncio.sleep(0.1)
    assert len(stub_engine.queries) == 1
    assert len(fake_slack.posted) == 1


async def test_disconnect_message_reconnects(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter
) -> None:
    def opened() -> int:
        return sum(c.method == "apps.connections.open" for c in fake_slack.calls)

    before = opened()
    await fake_slack.send_disconnect()
    await fake_slack.wait_until(lambda: fake_slack.ws_connections == 2, what="reconnection")
    assert opened() == before + 1  # a fresh URL was asked for
    await fake_slack.wait_until(lambda: fake_slack.connected, what="live socket")
    await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("summary bridge"))
    await fake_slack.wait_until(lambda: fake_slack.responses, what="answer after reconnect")


async def test_link_button_click_is_acknowledged(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter
) -> None:
    click = fake_slack.block_action("open_article_0")
    envelope = await fake_slack.send_envelope("interactive", click)
    await fake_slack.wait_until(lambda: fake_slack.acks, what="ack")
    assert fake_slack.acks[0].key == envelope
    # A question sent after the click is answered; by then a reply to the click would have come.
    await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("summary bridge"))
    await fake_slack.wait_until(lambda: fake_slack.responses, what="the later answer")
    await asyncio.sleep(0.05)
    clicked = click["response_url"].rsplit("/", 1)[1]
    assert [r.key for r in fake_slack.responses if r.key == clicked] == []
    assert len(fake_slack.responses) == 1


async def test_app_error_handler_replies_with_a_ref(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(ack: Callable[[], Awaitable[None]]) -> None:
        await ack()
        raise RuntimeError("internal detail that users must not see")

    socket_adapter.app.action("boom")(boom)  # a listener that does not catch its own errors
    await fake_slack.send_envelope("interactive", fake_slack.block_action("boom"))
    await fake_slack.wait_until(lambda: fake_slack.responses, what="error reply")
    body = fake_slack.responses[0].body
    assert body["response_type"] == "ephemeral"
    match = re.fullmatch(
        r"Something went wrong \(ref ([0-9a-f]{6})\)\. It has been logged\.", body["text"]
    )
    assert match is not None
    assert "internal detail" not in json.dumps(body)
    assert any(match.group(1) in r.getMessage() and r.exc_info for r in caplog.records)


async def test_tokens_never_logged(
    fake_slack: FakeSlack, stub_engine: StubEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    adapter = SlackAdapter(
        unlimited(stub_engine), BOT_TOKEN, app_token=APP_TOKEN, api_base_url=fake_slack.api_url
    )
    await adapter.connect()
    try:
        await fake_slack.wait_until(lambda: fake_slack.connected, what="socket connection")
        await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("summary x"))
        event = fake_slack.mention("bridge")
        await fake_slack.send_envelope("events_api", fake_slack.event_callback(event))
        await fake_slack.wait_until(
            lambda: fake_slack.responses and fake_slack.posted, what="answers"
        )
    finally:
        await adapter.stop()
    assert caplog.records  # debug logging really was on
    assert BOT_TOKEN not in caplog.text
    assert APP_TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("bot_token", "app_token", "variable"),
    [
        (BOT_TOKEN, "xoxp-not-an-app-token", "NEWSBOT_SLACK__APP_TOKEN"),
        ("xoxp-wrong-kind", APP_TOKEN, "NEWSBOT_SLACK__BOT_TOKEN"),
    ],
)
async def test_refused_tokens_fail_fast(
    fake_slack: FakeSlack, stub_engine: StubEngine, bot_token: str, app_token: str, variable: str
) -> None:
    adapter = SlackAdapter(
        unlimited(stub_engine), bot_token, app_token=app_token, api_base_url=fake_slack.api_url
    )
    with pytest.raises(ConfigError) as caught:
        await adapter.connect()
    await adapter.stop()
    assert variable in str(caught.value)
    assert "invalid_auth" in str(caught.value)
    assert bot_token not in str(caught.value)
    assert fake_slack.ws_connections == 0


async def test_start_serves_until_stop(fake_slack: FakeSlack, stub_engine: StubEngine) -> None:
    adapter = SlackAdapter(
        unlimited(stub_engine), BOT_TOKEN, app_token=APP_TOKEN, api_base_url=fake_slack.api_url
    )
    task = asyncio.create_task(adapter.start())
    await asyncio.wait_for(adapter.wait_until_ready(), 5)
    assert fake_slack.connected
    assert not task.done()
    await adapter.stop()
    await asyncio.wait_for(task, 5)
    await fake_slack.wait_until(lambda: not fake_slack.connected, what="socket closed")


async def test_failed_start_does_not_hold_up_readiness(
    fake_slack: FakeSlack, stub_engine: StubEngine
) -> None:
    adapter = SlackAdapter(
        unlimited(stub_engine), BOT_TOKEN, app_token="xoxp-wrong", api_base_url=fake_slack.api_url
    )
    task = asyncio.create_task(adapter.start())
    await asyncio.wait_for(adapter.wait_until_ready(), 5)
    with pytest.raises(ConfigError):
        await task
    await adapter.stop()


async def test_ack_arrives_while_a_slow_engine_is_still_working(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    """Slack wants the ack within 3 s; the engine here answers only when released (or after
    30 s), so the ack provably comes first."""
    stub_engine.delay = 30.0
    envelope = await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("latest"))
    await fake_slack.wait_until(lambda: fake_slack.acks, within=ACK_DEADLINE, what="ack")
    (ack,) = fake_slack.acks
    assert ack.key == envelope
    assert ack.at - fake_slack.sent_at[envelope] < ACK_DEADLINE
    await fake_slack.wait_until(lambda: stub_engine.queries, within=ACK_DEADLINE,
                                what="the question")
    assert not stub_engine.answered_at  # the engine has the question and is still working
    assert fake_slack.responses == []
    stub_engine.release()  # rather than sleeping out the 30 s
    await fake_slack.wait_until(lambda: fake_slack.responses, what="the answer")
    assert ack.at < stub_engine.answered_at[0] <= fake_slack.responses[0].at  # ack, answer, reply


async def test_a_slash_command_and_dm_follow_ups_pass_the_default_limit(
    fake_slack: FakeSlack, stub_engine: StubEngine
) -> None:
    """Issue 14 #16 end to end: ``/news summary``, then follow-ups in a DM straight after
    (stricter than the two seconds of the report), under the limit a bot gets by default."""
    from bot.app import Newsbot

    engine: Any = stub_engine  # a stand-in for the engine, as in ``unlimited``
    adapter = SlackAdapter(Newsbot(engine), BOT_TOKEN, app_token=APP_TOKEN,
                           api_base_url=fake_slack.api_url)
    await adapter.connect()
    try:
        await fake_slack.wait_until(lambda: fake_slack.connected, what="socket connection")
        await fake_slack.send_envelope("slash_commands",
                                       fake_slack.slash_command("summary council bridge"))
        await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
        for n, text in enumerate(["and what did the mayor say?", "who opposed it?"], start=1):
            event = fake_slack.direct_message(text)
            await fake_slack.send_envelope("events_api", fake_slack.event_callback(event))
            await fake_slack.wait_until(lambda: len(fake_slack.posted) >= n,  # noqa: B023
                                        what="chat.postMessage")
    finally:
        await adapter.stop()
    said = [str(r.body) for r in fake_slack.responses] + [str(p.params) for p in fake_slack.posted]
    assert not [s for s in said if "Slow down" in s]
    assert [q.command for q in stub_engine.queries] == ["summary", None, None]
    assert len({q.user.id for q in stub_engine.queries}) == 1  # one person asked all three
