"""``/news stories remove`` on Discord: the command declaration. Each invocation becomes a
``stories`` query for the core (``app.handle``), which decides everything (who may remove a
story, and from where)."""

from __future__ import annotations

from collections.abc import Callable

import discord
from discord import app_commands

from adapters.discord.responder import Responder

Choices = Callable[[list[tuple[str, str]]], list[app_commands.Choice[str]]]


class StoryGroup(app_commands.Group):
    """``/news stories ...`` (a subcommand group inside ``/news``)."""

    def __init__(self, responder: Responder, choices: Choices) -> None:
        super().__init__(name="stories", description="The stored stories")
        self.responder = responder
        self.choices = choices  # the story autocomplete's (label, id) pairs -> choices

    @app_commands.command(name="remove",
                          description="Delete a story and everything derived from it")
    @app_commands.describe(id="The story's id (start typing its title)")
    async def remove(self, interaction: discord.Interaction,
                     id: app_commands.Range[str, 1, 200]) -> None:
        """/news stories remove id:"""
        await self.responder.command(interaction, "stories",
                                     [("action", "remove"), ("id", id)], private=True)

    @remove.autocomplete("id")
    async def _remove_id(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return self.choices(await self.responder.stories(current))
