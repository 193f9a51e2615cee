"""Discord adapter bench, through the real discord.py client and the loopback fake Discord.

1. Interaction -> first response latency (gateway dispatch at the fake until the interaction
   callback arrives back at the fake): p50, p95.
2. A digest fan-out to N channels against a fake enforcing 50 requests/s globally and
   5 messages / 5 s per channel: total time against the rate-limit bound, 429s, duplicates.

Run: .venv/bin/python bench/discord_bench.py [--interactions 200] [--channels 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord  # noqa: F401

from adapters.discord import DiscordAdapter, Pacer
from bot.app import Newsbot
from bot.intents import Intent
from bot.messages import Answer, Card, Place, Query, QuoteLine
from bot.ratelimit import RateLimit
from tests.fakes.discord_fake import FakeDiscord, Limits

ROOT = Path(__file__).resolve().parents[1]
CARD = Card(
    title="Council approves new bridge",
    ref="bridge",
    url="https://news.example/bridge",
    source="Example News",
    summary=("The council approved the bridge on Monday.", "Work starts in May."),
    quotes=(QuoteLine("Jane Doe", "said", "A great day.", "direct", True),),
)


class QuickEngine:
    """Answers at once, so the figures measure the adapter and discord.py, not the catalogue."""

    delay = 0.0

    async def answer(self, query: Query) -> Answer:
        await asyncio.sleep(self.delay)
        return Answer(intent=Intent.SUMMARY, lead="Here you go.", cards=(CARD,))

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        return [("Council approves new bridge", "bridge")]

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        return ["Jane Doe"]


async def _started(
    fake: FakeDiscord, engine: Any = None
) -> tuple[DiscordAdapter, asyncio.Task[None]]:
    adapter = DiscordAdapter(
        Newsbot(engine or QuickEngine(), limit=RateLimit(0, 1.0)),  # many asks, one user
        "bench-token",
        api_base_url=fake.api_base,
        gateway_url=fake.gateway_url,
        guild_ready_timeout=0.05,
    )
    task = asyncio.create_task(adapter.start())
    await asyncio.wait_for(adapter.wait_until_ready(), 10)
    return adapter, task


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def bench_latency(count: int, engine: Any = None, label: str = "quick engine") -> None:
    """Sequential slash commands; latency from dispatch to the callback's arrival."""
    fake = FakeDiscord()
    await fake.start()
    adapter, task = await _started(fake, engine)
    latencies: list[float] = []
    try:
        for i in range(count):
            options = {"story": "kaspersky"} if i % 2 else {"query": "kaspersky ban"}
            sub = "summary" if i % 2 else "search"
            payload = fake.interaction(sub, options, user_id=10**17 + i)
            path = f"/interactions/{payload['id']}/{payload['token']}/callback"
            sent = time.monotonic()
            await fake.dispatch("INTERACTION_CREATE", payload)
            (callback,) = await fake.wait_request("POST", path)
            latencies.append((callback.at - sent) * 1000)
    finally:
        await adapter.stop()
        await task
        await fake.close()
    print(f"interaction -> first response ({count} summary/search commands, {label}):")
    print(
        f"  p50 {_pct(latencies, 0.5):.1f} ms   p95 {_pct(latencies, 0.95):.1f} ms   "
        f"max {max(latencies):.1f} ms   mean {statistics.mean(latencies):.1f} ms"
    )


async def bench_real_engine(count: int) -> None:
    """The same through the real engine over a SQLite catalogue of the seed articles."""
    from bot.catalogue.open import open_catalogue
    from bot.engine import Engine
    from bot.ingest.pipeline import ingest_paths

    with tempfile.TemporaryDirectory() as tmp:
        catalogue = await open_catalogue(f"sqlite:///{tmp}/bench.db")
        try:
            await ingest_paths(catalogue, [ROOT / "seeds", ROOT / "tests/data/articles"])
            await bench_latency(count, Engine(catalogue), "real engine, seeded SQLite")
        finally:
            await catalogue.close()


