"""The OAuth2 link that adds the bot to a server with exactly the permissions it needs."""

from __future__ import annotations

import discord

SCOPES = ("bot", "applications.commands")


def required_permissions() -> discord.Permissions:
    """View Channel, Send Messages, Embed Links, Read Message History, Send Messages in Threads."""
    return discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        read_message_history=True,
        send_messages_in_threads=True,
    )


def invite_url(application_id: int) -> str:
    """``https://discord.com/oauth2/authorize?client_id=…&scope=bot+applications.commands&…``."""
    return discord.utils.oauth_url(
        application_id, permissions=required_permissions(), scopes=SCOPES
    )
