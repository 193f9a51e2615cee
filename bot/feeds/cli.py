"""``newsbot feeds ...`` and ``newsbot ingest URL``: the CLI glue. ``bot/cli.py`` calls
``add_feeds_parser`` while building its parser and dispatches ``feeds`` to ``cmd_feeds``.

At the CLI the operator is trusted: feeds on private addresses may be added from here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue, open_feed_store
from bot.feeds.commands import FeedCommands, FeedInputError, parse_feed_id
from bot.feeds.fetch import Fetcher
from bot.feeds.report import PollReport
from bot.feeds.scheduler import add_config_feeds, fetch_policy
from bot.feeds.service import FeedService
from bot.messages import OPERATOR, Answer
from bot.settings import Settings
from bot.textutil import listing_text, terminal_safe


def add_feeds_parser(subparsers: Any) -> None:
    """Add ``feeds`` and its subcommands to the top-level ``newsbot`` subparsers."""
    feeds = subparsers.add_parser("feeds", help="RSS/Atom/JSON feeds polled into the catalogue")
    sub = feeds.add_subparsers(dest="feeds_command", required=True)
    add = sub.add_parser("add", help="check a feed and poll it from now on")
    add.add_argument("url")
    add.add_argument("--interval", default=None, help="minutes between polls (default 15)")
    add.add_argument("--full-text", default=None, choices=["auto", "always", "never"],
                     help="read article pages: for excerpts (auto), always, or never")
    sub.add_parser("remove", help="stop polling a feed").add_argument("id")
    sub.add_parser("list", help="every feed with its health")
    poll = sub.add_parser("poll", help="poll one feed (or all) now, then exit")
    poll.add_argument("id", nargs="?", default=None)


@asynccontextmanager
async def feed_service(settings: Settings, catalogue: Catalogue) -> AsyncIterator[FeedService]:
    """A service on its own store and fetcher, for one CLI command. It has no deliverers, so
    it leaves failure reports to the running bot (``newsbot run``)."""
    store = await open_feed_store(settings.database_url)
    try:
        async with Fetcher(fetch_policy(settings.feeds)) as fetcher:
            yield FeedService(store, catalogue, fetcher)
    finally:
        await store.close()


def print_poll(report: PollReport, label: str) -> None:
    """One poll's outcome, then every rejection and note."""
    out = sys.stderr if report.error else sys.stdout
    # Feeds are third-party text: an entry link or a reason quoting one may hold escapes.
    out.write(terminal_safe(f"{label}: {report.summary()}") + "\n")
    for where, reason in report.ingest.rejected:
        out.write(terminal_safe(f"  rejected {where}: {reason}") + "\n")
    for note in report.notes:
        out.write(terminal_safe(f"  note: {note}") + "\n")


async def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    """Run one ``feeds`` subcommand; 0 on success, 1 when something was refused or failed."""
    catalogue = await open_catalogue(settings.database_url)
    try:
        async with feed_service(settings, catalogue) as service:
            await add_config_feeds(service.store, settings.feeds, service.clock())
            if args.feeds_command == "poll":
                return await _poll(service, args.id)
            answer = await _dispatch(FeedCommands(service, settings.feeds), args)
    finally:
        await catalogue.close()
    text = listing_text(answer) if args.feeds_command == "list" else answer.lead
    (sys.stderr if answer.notice else sys.stdout).write(text + "\n")
    return 1 if answer.notice else 0


async def _dispatch(commands: FeedCommands, args: argparse.Namespace) -> Answer:
    match args.feeds_command:
        case "add":
            return await commands.add(OPERATOR, args.url, interval=args.interval,
                                      full_text=args.full_text, trusted=True)
        case "remove":
            return await commands.remove(OPERATOR, args.id)
        case _:
            return await commands.list(OPERATOR)


async def _poll(service: FeedService, value: str | None) -> int:
    try:
        ids = [parse_feed_id(value)] if value else [f.id for f in await service.store.find()]
    except FeedInputError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if not ids:
        sys.stdout.write("No feeds: `newsbot feeds add URL` adds one.\n")
    status = 0
    for feed_id in ids:
        report = await service.poll(feed_id)
        print_poll(report, f"feed #{feed_id}")
        status = status or int(report.error is not None)
    return status
