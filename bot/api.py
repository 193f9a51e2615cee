"""The core's stable surface for adapters: a new adapter (Teams, Matrix) imports from here
only. Inbound, an adapter translates a platform payload into a ``Query`` and calls
``FrontDoor.handle``; outbound, it implements ``ChatAdapter`` (with a ``Deliverer``) and is
found through an ``AdapterPlugin`` entry point."""

from bot.answering.texts import ESTIMATED_DATE, TEASER_NOTE
from bot.app import needs_manager
from bot.digests.cli import PrintingDeliverer
from bot.digests.model import MAX_STORIES_CAP, MAX_TOPIC_CHARS
from bot.frontdoor import FrontDoor
from bot.intents import MAX_COUNT, Intent, clean_text
from bot.messages import (
    OPERATOR,
    OPERATOR_PLACE,
    Answer,
    Card,
    Place,
    Query,
    QuoteLine,
    User,
    Visibility,
)
from bot.numbers import ascii_int
from bot.ports import AdapterPlugin, ChatAdapter, Deliverer, DeliveryError
from bot.settings import ConfigError, Settings
from bot.unexpected import report_unexpected

__all__ = [
    "ESTIMATED_DATE",
    "MAX_COUNT",
    "MAX_STORIES_CAP",
    "MAX_TOPIC_CHARS",
    "OPERATOR",
    "OPERATOR_PLACE",
    "TEASER_NOTE",
    "AdapterPlugin",
    "Answer",
    "Card",
    "ChatAdapter",
    "ConfigError",
    "Deliverer",
    "DeliveryError",
    "FrontDoor",
    "Intent",
    "Place",
    "PrintingDeliverer",
    "Query",
    "QuoteLine",
    "Settings",
    "User",
    "Visibility",
    "ascii_int",
    "clean_text",
    "needs_manager",
    "report_unexpected",
]
