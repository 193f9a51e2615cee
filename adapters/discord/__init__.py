"""Discord adapter: slash commands, DMs and mentions, and digest delivery (discord.py 2.7.1)."""

import warnings

with warnings.catch_warnings():
    # discord.py 2.7.1 imports ``audioop`` (voice only), deprecated since Python 3.11; keep the
    # warning from failing runs that turn warnings into errors (pytest here does).
    warnings.filterwarnings(
        "ignore", message="'audioop' is deprecated", category=DeprecationWarning
    )
    import discord  # noqa: F401

from adapters.discord.app import DiscordAdapter
from adapters.discord.deliver import DiscordDeliverer, Pacer
from adapters.discord.invite import invite_url

__all__ = ["DiscordAdapter", "DiscordDeliverer", "Pacer", "invite_url"]
