"""The outbound seams: what the core needs from an adapter, defined in the core so the core
can drive adapters it never imports. Adapters are found by name through the
``newsbot.adapters`` entry-point group; each entry point names an ``AdapterPlugin``. (What an
adapter may call in the core is ``bot.frontdoor.FrontDoor``.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.frontdoor import FrontDoor
from bot.messages import Answer, Place

if TYPE_CHECKING:
    from bot.settings import Settings

ENTRY_POINT_GROUP = "newsbot.adapters"


class DeliveryError(Exception):
    """A delivery that will not succeed by retrying (channel gone, bot removed, forbidden)."""

    def __init__(self, place: Place, reason: str) -> None:
        super().__init__(f"{place.platform}:{place.channel}: {reason}")
        self.place = place
        self.reason = reason


class Deliverer(Protocol):
    """Posts an answer into a channel without a user's question (digests, admin reports)."""

    async def deliver(self, place: Place, answer: Answer) -> None:
        """Post once. Retries rate limits itself; raises ``DeliveryError`` when it cannot."""


class ChatAdapter(Protocol):
    """A running connection to one chat platform."""

    @property
    def name(self) -> str:
        """The platform's name: ``Place.platform`` of its queries and digests."""

    @property
    def deliverer(self) -> Deliverer:
        """How the core posts digests and reports to this platform."""

    async def start(self) -> None:
        """Connect and serve until ``stop`` is called."""

    async def wait_until_ready(self) -> None:
        """Return once connected (or once connecting has failed and ``start`` will raise)."""

    async def stop(self) -> None:
        """Disconnect cleanly."""


@runtime_checkable
class AdapterPlugin(Protocol):
    """What an entry point of the ``newsbot.adapters`` group names."""

    name: str

    def configured(self, settings: Settings) -> bool:
        """True when the settings hold what this adapter needs to start (its credentials)."""

    def create(self, app: FrontDoor, settings: Settings) -> ChatAdapter:
        """Build the adapter over the core's front door; called only when ``configured``."""

    def setup_hint(self) -> str:
        """One line telling a newcomer how to enable it (which variables to set)."""


class ConsoleRenderer(Protocol):
    """The console plugin also renders answers as plain text for ``newsbot ask``."""

    def render(self, answer: Answer) -> str:
        """Plain text for a terminal, control characters removed."""


@runtime_checkable
class InviteLinks(Protocol):
    """An adapter plugin that can print the link adding the bot to a server (Discord)."""

    def invite_url(self, settings: Settings) -> str:
        """The invite link; ``ValueError`` when the settings lack what it needs."""
