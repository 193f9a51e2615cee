"""Digest delivery bench: 1,000 subscriptions due in the same minute, per platform, through the
real ``DigestService`` (claim -> compose -> platform deliverer -> record) into each loopback fake
under its rate limits:

* Discord: the real discord.py client and ``DiscordDeliverer`` against a fake Discord answering
  429 beyond 50 requests/s globally or 5 messages / 5 s per channel;
* Slack: the real slack_sdk client and ``SlackDeliverer`` against a fake Slack answering 429 to
  a second message within 1 s in one channel.

Run once with one subscription per channel (1,000 channels) and once with five sharing each
channel (200 channels, so the per-channel limits bind). Then the same slot is triggered again
(it must post nothing). Prints total time against the rate-limit bound, 429s, duplicate and
missing digests and stories repeated within a channel; exits non-zero on a duplicate or loss.

    .venv/bin/python bench/digest_delivery_bench.py [--subs 1000] [--per-channel 1 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord  # noqa: F401

from adapters.discord import DiscordAdapter
from adapters.slack import SlackDeliverer, build_client
from bench.digest_bench import SLOT, add_articles
from bot.app import Newsbot
from bot.catalogue.open import open_catalogue
from bot.digests.model import NewSubscription, Outcome, Style
from bot.digests.service import DigestService
from bot.digests.sqlite_store import SqliteDigestStore
from bot.digests.store import DigestStore
from bot.messages import Answer, Query
from bot.ports import Deliverer
from tests.fakes.discord_fake import GUILD_ID, FakeDiscord, Limits
from tests.fakes.slack_fake import BOT_TOKEN, FakeSlack

STYLES = (Style.TITLES, Style.BRIEF, Style.FULL)


class NoEngine:
    """The adapter needs an engine; the bench never asks it anything."""

    async def answer(self, query: Query) -> Answer:
        raise AssertionError("not used")

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        return []

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        return []


async def subscribe(
    store: DigestStore, platform: str, workspace: str, channels: Iterable[str]
) -> list[int]:
    """One daily 09:00 UTC digest per channel, styles mixed, created a day before the slot."""
    ids = []
    for i, channel in enumerate(channels):
        sub = await store.add(
            NewSubscription(
                platform=platform,
                workspace=workspace,
                channel=channel,
                schedule="daily 09:00",
                timezone="UTC",
                max_stories=5,
                topic=None,
                style=STYLES[i % 3],
                notify_empty=False,
                created_by="bench",
            ),
            SLOT - timedelta(days=1),
            max_per_channel=5,
        )
        ids.append(sub.id)
    return ids


@dataclass
class Run:
    """One platform's run: outcomes, time, and per-channel counts from the fake's records."""

    first: Counter[Outcome]
    second: Counter[Outcome]
    elapsed: float
    subs_per_channel: int
    messages: list[int] = field(default_factory=list)  # messages per channel
    leads: list[int] = field(default_factory=list)  # digests (lead lines) per channel
    repeats: int = 0  # stories that appeared more than once in one channel


async def run_slot_twice(service: DigestService, ids: list[int], per_channel: int) -> Run:
    """Every subscription's slot at once, then the same slot again (a double trigger)."""
    start = time.monotonic()
    first = Counter(await service.run_many((i, SLOT) for i in ids))
    elapsed = time.monotonic() - start
    second = Counter(await service.run_many((i, SLOT) for i in ids))
    return Run(first, second, elapsed, per_channel)


def repeated(titles_by_channel: Iterable[list[str]]) -> int:
    """How many times a story showed up again in a channel that already had it."""
    return sum(n - 1 for titles in titles_by_channel for n in Counter(titles).values() if n > 1)


def _outcomes(counts: Counter[Outcome]) -> str:
    return ", ".join(f"{k.value} {v}" for k, v in sorted(counts.items()))


def report(name: str, shape: str, run: Run, bound: float, rate_limited: int) -> bool:
    """Print one platform's figures; True when no digest was duplicated or lost."""
    messages = sum(run.messages)
    duplicates = sum(max(0, n - run.subs_per_channel) for n in run.leads)
    missing = sum(max(0, run.subs_per_channel - n) for n in run.leads)
    ratio = f"{run.elapsed / bound:.2f}x" if bound >= 0.01 else "no bound: channels differ"
    print(f"{name}, {shape}: {_outcomes(run.first)}")
    print(
        f"  {messages} messages in {run.elapsed:.2f} s; rate-limit bound {bound:.2f} s "
        f"({ratio}); {messages / run.elapsed:.0f} msg/s overall"
    )
    print(
        f"  429s {rate_limited}; duplicate digests {duplicates}; missing {missing}; "
        f"same slot triggered again: {_outcomes(run.second)}; stories repeated within a "
        f"channel {run.repeats}"
    )
    return duplicates == 0 and missing == 0 and set(run.second) == {Outcome.DUPLICATE}


