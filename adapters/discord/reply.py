"""Answering an interaction: within Discord's 3 s (deferring when the work is slow), then the
rendered answer as the response, or in place of the deferral, plus follow-ups."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

import discord

from adapters.discord import render
from adapters.discord.errors import PENDING_KEY
from bot.api import Answer

EPHEMERAL_DEFER_KEY = "newsbot_deferred_ephemeral"  # interaction.extras: the deferral is private


async def defer(interaction: discord.Interaction, *, ephemeral: bool = False) -> None:
    """Show "thinking…" now; the answer replaces it later (see ``send_answer``)."""
    await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    interaction.extras[PENDING_KEY] = True
    if ephemeral:
        interaction.extras[EPHEMERAL_DEFER_KEY] = True


async def answer_within(
    interaction: discord.Interaction,
    work: Coroutine[Any, Any, Answer],
    budget: float,
    *,
    ephemeral_defer: bool = False,
) -> Answer:
    """Await ``work``; if it takes longer than ``budget`` seconds, defer meanwhile.

    The work runs in the calling task (the core tracks that task, so a stop waits for the
    reply too); a timer task does the deferring.
    """
    deferring = asyncio.Event()

    async def defer_later() -> None:
        await asyncio.sleep(budget)
        deferring.set()
        await defer(interaction, ephemeral=ephemeral_defer)

    timer = asyncio.create_task(defer_later())
    try:
        answer = await work
    except BaseException:
        await _settle(timer, deferring)
        raise
    if deferring.is_set():
        await timer  # a deferral under way completes before the answer replaces it
    else:
        timer.cancel()
    return answer


async def _settle(timer: asyncio.Task[None], deferring: asyncio.Event) -> None:
    """The work failed: stop the timer, or let a deferral under way finish (the error
    handler then edits it), without raising over the work's own error."""
    if not deferring.is_set():
        timer.cancel()
        return
    with contextlib.suppress(Exception):
        await timer


async def send_answer(interaction: discord.Interaction, answer: Answer) -> None:
    """Send the rendered answer as the response (or in place of the deferral) + follow-ups."""
    messages = render.render(answer)
    ephemeral = render.is_ephemeral(answer)
    first, rest = messages[0], messages[1:]
    embeds = list(first.embeds)
    none = render.NO_MENTIONS
    private_deferral = interaction.extras.get(EPHEMERAL_DEFER_KEY, False)
    if not interaction.response.is_done():
        await interaction.response.send_message(
            first.content, embeds=embeds, ephemeral=ephemeral, allowed_mentions=none
        )
    elif ephemeral and not private_deferral:
        # The deferral was public: replace it with a private message.
        await interaction.delete_original_response()
        interaction.extras.pop(PENDING_KEY, None)
        await interaction.followup.send(
            first.content or "", embeds=embeds, ephemeral=True, allowed_mentions=none
        )
    else:
        await interaction.edit_original_response(
            content=first.content, embeds=embeds, allowed_mentions=none
        )
    interaction.extras.pop(PENDING_KEY, None)
    for message in rest:
        await interaction.followup.send(
            message.content or "",
            embeds=list(message.embeds),
            ephemeral=ephemeral,
            allowed_mentions=none,
        )
