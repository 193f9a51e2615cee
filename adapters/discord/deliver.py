"""Posting answers into channels without a question (digests), paced below Discord's limits.

Pacing (``Pacer``): at most 5 messages per 5.5 s per channel and 50 per 1.1 s overall,
spread evenly, so a fan-out to many channels causes no 429. A 429 that still happens is
waited out and retried (a 429 creates nothing, so nothing is duplicated); 403/404 raise
``DeliveryError`` at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import discord

from adapters.discord.errors import DeliveryRejected, DiscordUnavailable
from adapters.discord.render import NO_MENTIONS, OutMessage, render
from bot.api import Answer, DeliveryError, Place, ascii_int

log = logging.getLogger("newsbot.discord.deliver")


@dataclass(slots=True)
class _Channel:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    sent: deque[float] = field(default_factory=deque)


class Pacer:
    """Waits before each send so per-channel and global rates stay under Discord's limits.

    Both limits are sliding windows over the times sends were actually let through (not
    planned slots), so an event-loop stall can never release a burst over the limit; the
    windows are a little longer than Discord's to absorb network jitter. Sends are also
    spaced ``global_window / global_limit`` apart so a fan-out is smooth, not bursty.
    """

    def __init__(
        self,
        *,
        global_limit: int = 50,
        global_window: float = 1.1,
        channel_limit: int = 5,
        channel_window: float = 5.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_limit = global_limit
        self.global_window = global_window
        self.channel_limit = channel_limit
        self.channel_window = channel_window
        self._spacing = global_window / global_limit
        self._clock = clock
        self._global_lock = asyncio.Lock()
        self._global_sent: deque[float] = deque(maxlen=global_limit)
        self._planned = 0.0
        self._channels: dict[str, _Channel] = {}

    async def acquire(self, channel: str) -> None:
        """Return when a message to ``channel`` may be sent now."""
        state = self._channels.setdefault(channel, _Channel())
        async with state.lock:  # keeps one channel's messages in order
            if len(state.sent) >= self.channel_limit:
                await self._sleep_until(state.sent[0] + self.channel_window)
            async with self._global_lock:
                await self._global_turn()
                now = self._clock()
                self._global_sent.append(now)
            state.sent.append(now)
            while len(state.sent) > self.channel_limit:
                state.sent.popleft()
        if len(self._channels) > 5_000:
            self._prune()

    async def _global_turn(self) -> None:
        """Wait for this send's slot in the even spacing and for room in the global window."""
        while True:
            now = self._clock()
            sent = self._global_sent
            due = self._planned
            if len(sent) >= self.global_limit:
                due = max(due, sent[0] + self.global_window)
            if due <= now:
                # Planned slots, not actual times, so sleep overshoot does not add up; after a
                # stall or a quiet spell the schedule restarts from now.
                self._planned = max(self._planned, now - self._spacing) + self._spacing
                return
            await asyncio.sleep(due - now)

    async def _sleep_until(self, when: float) -> None:
        delay = when - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)

    def _prune(self) -> None:
        """Drop idle channels whose window has passed."""
        now = self._clock()
        self._channels = {
            key: st
            for key, st in self._channels.items()
            if st.lock.locked() or (st.sent and now - st.sent[-1] < self.channel_window)
        }


class DiscordDeliverer:
    """``Deliverer`` for Discord: posts an Answer to ``place.channel`` (a channel id)."""

    def __init__(
        self, client: discord.Client, *, pacer: Pacer | None = None, max_attempts: int = 5
    ) -> None:
        self._client = client
        self.pacer = pacer or Pacer()
        self.max_attempts = max_attempts

    async def deliver(self, place: Place, answer: Answer) -> None:
        """Post once (possibly as several messages).

        Raises ``DeliveryError`` when the channel is gone or forbidden (403/404) or is not a
        channel id, ``DiscordUnavailable`` when Discord keeps failing or the bot is not logged
        in (retry later), ``DeliveryRejected`` when Discord refuses the message itself.
        """
        channel_id = ascii_int(place.channel or "")  # "²".isdigit() is true, int("²") raises
        if channel_id is None:
            raise DeliveryError(place, "not a Discord channel id")
        if self._client.user is None or self._client.is_closed():
            raise DiscordUnavailable("the Discord adapter is not logged in")
        channel = self._client.get_partial_messageable(channel_id)
        for message in render(answer):
            await self._send(place, channel, message)

    async def _send(
        self, place: Place, channel: discord.PartialMessageable, message: OutMessage
    ) -> None:
        """Send one message, retrying rate limits and server errors a bounded number of times."""
        assert place.channel is not None
        for attempt in range(self.max_attempts):
            await self.pacer.acquire(place.channel)
            try:
                await channel.send(
                    content=message.content,
                    embeds=list(message.embeds),
                    allowed_mentions=NO_MENTIONS,
                )
                return
            except (discord.Forbidden, discord.NotFound) as exc:
                raise DeliveryError(place, _reason(exc)) from exc
            except discord.HTTPException as exc:
                # discord.py waits out 429s itself (up to 5 tries) and raises 429 only after;
                # it never raises RateLimited since the client sets no max_ratelimit_timeout.
                if exc.status != 429 and exc.status < 500:
                    raise DeliveryRejected(_reason(exc)) from exc
                log.warning("send to %s failed with %s, retrying", place.channel, exc.status)
                await asyncio.sleep(min(30.0, 1.0 + 2.0 * attempt))
        raise DiscordUnavailable(f"gave up posting to channel {place.channel}")


def _reason(exc: discord.HTTPException) -> str:
    """A short reason for logs and the digest core: status, Discord code and message."""
    label = {403: "forbidden", 404: "not found"}.get(exc.status, "rejected")
    return f"{label} (HTTP {exc.status}, code {exc.code}): {exc.text[:200]}"
