"""Discord payload values -> neutral ``Query`` (pure: plain values in, frozen Query out)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from bot.api import Place, Query, User

PLATFORM = "discord"
COMMANDS = ("summary", "quote", "latest", "search", "help", "digest", "feeds", "stories")


def place_for(channel_id: int | None, guild_id: int | None) -> Place:
    """The Place of a Discord channel; no guild means a direct message."""
    return Place(
        platform=PLATFORM,
        channel=str(channel_id) if channel_id is not None else None,
        workspace=str(guild_id) if guild_id is not None else None,
        is_direct=guild_id is None,
    )


def slash_query(
    command: str,
    options: Iterable[tuple[str, object]],
    *,
    user: User,
    place: Place,
    received_at: datetime,
) -> Query:
    """A ``/news <command>`` invocation; options left empty are dropped, values become text."""
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r}")
    args = tuple((name, str(value).strip()) for name, value in options if value is not None)
    args = tuple((name, value) for name, value in args if value)
    text = " ".join([f"/news {command}", *(f"{name}:{value}" for name, value in args)])
    return Query(
        text=text, user=user, place=place, received_at=received_at, command=command, args=args
    )


def strip_mention(content: str, bot_id: int) -> str:
    """Remove mentions of the bot (``<@id>`` / ``<@!id>``) and tidy the whitespace."""
    without = re.sub(rf"<@!?{bot_id}>", " ", content)
    return " ".join(without.split())


def message_query(
    content: str,
    *,
    bot_id: int,
    user: User,
    place: Place,
    received_at: datetime,
) -> Query:
    """A DM or a message mentioning the bot, as free text; an empty question asks for help."""
    text = strip_mention(content, bot_id)
    if not text:
        return Query(text="help", user=user, place=place, received_at=received_at, command="help")
    return Query(text=text, user=user, place=place, received_at=received_at)
