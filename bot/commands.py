"""What each ``newsbot`` subcommand does. Handlers take parsed arguments and settings and return
an exit status; only the CLI layer prints."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from bot import plugins
from bot.admin import deprecations
from bot.app import apply_nlp_settings, open_engine, open_newsbot, open_questions
from bot.catalogue.open import mask_url
from bot.messages import OPERATOR, OPERATOR_PLACE, Query
from bot.ports import ConsoleRenderer, InviteLinks
from bot.semantic.upkeep import embedding_new_articles
from bot.settings import Settings
from bot.textutil import json_safe, terminal_safe

if TYPE_CHECKING:
    from bot.catalogue.base import Catalogue

log = logging.getLogger("newsbot")


def _console() -> ConsoleRenderer:
    return cast(ConsoleRenderer, plugins.load("console"))


async def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """One question, one answer."""
    text = " ".join(args.question)
    async with open_engine(settings) as engine:
        answer = await engine.answer(Query(text=text, user=OPERATOR, place=OPERATOR_PLACE,
                                           received_at=datetime.now(UTC)))
    if args.json:
        from bot.jsonout import answer_dict

        print(json_safe(json.dumps(answer_dict(answer), ensure_ascii=False, indent=2)))
    else:
        print(terminal_safe(_console().render(answer)))
    return 0


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """The interactive prompt (questions only: digests and feeds run under ``newsbot run``)."""
    async with open_questions(settings) as app:
        await plugins.load("console").create(app, settings).start()
    return 0


async def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    """Newest stories with their ids; ``stories remove ID`` deletes one."""
    if args.action == "remove":
        return await _remove_story(args.id or "", settings)
    async with open_engine(settings) as engine:
        headers = await engine.catalogue.latest(max(1, min(1000, args.limit)))
        total = await engine.catalogue.count()
    for h in headers:
        day = h.published_at.astimezone(UTC).strftime("%Y-%m-%d")
        line = f"{day}  {h.slug:<30}  {h.title}" + ("  [teaser]" if h.kind == "teaser" else "")
        print(terminal_safe(line))
    print(f"({len(headers)} of {total} stories)")
    return 0


async def _remove_story(story_id: str, settings: Settings) -> int:
    """``newsbot stories remove ID``: 0 when removed, 1 when there was no such story."""
    from bot.stories import StoryCommands

    async with open_engine(settings) as engine:
        answer = await StoryCommands(engine.catalogue).remove(OPERATOR, story_id)
    print(terminal_safe(answer.lead), file=sys.stderr if answer.notice else sys.stdout)
    return 1 if answer.notice else 0


async def cmd_discord(args: argparse.Namespace, settings: Settings) -> int:
    """``newsbot discord invite-url``: the link that adds the bot to a server."""
    try:
        plugin = plugins.load("discord")
        if not isinstance(plugin, InviteLinks):
            raise LookupError("the discord adapter cannot make invite links")
        link = plugin.invite_url(settings)
    except (LookupError, ValueError) as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 2
    print(link)
    return 0


async def cmd_check_config(args: argparse.Namespace, settings: Settings) -> int:
    """Settings are already valid here; say what would start."""
    print(terminal_safe(f"database: {mask_url(settings.database_url)}"))
    for line in deprecations(settings):
        print(line)
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
    """Add files or folders (``file://`` URLs too), or the articles of feed and page URLs;
    report added, updated, unchanged and rejected with reasons."""
    from bot.ingest.pipeline import ingest_paths

    urls = [str(p) for p in args.paths if str(p).startswith(("http://", "https://"))]
    paths, failed = _local_paths([str(p) for p in args.paths if str(p) not in urls])
    missing = [p for p in paths if not p.exists()]
    for gone in missing:
        print(terminal_safe(f"not found: {gone}"), file=sys.stderr)
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
            if report.stopped:
                left = f"; {report.not_read} file(s) not read" if report.not_read else ""
                print(terminal_safe(f"newsbot: ingest stopped: {report.stopped}{left}"),
                      file=sys.stderr)
                return 2
    return 1 if missing or failed else 0


def _local_paths(given: list[str]) -> tuple[list[Path], bool]:
    """Paths as given, ``file://`` URLs as the local paths they name; True when a URL could
    not be one (said on standard error)."""
    from bot.ingest.walk import file_url_path

    paths: list[Path] = []
    bad = False
    for text in given:
        if not text[:7].lower().startswith("file:"):
            paths.append(Path(text))
            continue
        try:
            paths.append(file_url_path(text))
        except ValueError as exc:
            print(terminal_safe(f"newsbot: {text}: {exc}"), file=sys.stderr)
            bad = True
    return paths, bad


async def _ingest_urls(urls: list[str], settings: Settings, catalogue: Catalogue) -> bool:
    """``newsbot ingest URL``: a feed's entries or one article page; True if one failed."""
    from bot.feeds.cli import feed_service, print_poll

    failed = False
    async with feed_service(settings, catalogue) as service:
        for url in urls:
            report = await service.ingest_url(url)
            print_poll(report, mask_url(url))  # the operator may have typed a secret in it
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
    chosen = [p for p in plugins.load_all() if p.name != "console" and p.configured(settings)]
    async with open_newsbot(settings) as app:
        console = plugins.load("console").create(app, settings)
        for plugin in chosen:
            app.attach(plugin.create(app, settings))
        if chosen:
            app.add_deliverer(console.name, console.deliverer)  # console digests print here
            await app.start()
            await app.serve()
            return 0
        print("No chat platform is configured, so here is the console instead.")
        for plugin in plugins.load_all():
            if plugin.name != "console":
                print(f"  to add {plugin.name}: {plugin.setup_hint()}")
        # The prompt runs in the foreground (Ctrl-C ends it as it ends ``newsbot chat``).
        app.attach(console)
        await app.start()
        await console.start()
    return 0
