"""Wiring: a discord.py client, the ``/news`` command tree, DMs and mentions -> the engine."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import digest, render, translate
from adapters.discord.commands import NewsGroup
from adapters.discord.cooldown import Cooldown
from adapters.discord.deliver import DiscordDeliverer
from adapters.discord.errors import log_unexpected, reply_unexpected, user_message
from adapters.discord.reply import answer_within, defer, send_answer
from bot.messages import Answer, Query, User
from bot.ports import DigestPort, FeedPort

log = logging.getLogger("newsbot.discord")

MAX_ANSWER_BUDGET = 2.5  # Discord wants the first interaction response within 3 s


class AnswerEngine(Protocol):
    """The part of ``bot.engine.Engine`` the adapter uses."""

    async def answer(self, query: Query) -> Answer:
        """Answer one query."""

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """(label, slug) pairs."""

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Speaker names."""


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
            ref = log_unexpected(exc, where="message")
            await _safe_send(message.channel, user_message(ref))


async def _safe_send(channel: discord.abc.Messageable, text: str) -> None:
    """Best-effort notice; failures are logged, never raised."""
    try:
        await channel.send(text, allowed_mentions=render.NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not send an error notice")


class DiscordAdapter:
    """Serves the engine on Discord: ``/news`` commands, DMs and @mentions, and digests.

    ``api_base_url`` (e.g. ``https://discord.com/api/v10`` or a nirn-proxy) and ``gateway_url``
    default to Discord's. ``dev_guild_id`` syncs the commands to one guild (instant) instead
    of globally. ``answer_budget``: how long the engine may take before the reply is deferred
    (at most 2.5 s). ``digests``: the digest commands (``newsbot run`` sets the attribute
    after ``running_digests`` has started; None answers the digest commands with a notice).
    """

    name = "discord"

    def __init__(
        self,
        engine: AnswerEngine,
        token: str,
        *,
        application_id: int | None = None,
        api_base_url: str | None = None,
        gateway_url: str | None = None,
        dev_guild_id: int | None = None,
        cooldown_seconds: float = 3.0,
        guild_ready_timeout: float = 2.0,
        answer_budget: float = 2.0,
        digests: DigestPort | None = None,
    ) -> None:
        self.engine = engine
        self._token = token
        self.api_base_url = api_base_url
        self.gateway_url = gateway_url
        self.dev_guild_id = dev_guild_id
        self.answer_budget = min(answer_budget, MAX_ANSWER_BUDGET)
        self.autocomplete_budget = 2.0  # seconds; Discord drops autocomplete answers after 3 s
        self.cooldown = Cooldown(cooldown_seconds)
        self.ready = asyncio.Event()
        self.client = _Client(
            self, application_id=application_id, guild_ready_timeout=guild_ready_timeout
        )
        self.tree = _Tree(self.client)
        self.tree.add_command(NewsGroup(self))
        self.deliverer = DiscordDeliverer(self.client)
        # Set by ``newsbot run`` once ``running_digests`` has started (None: digests are off).
        self.digests: DigestPort | None = digests
        # Likewise the feed commands (``running_feeds``); None answers /news feeds with a notice.
        self.feeds: FeedPort | None = None
        self._inflight: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        """Log in, sync commands, connect to the gateway and serve until ``stop``."""
        with endpoints(self.api_base_url, self.gateway_url):
            async with self.client:
                await self.client.start(self._token)

    async def stop(self, grace: float = 5.0) -> None:
        """Let answers in progress finish (up to ``grace`` seconds), then disconnect."""
        self.ready.clear()
        if self._inflight:
            await asyncio.wait(set(self._inflight), timeout=grace)
        await self.client.close()

    @contextmanager
    def _tracked(self) -> Iterator[None]:
        """Mark the current task as an answer in progress (``stop`` waits for it)."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

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
        self, interaction: discord.Interaction, name: str, options: list[tuple[str, object]]
    ) -> None:
        """Answer a slash command within 3 s: in full if the engine is quick, else deferred."""
        with self._tracked():
            await self._command(interaction, name, options)

    async def _command(
        self, interaction: discord.Interaction, name: str, options: list[tuple[str, object]]
    ) -> None:
        query = translate.slash_query(
            name,
            options,
            user=_interaction_user(interaction),
            place=translate.place_for(interaction.channel_id, interaction.guild_id),
            received_at=datetime.now(UTC),
        )
        wait = self.cooldown.hit(query.user.id) if name != "help" else 0.0
        if wait > 0:
            text = f"Slow down a little: try again in {math.ceil(wait)} s."
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=render.NO_MENTIONS
            )
            return
        answer = await answer_within(interaction, self.engine.answer(query), self.answer_budget)
        await send_answer(interaction, answer)

    async def digest(
        self, interaction: discord.Interaction, action: str, options: dict[str, object]
    ) -> None:
        """``/news digest <action>``: every answer is private except the posted digest."""
        with self._tracked():
            user = _interaction_user(interaction)
            place = translate.place_for(interaction.channel_id, interaction.guild_id)
            if action == "now":
                # Posting goes through the paced deliverer and may take seconds: defer first.
                await defer(interaction, ephemeral=True)
                answer = await digest.run(self.digests, action, options, user=user, place=place)
            else:
                work = digest.run(self.digests, action, options, user=user, place=place)
                answer = await answer_within(
                    interaction, work, self.answer_budget, ephemeral_defer=True
                )
            await send_answer(interaction, answer)

    async def digest_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """This channel's digests as id choices (none when digests are off, slow or failing)."""
        if self.digests is None or interaction.guild_id is None:
            return []
        user = _interaction_user(interaction)
        place = translate.place_for(interaction.channel_id, interaction.guild_id)
        try:
            listed = await asyncio.wait_for(
                self.digests.list(user, place), self.autocomplete_budget
            )
        except TimeoutError:
            log.warning("digest id autocomplete took over %.1f s", self.autocomplete_budget)
            return []
        except Exception as exc:  # autocomplete cannot show an error: answer with no choices
            log_unexpected(exc, where="digest id autocomplete")
            return []
        return digest.id_choices(listed, current)

    async def stories(self, current: str) -> list[tuple[str, str]]:
        """Story suggestions, or none when the engine is slow or fails."""
        try:
            return await asyncio.wait_for(
                self.engine.suggest_stories(current, 25), self.autocomplete_budget
            )
        except TimeoutError:
            log.warning("story autocomplete took over %.1f s", self.autocomplete_budget)
            return []
        except Exception as exc:
            log_unexpected(exc, where="story autocomplete")
            return []

    async def speakers(self, current: str) -> list[str]:
        """Speaker suggestions, or none when the engine is slow or fails."""
        try:
            return await asyncio.wait_for(
                self.engine.suggest_speakers(current, 25), self.autocomplete_budget
            )
        except TimeoutError:
            log.warning("speaker autocomplete took over %.1f s", self.autocomplete_budget)
            return []
        except Exception as exc:
            log_unexpected(exc, where="speaker autocomplete")
            return []

    # -- DMs and mentions -----------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """Answer a DM, or a guild message that mentions the bot, as a free-text question."""
        with self._tracked():
            await self._on_message(message)

    async def _on_message(self, message: discord.Message) -> None:
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
        wait = self.cooldown.hit(query.user.id)
        if wait > 0:
            await _safe_send(
                message.channel, f"Slow down a little: try again in {math.ceil(wait)} s."
            )
            return
        answer = await self.engine.answer(query)
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
