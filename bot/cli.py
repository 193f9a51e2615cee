"""The ``newsbot`` command line. The only place that prints, parses arguments or exits."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.catalogue.base import CatalogueUnavailableError
from bot.commands import (
    cmd_analyse,
    cmd_ask,
    cmd_chat,
    cmd_check_config,
    cmd_discord,
    cmd_ingest,
    cmd_run,
    cmd_stories,
)
from bot.digests.cli import add_digest_parser, cmd_digest
from bot.feeds.cli import add_feeds_parser, cmd_feeds
from bot.settings import ConfigError, load_settings
from bot.textutil import terminal_safe

log = logging.getLogger("newsbot")


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their options."""
    parser = argparse.ArgumentParser(
        prog="newsbot", description="A news bot that answers from the stored article text.")
    parser.add_argument("--db", metavar="URL", help="catalogue URL (default: NEWSBOT_DATABASE_URL"
                        " or a SQLite file in your user data directory)")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question and exit")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    sub.add_parser("chat", help="ask questions in an interactive prompt")
    ingest = sub.add_parser("ingest", help="add article files or folders, or the articles of "
                            "a feed or page URL, to the catalogue")
    ingest.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    stories = sub.add_parser("stories", help="list stored stories, newest first")
    stories.add_argument("--limit", type=int, default=20)
    analyse = sub.add_parser("analyse", help="print the analysis of article files")
    analyse.add_argument("files", nargs="+", type=Path)
    analyse.add_argument("--json", action="store_true", help="one JSON object per file (default)")
    sub.add_parser("run", help="start every configured chat adapter (and the console if none)")
    sub.add_parser("check-config", help="validate the configuration and print a summary")
    discord = sub.add_parser("discord", help="Discord helpers")
    discord.add_argument("action", choices=["invite-url"],
                         help="invite-url: print the link that adds the bot to a server")
    add_digest_parser(sub)
    add_feeds_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsbot`` console script."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(**({"database_url": args.db} if args.db else {}))
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"config error: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler = COMMANDS[args.command]
    try:
        return asyncio.run(handler(args, settings))
    except KeyboardInterrupt:
        return 130
    except CatalogueUnavailableError as exc:
        print(terminal_safe(f"newsbot: {exc}"), file=sys.stderr)
        return 2
    except Exception as exc:  # the last line of defence: a short message, details in the log
        log.debug("unexpected failure", exc_info=True)
        print(f"newsbot: {type(exc).__name__}: the command failed; run with "
              "NEWSBOT_LOG_LEVEL=DEBUG for details", file=sys.stderr)
        return 1



COMMANDS = {
    "ask": cmd_ask, "chat": cmd_chat, "ingest": cmd_ingest, "stories": cmd_stories,
    "analyse": cmd_analyse, "run": cmd_run, "check-config": cmd_check_config,
    "discord": cmd_discord,
    "digest": cmd_digest,
    "feeds": cmd_feeds,
}

if __name__ == "__main__":
    sys.exit(main())
