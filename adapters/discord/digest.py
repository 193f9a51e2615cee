"""``/news digest subscribe|list|unsubscribe|preview|now|resume``: the chat side of digests.

The digest core (``bot.digests.commands.DigestCommands``) decides everything and answers with
neutral, ephemeral ``Answer``s; this module declares the Discord commands, offers time zones
and digest ids as autocomplete, and turns an invocation into the right core call. The core is
handed over after construction (``DiscordAdapter.digests``) because ``newsbot run`` creates
the adapters inside ``running_digests``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from typing import Protocol
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.digests.model import MAX_STORIES_CAP, MAX_TOPIC_CHARS
from bot.messages import Answer, Place, User, Visibility
from bot.numbers import ascii_int
from bot.ports import DigestPort

MAX_CHOICES = 25
MAX_CHOICE_TEXT = 100
INTENT = "digest"
NOT_RUNNING = "Digests are not running in this bot process, so this command is unavailable."
NOT_IN_DM = (
    "Digests are posted into server channels: run this command in the channel that should "
    "get the digest."
)
STYLE_CHOICES = [
    app_commands.Choice(name="titles only", value="titles"),
    app_commands.Choice(name="titles with a one-line summary", value="brief"),
    app_commands.Choice(name="full summaries", value="full"),
]
ID_ACTIONS = ("unsubscribe", "resume", "preview", "now")


def note(text: str) -> Answer:
    """A private notice (a refusal or a mistake)."""
    return Answer(INTENT, text, visibility=Visibility.EPHEMERAL, notice=text)


async def run(
    port: DigestPort | None, action: str, options: dict[str, object], *, user: User, place: Place
) -> Answer:
    """Call the core for ``/news digest <action>`` with the invocation's options."""
    if port is None:
        return note(NOT_RUNNING)
    if place.is_direct or not place.channel:
        return note(NOT_IN_DM)
    if action == "subscribe":
        return await port.subscribe(
            user,
            place,
            schedule=str(options.get("schedule") or ""),
            timezone=_text(options.get("timezone")),
            max_stories=_number(options.get("max_stories")),
            topic=_text(options.get("topic")),
            style=_text(options.get("style")),
            notify_empty=bool(options.get("notify_empty")),
        )
    if action == "list":
        return await port.list(user, place)
    calls: dict[str, Callable[[User, Place | None, int | str], Awaitable[Answer]]] = {
        "unsubscribe": port.unsubscribe,
        "resume": port.resume,
        "preview": port.preview,
        "now": port.now,
    }
    if action not in calls:
        raise ValueError(f"unknown digest action {action!r}")
    value = options.get("id")
    return await calls[action](user, place, value if isinstance(value, int | str) else "")


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def _number(value: object) -> int | str | None:
    return value if isinstance(value, int | str) else None


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


def id_choices(answer: Answer, current: str) -> list[app_commands.Choice[int]]:
    """The channel's digests (from ``digest list``) as id choices matching the typed text."""
    typed = current.strip().casefold().removeprefix("#")
    choices = []
    for card in answer.cards:
        number = ascii_int(card.article_id.removeprefix("digest-"))
        if number is None or typed not in card.title.casefold():
            continue
        label = card.title if len(card.title) <= MAX_CHOICE_TEXT else card.title[:99] + "…"
        choices.append(app_commands.Choice(name=label, value=number))
    return choices[:MAX_CHOICES]


class DigestResponder(Protocol):
    """What the command group needs from the adapter."""

    async def digest(
        self, interaction: discord.Interaction, action: str, options: dict[str, object]
    ) -> None:
        """Answer ``/news digest <action>``."""

    async def digest_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """This channel's digests as choices."""


IdOption = app_commands.Range[int, 1, 2**53]


class DigestGroup(app_commands.Group):
    """``/news digest ...`` (a subcommand group inside ``/news``)."""

    def __init__(self, responder: DigestResponder) -> None:
        super().__init__(name="digest", description="Scheduled news digests in this channel")
        self.responder = responder

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
        options: dict[str, object] = {
            "schedule": schedule,
            "timezone": timezone,
            "max_stories": max_stories,
            "topic": topic,
            "style": style.value if style is not None else None,
            "notify_empty": notify_empty,
        }
        await self.responder.digest(interaction, "subscribe", options)

    @app_commands.command(name="list", description="The digests of this channel")
    async def list_(self, interaction: discord.Interaction) -> None:
        """/news digest list"""
        await self.responder.digest(interaction, "list", {})

    @app_commands.command(name="unsubscribe", description="Remove a digest from this channel")
    @app_commands.describe(id="The digest's number (see /news digest list)")
    async def unsubscribe(self, interaction: discord.Interaction, id: IdOption) -> None:
        """/news digest unsubscribe id:"""
        await self.responder.digest(interaction, "unsubscribe", {"id": id})

    @app_commands.command(name="preview", description="What the next digest would hold")
    @app_commands.describe(id="The digest's number (see /news digest list)")
    async def preview(self, interaction: discord.Interaction, id: IdOption) -> None:
        """/news digest preview id:"""
        await self.responder.digest(interaction, "preview", {"id": id})

    @app_commands.command(name="now", description="Post the digest now")
    @app_commands.describe(id="The digest's number (see /news digest list)")
    async def now(self, interaction: discord.Interaction, id: IdOption) -> None:
        """/news digest now id:"""
        await self.responder.digest(interaction, "now", {"id": id})

    @app_commands.command(name="resume", description="Resume a paused digest")
    @app_commands.describe(id="The digest's number (see /news digest list)")
    async def resume(self, interaction: discord.Interaction, id: IdOption) -> None:
        """/news digest resume id:"""
        await self.responder.digest(interaction, "resume", {"id": id})

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
        return await self.responder.digest_ids(interaction, current)
