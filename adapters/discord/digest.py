"""``/news digest subscribe|list|unsubscribe|preview|now|resume`` on Discord: the command
declarations and their autocomplete (time zones, this channel's digest ids). Each invocation
becomes a ``digest`` query for the core (``app.handle``), which decides everything.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import discord
from discord import app_commands

from adapters.discord.responder import MAX_CHOICES, Responder, clip
from bot.api import MAX_STORIES_CAP, MAX_TOPIC_CHARS

STYLE_CHOICES = [
    app_commands.Choice(name="titles only", value="titles"),
    app_commands.Choice(name="titles with a one-line summary", value="brief"),
    app_commands.Choice(name="full summaries", value="full"),
]


@cache
def _zones() -> tuple[str, ...]:
    """Every IANA zone name, sorted (read once: the tz database does not change while running)."""
    return tuple(sorted(available_timezones()))


def timezone_choices(current: str) -> list[app_commands.Choice[str]]:
    """At most 25 zones matching the typed text: prefix matches (on the whole name or the
    city part) first, then names containing it; ``_`` and spaces are interchangeable."""
    typed = current.strip().casefold().replace(" ", "_")
    zones = _zones()
    if not typed:
        preferred = [z for z in ("UTC", "Europe/London", "America/New_York") if z in zones]
        picked = preferred + [z for z in zones if "/" in z and z not in preferred]
    else:

        def starts(zone: str) -> bool:
            low = zone.casefold()
            return low.startswith(typed) or low.rsplit("/", 1)[-1].startswith(typed)

        first = [z for z in zones if starts(z)]
        picked = first + [z for z in zones if typed in z.casefold() and z not in first]
    return [app_commands.Choice(name=z, value=z) for z in picked[:MAX_CHOICES]]


def id_choices(pairs: list[tuple[str, int]]) -> list[app_commands.Choice[int]]:
    """The core's (label, id) pairs for this channel as at most 25 id choices."""
    return [app_commands.Choice(name=clip(label), value=i) for label, i in pairs][:MAX_CHOICES]


IdOption = app_commands.Range[int, 1, 2**53]


class DigestGroup(app_commands.Group):
    """``/news digest ...`` (a subcommand group inside ``/news``)."""

    def __init__(self, responder: Responder) -> None:
        super().__init__(name="digest", description="Scheduled news digests in this channel")
        self.responder = responder

    async def _run(
        self,
        interaction: discord.Interaction,
        action: str,
        options: list[tuple[str, object]] | None = None,
        *,
        budget: float | None = None,
    ) -> None:
        """Every digest answer is private, the deferral too."""
        await self.responder.command(
            interaction, "digest", [("action", action), *(options or [])], private=True,
            budget=budget,
        )

    @app_commands.command(name="subscribe", description="Post a news digest here on a schedule")
    @app_commands.rename(max_stories="max")
    @app_commands.describe(
        schedule='"daily 09:00", "weekdays 08:30", "weekly mon 09:00" or cron "0 9 * * 1-5"',
        timezone="IANA time zone, e.g. Europe/London (start typing)",
        max_stories=f"Most stories per digest (1-{MAX_STORIES_CAP})",
        topic="Only stories about these keywords",
        style="How each story is shown",
        notify_empty='Post a short "no new stories" line when nothing is new',
    )
    @app_commands.choices(style=STYLE_CHOICES)
    async def subscribe(  # noqa: PLR0917  # discord.py maps each parameter to an option
        self,
        interaction: discord.Interaction,
        schedule: app_commands.Range[str, 1, 100],
        timezone: app_commands.Range[str, 1, 64] | None = None,
        max_stories: app_commands.Range[int, 1, MAX_STORIES_CAP] | None = None,
        topic: app_commands.Range[str, 1, MAX_TOPIC_CHARS] | None = None,
        style: app_commands.Choice[str] | None = None,
        notify_empty: bool | None = None,
    ) -> None:
        """/news digest subscribe schedule: [timezone:] [max:] [topic:] [style:]"""
        await self._run(interaction, "subscribe", [
            ("schedule", schedule),
            ("timezone", timezone),
            ("max", max_stories),
            ("topic", topic),
            ("style", style.value if style is not None else None),
            ("notify_empty", "yes" if notify_empty else None),
        ])

    @app_commands.command(name="list", description="The digests of this channel")
    async def list_(self, interaction: discord.Interaction) -> None:
        """/news digest list"""
        await self._run(interaction, "list")

    @app_commands.command(name="unsubscribe", description="Remove a digest from this channel")
    @app_commands.describe(id="The digest's number (see /news digest list)")
    async def unsubscribe(self, interaction: discord.Interaction, id: IdOption) -> None:
        """/news digest unsubscribe id:"""
        await self._run(interaction, "unsubscribe", [("id", id)])

    @app_commands.command(name="preview", description="What the next digest would hold")
    @app_commands.describe(id="The digest's number (see /news digest list)")
    async def preview(self, interaction: discord.Interaction, id: IdOption) -> None:
        """/news digest preview id:"""
        await self._run(interaction, "preview", [("id", id)])

    @app_commands.command(name="now", description="Post the digest now")
    @app_commands.describe(id="The digest's number (see /news digest list)")
    async def now(self, interaction: discord.Interaction, id: IdOption) -> None:
        """/news digest now id:"""
        # Posting goes through the paced deliverer and may take seconds: defer at once.
        await self._run(interaction, "now", [("id", id)], budget=0.0)

    @app_commands.command(name="resume", description="Resume a paused digest")
    @app_commands.describe(id="The digest's number (see /news digest list)")
    async def resume(self, interaction: discord.Interaction, id: IdOption) -> None:
        """/news digest resume id:"""
        await self._run(interaction, "resume", [("id", id)])

    @subscribe.autocomplete("timezone")
    async def _timezone(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return timezone_choices(current)

    @unsubscribe.autocomplete("id")
    @preview.autocomplete("id")
    @now.autocomplete("id")
    @resume.autocomplete("id")
    async def _digest_id(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        return id_choices(await self.responder.digest_ids(interaction, current))
