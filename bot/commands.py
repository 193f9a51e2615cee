"""What each ``newsbot`` subcommand does. Handlers take parsed arguments and settings and return
an exit status; only the CLI layer prints."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from bot import plugins
from bot.catalogue.open import mask_url
from bot.messages import Place, Query, User
from bot.ports import ChatAdapter, ConsoleRenderer, Deliverer, InviteLinks
from bot.runtime import (
    VECTOR_UPKEEP_SECONDS,
    apply_nlp_settings,
    embedding_new_articles,
    open_engine,
)
from bot.settings import Settings
from bot.textutil import json_safe, terminal_safe

if TYPE_CHECKING:
    from bot.catalogue.base import Catalogue
    from bot.digests.commands import DigestCommands
    from bot.feeds.commands import FeedCommands

log = logging.getLogger("newsbot")
CLI_PLACE = Place(platform="console", channel="cli", is_direct=True)
CLI_USER = User(id="cli", name="cli", can_manage=True)


def _console() -> ConsoleRenderer:
    return cast(ConsoleRenderer, plugins.load("console"))


async def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """One question, one answer."""
    text = " ".join(args.question)
    async with open_engine(settings) as engine:
        answer = await engine.answer(Query(text=text, user=CLI_USER, place=CLI_PLACE,
                                           received_at=datetime.now(UTC)))
    if args.json:
        from bot.jsonout import answer_dict

        print(json_safe(json.dumps(answer_dict(answer), ensure_ascii=False, indent=2)))
    else:
        print(terminal_safe(_console().render(answer)))
    return 0


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """The interactive prompt."""
    async with open_engine(settings, warm=True) as engine:
        await _console().chat(engine)
    return 0


async def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    """Newest stories with their ids."""
    async with open_engine(settings) as engine:
        headers = await engine.catalogue.latest(max(1, min(1000, args.limit)))
        total = await engine.catalogue.count()
    for h in headers:
        day = h.published_at.astimezone(UTC).strftime("%Y-%m-%d")
        line = f"{day}  {h.slug:<30}  {h.title}" + ("  [teaser]" if h.kind == "teaser" else "")
        print(terminal_safe(line))
    print(f"({len(headers)} of {total} stories)")
    return 0


async def cmd_discord(args: argparse.Namespace, settings: Settings) -> int:
    """``newsbot discord invite-url``: the link that adds the bot to a server."""
    try:
        plugin = plugins.load("discord")
        link = cast(InviteLinks, plugin).invite_url(settings)
    except (LookupError, ValueError, AttributeError) as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 2
    print(link)
    return 0


async def cmd_check_config(args: argparse.Namespace, settings: Settings) -> int:
    """Settings are already valid here; say what would start."""
    print(terminal_safe(f"database: {mask_url(settings.database_url)}"))
    for plugin in plugins.load_all():
        state = "configured" if plugin.configured(settings) else f"off ({plugin.setup_hint()})"
        print(f"adapter {plugin.name}: {state}")
    print("configuration OK")
    return 0


class _Progress:
    """A one-line progress bar on standard error (only when it is a terminal); ``after_batch``
    is called as each batch is stored."""

    def __init__(self, after_batch: Callable[[], None] | None = None) -> None:
        self.tty = sys.stderr.isatty()
        self.after_batch = after_batch

    def __call__(self, done: int, total: int) -> None:
        if self.after_batch is not None and done > 0:
            self.after_batch()
        if not self.tty or total <= 0:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Add files or folders, or the articles of feed and page URLs; report added, updated,
    unchanged and rejected with reasons."""
    from pathlib import Path

    from bot.ingest.pipeline import ingest_paths

    urls = [str(p) for p in args.paths if str(p).startswith(("http://", "https://"))]
    paths = [Path(p) for p in args.paths if str(p) not in urls]
    missing = [p for p in paths if not p.exists()]
    for gone in missing:
        print(terminal_safe(f"not found: {gone}"), file=sys.stderr)
    failed = False
    async with open_engine(settings) as engine, embedding_new_articles(settings) as kick:
        if urls:
            failed = await _ingest_urls(urls, settings, engine.catalogue)
            kick()
        if paths:
            report = await ingest_paths(engine.catalogue, [p for p in paths if p.exists()],
                                        progress=_Progress(after_batch=kick))
            print(f"added {report.added}, updated {report.updated}, unchanged "
                  f"{report.unchanged}, rejected {len(report.rejected)}")
            for path, reason in report.rejected:
                print(terminal_safe(f"  rejected {path}: {reason}"))
            for path, note in report.notes:
                print(terminal_safe(f"  note {path}: {note}"))
    return 1 if missing or failed else 0


async def _ingest_urls(urls: list[str], settings: Settings, catalogue: Catalogue) -> bool:
    """``newsbot ingest URL``: a feed's entries or one article page; True if one failed."""
    from bot.feeds.cli import feed_service, print_poll

    failed = False
    async with feed_service(settings, catalogue) as service:
        for url in urls:
            report = await service.ingest_url(url)
            print_poll(report, url)
            failed = failed or report.error is not None
    return failed