async def bench_discord(db: Path, subs: int, per_channel: int, concurrency: int) -> bool:
    fake = FakeDiscord()
    await fake.start()
    adapter = DiscordAdapter(
        Newsbot(NoEngine()),
        "bench-token",
        api_base_url=fake.api_base,
        gateway_url=fake.gateway_url,
        guild_ready_timeout=0.05,
    )
    task = asyncio.create_task(adapter.start())
    await asyncio.wait_for(adapter.wait_until_ready(), 10)
    fake.limits = Limits(global_per_second=50, channel_messages=5, channel_window=5.0)
    channels = [str(800000000000000000 + i) for i in range(subs // per_channel)]
    try:
        run = await _through(
            db, "discord", str(GUILD_ID), channels, per_channel, adapter.deliverer, concurrency
        )
    finally:
        await adapter.stop()
        await task
        await fake.close()
    sent = [fake.channel_messages[c] for c in channels]
    run.messages = [len(m) for m in sent]
    run.leads = [
        sum(1 for m in ms if (m.get("content") or "").startswith("Your news digest")) for ms in sent
    ]
    run.repeats = repeated(
        [e["title"] for m in ms for e in m["embeds"] if "title" in e] for ms in sent
    )
    # Least time any sender needs under the sliding windows: 50 at once, then 50 per second;
    # and 5 at once per channel, then 5 more every 5 s.
    bound = max(math.ceil(sum(run.messages) / 50) - 1, (max(run.messages) - 1) // 5 * 5.0)
    return report(
        "Discord (50 req/s global, 5 msgs/5 s per channel)",
        f"{subs} digests due in one minute, {per_channel} per channel",
        run,
        bound,
        fake.count_429,
    )


async def bench_slack(db: Path, subs: int, per_channel: int, concurrency: int) -> bool:
    fake = FakeSlack(per_channel_interval=1.0)
    await fake.start()
    deliverer = SlackDeliverer(build_client(BOT_TOKEN, fake.api_url), min_interval=1.0)
    channels = [f"C{i:06d}" for i in range(subs // per_channel)]
    try:
        run = await _through(
            db, "slack", fake.team_id, channels, per_channel, deliverer, concurrency
        )
    finally:
        await deliverer.aclose()
        await fake.stop()
    sent = [fake.posts_to(c) for c in channels]
    run.messages = [len(posts) for posts in sent]
    run.leads = [
        sum(1 for p in posts if str(p.params.get("text", "")).startswith("Your news digest"))
        for posts in sent
    ]
    run.repeats = repeated([h for p in posts for h in _headers(p.params)] for posts in sent)
    bound = max(run.messages) - 1.0  # one message per second per channel; channels in parallel
    return report(
        "Slack (1 msg/s per channel)",
        f"{subs} digests due in one minute, {per_channel} per channel",
        run,
        bound,
        fake.rate_limited,
    )


def _headers(params: dict[str, Any]) -> list[str]:
    blocks = params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [b["text"]["text"] for b in blocks if b.get("type") == "header"]


async def _through(
    db: Path,
    platform: str,
    workspace: str,
    channels: list[str],
    per_channel: int,
    deliverer: Deliverer,
    concurrency: int,
) -> Run:
    catalogue = await open_catalogue(f"sqlite:///{db}")
    store = SqliteDigestStore(str(db))
    await store.open()
    try:
        ids = await subscribe(store, platform, workspace, channels * per_channel)
        service = DigestService(
            store, catalogue, {platform: deliverer}, clock=lambda: SLOT, concurrency=concurrency
        )
        return await run_slot_twice(service, ids, per_channel)
    finally:
        await store.close()
        await catalogue.close()


async def main(args: argparse.Namespace) -> int:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        os.environ.pop(name, None)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for per_channel in args.per_channel:
            # A fresh file per shape, so every channel's first digest sees the same stories.
            db = Path(tmp) / f"bench-{per_channel}.db"
            await add_articles(db, 0, args.articles, SLOT, random.Random(6))
            runs: list[Callable[[Path, int, int, int], Awaitable[bool]]] = []
            if args.platform in ("both", "discord"):
                runs.append(bench_discord)
            if args.platform in ("both", "slack"):
                runs.append(bench_slack)
            for run in runs:
                ok = await run(db, args.subs, per_channel, args.concurrency) and ok
    print("OK: zero duplicate digests, nothing lost" if ok else "FAILED: duplicates or losses")
    return 0 if ok else 1


def _args(argv: list[str] | None = None) -> Any:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subs", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16, help="slots run at once")
    parser.add_argument("--platform", choices=("both", "discord", "slack"), default="both")
    parser.add_argument(
        "--per-channel",
        type=int,
        nargs="+",
        default=[1, 5],
        help="subscriptions sharing one channel (1-5), one run per value",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(_args())))
