"""One handler for unexpected failures: a short reference to the user, the traceback in the log."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from adapters.discord.render import NO_MENTIONS
from bot.api import report_unexpected

log = logging.getLogger("newsbot.discord")

PENDING_KEY = "newsbot_deferred_pending"  # interaction.extras: deferred, not yet answered


class DiscordUnavailable(RuntimeError):
    """Discord kept failing (5xx, repeated 429s) or the bot is not logged in: retry later.

    Deliberately not a ``DeliveryError``: the channel is fine, so its subscriptions stay on.
    """


class DeliveryRejected(RuntimeError):
    """Discord refused the message itself (HTTP 400 and the like): a bug, not the channel."""


def log_unexpected(error: BaseException, *, where: str) -> str:
    """Log ``error`` (a command's own, unwrapped) with its traceback under a new ref; returns
    the text the user sees, which names only the ref."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    return report_unexpected(log, error, where)


async def reply_unexpected(interaction: discord.Interaction, error: BaseException) -> None:
    """Log ``error`` and tell the user, whatever state the interaction response is in."""
    command = interaction.command.qualified_name if interaction.command else "interaction"
    text = log_unexpected(error, where=f"/{command}")
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            return  # autocomplete cannot carry a message; the log has it
        if not interaction.response.is_done():
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        elif interaction.extras.pop(PENDING_KEY, False):
            await interaction.edit_original_response(
                content=text, embeds=[], allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not tell the user about an error: %s", text)
