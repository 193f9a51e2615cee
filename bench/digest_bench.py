"""Digest bench: 1,000 subscriptions due in the same minute.

Builds a real SQLite catalogue of hand-made articles (no spaCy), subscribes 1,000 channels (a
third with a topic, styles mixed), then measures:
  1. composing every digest (catalogue reads only);
  2. running every slot through the service (claim, compose, deliver, record) into a recording
     deliverer, twice (the second pass must post nothing: double trigger);
  3. the next slot run by two services sharing the database file at once (one post per slot);
  4. optionally, delivery under a Discord-like global rate limit (--rate messages/s).
Prints the figures and fails if any slot was posted twice or a story repeated in a channel.

    .venv/bin/python bench/digest_bench.py [--subs 1000] [--articles 3000] [--rate 50]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.catalogue.open import open_catalogue
from bot.catalogue.sqlite import SqliteCatalogue
from bot.digests.compose import compose, window_since
from bot.digests.model import NewSubscription, Outcome, Style
from bot.digests.service import DigestService
from bot.digests.sqlite_store import SqliteDigestStore
from bot.messages import Answer, Place
from bot.models import Analysis, ArticleDraft, Sentence

WORDS = ("climate", "election", "market", "energy", "football", "court", "health", "space",
         "ocean", "trade", "vaccine", "budget", "storm", "strike", "housing", "railway",
         "tariff", "rocket", "drought", "museum")
SLOT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


class Recorder:
    """A ``Deliverer`` that records; with ``rate`` it holds a global token bucket."""

    def __init__(self, rate: float | None = None) -> None:
        self.sent: list[tuple[str, tuple[str, ...]]] = []
        self.rate = rate
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def deliver(self, place: Place, answer: Answer) -> None:
        if self.rate:
            async with self._lock:
                now = time.perf_counter()
                wait = max(0.0, self._next - now)
                self._next = max(now, self._next) + 1.0 / self.rate
            await asyncio.sleep(wait)
        self.sent.append((place.channel or "", tuple(c.ref for c in answer.cards)))


def _analysis(draft: ArticleDraft) -> Analysis:
    sentences, start = [], 0
    for index, part in enumerate((draft.title, *draft.paragraphs)):
        sentences.append(Sentence(index, part, start, start + len(part), index))
        start += len(part) + 2
    return Analysis(sentences=tuple(sentences),
                    summary_ranking=tuple(s.index for s in sentences[1:]))


async def add_articles(db: Path, first: int, count: int, end: datetime,
                       rng: random.Random) -> None:
    """``count`` articles published in the three days before ``end``."""
    catalogue = await open_catalogue(f"sqlite:///{db}")
    assert isinstance(catalogue, SqliteCatalogue)
    items = []
    for i in range(first, first + count):
        topic = rng.sample(WORDS, 3)
        draft = ArticleDraft(
            title=f"Story {i}: {' and '.join(topic)}",
            paragraphs=(f"Report {i} about {topic[0]} with {topic[1]} details.",
                        f"More on {topic[2]} in paragraph two of story {i}."),
            slug=f"story-{i}", url=f"https://news.example/{i}", source="Bench News",
            published_at=end - timedelta(minutes=rng.randrange(1, 3 * 24 * 60)))
        items.append((draft, _analysis(draft)))
    t0 = time.perf_counter()
    for start in range(0, len(items), 500):
        await catalogue.upsert_many(items[start:start + 500])
    print(f"catalogue: {count} articles stored in {time.perf_counter() - t0:.1f} s "
          f"(total {await catalogue.count()})")
    await catalogue.close()


async def build(db: Path, articles: int, subs: int, rng: random.Random) -> None:
    await add_articles(db, 0, articles, SLOT, rng)
    store = SqliteDigestStore(str(db))
    await store.open()
    styles = (Style.TITLES, Style.BRIEF, Style.FULL)
    for i in range(subs):
        await store.add(NewSubscription(
            platform="bench", workspace="w", channel=f"ch{i}", schedule="daily 09:00",
            timezone="UTC", max_stories=rng.choice((5, 10, 20)),
            topic=rng.choice(WORDS) if i % 3 == 0 else None, style=styles[(i // 3) % 3],
            notify_empty=False, created_by="bench"), SLOT - timedelta(days=1), max_per_channel=5)
    await store.close()


async def measure_compose(service: DigestService) -> None:
    subs = await service.store.find()
    durations = []
    t0 = time.perf_counter()
    for sub in subs:
        start = time.perf_counter()
        since = window_since(sub, SLOT, await service.store.window_start(sub.id))
        await compose(service.catalogue, sub, since=since,
                      exclude=await service.store.sent_ids(sub.channel_key))
        durations.append(time.perf_counter() - start)
    total = time.perf_counter() - t0
    ms = sorted(d * 1000 for d in durations)
    print(f"compose: {len(subs)} digests in {total:.2f} s "
          f"(median {statistics.median(ms):.2f} ms, p95 {ms[int(len(ms) * 0.95)]:.2f} ms, "
          f"max {ms[-1]:.2f} ms)")


def check_no_repeats(sent: list[tuple[str, tuple[str, ...]]]) -> None:
    per_channel = Counter((channel, story) for channel, ids in sent for story in ids)
    repeats = [key for key, count in per_channel.items() if count > 1]
    assert not repeats, f"stories repeated in a channel: {repeats[:5]}"


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(6)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        await build(db, args.articles, args.subs, rng)
        catalogue = await open_catalogue(f"sqlite:///{db}")
        store = SqliteDigestStore(str(db))
        await store.open()
        recorder = Recorder()
        service = DigestService(store, catalogue, {"bench": recorder}, clock=lambda: SLOT,
                                concurrency=args.concurrency)
        await measure_compose(service)
        ids = [sub.id for sub in await store.find()]
        t0 = time.perf_counter()
        outcomes = Counter(await service.run_many((i, SLOT) for i in ids))
        print(f"run: {len(ids)} slots in {time.perf_counter() - t0:.2f} s -> {dict(outcomes)}")
        t0 = time.perf_counter()
        again = Counter(await service.run_many((i, SLOT) for i in ids))
        print(f"double trigger: {time.perf_counter() - t0:.2f} s -> {dict(again)}")
        assert again == Counter({Outcome.DUPLICATE: len(ids)}), again
        assert len(recorder.sent) == outcomes[Outcome.POSTED]
        await two_services(db, service, ids, recorder, args)
        if args.rate:
            recorder.sent.extend(await rate_limited(db, service, ids, args))
        check_no_repeats(recorder.sent)
        print("duplicates: 0 (no slot posted twice, no story repeated in a channel)")
        await store.close()
        await catalogue.close()


async def two_services(db: Path, first: DigestService, ids: list[int], recorder: Recorder,
                       args: argparse.Namespace) -> None:
    """The next day's slot, run by two services on one file at the same time."""
    slot = SLOT + timedelta(days=1)
    await add_articles(db, args.articles, args.articles // 3, slot, random.Random(7))
    catalogue = await open_catalogue(f"sqlite:///{db}")
    store = SqliteDigestStore(str(db))
    await store.open()
    other = Recorder()
    second = DigestService(store, catalogue, {"bench": other}, clock=lambda: slot,
                           concurrency=args.concurrency)
    first.clock = lambda: slot
    before = len(recorder.sent)
    t0 = time.perf_counter()
    a, b = await asyncio.gather(first.run_many((i, slot) for i in ids),
                                second.run_many((i, slot) for i in reversed(ids)))
    took = time.perf_counter() - t0
    posted = Counter(a) + Counter(b)
    print(f"two services, one file: {len(ids)} slots in {took:.2f} s -> {dict(posted)}; "
          f"posts by A {len(recorder.sent) - before}, by B {len(other.sent)}")
    assert posted[Outcome.POSTED] + posted[Outcome.EMPTY] == len(ids), posted
    recorder.sent.extend(other.sent)
    await store.close()
    await catalogue.close()


async def rate_limited(db: Path, service: DigestService, ids: list[int],
                       args: argparse.Namespace) -> list[tuple[str, tuple[str, ...]]]:
    """A third slot through a deliverer limited to ``--rate`` messages per second overall."""
    slot = SLOT + timedelta(days=2)
    await add_articles(db, args.articles * 2, args.articles // 3, slot, random.Random(8))
    limited = Recorder(rate=args.rate)
    service.deliverers = {"bench": limited}
    service.clock = lambda: slot
    t0 = time.perf_counter()
    outcomes = Counter(await service.run_many((i, slot) for i in ids))
    took = time.perf_counter() - t0
    print(f"rate-limited ({args.rate:g}/s global): {len(limited.sent)} posts in {took:.1f} s "
          f"-> {dict(outcomes)}")
    return limited.sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subs", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=float, default=0.0,
                        help="also deliver one slot under a global messages/s limit")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
