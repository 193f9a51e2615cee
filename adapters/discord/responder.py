"""What the ``/news`` command groups need from the adapter, and the limits of a choice."""

from __future__ import annotations

from typing import Protocol

import discord

MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices
MAX_CHOICE_TEXT = 100  # and cuts names and values at 100 characters


def clip(text: str) -> str:
    """A choice name within 100 characters."""
    return text if len(text) <= MAX_CHOICE_TEXT else text[: MAX_CHOICE_TEXT - 1] + "…"


class Responder(Protocol):
    """The adapter as the command groups see it."""

    async def command(
        self,
        interaction: discord.Interaction,
        name: str,
        options: list[tuple[str, object]],
        *,
        private: bool = False,
        budget: float | None = None,
    ) -> None:
        """Answer ``/news <name>`` with the given options (``private``: defer privately)."""

    async def stories(self, current: str) -> list[tuple[str, str]]:
        """(label, slug) suggestions for a partial story."""

    async def speakers(self, current: str) -> list[str]:
        """Speaker suggestions for a partial name."""

    async def digest_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[tuple[str, int]]:
        """This channel's digests as (label, id) pairs."""
