"""Platform-neutral messages: a ``Query`` comes in from an adapter, an ``Answer`` goes out.

Nothing here carries markup of any platform: renderers in ``adapters/`` own escaping and limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.intents import Intent


class Visibility(StrEnum):
    """Who sees an answer."""

    PUBLIC = "public"  # everyone in the place
    EPHEMERAL = "ephemeral"  # only the asker (Discord ephemeral, Slack ephemeral respond)


@dataclass(frozen=True, slots=True)
class User:
    """The person asking. ``can_manage`` is decided by the adapter from platform permissions."""

    id: str
    name: str = ""
    can_manage: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    """Where a query came from, or where a digest goes."""

    platform: str  # "console", "discord", "slack", ...
    channel: str | None = None
    workspace: str | None = None  # Discord guild id, Slack team id
    is_direct: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """One question. ``command`` is set for slash commands, None for free text."""

    text: str
    user: User
    place: Place
    received_at: datetime
    command: str | None = None  # "summary", "quote", "latest", "search", "help", ...
    args: tuple[tuple[str, str], ...] = ()  # slash command options, in order

    def arg(self, name: str) -> str | None:
        """The value of one slash-command option, or None."""
        for key, value in self.args:
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class QuoteLine:
    """One attribution ready to show. ``verbatim`` text may go in quotation marks; the rest not."""

    speaker: str
    cue: str
    text: str
    kind: str  # direct | partial | reported
    verbatim: bool
    context: str = ""  # the sentence it stands in, for partial quotes and reported speech


@dataclass(frozen=True, slots=True)
class Card:
    """One story in an answer."""

    title: str
    ref: str  # what the card stands for: an article's slug, "digest-3", "feed-2", "help"
    body: str = ""  # plain text
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    published_estimated: bool = False
    kind: str = "full"  # full | teaser
    summary: tuple[str, ...] = ()  # the summary's sentences, in article order
    quotes: tuple[QuoteLine, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    """What the engine says back. ``lead`` is one line of plain text."""

    intent: Intent
    lead: str
    cards: tuple[Card, ...] = ()
    visibility: Visibility = Visibility.PUBLIC
    notice: str | None = None  # a user error or caveat, shown prominently
    candidates: tuple[Card, ...] = field(default=())  # when the story is ambiguous or unknown

    @classmethod
    def note(cls, intent: Intent, text: str, *, error: bool = True) -> Answer:
        """A private one-line answer: a refusal or a mistake (``error``, shown as a notice),
        or a confirmation."""
        return cls(intent, text, visibility=Visibility.EPHEMERAL, notice=text if error else None)

    @property
    def is_error(self) -> bool:
        """True when the answer reports a user mistake rather than content."""
        return self.notice is not None and not self.cards


# The operator at the terminal (``newsbot digest``, ``newsbot feeds``, ``newsbot ask``, the
# console chat): trusted with everything, and sees every channel's digests.
OPERATOR = User(id="cli", name="operator", can_manage=True)
OPERATOR_PLACE = Place(platform="console", channel="terminal", is_direct=True)