async def bench_slow_engine(count: int, delay: float) -> None:
    """Concurrent commands on an engine slower than Discord's 3 s: deferred, then edited."""
    fake = FakeDiscord()
    await fake.start()
    engine = QuickEngine()
    engine.delay = delay
    adapter, task = await _started(fake, engine)
    try:
        payloads = [fake.interaction("latest", {}, user_id=10**17 + i) for i in range(count)]
        start = time.monotonic()
        await asyncio.gather(*(fake.dispatch("INTERACTION_CREATE", p) for p in payloads))
        edits = await fake.wait_request(
            "PATCH", r"/webhooks/\d+/[^/]+/messages/@original", count=count, wait=delay + 10
        )
        firsts = [
            fake.find("POST", f"/interactions/{p['id']}/{p['token']}/callback")[0] for p in payloads
        ]
    finally:
        await adapter.stop()
        await task
        await fake.close()
    first = [(c.at - start) * 1000 for c in firsts]
    final = [(e.at - start) * 1000 for e in edits]
    deferred = sum(1 for c in firsts if c.body["type"] == 5)
    print(f"{count} concurrent commands, engine taking {delay:g} s:")
    print(
        f"  first response p50 {_pct(first, 0.5):.0f} ms, max {max(first):.0f} ms "
        f"({deferred}/{count} deferred); answer edited in p50 {_pct(final, 0.5):.0f} ms"
    )


async def bench_fanout(channels: int, window: float, per_channel: int = 1) -> None:
    """``per_channel`` digests to each of ``channels`` channels, all at once, against limits."""
    fake = FakeDiscord()
    await fake.start()
    adapter, task = await _started(fake)
    fake.limits = Limits(global_per_second=50, channel_messages=5, channel_window=5.0)
    adapter.deliverer.pacer = Pacer(global_limit=50, global_window=window)
    ids = [str(800000000000000000 + i) for i in range(channels)]
    answer = Answer(intent=Intent.DIGEST, lead="Your morning news", cards=(CARD,))
    try:
        start = time.monotonic()
        await asyncio.gather(
            *(
                adapter.deliverer.deliver(Place("discord", channel=c), answer)
                for _ in range(per_channel)
                for c in ids
            )
        )
        elapsed = time.monotonic() - start
    finally:
        await adapter.stop()
        await task
        await fake.close()
    counts = [len(fake.channel_messages[c]) for c in ids]
    posts = sum(counts)
    # Least time any sender could take under the sliding windows: 50 at once, then 50 per s.
    bound = max(math.ceil(posts / 50) - 1, (per_channel - 1) // 5 * 5.0, 0.01)
    print(
        f"fan-out of {per_channel} digest(s) to {channels} channels "
        "(fake enforces 50 req/s, 5 msgs/5 s/channel):"
    )
    print(
        f"  {posts} messages in {elapsed:.2f} s; rate-limit bound {bound:.2f} s "
        f"({elapsed / bound:.2f}x; pacer: 50 per {window:g} s)"
    )
    print(
        f"  429s: {fake.count_429}   duplicates: {sum(max(0, n - per_channel) for n in counts)}"
        f"   missing: {sum(max(0, per_channel - n) for n in counts)}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interactions", type=int, default=200)
    parser.add_argument("--no-real-engine", action="store_true", help="skip the seeded run")
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--window", type=float, default=Pacer().global_window)
    parser.add_argument("--burst-channels", type=int, default=20)
    parser.add_argument("--burst", type=int, default=12, help="digests per channel, 2nd run")
    args = parser.parse_args()
    await bench_latency(args.interactions)
    if not args.no_real_engine:
        await bench_real_engine(args.interactions)
    await bench_slow_engine(20, 3.5)
    await bench_fanout(args.channels, args.window)
    await bench_fanout(args.burst_channels, args.window, args.burst)


if __name__ == "__main__":
    asyncio.run(main())
