"""The ``newsbot`` command line. The only place that prints, parses arguments or exits."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.catalogue.base import CatalogueUnavailableError, storage_failure
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
from bot.numbers import ascii_int
from bot.semantic.cli import add_index_parser, cmd_index
from bot.settings import ConfigError, load_settings
from bot.textutil import terminal_safe
from bot.unexpected import report_unexpected

log = logging.getLogger("newsbot")


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their options."""
    parser = argparse.ArgumentParser(
        prog="newsbot", description="A news bot that answers from the stored article text.")
    parser.add_argument("--db", metavar="URL", help=DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question and exit")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    sub.add_parser("chat", help="ask questions in an interactive prompt")
    ingest = sub.add_parser("ingest", help="add article files or folders, or the articles of "
                            "a feed or page URL, to the catalogue")
    ingest.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    stories = sub.add_parser("stories", help="list stored stories, newest first; "
                             "'stories remove ID' deletes one and everything derived from it")
    stories.add_argument("action", nargs="?", choices=["remove"],
                         help="remove: delete the story with this id")
    stories.add_argument("id", nargs="?", metavar="ID", help="a story id as listed")
    stories.add_argument("--limit", type=_story_limit, default=20, metavar="N",
                         help=f"how many (1-{MAX_LIMIT}, default 20)")
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
    add_index_parser(sub)
    _db_everywhere(sub)
    return parser


DB_HELP = ("catalogue URL (default: NEWSBOT_DATABASE_URL or a SQLite file in your user data"
           " directory)")
MAX_LIMIT = 1000
_ASK_OPTIONS = {"--json": 0, "--db": 1, "-h": 0, "--help": 0}


def _story_limit(raw: str) -> int:
    value = ascii_int(raw)  # int() also reads "١٠", "1_000" and " 7 "
    if value is None:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}")
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT}, not {value}")
    return value


def _db_everywhere(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``--db`` also after the command (``newsbot stories --db URL``), at every level; the
    default is suppressed so it never overrides a ``--db`` given before the command."""
    for parser in sub.choices.values():
        if not any("--db" in action.option_strings for action in parser._actions):
            parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                _db_everywhere(action)


def ask_words_as_words(argv: Sequence[str]) -> list[str]:
    """``ask`` arguments with every question word after a ``--``, so a question starting
    with a dash (``ask "-kaspersky"``) is a question, not an unknown option."""
    args = list(argv)
    if "ask" not in args or "--" in args:
        return args
    start = args.index("ask") + 1
    options: list[str] = []
    words: list[str] = []
    rest = iter(args[start:])
    for token in rest:
        name = token.split("=", 1)[0]
        if name in _ASK_OPTIONS:
            options.append(token)
            if _ASK_OPTIONS[name] and "=" not in token:
                options.append(next(rest, ""))
        else:
            words.append(token)
    return [*args[:start], *options, "--", *words]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsbot`` console script."""
    raw = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(ask_words_as_words(raw))
    try:
        settings = load_settings(**({"database_url": args.db} if args.db else {}))
    except ConfigError as exc:
        for problem in exc.problems:
            print(terminal_safe(f"config error: {problem}"), file=sys.stderr)
        return 2
    _configure_logging(settings.log_level)
    try:
        return asyncio.run(COMMANDS[args.command](args, settings))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``newsbot stories | head``): stop quietly; stdout is pointed
        # at /dev/null so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except CatalogueUnavailableError as exc:
        print(terminal_safe(f"newsbot: {exc}"), file=sys.stderr)
        return 2
    except Exception as exc:  # the last line of defence: a short message, the traceback logged
        if (reason := storage_failure(exc)) is not None:  # read-only, disk full: say so
            log.debug("database failure", exc_info=True)
            print(terminal_safe(f"newsbot: cannot use the database ({reason})"), file=sys.stderr)
            return 2
        print(f"newsbot: {report_unexpected(log, exc, 'newsbot ' + args.command)}",
              file=sys.stderr)
        return 1


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":
        # APScheduler announces every job it adds at INFO: noise before the console prompt.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


COMMANDS = {
    "ask": cmd_ask, "chat": cmd_chat, "ingest": cmd_ingest, "stories": cmd_stories,
    "analyse": cmd_analyse, "run": cmd_run, "check-config": cmd_check_config,
    "discord": cmd_discord,
    "digest": cmd_digest,
    "feeds": cmd_feeds,
    "index": cmd_index,
}

if __name__ == "__main__":
    sys.exit(main())
