"""A Discord interaction is answered within Discord's 3-second deadline while a large feed is
being parsed (issue 14, item 15): real discord.py against the fake Discord, a real feed served
by a local HTTP server, the real ``FeedService.probe`` (what ``feeds add`` runs) in the same
event loop. Parsing runs in the feeds' worker threads (``bot/feeds/offloop.py``); put back on
the loop, the interaction's first response could only come after the parse ends."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.feeds.service import FeedService
from tests.contract.discord.conftest import StartBot, StubEngine
from tests.contract.feed_parse import (
    DEADLINE,
    ENTRIES,
    ParseWatch,
    feed_service_over,
    large_feed_served,
    watch_parser,
)
from tests.fakes.discord_fake import FakeDiscord


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


async def test_an_interaction_is_answered_while_a_large_feed_is_parsed(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord,
    feeds: FeedService, big_feed_url: str, watch: ParseWatch,
) -> None:
    await start_bot(stub_engine)
    probe = asyncio.create_task(feeds.probe(big_feed_url, trusted=True))
    await watch.wait_started()
    payload = fake_discord.interaction("help")
    sent = time.monotonic()
    await fake_discord.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (callback,) = await fake_discord.wait_request("POST", re.escape(path), wait=60)
    parsed = await asyncio.wait_for(probe, 60)

    assert len(parsed.entries) == ENTRIES
    assert watch.running_at(sent), "the interaction was not sent during the parse"
    assert watch.running_at(callback.at), (
        "the interaction was answered only after the parse ended: it blocked the event loop")
    assert callback.at - sent < DEADLINE, (
        f"first response {callback.at - sent:.1f} s after the interaction was sent")
    assert callback.body["type"] in (4, 5)  # a real answer or a deferral, both in time
