"""A Slack slash command is acknowledged within Slack's 3-second deadline while a large feed is
being parsed (issue 14, item 15): the real Slack adapter (Bolt, Socket Mode) against the fake
Slack, a real feed served by a local HTTP server, the real ``FeedService.probe`` (what
``feeds add`` runs) in the same event loop. Parsing runs in the feeds' worker threads
(``bot/feeds/offloop.py``); put back on the loop, the ack could only go after the parse ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.slack import SlackAdapter
from bot.catalogue.base import Catalogue
from bot.feeds.service import FeedService
from tests.contract.feed_parse import (
    DEADLINE,
    ENTRIES,
    ParseWatch,
    feed_service_over,
    large_feed_served,
    watch_parser,
)
from tests.fakes.slack_fake import FakeSlack


@pytest.fixture
async def big_feed_url() -> AsyncIterator[str]:
    async with large_feed_served() as url:
        yield url


@pytest.fixture
async def feeds(catalogue: Catalogue, tmp_path: Path) -> AsyncIterator[FeedService]:
    async with feed_service_over(catalogue, tmp_path) as service:
        yield service


@pytest.fixture
async def watch(monkeypatch: pytest.MonkeyPatch) -> ParseWatch:
    return watch_parser(monkeypatch)


async def test_a_slash_command_is_acked_while_a_large_feed_is_parsed(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter,
    feeds: FeedService, big_feed_url: str, watch: ParseWatch,
) -> None:
    probe = asyncio.create_task(feeds.probe(big_feed_url, trusted=True))
    await watch.wait_started()
    envelope = await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("help"))
    sent = fake_slack.sent_at[envelope]
    await fake_slack.wait_until(lambda: fake_slack.acks, what="ack", within=60)
    parsed = await asyncio.wait_for(probe, 60)

    [ack] = fake_slack.acks
    assert ack.key == envelope
    assert len(parsed.entries) == ENTRIES
    assert watch.running_at(sent), "the command was not sent during the parse"
    assert watch.running_at(ack.at), (
        "the command was acked only after the parse ended: it blocked the event loop")
    assert ack.at - sent < DEADLINE, f"ack {ack.at - sent:.1f} s after the command was sent"
