"""A stand-in engine and sample answers for the Slack contract tests."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime
from typing import Any

from bot.app import Newsbot
from bot.intents import Intent
from bot.messages import Answer, Card, Query, QuoteLine, Visibility
from bot.ratelimit import RateLimit


def unlimited(engine: Any) -> Newsbot:
    """The core over ``engine`` with no rate limit (tests send questions back to back)."""
    return Newsbot(engine, limit=RateLimit(0, 1.0))


class StubEngine:
    """A stand-in engine returning a fixed answer per command, recording the queries.

    ``delay``: seconds each answer takes (a slow catalogue); ``release()`` ends the wait early,
    so a test can prove something happened while the engine was still busy without sleeping.
    """

    def __init__(self) -> None:
        self.queries: list[Query] = []
        self.fail = False
        self.answer_for: dict[str | None, Answer] = {}
        self.delay = 0.0
        self.answered_at: list[float] = []
        self._released = asyncio.Event()

    def release(self) -> None:
        """Let answers waiting out ``delay`` finish now."""
        self._released.set()

    async def answer(self, query: Query) -> Answer:
        self.queries.append(query)
        if self.delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), self.delay)
        self.answered_at.append(time.monotonic())
        if self.fail:
            raise RuntimeError("secret internal detail xoxb-should-never-leak")
        return self.answer_for.get(query.command, STORY_ANSWER)


STORY_ANSWER = Answer(
    intent=Intent.SUMMARY,
    lead="Here is the story.",
    cards=(
        Card(
            title="Council approves the new bridge",
            ref="bridge-1",
            url="https://news.example/bridge",
            source="Example News",
            published_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
            summary=("The council approved the bridge.", "Work starts in spring."),
            quotes=(
                QuoteLine("Jane Doe", "said", "This bridge connects us", "direct", True),
                QuoteLine("John Roe", "said", "the cost was too high", "reported", False),
            ),
        ),
    ),
)

ACK_DEADLINE = 3.0  # seconds Slack waits for an ack before it shows the user an error
NOT_FOUND = Answer(
    intent=Intent.SUMMARY,
    lead="",
    notice="I could not find that story.",
    visibility=Visibility.EPHEMERAL,
)
