"""The ``/news`` slash-command group; callbacks hand over to a ``Responder`` (the adapter)."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.digest import DigestGroup
from adapters.discord.feeds import FeedGroup
from adapters.discord.responder import MAX_CHOICE_TEXT, MAX_CHOICES, Responder, clip
from adapters.discord.stories import StoryGroup
from bot.api import MAX_COUNT


def story_choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    """At most 25 choices; a slug that does not fit 100 characters is not offered."""
    choices = [
        app_commands.Choice(name=clip(label) or slug[:MAX_CHOICE_TEXT], value=slug)
        for label, slug in pairs
        if 0 < len(slug) <= MAX_CHOICE_TEXT
    ]
    return choices[:MAX_CHOICES]


def speaker_choices(names: list[str]) -> list[app_commands.Choice[str]]:
    """At most 25 choices of speaker names within 100 characters."""
    fitting = [n for n in names if 0 < len(n) <= MAX_CHOICE_TEXT]
    return [app_commands.Choice(name=n, value=n) for n in fitting[:MAX_CHOICES]]


class NewsGroup(app_commands.Group):
    """``/news summary|quote|latest|search|help`` and the ``/news digest|feeds|stories ...``
    groups."""

    def __init__(self, responder: Responder) -> None:
        super().__init__(
            name="news",
            description="Ask about the stored news",
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
        )
        self.responder = responder
        self.add_command(DigestGroup(responder))
        self.add_command(FeedGroup(responder))
        self.add_command(StoryGroup(responder, story_choices))

    @app_commands.command(name="summary", description="Summarise a story")
    @app_commands.describe(story="The story (start typing to search)")
    async def summary(self, interaction: discord.Interaction, story: str) -> None:
        """/news summary story:"""
        await self.responder.command(interaction, "summary", [("story", story)])

    @app_commands.command(name="quote", description="Who said what in a story")
    @app_commands.describe(speaker="Only quotes by this person", story="Only this story")
    async def quote(
        self, interaction: discord.Interaction, speaker: str | None = None, story: str | None = None
    ) -> None:
        """/news quote [speaker:] [story:]"""
        await self.responder.command(interaction, "quote", [("speaker", speaker), ("story", story)])

    @app_commands.command(name="latest", description="The latest stories")
    @app_commands.describe(count=f"How many stories (1-{MAX_COUNT})")
    async def latest(
        self,
        interaction: discord.Interaction,
        count: app_commands.Range[int, 1, MAX_COUNT] | None = None,
    ) -> None:
        """/news latest [count:]"""
        await self.responder.command(interaction, "latest", [("count", count)])

    @app_commands.command(name="search", description="Search the stored stories")
    @app_commands.describe(query="Words to look for")
    async def search(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200]
    ) -> None:
        """/news search query:"""
        await self.responder.command(interaction, "search", [("query", query)])

    @app_commands.command(name="help", description="What this bot can do")
    async def help(self, interaction: discord.Interaction) -> None:
        """/news help"""
        await self.responder.command(interaction, "help", [])

    @summary.autocomplete("story")
    async def _summary_story(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return story_choices(await self.responder.stories(current))

    @quote.autocomplete("story")
    async def _quote_story(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return story_choices(await self.responder.stories(current))

    @quote.autocomplete("speaker")
    async def _quote_speaker(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return speaker_choices(await self.responder.speakers(current))
