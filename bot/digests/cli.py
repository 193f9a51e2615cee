"""``newsbot digest ...``: the CLI glue. ``bot/cli.py`` calls ``add_digest_parser`` while building
its parser and dispatches ``digest`` to ``cmd_digest``.

At the CLI the operator manages every subscription; only console digests can be posted from here
(a printing deliverer). ``digest run-pending`` posts what is overdue (one catch-up digest per
subscription, due retries) and exits, for hosts that run newsbot from cron instead of ``run``.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import AsyncExitStack
from typing import Any, cast

from bot import plugins
from bot.catalogue.open import open_catalogue, open_digest_store
from bot.digests.commands import DigestCommands
from bot.digests.service import DigestService
from bot.messages import OPERATOR, OPERATOR_PLACE, Answer, Place, User
from bot.ports import ConsoleRenderer, Deliverer
from bot.settings import Settings
from bot.textutil import listing_text


def add_digest_parser(subparsers: Any) -> None:
    """Add ``digest`` and its subcommands to the top-level ``newsbot`` subparsers."""
    digest = subparsers.add_parser("digest", help="scheduled channel digests")
    sub = digest.add_subparsers(dest="digest_command", required=True)
    add = sub.add_parser("subscribe", help="post a digest into a channel on a schedule")
    add.add_argument("--platform", default="console", help="console, discord, slack, ...")
    add.add_argument("--workspace", default=None, help="Discord guild id or Slack team id")
    add.add_argument("--channel", required=True)
    add.add_argument("--schedule", required=True,
                     help='"daily 09:00", "weekdays 08:30", "weekly mon 09:00" or "0 9 * * 1-5"')
    add.add_argument("--tz", default=None, help="IANA time zone (default from the config)")
    add.add_argument("--max", default=None, help="stories per digest, 1-20 (default 5)")
    add.add_argument("--topic", default=None, help="keywords matched on title, body, speakers")
    add.add_argument("--style", default=None, help="titles | brief | full")
    add.add_argument("--notify-empty", action="store_true",
                     help='post "no new stories" when there is nothing new')
    add.add_argument("--by", default=OPERATOR.id, help="recorded as the creator")
    sub.add_parser("list", help="every subscription with its status and last error")
    for name, text in (("unsubscribe", "remove a subscription"),
                       ("resume", "resume a subscription paused after a refused delivery"),
                       ("preview", "show what the next digest would hold"),
                       ("now", "post a digest now (counts as a slot)")):
        sub.add_parser(name, help=text).add_argument("id", help="subscription id")
    sub.add_parser("run-pending", help="post overdue digests (one catch-up each) and due "
                   "retries once, then exit")


class PrintingDeliverer:
    """A ``Deliverer`` for the console platform: prints the digest to standard output."""

    def __init__(self, renderer: ConsoleRenderer) -> None:
        """Use the console plugin's plain-text renderer."""
        self.renderer = renderer

    async def deliver(self, place: Place, answer: Answer) -> None:
        """Print the digest with a header naming the channel."""
        sys.stdout.write(f"--- digest for #{place.channel} ---\n{self.renderer.render(answer)}\n")
        sys.stdout.flush()


async def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Run one ``digest`` subcommand; 0 on success, 1 when the answer reports a mistake."""
    renderer = cast(ConsoleRenderer, plugins.load("console"))
    async with AsyncExitStack() as stack:
        catalogue = await open_catalogue(settings.database_url)
        stack.push_async_callback(catalogue.close)
        store = await open_digest_store(settings.database_url)
        stack.push_async_callback(store.close)
        deliverers: dict[str, Deliverer] = {"console": PrintingDeliverer(renderer)}
        service = DigestService(store, catalogue, deliverers)
        commands = DigestCommands(service, settings.digests,
                                  max_per_channel=settings.digests.max_per_channel)
        if args.digest_command == "run-pending":
            return await _run_pending(service)
        answer = await _dispatch(commands, args)
    text = listing_text(answer) if args.digest_command == "list" else renderer.render(answer)
    (sys.stderr if answer.notice else sys.stdout).write(text + "\n")
    return 1 if answer.notice else 0


async def _dispatch(commands: DigestCommands, args: argparse.Namespace) -> Answer:
    match args.digest_command:
        case "subscribe":
            place = Place(platform=args.platform, channel=args.channel, workspace=args.workspace)
            user = User(id=args.by, name=args.by, can_manage=True)
            return await commands.subscribe(
                user, place, schedule=args.schedule, timezone=args.tz, max_stories=args.max,
                topic=args.topic, style=args.style, notify_empty=args.notify_empty)
        case "list":
            return await commands.list(OPERATOR, OPERATOR_PLACE)
        case "unsubscribe":
            return await commands.unsubscribe(OPERATOR, OPERATOR_PLACE, args.id)
        case "preview":
            return await commands.preview(OPERATOR, OPERATOR_PLACE, args.id)
        case "resume":
            return await commands.resume(OPERATOR, OPERATOR_PLACE, args.id)
        case _:
            return await commands.now(OPERATOR, OPERATOR_PLACE, args.id)


async def _run_pending(service: DigestService) -> int:
    caught_up = await service.catch_up()
    retried = await service.retry_due()
    posted = sum(1 for o in [*caught_up.values(), *retried] if o.value == "posted")
    sys.stdout.write(f"catch-up: {len(caught_up)} subscription(s), retries: {len(retried)}, "
                     f"posted: {posted}\n")
    return 0
