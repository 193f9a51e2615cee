"""Fixtures driving the real discord.py client (via DiscordAdapter) against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():  # discord.py 2.7.1 imports the deprecated ``audioop``
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord  # noqa: F401

# ``tests`` is not an installed package; make ``tests.fakes`` importable under any runner.
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from discord.gateway import DiscordWebSocket  # noqa: E402
from discord.http import Route  # noqa: E402

from adapters.discord import DiscordAdapter  # noqa: E402
from bot.app import Newsbot  # noqa: E402
from bot.intents import Intent  # noqa: E402
from bot.messages import Answer, Card, Query, QuoteLine, Visibility  # noqa: E402
from bot.ratelimit import RateLimit  # noqa: E402
from tests.fakes.discord_fake import FakeDiscord  # noqa: E402

PUBLISHED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def sample_card(**changes: Any) -> Card:
    """A small, ordinary story card."""
    fields: dict[str, Any] = {
        "title": "Council approves new bridge",
        "ref": "council-bridge",
        "url": "https://news.example/council-bridge",
        "source": "Example News",
        "published_at": PUBLISHED,
        "summary": ("The council approved the bridge on Monday.", "Work starts in May."),
        "quotes": (
            QuoteLine("Jane Doe", "said", "This is a great day for the city.", "direct", True),
            QuoteLine("John Roe", "warned", "costs could rise", "reported", False),
        ),
    }
    fields.update(changes)
    return Card(**fields)


class StubEngine:
    """A stand-in with the Engine's interface: fixed answers, recorded queries, optional delay.

    ``delay``: seconds each answer takes (a slow catalogue); ``release()`` ends the wait early,
    so a test can prove what happened while the engine was still busy without racing a timer.
    """

    def __init__(self) -> None:
        self.queries: list[Query] = []
        self.delay = 0.0
        self.fail: Exception | None = None
        self.next_answer: Answer | None = None
        self.prefixes: list[str] = []
        self.answered_at: list[float] = []  # time.monotonic() when each answer was ready
        self._released = asyncio.Event()

    def release(self) -> None:
        """Let answers waiting out ``delay`` finish now."""
        self._released.set()

    async def answer(self, query: Query) -> Answer:
        self.queries.append(query)
        try:
            return await self._answer(query)
        finally:
            self.answered_at.append(time.monotonic())

    async def _answer(self, query: Query) -> Answer:
        if self.delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), self.delay)
        if self.fail is not None:
            raise self.fail
        if self.next_answer is not None:
            return self.next_answer
        if query.command == "help":
            return Answer(intent=Intent.HELP, lead="Ask me about the news.")
        if query.arg("story") == "nope":
            return Answer(
                intent=Intent.SUMMARY,
                lead="",
                notice="I don't know that story.",
                visibility=Visibility.EPHEMERAL,
            )
        intent = Intent(query.command) if query.command else Intent.STORY
        return Answer(intent=intent, lead="Here you go.", cards=(sample_card(),))

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        self.prefixes.append(prefix)
        many = [(f"Story {i} " + "x" * 120, f"story-{i}") for i in range(40)]
        return many[:limit]

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        self.prefixes.append(prefix)
        return [n for n in ("Jane Doe", "John Roe") if n.lower().startswith(prefix.lower())]


@pytest.fixture(autouse=True)
def _discord_endpoints_restored() -> Any:
    """The adapter overrides discord.py's class-level URLs while running; they must come back."""
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    yield
    after = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = before
    assert after == before, "discord.py endpoints were not restored"


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running fake Discord; fails the test if the bot called anything it does not implement
    or sent a message Discord would refuse as over its limits."""
    fake = FakeDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
    assert not fake.unimplemented, f"bot used endpoints the fake lacks: {fake.unimplemented}"
    assert not fake.limit_violations, f"Discord would answer 400: {fake.limit_violations}"


@pytest.fixture
def stub_engine() -> StubEngine:
    """The stand-in engine."""
    return StubEngine()


StartBot = Callable[..., Awaitable[DiscordAdapter]]


@pytest.fixture
async def start_bot(fake_discord: FakeDiscord) -> AsyncIterator[StartBot]:
    """Start a DiscordAdapter against the fake and wait until it is ready; stops it afterwards.
    It serves ``core`` (a ``Newsbot``), or a ``Newsbot`` over ``core`` when that is an engine
    (with no rate limit unless ``burst``/``burst_seconds`` are given)."""
    running: list[tuple[DiscordAdapter, asyncio.Task[None]]] = []

    async def start(
        core: Any, *, burst: int = 0, burst_seconds: float = 1.0, **options: Any
    ) -> DiscordAdapter:
        settings: dict[str, Any] = {
            "api_base_url": fake_discord.api_base,
            "gateway_url": fake_discord.gateway_url,
            "guild_ready_timeout": 0.05,
            **options,
        }
        if not isinstance(core, Newsbot):
            core = Newsbot(core, limit=RateLimit(burst, burst_seconds))
        adapter = DiscordAdapter(core, "fake-token", **settings)
        task = asyncio.create_task(adapter.start())
        running.append((adapter, task))
        ready = asyncio.create_task(adapter.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=10, return_when="FIRST_COMPLETED")
        if task in done:
            ready.cancel()
            task.result()  # raises the start-up failure
        assert ready in done, "the bot did not become ready"
        return adapter

    yield start
    for adapter, task in running:
        await adapter.stop()
        await asyncio.wait_for(task, 10)


@pytest.fixture
async def bot(start_bot: StartBot, stub_engine: StubEngine) -> DiscordAdapter:
    """A ready bot over the stand-in engine."""
    return await start_bot(stub_engine)
