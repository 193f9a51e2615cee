"""Wiring: a discord.py client, the ``/news`` command tree, DMs and mentions -> ``app.handle``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import render, translate
from adapters.discord.commands import NewsGroup
from adapters.discord.deliver import DiscordDeliverer
from adapters.discord.errors import log_unexpected, reply_unexpected
from adapters.discord.reply import answer_within, send_answer
from bot.api import FrontDoor, User

log = logging.getLogger("newsbot.discord")

MAX_ANSWER_BUDGET = 2.5  # Discord wants the first interaction response within 3 s
T = TypeVar("T")  # what an autocomplete lookup returns a list of


def intents() -> discord.Intents:
    """Guilds, DMs and guild messages (for mentions). Nothing privileged."""
    return discord.Intents(guilds=True, dm_messages=True, guild_messages=True)


class _Endpoints:
    """discord.py's original URLs, saved while at least one adapter overrides them."""

    active = 0
    originals: tuple[str, yarl.URL] = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


@contextmanager
def endpoints(api_base_url: str | None, gateway_url: str | None) -> Iterator[None]:
    """Point discord.py's REST base and gateway elsewhere while running, then restore them.

    These are class attributes of discord.py (pinned at 2.7.1), so the override is process-wide:
    adapters running at once share it, and the originals return when the last one stops.
    """
    if _Endpoints.active == 0:
        _Endpoints.originals = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    _Endpoints.active += 1
    if api_base_url:
        Route.BASE = api_base_url.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        _Endpoints.active -= 1
        if _Endpoints.active == 0:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = _Endpoints.originals


