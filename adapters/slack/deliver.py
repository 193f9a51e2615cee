"""Posting to Slack channels: ``chat.postMessage`` paced per channel, rate limits retried.

Used for digests (the ``Deliverer`` protocol) and for answers to mentions and DMs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import CREDENTIAL_ERRORS, PERMANENT_DELIVERY_ERRORS, SlackUnavailable
from adapters.slack.render import SlackMessage, render_answer
from bot.api import Answer, DeliveryError, Place, ascii_int

log = logging.getLogger("adapters.slack.deliver")

MAX_RATE_LIMIT_RETRIES = 3
#: The longest a 429's Retry-After may hold a send (and the channel's lock) per attempt.
MAX_RETRY_AFTER = 60.0


class SlackDeliverer:
    """A ``Deliverer`` for Slack: at most one message per ``min_interval`` seconds per channel.

    Channels are independent (a 1,000-channel fan-out runs concurrently, ``max_in_flight``
    requests at a time). A 429 is retried after ``Retry-After`` by the client's retry handler and
    then here; ``not_in_channel``, ``channel_not_found``, ``is_archived`` and other permanent
    errors of one channel raise ``DeliveryError``; a refused token (``invalid_auth``,
    ``token_revoked``, ``missing_scope``...) raises ``SlackUnavailable`` and is logged once.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        min_interval: float = 1.0,
        max_in_flight: int = 16,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._base_client = client
        self._client: AsyncWebClient | None = None
        self._session: aiohttp.ClientSession | None = None
        self._interval = min_interval
        self._clock = clock
        self._in_flight = asyncio.Semaphore(max_in_flight)
        self._locks: dict[str, asyncio.Lock] = {}
        self._next_at: dict[str, float] = {}
        self._refused: str | None = None  # the credential error last logged, until a success

    def _pooled_client(self) -> AsyncWebClient:
        """A client sharing one connection pool (created in the running loop on first use):
        a fan-out to many channels then reuses connections instead of one per message."""
        if self._client is None or self._session is None or self._session.closed:
            base = self._base_client
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(base.timeout))
            self._client = AsyncWebClient(
                token=base.token,
                base_url=base.base_url,
                timeout=base.timeout,
                ssl=base.ssl,
                proxy=base.proxy,
                session=self._session,
                retry_handlers=base.retry_handlers,
            )
        return self._client

    async def aclose(self) -> None:
        """Close the connection pool (the adapter's ``stop`` calls this)."""
        if self._session is not None:
            await self._session.close()
            self._session = None
            self._client = None

    async def deliver(self, place: Place, answer: Answer) -> None:
        """Post ``answer`` into ``place.channel`` (several messages when it is long)."""
        await self.post(place, render_answer(answer))

    async def post(
        self, place: Place, messages: Sequence[SlackMessage], thread_ts: str | None = None
    ) -> list[str]:
        """Post ``messages`` in order; returns their message timestamps."""
        if not place.channel:
            raise DeliveryError(place, "no_channel")
        return [await self._post_one(place, place.channel, m, thread_ts) for m in messages]

    async def _post_one(
        self, place: Place, channel: str, message: SlackMessage, thread_ts: str | None
    ) -> str:
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            wait = self._next_at.get(channel, 0.0) - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await self._send(place, channel, message, thread_ts)
            finally:
                self._next_at[channel] = self._clock() + self._interval
                self._forget_idle()

    async def _send(
        self, place: Place, channel: str, message: SlackMessage, thread_ts: str | None
    ) -> str:
        kwargs: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        for attempt in range(MAX_RATE_LIMIT_RETRIES + 1):
            try:
                async with self._in_flight:
                    response = await self._pooled_client().chat_postMessage(
                        channel=channel, **message.as_kwargs(), **kwargs
                    )
                self._refused = None
                return str(response.get("ts") or "")
            except SlackApiError as error:
                reason = str(error.response.get("error") or "unknown_error")
                if reason in PERMANENT_DELIVERY_ERRORS:
                    raise DeliveryError(place, reason) from None
                if reason in CREDENTIAL_ERRORS:
                    self._credentials_refused(reason)
                    raise SlackUnavailable(reason) from None
                if error.response.status_code != 429 or attempt == MAX_RATE_LIMIT_RETRIES:
                    raise
                await asyncio.sleep(_retry_after(error))
        raise AssertionError("unreachable")  # pragma: no cover

    def _credentials_refused(self, reason: str) -> None:
        """Say once, loudly, that the token is the problem (not each channel)."""
        if self._refused == reason:
            return
        self._refused = reason
        log.error(
            "Slack refused the bot token (%s): nothing can be posted to this workspace until "
            "NEWSBOT_SLACK__BOT_TOKEN or the app's scopes are fixed; subscriptions are kept "
            "and their digests retried",
            reason,
        )

    def _forget_idle(self) -> None:
        """Drop pacing state of channels that are idle, so memory stays bounded."""
        if len(self._next_at) < 4096:
            return
        now = self._clock()
        for channel in [c for c, at in self._next_at.items() if at <= now]:
            lock = self._locks.get(channel)
            if lock is None or not lock.locked():
                self._next_at.pop(channel, None)
                self._locks.pop(channel, None)


def _retry_after(error: SlackApiError) -> float:
    headers = error.response.headers or {}
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            # Whole seconds only: float() also reads "nan", "inf" and "1e9", which would
            # hold this send and its channel's lock forever.
            seconds = ascii_int(str(raw).strip())
            if seconds is None:
                break
            return min(float(seconds), MAX_RETRY_AFTER)
    return 1.0
