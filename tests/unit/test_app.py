"""The front door (``Newsbot.handle``) and the composition root's lifecycle."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app import Newsbot, open_newsbot
from bot.intents import Intent
from bot.messages import Answer, Place, Query, User, Visibility
from bot.ratelimit import RateLimit
from bot.settings import AnswerSettings, Settings

ANN = User(id="U1", name="ann")
CHANNEL = Place(platform="slack", channel="C1", workspace="T1")
DM = Place(platform="slack", channel="D1", workspace="T1", is_direct=True)


def ask(text: str, *, command: str | None = None, place: Place = CHANNEL, user: User = ANN,
        args: tuple[tuple[str, str], ...] = ()) -> Query:
    return Query(text=text, user=user, place=place, received_at=datetime.now(UTC),
                 command=command, args=args)


class Engine:
    """Answers every question with its text; records what reached it."""

    def __init__(self, delay: float = 0.0) -> None:
        self.asked: list[str] = []
        self.delay = delay

    async def answer(self, query: Query) -> Answer:
        await asyncio.sleep(self.delay)
        self.asked.append(query.text)
        return Answer(Intent.SEARCH, query.text)

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        return [(prefix, prefix)]

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        return [prefix]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def default_limit(clock: Clock) -> RateLimit:
    """The configured default, on a clock the test moves."""
    defaults = AnswerSettings()
    return RateLimit(defaults.burst, defaults.burst_seconds, clock=clock)


async def test_a_follow_up_two_seconds_after_a_slash_command_is_answered() -> None:
    """A regression: ``/news summary`` then a DM follow-up 2 s later was told "Slow down"
    by the fixed 3 s cooldown. Ordinary conversation must pass."""
    clock = Clock()
    engine = Engine()
    app = Newsbot(engine, limit=default_limit(clock))
    await app.handle(ask("/news summary", command="summary", args=(("story", "ban"),)))
    clock.now += 2.0
    answer = await app.handle(ask("what did Peskov say?", place=DM))
    assert answer.lead == "what did Peskov say?"
    clock.now += 2.0
    await app.handle(ask("and Raimondo?", place=DM))
    assert engine.asked == ["/news summary", "what did Peskov say?", "and Raimondo?"]


async def test_a_flood_is_slowed_down_and_help_never_is() -> None:
    clock = Clock()
    engine = Engine()
    app = Newsbot(engine, limit=default_limit(clock))
    answers = [await app.handle(ask(f"q{i}")) for i in range(8)]
    assert engine.asked == ["q0", "q1", "q2", "q3", "q4"]  # the default burst of 5
    slow = answers[5]
    assert slow.lead == "Slow down a little: try again in 3 s."
    assert slow.visibility is Visibility.EPHEMERAL
    helped = await app.handle(ask("/news help", command="help"))
    assert helped.lead == "/news help"
    other = await app.handle(ask("q", user=User(id="U2")))
    assert other.lead == "q"  # per person
    elsewhere = await app.handle(ask("q", place=Place(platform="discord", channel="1")))
    assert elsewhere.lead == "q"  # Slack's U1 is not Discord's U1
    clock.now += 3.0
    assert (await app.handle(ask("later"))).lead == "later"


async def test_digest_and_feed_commands_route_to_their_features() -> None:
    class Feature:
        def __init__(self) -> None:
            self.handled: list[Query] = []

        async def handle(self, query: Query) -> Answer:
            self.handled.append(query)
            return Answer(Intent.DIGEST, "handled")

    engine = Engine()
    off = Newsbot(engine, limit=RateLimit(0, 1.0))
    not_running = await off.handle(ask("", command="digest", args=(("action", "list"),)))
    assert not_running.notice == (
        "Digests are not running in this bot process, so this command is unavailable.")
    assert (await off.handle(ask("", command="feeds"))).notice is not None
    assert await off.digest_choices(CHANNEL) == []
    digests, feeds = Feature(), Feature()
    app = Newsbot(engine, limit=RateLimit(0, 1.0), digests=digests,  # type: ignore[arg-type]
                  feeds=feeds)  # type: ignore[arg-type]
    await app.handle(ask("", command="digest", args=(("action", "list"),)))
    await app.handle(ask("", command="feeds", args=(("action", "list"),)))
    await app.handle(ask("latest news"))
    assert [q.command for q in digests.handled] == ["digest"]
    assert [q.command for q in feeds.handled] == ["feeds"]
    assert engine.asked == ["latest news"]


class Adapter:
    """A chat adapter that is ready when told, and serves until stopped."""

    name = "fake"

    def __init__(self) -> None:
        self.deliverer = object()
        self.ready = asyncio.Event()
        self.stopped = asyncio.Event()
        self.events: list[str] = []

    async def start(self) -> None:
        self.events.append("start")
        await self.stopped.wait()

    async def wait_until_ready(self) -> None:
        await self.ready.wait()

    async def stop(self) -> None:
        self.events.append("stop")
        self.stopped.set()


async def test_stop_lets_answers_in_progress_finish_before_the_adapters_stop() -> None:
    engine = Engine(delay=0.2)
    app = Newsbot(engine, limit=RateLimit(0, 1.0))
    adapter = Adapter()
    app.attach(adapter)  # type: ignore[arg-type]
    assert app.deliverers == {"fake": adapter.deliverer}
    asking = asyncio.create_task(app.handle(ask("slow one")))
    await asyncio.sleep(0.05)
    await app.stop()
    assert asking.done()
    assert engine.asked == ["slow one"]
    assert adapter.events == ["stop"]


async def test_open_newsbot_runs_the_features_until_an_adapter_ends(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'news.db'}")
    async with open_newsbot(settings, seed=False) as app:
        adapter = Adapter()
        app.attach(adapter)  # type: ignore[arg-type]
        await app.start()
        assert app.digest_scheduler is not None
        assert app.feed_scheduler is not None
        assert app.digest_scheduler.scheduler.running
        catching_up: Any = app._catching_up
        await asyncio.sleep(0.05)
        assert not catching_up.done()  # the catch-up waits for every adapter to be ready
        adapter.ready.set()
        await asyncio.wait_for(catching_up, 5)
        serving = asyncio.create_task(app.serve())
        await asyncio.sleep(0.05)
        assert adapter.events == ["start"]
        adapter.stopped.set()  # the adapter ends (as the console does at end of input)
        await asyncio.wait_for(serving, 5)
        assert adapter.events == ["start", "stop"]
        assert not app.digest_scheduler.scheduler.running
        listed = await app.handle(ask("", command="digest", args=(("action", "list"),)))
        assert listed.lead.startswith("No digests here yet")
