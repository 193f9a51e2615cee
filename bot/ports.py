"""The seams between the core and the adapters, defined in the core so that the core (CLI,
digests) can drive adapters it never imports. Adapters are found by name through the
``newsbot.adapters`` entry-point group; each entry point names an ``AdapterPlugin``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.messages import Answer, Place, User

if TYPE_CHECKING:
    from bot.digests.commands import DigestCommands
    from bot.engine import Engine
    from bot.feeds.commands import FeedCommands
    from bot.settings import Settings

ENTRY_POINT_GROUP = "newsbot.adapters"


class DeliveryError(Exception):
    """A delivery that will not succeed by retrying (channel gone, bot removed, forbidden)."""

    def __init__(self, place: Place, reason: str) -> None:
        super().__init__(f"{place.platform}:{place.channel}: {reason}")
        self.place = place
        self.reason = reason


class Deliverer(Protocol):
    """Posts an answer into a channel without a user's question (digests)."""

    async def deliver(self, place: Place, answer: Answer) -> None:
        """Post once. Retries rate limits itself; raises ``DeliveryError`` when it cannot."""


class ChatAdapter(Protocol):
    """A running connection to one chat platform."""

    name: str

    async def start(self) -> None:
        """Connect and serve until ``stop`` is called."""

    async def stop(self) -> None:
        """Disconnect cleanly."""


@runtime_checkable
class AdapterPlugin(Protocol):
    """What an entry point of the ``newsbot.adapters`` group names."""

    name: str

    def configured(self, settings: Settings) -> bool:
        """True when the settings hold what this adapter needs to start (its credentials)."""

    def create(self, engine: Engine, settings: Settings) -> ChatAdapter:
        """Build the adapter; called only when ``configured``."""

    def setup_hint(self) -> str:
        """One line telling a newcomer how to enable it (which variables to set)."""


class ConsoleRenderer(Protocol):
    """The console plugin also renders answers as plain text for ``newsbot ask``."""

    def render(self, answer: Answer) -> str:
        """Plain text for a terminal, control characters removed."""

    async def chat(self, engine: Engine) -> None:
        """An interactive prompt until end of input."""


class InviteLinks(Protocol):
    """An adapter plugin that can print the link adding the bot to a server (Discord)."""

    def invite_url(self, settings: Settings) -> str:
        """The invite link; ``ValueError`` when the settings lack what it needs."""


class DigestPort(Protocol):
    """The digest commands the adapter calls (``bot.digests.commands.DigestCommands``)."""

    async def subscribe(
        self,
        user: User,
        place: Place,
        *,
        schedule: str,
        timezone: str | None = None,
        max_stories: int | str | None = None,
        topic: str | None = None,
        style: str | None = None,
        notify_empty: bool = False,
    ) -> Answer:
        """Set up a digest in ``place``'s channel."""

    async def list(self, user: User, place: Place | None) -> Answer:
        """The digests of this channel."""

    async def unsubscribe(self, user: User, place: Place | None, value: int | str) -> Answer:
        """Remove a digest."""

    async def resume(self, user: User, place: Place | None, value: int | str) -> Answer:
        """Resume a paused digest."""

    async def preview(self, user: User, place: Place | None, value: int | str) -> Answer:
        """What the next digest would hold."""

    async def now(self, user: User, place: Place | None, value: int | str) -> Answer:
        """Post the digest now (counts as a slot)."""


class FeedPort(Protocol):
    """The feed commands the adapter calls (``bot.feeds.commands.FeedCommands``)."""

    async def add(self, user: User, url: str, *, interval: int | str | None = None,
                  full_text: str | None = None, trusted: bool = False) -> Answer:
        """Check and list a feed."""

    async def remove(self, user: User, value: int | str) -> Answer:
        """Stop polling a feed."""

    async def list(self, user: User) -> Answer:
        """The feeds with their health."""


if TYPE_CHECKING:

    def _digests_fit(commands: DigestCommands) -> DigestPort:
        return commands  # mypy proves the core's commands fit the port adapters call

    def _feeds_fit(commands: FeedCommands) -> FeedPort:
        return commands
