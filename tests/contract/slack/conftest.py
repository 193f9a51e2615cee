"""Fixtures driving the real Slack adapter (Bolt + slack_sdk) against the fake Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack import SlackAdapter
from tests.contract.slack.slack_samples import StubEngine, unlimited
from tests.fakes.slack_fake import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "SLACK_SIGNING_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk honours HTTPS_PROXY and ignores NO_PROXY: loopback calls must not go out."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    """A running fake Slack; fails the test if the bot called anything it does not implement or
    posted a message Slack would refuse."""
    fake = FakeSlack()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    assert not fake.unimplemented, f"bot called unimplemented Slack methods: {fake.unimplemented}"
    assert not fake.limit_violations, f"Slack would refuse: {fake.limit_violations}"


@pytest.fixture
def stub_engine() -> StubEngine:
    """The stand-in engine."""
    return StubEngine()


@pytest.fixture
async def socket_adapter(
    fake_slack: FakeSlack, stub_engine: StubEngine
) -> AsyncIterator[SlackAdapter]:
    """The adapter in Socket Mode, connected to the fake (hello received)."""
    adapter = SlackAdapter(
        unlimited(stub_engine),
        BOT_TOKEN,
        app_token=APP_TOKEN,
        api_base_url=fake_slack.api_url,
        admin_user_ids=frozenset({"U0ADMIN"}),
    )
    await adapter.connect()
    await fake_slack.wait_until(lambda: fake_slack.connected, what="socket connection")
    try:
        yield adapter
    finally:
        await adapter.stop()


@pytest.fixture
async def http_adapter(
    fake_slack: FakeSlack, stub_engine: StubEngine
) -> AsyncIterator[SlackAdapter]:
    """The adapter in HTTP mode on a free port of 127.0.0.1."""
    adapter = SlackAdapter(
        unlimited(stub_engine),
        BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        mode="http",
        api_base_url=fake_slack.api_url,
        http_port=0,
    )
    await adapter.connect()
    try:
        yield adapter
    finally:
        await adapter.stop()
