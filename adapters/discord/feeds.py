"""``/news feeds add|remove|list`` on Discord: the command group and the call into the feed core.

The core (``bot.feeds.commands.FeedCommands``) answers with neutral, private ``Answer``s; it is
handed over after construction (``newsbot run`` sets the responder's ``feeds`` attribute, as it
does ``digests``). Feeds fill the bot-wide catalogue, so managing them needs Manage Channels in a
server channel: a DM grants nothing here (unlike the rest of ``/news``, where a DM is the
user's own place).
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.reply import answer_within, send_answer
from bot.messages import Answer, User, Visibility
from bot.ports import FeedPort

INTENT = "feeds"
ANSWER_BUDGET = 2.0  # seconds before the reply is deferred (adding a feed fetches it once)
NOT_RUNNING = "Feeds are not running in this bot process, so this command is unavailable."
NOT_IN_DM = "Feeds are managed from a server channel, by members who can manage channels."
FULL_TEXT_CHOICES = [
    app_commands.Choice(name="article page when the feed has only an excerpt", value="auto"),
    app_commands.Choice(name="always the article page", value="always"),
    app_commands.Choice(name="never (keep the feed's text)", value="never"),
]


def note(text: str) -> Answer:
    """A private notice (a refusal or a mistake)."""
    return Answer(INTENT, text, visibility=Visibility.EPHEMERAL, notice=text)


def feed_user(interaction: discord.Interaction) -> User:
    """The asker; ``can_manage`` only with Manage Channels in a server channel."""
    can_manage = interaction.guild_id is not None and interaction.permissions.manage_channels
    return User(id=str(interaction.user.id), name=interaction.user.display_name,
                can_manage=can_manage)


async def run(port: FeedPort | None, action: str, options: dict[str, object], *,
              user: User, in_dm: bool) -> Answer:
    """Call the core for ``/news feeds <action>``."""
    if port is None:
        return note(NOT_RUNNING)
    if action == "list":
        return await port.list(user)
    if in_dm:
        return note(NOT_IN_DM)
    if action == "add":
        interval = options.get("interval")
        return await port.add(user, str(options.get("url") or ""),
                              interval=interval if isinstance(interval, int) else None,
                              full_text=str(options["full_text"]) if options.get("full_text")
                              else None)
    if action == "remove":
        value = options.get("id")
        return await port.remove(user, value if isinstance(value, int | str) else "")
    raise ValueError(f"unknown feeds action {action!r}")


class FeedGroup(app_commands.Group):
    """``/news feeds ...`` (a subcommand group inside ``/news``). ``holder`` is the adapter:
    its ``feeds`` attribute, set by ``newsbot run``, is read at each invocation."""

    def __init__(self, holder: Any) -> None:
        super().__init__(name="feeds", description="News feeds that keep the stories fresh")
        self.holder = holder

    async def _answer(self, interaction: discord.Interaction, action: str,
                      options: dict[str, object]) -> None:
        work = run(getattr(self.holder, "feeds", None), action, options,
                   user=feed_user(interaction), in_dm=interaction.guild_id is None)
        answer = await answer_within(interaction, work, ANSWER_BUDGET, ephemeral_defer=True)
        await send_answer(interaction, answer)

    @app_commands.command(name="add", description="Poll a news feed (RSS, Atom or JSON Feed)")
    @app_commands.describe(url="The feed's address (https://...)",
                           interval="Minutes between polls (5-1440, default 15)",
                           full_text="When to read the article page")
    @app_commands.choices(full_text=FULL_TEXT_CHOICES)
    async def add(self, interaction: discord.Interaction,
                  url: app_commands.Range[str, 8, 2000],
                  interval: app_commands.Range[int, 5, 1440] | None = None,
                  full_text: app_commands.Choice[str] | None = None) -> None:
        """/news feeds add url: [interval:] [full_text:]"""
        await self._answer(interaction, "add", {
            "url": url, "interval": interval,
            "full_text": full_text.value if full_text is not None else None})

    @app_commands.command(name="remove", description="Stop polling a feed")
    @app_commands.describe(id="The feed's number (see /news feeds list)")
    async def remove(self, interaction: discord.Interaction,
                     id: app_commands.Range[int, 1, 2**53]) -> None:
        """/news feeds remove id:"""
        await self._answer(interaction, "remove", {"id": id})

    @app_commands.command(name="list", description="The feeds and their health")
    async def list_(self, interaction: discord.Interaction) -> None:
        """/news feeds list"""
        await self._answer(interaction, "list", {})
