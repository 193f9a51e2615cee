"""``/news feeds add|remove|list`` on Discord: the command declarations. Each invocation
becomes a ``feeds`` query for the core (``app.handle``), which decides everything (who may
manage feeds, and from where).
"""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.responder import Responder

FULL_TEXT_CHOICES = [
    app_commands.Choice(name="article page when the feed has only an excerpt", value="auto"),
    app_commands.Choice(name="always the article page", value="always"),
    app_commands.Choice(name="never (keep the feed's text)", value="never"),
]


class FeedGroup(app_commands.Group):
    """``/news feeds ...`` (a subcommand group inside ``/news``)."""

    def __init__(self, responder: Responder) -> None:
        super().__init__(name="feeds", description="News feeds that keep the stories fresh")
        self.responder = responder

    async def _answer(self, interaction: discord.Interaction, action: str,
                      options: list[tuple[str, object]] | None = None) -> None:
        """Every feed answer is private, the deferral too (adding a feed fetches it once)."""
        await self.responder.command(interaction, "feeds", [("action", action), *(options or [])],
                                     private=True)

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
        await self._answer(interaction, "add", [
            ("url", url), ("interval", interval),
            ("full_text", full_text.value if full_text is not None else None)])

    @app_commands.command(name="remove", description="Stop polling a feed")
    @app_commands.describe(id="The feed's number (see /news feeds list)")
    async def remove(self, interaction: discord.Interaction,
                     id: app_commands.Range[int, 1, 2**53]) -> None:
        """/news feeds remove id:"""
        await self._answer(interaction, "remove", [("id", id)])

    @app_commands.command(name="list", description="The feeds and their health")
    async def list_(self, interaction: discord.Interaction) -> None:
        """/news feeds list"""
        await self._answer(interaction, "list")
