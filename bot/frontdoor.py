"""What an adapter may call in the core: the one inbound call (``handle``) and the
autocomplete lookups. ``bot.app.Newsbot`` is the implementation; adapters are typed against
this protocol, so their tests can stand in a smaller core."""

from __future__ import annotations

from typing import Protocol

from bot.messages import Answer, Place, Query


class FrontDoor(Protocol):
    """The core as adapters see it."""

    async def handle(self, query: Query) -> Answer:
        """Answer one interaction (a question, ``/news digest ...``, ``/news feeds ...``)."""

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete for a story: (label, slug) pairs."""

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete for a speaker name."""

    async def digest_choices(self, place: Place, typed: str = "") -> list[tuple[str, int]]:
        """Autocomplete for a digest id: the channel's digests as (label, id) pairs."""
