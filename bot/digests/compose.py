"""What goes into a digest: new stories since the previous digest, matching the topic, newest
first, capped, never one the channel has already had.

The window starts at the previous digest's slot (posted, or found empty). A first digest covers
the time since the subscription was created, and at least the 24 hours before its slot, so a
digest set up at 08:55 for 09:00 is not empty. A story is new to the window when it was
published in it or first stored in it (a feed can deliver a story dated before the previous
digest; it is still news to the channel). Stories are listed by published time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.answering.cards import article_card, header_card
from bot.catalogue.base import ArticleHeader, Catalogue
from bot.digests.model import Style, Subscription
from bot.intents import Intent
from bot.messages import Answer, Card, Visibility

FIRST_WINDOW = timedelta(hours=24)
MAX_CANDIDATES = 2000  # newest stories looked at, at most, per digest
SUMMARY_SENTENCES = 3
INTENT = Intent.DIGEST


@dataclass(frozen=True, slots=True)
class Digest:
    """A composed digest: the answer to post and the stories it carries."""

    answer: Answer
    article_ids: tuple[int, ...]
    since: datetime

    @property
    def empty(self) -> bool:
        """True when there is no story to post."""
        return not self.article_ids


def window_since(sub: Subscription, slot_at: datetime, previous: datetime | None) -> datetime:
    """Where this digest's window starts (see the module docstring)."""
    if previous is not None:
        return previous
    return min(sub.created_at, slot_at - FIRST_WINDOW)


async def select(catalogue: Catalogue, sub: Subscription, since: datetime,
                 exclude: set[int]) -> list[ArticleHeader]:
    """The stories for one digest, newest first, at most ``max_stories``."""
    topic = sub.topic
    if topic:
        # Any topic word in title, body, speakers or entities, inside the window: the
        # catalogue quotes the words (never FTS syntax) and bounds the work by the window, so
        # a word found in thousands of older stories never hides a new one.
        async def matching(limit: int) -> list[ArticleHeader]:
            return await catalogue.latest_matching(topic, since, limit)

        return await _newest(matching, exclude, sub.max_stories)

    async def newest(limit: int) -> list[ArticleHeader]:
        return await catalogue.latest(limit, since=since)

    return await _newest(newest, exclude, sub.max_stories)


async def _newest(fetch: Callable[[int], Awaitable[list[ArticleHeader]]], exclude: set[int],
                  want: int) -> list[ArticleHeader]:
    """Newest stories not yet sent: ask for a few more than needed, widen only when the
    channel had already been sent most of them (reading 500 rows per digest was the cost)."""
    limit = want * 2 + 8
    while True:
        pool = await fetch(limit)
        fresh = [h for h in pool if h.id not in exclude]
        if len(fresh) >= want or len(pool) < limit or limit >= MAX_CANDIDATES:
            return fresh[:want]
        limit = min(MAX_CANDIDATES, limit * 4)


async def _card(catalogue: Catalogue, header: ArticleHeader, style: Style) -> Card:
    if style is Style.FULL:
        article = await catalogue.get(header.id)
        if article is not None:
            return article_card(article, SUMMARY_SENTENCES)
    card = header_card(header)
    return replace(card, body="") if style is Style.TITLES else card


def local_time(moment: datetime | None, zone_name: str) -> str:
    """ "Mon 30 Mar 2026 09:00 Europe/London", in the subscription's own zone."""
    if moment is None:
        return "never"
    return moment.astimezone(ZoneInfo(zone_name)).strftime("%a %d %b %Y %H:%M ") + zone_name


def _since(sub: Subscription, since: datetime, first: bool) -> str:
    """Where the window starts, in words: there may never have been a "last digest"."""
    if not first:
        return "since the last digest"
    if since >= sub.created_at:
        return "since this subscription was created"
    return f"since {local_time(since, sub.timezone)}"


def lead(sub: Subscription, count: int, *, catch_up: bool, since: datetime,
         first: bool = False) -> str:
    """One plain-text line above the stories; ``first``: no digest has gone out before."""
    about = f" about “{sub.topic}”" if sub.topic else ""
    if count == 0:
        text = f"No new stories{about} {_since(sub, since, first)}."
    else:
        noun = "story" if count == 1 else "stories"
        text = f"Your news digest: {count} new {noun}{about}, newest first."
    return f"While I was offline… {text}" if catch_up else text


async def compose(catalogue: Catalogue, sub: Subscription, *, since: datetime,
                  exclude: set[int], catch_up: bool = False, first: bool = False,
                  visibility: Visibility = Visibility.PUBLIC) -> Digest:
    """Build the digest ``Answer`` (cards carry aware published times for the renderers).
    ``first``: no digest of this subscription has gone out yet (said when nothing is new)."""
    headers = await select(catalogue, sub, since, exclude)
    cards = tuple([await _card(catalogue, h, sub.style) for h in headers])
    text = lead(sub, len(cards), catch_up=catch_up, since=since, first=first)
    answer = Answer(INTENT, text, cards=cards, visibility=visibility)
    return Digest(answer, tuple(h.id for h in headers), since)
