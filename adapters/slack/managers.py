"""``/news digest ...`` on Slack: who may manage digests, and the call into the digest core.

``translate.parse_news_text`` has already turned the text into ``action`` and options; the core
(``bot.digests.commands.DigestCommands``) answers with neutral, private ``Answer``s. It is handed
over after construction (``SlackAdapter.digests``) because ``newsbot run`` creates the adapters
inside ``running_digests``.

Managing digests (subscribe, unsubscribe, resume, now) needs a workspace admin or owner
(``users.info``, cached per user for a few minutes so a burst of commands makes one call) or a
user listed in ``admin_user_ids``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import Answer, Place, Query, User, Visibility
from bot.ports import DigestPort

log = logging.getLogger("adapters.slack.digest")

INTENT = "digest"
MANAGING = frozenset({"subscribe", "unsubscribe", "resume", "now"})
NOT_RUNNING = "Digests are not running in this bot process, so this command is unavailable."
NOT_IN_DM = (
    "Digests are posted into channels: run this command in the channel that should get the "
    "digest (and invite me there first)."
)
ADMIN_TTL = 300.0  # seconds a users.info answer is trusted (a demoted admin loses it this fast)
ERROR_TTL = 30.0  # a failed users.info counts as "not an admin" this long before asking again
MAX_CACHED = 4096


class Managers:
    """Decides ``User.can_manage`` on Slack: the configured admin list, else ``users.info``
    (``is_admin``, ``is_owner`` or ``is_primary_owner``), cached per user."""

    def __init__(
        self,
        client: AsyncWebClient,
        admin_user_ids: frozenset[str] = frozenset(),
        *,
        ttl: float = ADMIN_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.admin_user_ids = admin_user_ids
        self.ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[bool, float]] = {}

    async def can_manage(self, user_id: str) -> bool:
        """True for configured admins and workspace admins or owners."""
        if user_id in self.admin_user_ids:
            return True
        now = self._clock()
        cached = self._cache.get(user_id)
        if cached is not None and cached[1] > now:
            return cached[0]
        allowed, ttl = await self._ask(user_id)
        if len(self._cache) >= MAX_CACHED:
            self._cache = {k: v for k, v in self._cache.items() if v[1] > now}
        self._cache[user_id] = (allowed, now + ttl)
        return allowed

    async def _ask(self, user_id: str) -> tuple[bool, float]:
        try:
            response = await self.client.users_info(user=user_id)
        except SlackApiError as error:
            # Most likely the app lacks ``users:read``: refuse (safe) and say why in the log.
            reason = error.response.get("error") or f"HTTP {error.response.status_code}"
            log.warning("users.info failed for %s (%s): treating as not an admin", user_id, reason)
            return False, min(self.ttl, ERROR_TTL)
        user = response.get("user") or {}
        allowed = any(bool(user.get(k)) for k in ("is_admin", "is_owner", "is_primary_owner"))
        return allowed, self.ttl


def note(text: str) -> Answer:
    """A private notice (a refusal or a mistake)."""
    return Answer(INTENT, text, visibility=Visibility.EPHEMERAL, notice=text)


async def answer(port: DigestPort | None, managers: Managers, query: Query) -> Answer:
    """Answer a parsed ``/news digest`` query through the core."""
    if port is None:
        return note(NOT_RUNNING)
    if query.place.is_direct or not query.place.channel:
        return note(NOT_IN_DM)
    action = query.arg("action") or ""
    user = query.user
    if action in MANAGING and not user.can_manage:
        user = replace(user, can_manage=await managers.can_manage(user.id))
    place = query.place
    if action == "subscribe":
        return await port.subscribe(
            user,
            place,
            schedule=query.arg("schedule") or "",
            timezone=query.arg("timezone"),
            max_stories=query.arg("max"),
            topic=query.arg("topic"),
            style=query.arg("style"),
            notify_empty=query.arg("notify_empty") is not None,
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
    return await calls[action](user, place, query.arg("id") or "")
