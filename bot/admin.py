"""Reports for the operator (a digest that failed for good, a feed failing for a day): one
admin channel, configured under ``[admin]``, reached through the app's deliverer registry.

``[digests] admin_platform``/``admin_channel`` (where it was configured before it served feeds
too) are still read when ``[admin]`` is empty; ``newsbot check-config`` says they are
deprecated.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.intents import Intent
from bot.messages import Answer, Place, Visibility
from bot.ports import Deliverer
from bot.settings import Settings

log = logging.getLogger(__name__)


def admin_place(settings: Settings) -> Place | None:
    """Where reports go: ``[admin]``, else the deprecated ``[digests] admin_*``; None when
    neither names a platform and a channel."""
    admin, old = settings.admin, settings.digests
    if admin.platform and admin.channel:
        return Place(platform=admin.platform, channel=admin.channel)
    if old.admin_platform and old.admin_channel:
        return Place(platform=old.admin_platform, channel=old.admin_channel)
    return None


def deprecations(settings: Settings) -> list[str]:
    """One line per deprecated setting in use, saying what replaces it."""
    old = settings.digests
    used = [f"digests.{name}" for name, value in
            (("admin_platform", old.admin_platform), ("admin_channel", old.admin_channel))
            if value]
    if not used:
        return []
    return [f"deprecated: {' and '.join(used)}: set [admin] platform and channel instead "
            "(they report failing feeds too)"]


class AdminReports:
    """The admin channel: ``warn`` posts a report there through the registry's deliverer."""

    def __init__(self, place: Place | None, deliverers: Mapping[str, Deliverer]) -> None:
        """``deliverers`` is the app's registry: adapters attached later count."""
        self.place = place
        self.deliverers = deliverers

    def can_deliver(self) -> bool:
        """Whether this process carries reports: it has the admin channel's platform (or,
        with no admin channel configured, any platform: the running bot logs them). The CLI,
        with no deliverers, leaves them to the running bot."""
        if self.place is not None:
            return self.place.platform in self.deliverers
        return bool(self.deliverers)

    async def warn(self, text: str, intent: Intent = Intent.HELP) -> bool:
        """Post ``text`` to the admin channel; with none configured, log it. False when the
        delivery failed (the caller may try again later); never raises."""
        place = self.place
        if place is None:  # the log is the only place left to say it
            log.error("%s (no admin channel configured: set [admin] platform and channel)", text)
            return True
        deliverer = self.deliverers.get(place.platform)
        if deliverer is None:
            log.error("%s (the admin channel's platform, %s, is not running here)", text,
                      place.platform)
            return False
        try:
            await deliverer.deliver(place, Answer(intent, text, notice=text,
                                                  visibility=Visibility.PUBLIC))
        except Exception:
            log.exception("could not report to the admin channel: %s", text)
            return False
        return True
