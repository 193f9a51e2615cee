"""Who may manage digests and feeds on Slack (``User.can_manage``): a user listed in
``admin_user_ids``, or a workspace admin or owner (``users.info``, cached per user for a few
minutes so a burst of commands makes one call). The adapter asks only when the core needs it
(``bot.api.needs_manager``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("adapters.slack.managers")

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
