"""Slack adapter bench against the loopback fake Slack (no network beyond 127.0.0.1).

1. ``/news`` latency through Socket Mode: envelope sent -> ack received, and -> answer posted to
   the response_url (p50, p95), with a fixed-answer engine (the adapter's own cost) or, with
   ``--database-url``, the real engine over that catalogue.
2. Digest fan-out: N channels x K messages through ``SlackDeliverer`` against a fake that answers
   429 to a second message within 1 s in the same channel. Reports total time against the
   (K-1) s lower bound, 429s, duplicates and losses.

Run: ``.venv/bin/python bench/slack_bench.py [--commands 200] [--channels 1000] [--per-channel 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.slack import SlackAdapter, SlackDeliverer, build_client
from bot.app import Newsbot
from bot.intents import Intent
from bot.messages import Answer, Card, Place, Query
from bot.ratelimit import RateLimit
from tests.fakes.slack_fake import APP_TOKEN, BOT_TOKEN, FakeSlack, Recorded

ANSWER = Answer(
    intent=Intent.SUMMARY,
    lead="Here is the story.",
    cards=(
        Card(
            title="Council approves the new bridge",
            ref="bridge",
            url="https://news.example/bridge",
            source="Example News",
            published_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
            summary=(
                "The council approved the bridge.",
                "Work starts in spring.",
                "It costs a lot.",
            ),
        ),
    ),
)


class FixedEngine:
    """Returns the same answer at once: measures the adapter, Bolt and the transport."""

    async def answer(self, query: Query) -> Answer:
        return ANSWER


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _engine(database_url: str | None) -> tuple[Any, Any]:
    if not database_url:
        return FixedEngine(), None
    from bot.catalogue.open import open_catalogue
    from bot.engine import Engine

    catalogue = await open_catalogue(database_url)
    return Engine(catalogue), catalogue


def _recorded_at(records: list[Recorded], key: str) -> float | None:
    return next((r.at for r in records if r.key == key), None)


async def bench_commands(count: int, database_url: str | None) -> None:
    fake = FakeSlack()
    await fake.start()
    engine, catalogue = await _engine(database_url)
    core = Newsbot(engine, limit=RateLimit(0, 1.0))  # one user asks many times in a row
    adapter = SlackAdapter(core, BOT_TOKEN, app_token=APP_TOKEN, api_base_url=fake.api_url)
    await adapter.connect()
    await fake.wait_until(lambda: fake.connected)
    texts = ["summary kaspersky", "latest 3", "search ban", "quote Peskov"]
    acks: list[float] = []
    answers: list[float] = []
    try:
        for i in range(count):
            payload = fake.slash_command(texts[i % len(texts)])
            key = payload["response_url"].rsplit("/", 1)[1]
            envelope = await fake.send_envelope("slash_commands", payload)
            await fake.wait_until(partial(_recorded_at, fake.responses, key), 10)
            await fake.wait_until(partial(_recorded_at, fake.acks, envelope), 10)
            sent = fake.sent_at[envelope]
            acks.append((_recorded_at(fake.acks, envelope) or sent) - sent)
            answers.append((_recorded_at(fake.responses, key) or sent) - sent)
    finally:
        await adapter.stop()
        if catalogue is not None:
            await catalogue.close()
        await fake.stop()
    engine_name = "real engine" if database_url else "fixed-answer engine"
    print(f"/news via Socket Mode, {count} commands, {engine_name}:")
    for name, values in (("ack", acks), ("answer", answers)):
        ms = [v * 1000 for v in values]
        print(
            f"  {name:>6}: p50 {percentile(ms, 50):7.1f} ms  p95 {percentile(ms, 95):7.1f} ms"
            f"  max {max(ms):7.1f} ms"
        )


async def bench_fanout(channels: int, per_channel: int) -> None:
    fake = FakeSlack(per_channel_interval=1.0)
    await fake.start()
    deliverer = SlackDeliverer(build_client(BOT_TOKEN, fake.api_url), min_interval=1.0)

    async def one_channel(channel: str) -> None:
        for n in range(per_channel):
            answer = Answer(Intent.DIGEST, f"Digest {n} for {channel}", ANSWER.cards)
            await deliverer.deliver(Place("slack", channel), answer)

    names = [f"C{i:05d}" for i in range(channels)]
    start = time.monotonic()
    try:
        await asyncio.gather(*(one_channel(c) for c in names))
    finally:
        elapsed = time.monotonic() - start
        await deliverer.aclose()
        await fake.stop()
    sent = Counter((c.params["channel"], c.params["text"]) for c in fake.posted)
    duplicates = sum(n - 1 for n in sent.values() if n > 1)
    expected = channels * per_channel
    bound = (per_channel - 1) * 1.0
    print(
        f"digest fan-out: {channels} channels x {per_channel} messages, 1 msg/s/channel enforced:"
    )
    print(
        f"  delivered {len(fake.posted)}/{expected}, duplicates {duplicates}, "
        f"429s {fake.rate_limited}"
    )
    print(
        f"  total {elapsed:.2f} s against a lower bound of {bound:.0f} s "
        f"({len(fake.posted) / elapsed:.0f} msg/s overall)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--per-channel", type=int, default=3)
    parser.add_argument(
        "--database-url", default=None, help="use the real engine on this catalogue"
    )
    args = parser.parse_args()
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        os.environ.pop(name, None)
    asyncio.run(bench_commands(args.commands, args.database_url))
    asyncio.run(bench_fanout(args.channels, args.per_channel))


if __name__ == "__main__":
    main()
