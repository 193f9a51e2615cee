"""Helpers for the digest tests: an injected clock, a recording deliverer, hand-made articles."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.catalogue.base import Catalogue
from bot.digests.model import FINAL, RunInfo
from bot.digests.store import DigestStore
from bot.messages import Answer, Place
from bot.models import Analysis, ArticleDraft, Sentence, Speaker
from bot.ports import DeliveryError

SLOT = datetime(2026, 3, 21, 9, 0, tzinfo=UTC)  # a slot: 09:00 in London (GMT until 29 March)


class FakeClock:
    """A clock the test moves by hand (aware UTC)."""

    def __init__(self, start: datetime) -> None:
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class ClockSleep:
    """An injectable ``sleep`` on a ``FakeClock``: a sleeper wakes only when the test has moved
    the clock past its wake time with ``advance``, which returns once the woken sleeper is
    asleep again (so whatever it does between sleeps is done). Nothing waits for real."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.wakes = 0  # how many sleeps have ended
        self._wake_at: datetime | None = None
        self._woken = asyncio.Event()
        self._asleep = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self._wake_at = self.clock() + timedelta(seconds=seconds)
        self._woken.clear()
        self._asleep.set()
        await self._woken.wait()

    async def asleep(self, within: float = 5.0) -> None:
        """Wait (bounded) until a sleeper is waiting."""
        await asyncio.wait_for(self._asleep.wait(), within)

    async def advance(self, **delta: float) -> None:
        """Move the clock; wake the sleeper whose time has come and wait till it sleeps again."""
        self.clock.advance(**delta)
        if self._asleep.is_set() and self._wake_at is not None and self.clock() >= self._wake_at:
            self._asleep.clear()
            self._woken.set()
            self.wakes += 1
            await self.asleep()


@dataclass
class Delivery:
    place: Place
    answer: Answer


@dataclass
class RecordingDeliverer:
    """Implements the ``Deliverer`` protocol by recording; can fail or refuse on demand."""

    failures: int = 0  # the next N deliveries raise a transient error
    refuse: str | None = None  # every delivery raises DeliveryError with this reason
    record_file: Path | None = None
    sent: list[Delivery] = field(default_factory=list)
    attempts: int = 0

    async def deliver(self, place: Place, answer: Answer) -> None:
        self.attempts += 1
        if self.refuse is not None:
            raise DeliveryError(place, self.refuse)
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("simulated outage")
        self.sent.append(Delivery(place, answer))
        if self.record_file is not None:
            with self.record_file.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"channel": place.channel, "lead": answer.lead,
                                      "ids": [c.ref for c in answer.cards]}) + "\n")

    def titles(self, index: int = -1) -> list[str]:
        return [card.title for card in self.sent[index].answer.cards]

    def to(self, channel: str) -> list[Delivery]:
        return [d for d in self.sent if d.place.channel == channel]


def analysis_of(draft: ArticleDraft, speakers: tuple[str, ...] = ()) -> Analysis:
    """One sentence per paragraph, lead-first ranking; no NLP model involved."""
    sentences = []
    start = 0
    for index, part in enumerate((draft.title, *draft.paragraphs)):
        sentences.append(Sentence(index, part, start, start + len(part), index))
        start += len(part) + 2
    return Analysis(sentences=tuple(sentences),
                    summary_ranking=tuple(s.index for s in sentences[1:]),
                    speakers=tuple(Speaker(name) for name in speakers))


async def add_article(catalogue: Catalogue, title: str, published_at: datetime, *,
                      body: str = "Something happened today. More details follow.",
                      speakers: tuple[str, ...] = ()) -> int:
    """Store one hand-made article; returns its catalogue id."""
    slug = "-".join(title.casefold().split())[:60]
    draft = ArticleDraft(title=title, paragraphs=(body, "A second paragraph for the summary."),
                         slug=slug, url=f"https://news.example/{slug}", source="Example News",
                         published_at=published_at)
    result = await catalogue.upsert(draft, analysis_of(draft, speakers))
    return result.article_id


async def subscribe(store: object, clock: FakeClock, *, channel: str = "general",
                    schedule: str = "daily 09:00", tz: str = "Europe/London",
                    max_stories: int = 5, topic: str | None = None, style: str = "brief",
                    notify_empty: bool = False, platform: str = "console") -> object:
    """Store a subscription directly (the command layer has its own tests)."""
    from bot.digests.model import NewSubscription, Style
    from bot.digests.schedule import parse_schedule
    from bot.digests.sqlite_store import SqliteDigestStore

    assert isinstance(store, SqliteDigestStore)
    canonical, zone, _ = parse_schedule(schedule, tz)
    new = NewSubscription(platform=platform, workspace="", channel=channel, schedule=canonical,
                          timezone=zone.key, max_stories=max_stories, topic=topic,
                          style=Style.parse(style), notify_empty=notify_empty, created_by="u1")
    return await store.add(new, clock(), max_per_channel=50)


async def finished_runs(store: DigestStore, subscription_id: int,
                        seconds: float = 10.0) -> list[RunInfo]:
    """The subscription's runs once none is still claimed: a digest reaches the channel a
    moment before its run is recorded as posted, so a test that saw the post waits for that."""
    for _ in range(int(seconds / 0.01)):
        runs = await store.runs(subscription_id)
        if runs and all(run.status in FINAL for run in runs):
            return runs
        await asyncio.sleep(0.01)
    return await store.runs(subscription_id)
