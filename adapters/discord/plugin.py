"""The ``discord`` entry point of the ``newsbot.adapters`` group: settings -> ``DiscordAdapter``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.discord.app import DiscordAdapter
from adapters.discord.invite import invite_url

if TYPE_CHECKING:
    from bot.api import ChatAdapter, FrontDoor, Settings


class DiscordPlugin:
    """Starts the Discord adapter when ``NEWSBOT_DISCORD__TOKEN`` is set."""

    name = "discord"

    def configured(self, settings: Settings) -> bool:
        """True when a bot token is configured."""
        return settings.discord.token is not None

    def create(self, app: FrontDoor, settings: Settings) -> ChatAdapter:
        """The adapter, wired from ``settings.discord``."""
        discord = settings.discord
        assert discord.token is not None  # checked by ``configured``
        return DiscordAdapter(
            app,
            discord.token.get_secret_value(),
            application_id=discord.application_id,
            api_base_url=discord.api_base_url,
            gateway_url=discord.gateway_url,
            dev_guild_id=discord.dev_guild_id,
        )

    def setup_hint(self) -> str:
        """How to enable Discord."""
        return (
            "Discord: set NEWSBOT_DISCORD__TOKEN (bot token) and NEWSBOT_DISCORD__APPLICATION_ID; "
            "`newsbot discord invite-url` prints the link that adds the bot to a server"
        )

    def invite_url(self, settings: Settings) -> str:
        """The invite link for the configured application id (ValueError when unset)."""
        if settings.discord.application_id is None:
            raise ValueError("set NEWSBOT_DISCORD__APPLICATION_ID to build the invite link")
        return invite_url(settings.discord.application_id)


plugin = DiscordPlugin()
