"""``/news feeds add|remove|list`` on Slack: parsing the text and the call into the feed core.

The core (``bot.feeds.commands.FeedCommands``) answers with neutral, private ``Answer``s. It is
handed over after construction (``SlackAdapter.feeds``), as the digests are. Adding and removing
feeds needs a workspace admin or owner, or a user in ``admin_user_ids`` (``digest.Managers``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from bot.messages import Answer, Query, Visibility
from bot.ports import FeedPort

INTENT = "feeds"
MANAGING = frozenset({"add", "remove"})
NOT_RUNNING = "Feeds are not running in this bot process, so this command is unavailable."
USAGE_LINES: tuple[str, ...] = (
    "/news feeds add <url> [every <minutes>] [full-text auto|always|never] - poll a feed",
    "/news feeds remove <id> - stop polling a feed",
    "/news feeds list - the feeds and their health",
)
_OPTIONS = {"every": "interval", "interval": "interval", "full-text": "full_text",
            "full_text": "full_text", "fulltext": "full_text"}
Parsed = tuple[tuple[tuple[str, str], ...], str | None]  # (arguments, problem)


class Managers(Protocol):
    """Who may manage (``adapters.slack.digest.Managers``); a protocol keeps this module free of
    slack_sdk, since ``translate`` (pure) imports the parser from here."""

    async def can_manage(self, user_id: str) -> bool:
        """True for configured admins and workspace admins or owners."""


def parse_feeds_text(rest: str) -> Parsed:
    """``list`` | ``add <url> [every <n>] [full-text <mode>]`` | ``remove <id>``."""
    words = rest.split()
    action = words[0].lower() if words else ""
    if action == "list" and len(words) == 1:
        return (("action", "list"),), None
    if action == "remove":
        if len(words) != 2:
            return (), "'/news feeds remove' takes one feed id, as shown by '/news feeds list'."
        return (("action", "remove"), ("id", words[1])), None
    if action == "add":
        return _parse_add(words[1:])
    return (), "'/news feeds' needs what to do: add, remove or list."


def _parse_add(words: list[str]) -> Parsed:
    if not words:
        return (), "'/news feeds add' needs the feed's address."
    args: dict[str, str] = {"action": "add", "url": words[0]}
    rest = words[1:]
    for index in range(0, len(rest), 2):
        name = _OPTIONS.get(rest[index].lower())
        if name is None or name in args or index + 1 >= len(rest):
            return (), f"'{rest[index]}' is not understood in '/news feeds add'."
        args[name] = rest[index + 1]
    return tuple(args.items()), None


def note(text: str) -> Answer:
    """A private notice (a refusal or a mistake)."""
    return Answer(INTENT, text, visibility=Visibility.EPHEMERAL, notice=text)


async def answer(port: FeedPort | None, managers: Managers, query: Query) -> Answer:
    """Answer a parsed ``/news feeds`` query through the core."""
    if port is None:
        return note(NOT_RUNNING)
    action = query.arg("action") or ""
    user = query.user
    if action in MANAGING and not user.can_manage:
        user = replace(user, can_manage=await managers.can_manage(user.id))
    if action == "add":
        return await port.add(user, query.arg("url") or "", interval=query.arg("interval"),
                              full_text=query.arg("full_text"))
    if action == "remove":
        return await port.remove(user, query.arg("id") or "")
    if action == "list":
        return await port.list(user)
    raise ValueError(f"unknown feeds action {action!r}")