async def cmd_analyse(args: argparse.Namespace, settings: Settings) -> int:
    """One JSON object per file (the stable evaluation interface, see the README)."""
    from bot.ingest.readers import content_region, read_text
    from bot.nlp.analyse import analysis_report

    apply_nlp_settings(settings)
    status = 0
    for path in args.files:
        try:
            text = await asyncio.to_thread(read_text, path)
        except (OSError, ValueError) as exc:
            print(terminal_safe(f"cannot read {path}: {exc}"), file=sys.stderr)
            status = 1
            continue
        report = await asyncio.to_thread(analysis_report, str(path), content_region(text))
        print(json_safe(json.dumps(report, ensure_ascii=False)))
    return status


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Start every configured chat adapter, the digest scheduler and the feed poller; with no
    adapter configured, explain how to add one and open the console (console digests print
    there)."""
    from bot.digests.cli import PrintingDeliverer
    from bot.feeds.scheduler import running_feeds
    from bot.scheduler import running_digests

    chosen = [p for p in plugins.load_all() if p.name != "console" and p.configured(settings)]
    deliverers: dict[str, Deliverer] = {"console": PrintingDeliverer(_console())}
    ready = asyncio.Event()
    async with open_engine(settings, warm=True) as engine:
        # Adapters are built (not connected) before the scheduler starts, so its first sync
        # already has every platform's deliverer and schedules all of their digests.
        adapters = [p.create(engine, settings) for p in chosen]
        for adapter in adapters:
            deliverer = getattr(adapter, "deliverer", None)
            if deliverer is not None:
                deliverers[adapter.name] = deliverer
        async with (
            running_digests(settings, engine.catalogue, deliverers, ready=ready,
                            admin_place=_admin_place(settings)) as digests,
            running_feeds(settings, engine.catalogue, deliverers,
                          admin_place=_admin_place(settings)) as feeds,
            embedding_new_articles(settings, every=VECTOR_UPKEEP_SECONDS),
        ):
            if not adapters:
                print("No chat platform is configured, so here is the console instead.")
                for plugin in plugins.load_all():
                    if plugin.name != "console":
                        print(f"  to add {plugin.name}: {plugin.setup_hint()}")
                ready.set()
                await _console().chat(engine)
                return 0
            _hand_digests(adapters, digests)
            _hand_feeds(adapters, feeds)
            await _serve(adapters, ready)
    return 0


@runtime_checkable
class _ServesDigests(Protocol):
    """An adapter with ``/news digest`` commands. It takes the running commands after it is
    created: plugins' ``create(engine, settings)`` is fixed, and the commands only exist inside
    ``running_digests``, which needs the adapters' deliverers first."""

    digests: DigestCommands | None


def _hand_digests(adapters: list[ChatAdapter], commands: DigestCommands) -> None:
    """Give each adapter that has digest commands the running ``DigestCommands``."""
    for adapter in adapters:
        if isinstance(adapter, _ServesDigests):
            adapter.digests = commands


@runtime_checkable
class _ServesFeeds(Protocol):
    """An adapter with ``/news feeds`` commands; handed the running ``FeedCommands`` like
    the digests."""

    feeds: FeedCommands | None


def _hand_feeds(adapters: list[ChatAdapter], commands: FeedCommands) -> None:
    """Give each adapter that has feed commands the running ``FeedCommands``."""
    for adapter in adapters:
        if isinstance(adapter, _ServesFeeds):
            adapter.feeds = commands


def _admin_place(settings: Settings) -> Place | None:
    digests = settings.digests
    if digests.admin_platform and digests.admin_channel:
        return Place(platform=digests.admin_platform, channel=digests.admin_channel)
    return None


async def _serve(adapters: list[ChatAdapter], ready: asyncio.Event) -> None:
    """Run adapters until SIGINT/SIGTERM, then stop them all. ``ready`` is set once every
    adapter that can say so is connected (digest catch-up waits for it)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(a.start(), name=a.name) for a in adapters]
    log.info("started: %s", ", ".join(a.name for a in adapters))
    readiness = asyncio.create_task(_all_ready(adapters, ready))
    waiter = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([*tasks, waiter], return_when=asyncio.FIRST_COMPLETED)
    for task in done:
        if task is not waiter and task.exception() is not None:
            log.error("adapter %s stopped", task.get_name(), exc_info=task.exception())
    for adapter in adapters:
        await adapter.stop()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    waiter.cancel()
    readiness.cancel()


async def _all_ready(adapters: list[ChatAdapter], ready: asyncio.Event) -> None:
    for adapter in adapters:
        wait = getattr(adapter, "wait_until_ready", None)
        if wait is not None:
            await wait()
    ready.set()