class _Tree(app_commands.CommandTree[discord.Client]):
    """Routes every unexpected command failure to the one error handler."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """The one handler: a ref to the user, the traceback to the log."""
        await reply_unexpected(interaction, error)


class _Client(discord.Client):
    """The client: syncs commands at setup, hands messages to the adapter."""

    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        # Every send passes NO_MENTIONS too; the client default covers any send that forgets.
        super().__init__(intents=intents(), allowed_mentions=render.NO_MENTIONS, **options)
        self.adapter = adapter

    async def setup_hook(self) -> None:
        """After login, before the gateway: register the commands."""
        await self.adapter.sync_commands()

    async def on_ready(self) -> None:
        """Gateway session ready and guilds received."""
        self.adapter.ready.set()

    async def on_message(self, message: discord.Message) -> None:
        """Free-text questions; unexpected failures go to the one handler."""
        try:
            await self.adapter.on_message(message)
        except Exception as exc:  # the one handler for free-text questions
            await _safe_send(message.channel, log_unexpected(exc, where="message"))


async def _safe_send(channel: discord.abc.Messageable, text: str) -> None:
    """Best-effort notice; failures are logged, never raised."""
    try:
        await channel.send(text, allowed_mentions=render.NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not send an error notice")


class DiscordAdapter:
    """Serves the core on Discord: ``/news`` commands, DMs and @mentions, and digests.

    ``api_base_url`` (e.g. ``https://discord.com/api/v10`` or a nirn-proxy) and ``gateway_url``
    default to Discord's. ``dev_guild_id`` syncs the commands to one guild (instant) instead
    of globally. ``answer_budget``: how long the core may take before the reply is deferred
    (at most 2.5 s).
    """

    name = "discord"

    def __init__(
        self,
        app: FrontDoor,
        token: str,
        *,
        application_id: int | None = None,
        api_base_url: str | None = None,
        gateway_url: str | None = None,
        dev_guild_id: int | None = None,
        guild_ready_timeout: float = 2.0,
        answer_budget: float = 2.0,
    ) -> None:
        self.app = app
        self._token = token
        self.api_base_url = api_base_url
        self.gateway_url = gateway_url
        self.dev_guild_id = dev_guild_id
        self.answer_budget = min(answer_budget, MAX_ANSWER_BUDGET)
        self.autocomplete_budget = 2.0  # seconds; Discord drops autocomplete answers after 3 s
        self.ready = asyncio.Event()
        self.client = _Client(
            self, application_id=application_id, guild_ready_timeout=guild_ready_timeout
        )
        self.tree = _Tree(self.client)
        self.tree.add_command(NewsGroup(self))
        self.deliverer = DiscordDeliverer(self.client)

    async def start(self) -> None:
        """Log in, sync commands, connect to the gateway and serve until ``stop``."""
        with endpoints(self.api_base_url, self.gateway_url):
            async with self.client:
                await self.client.start(self._token)

    async def stop(self) -> None:
        """Disconnect (the core has let answers in progress finish)."""
        self.ready.clear()
        await self.client.close()

    async def wait_until_ready(self) -> None:
        """Wait until the gateway session is ready (commands synced, guilds received)."""
        await self.ready.wait()

    async def sync_commands(self) -> None:
        """Register ``/news`` globally, or only in the development guild when one is set."""
        if self.dev_guild_id is not None:
            guild = discord.Object(id=self.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("synced %d application commands", len(synced))

    # -- slash commands -------------------------------------------------------------------

    async def command(
        self,
        interaction: discord.Interaction,
        name: str,
        options: list[tuple[str, object]],
        *,
        private: bool = False,
        budget: float | None = None,
    ) -> None:
        """Answer ``/news <name>`` within 3 s: in full if the core is quick, else deferred
        (privately for ``private`` groups) after ``budget`` seconds."""
        query = translate.slash_query(
            name,
            options,
            user=_interaction_user(interaction),
            place=translate.place_for(interaction.channel_id, interaction.guild_id),
            received_at=datetime.now(UTC),
        )
        wait = self.answer_budget if budget is None else budget
        work = self.app.handle(query)
        answer = await answer_within(interaction, work, wait, ephemeral_defer=private)
        await send_answer(interaction, answer)

    async def digest_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[tuple[str, int]]:
        """This channel's digests as (label, id) pairs (none when slow or failing)."""
        place = translate.place_for(interaction.channel_id, interaction.guild_id)
        return await self._suggest(self.app.digest_choices(place, current), "digest id")

    async def stories(self, current: str) -> list[tuple[str, str]]:
        """Story suggestions, or none when the core is slow or fails."""
        return await self._suggest(self.app.suggest_stories(current, 25), "story")

    async def speakers(self, current: str) -> list[str]:
        """Speaker suggestions, or none when the core is slow or fails."""
        return await self._suggest(self.app.suggest_speakers(current, 25), "speaker")

    async def _suggest(self, work: Awaitable[list[T]], what: str) -> list[T]:
        """Autocomplete cannot show an error: a slow or failing lookup offers no choices."""
        try:
            return await asyncio.wait_for(work, self.autocomplete_budget)
        except TimeoutError:
            log.warning("%s autocomplete took over %.1f s", what, self.autocomplete_budget)
            return []
        except Exception as exc:
            log_unexpected(exc, where=f"{what} autocomplete")
            return []

    # -- DMs and mentions -----------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """Answer a DM, or a guild message that mentions the bot, as a free-text question."""
        me = self.client.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        if message.guild is not None and me.id not in message.raw_mentions:
            return
        query = translate.message_query(
            message.content,
            bot_id=me.id,
            user=_message_user(message),
            place=translate.place_for(
                message.channel.id, message.guild.id if message.guild else None
            ),
            received_at=datetime.now(UTC),
        )
        answer = await self.app.handle(query)
        reference: discord.MessageReference | None = message.to_reference(fail_if_not_exists=False)
        for out in render.render(answer):
            # Replies count towards the same channel and global limits as digests.
            await self.deliverer.pacer.acquire(str(message.channel.id))
            await _send_out(message.channel, out, reference)
            reference = None  # only the first message is a reply


async def _send_out(
    channel: discord.abc.Messageable,
    out: render.OutMessage,
    reference: discord.MessageReference | None,
) -> None:
    """Send one rendered message, as a reply when ``reference`` is given; never pings."""
    extra: dict[str, Any] = {"reference": reference} if reference is not None else {}
    await channel.send(
        out.content, embeds=list(out.embeds), allowed_mentions=render.NO_MENTIONS, **extra
    )


def _interaction_user(interaction: discord.Interaction) -> User:
    """The asker; ``can_manage`` from Manage Channels in this channel (true in their own DMs)."""
    perms = interaction.permissions
    can_manage = interaction.guild_id is None or perms.manage_channels
    return User(
        id=str(interaction.user.id), name=interaction.user.display_name, can_manage=can_manage
    )


def _message_user(message: discord.Message) -> User:
    """The author of a DM or mention."""
    author = message.author
    if isinstance(author, discord.Member):
        can_manage = author.guild_permissions.manage_channels
    else:
        can_manage = message.guild is None
    return User(id=str(author.id), name=author.display_name, can_manage=can_manage)
