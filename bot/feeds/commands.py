"""``feeds add|remove|list`` as neutral ``Answer``s, for Discord, Slack and the CLI alike.

Feeds fill the one shared catalogue, so they are bot-wide, not per channel. The permission rule
is the digests' one: adding and removing needs ``User.can_manage`` (decided by the adapter);
anybody may list. Chat users cannot point the bot at loopback or private addresses unless
``feeds.allow_private_hosts`` is set (the CLI operator can, and the feed is then marked
``private_ok``): ``check_url`` refuses the obvious cases with a friendly message, the fetcher
checks every address actually connected to (``guard.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.answering import texts
from bot.feeds.fetch import MAX_URL_LENGTH, FetchError, InvalidURLError
from bot.feeds.fetch import check_url as check_fetchable
from bot.feeds.guard import client_host, is_public, literal
from bot.feeds.parse import FeedParseError
from bot.feeds.service import FeedService
from bot.feeds.store import DuplicateFeedError, Feed, FullText
from bot.intents import Intent
from bot.messages import Answer, Card, Query, User, Visibility
from bot.numbers import ascii_int
from bot.settings import FeedSettings

INTENT = Intent.FEEDS
REFUSAL = texts.FEEDS_REFUSAL
ACTIONS = ("add", "remove", "list")
MANAGING = frozenset({"add", "remove"})  # need ``can_manage``, from a channel
MIN_INTERVAL, MAX_INTERVAL = 5, 1440
OnChange = Callable[[int], Awaitable[None]]


class FeedInputError(ValueError):
    """A user mistake; the message is shown as it is."""


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


def parse_feed_id(value: int | str) -> int:
    """A feed id from ``3``, ``"3"`` or ``"#3"``."""
    number = ascii_int(str(value).strip().removeprefix("#"))
    if number is None:
        raise FeedInputError(f"{str(value)[:40]!r} is not a feed id: `feeds list` shows them.")
    return number


FULL_ADDRESS = "Give the feed's full address, starting with http:// or https://."
# The fetcher's URL rules (fetch.check_url), worded for a chat user.
_FRIENDLY = {
    "scheme": FULL_ADDRESS,
    "host": FULL_ADDRESS,
    "credentials": "Leave the user name and password out of the address: feeds are listed "
                   "to everyone and must be public.",
    "length": f"That address is too long (the limit is {MAX_URL_LENGTH} characters).",
}
LOCAL_FILES = ("Feeds are read from the web: a file:// address names a file on the bot's own "
               "server, which chat cannot read. Give the feed's http:// or https:// address.")
NOT_VALID = ("That is not a valid web address: give the feed's full address, starting with "
             "http:// or https://.")


def check_url(url: str, *, allow_private: bool) -> str:
    """``url`` trimmed, once it passes the fetcher's URL rules (``fetch.check_url``, reworded
    for chat users) and, unless allowed, names no loopback or private address literal.
    This is the quick, friendly check; the fetcher checks what every host resolves to."""
    text = url.strip().strip("<>")
    if text[:5].lower() == "file:":  # never a file of the bot's own server, whoever asks
        raise FeedInputError(LOCAL_FILES)
    try:
        check_fetchable(text)
    except InvalidURLError as exc:
        raise FeedInputError(_FRIENDLY.get(exc.rule, NOT_VALID)) from None
    try:
        host = client_host(text)  # as the client will connect to it: ①②⑦.0.0.1 is 127.0.0.1
    except ValueError:
        raise FeedInputError(NOT_VALID) from None
    if not allow_private and host and _private(host):
        raise FeedInputError("That address is on a private network; feeds must be public.")
    return text


def _private(host: str) -> bool:
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = literal(name)
    return address is not None and not is_public(address)


class FeedCommands:
    """add / remove / list."""

    def __init__(self, service: FeedService, settings: FeedSettings | None = None, *,
                 on_change: OnChange | None = None) -> None:
        """``on_change(feed_id)`` tells the running scheduler to (un)schedule that feed."""
        self.service = service
        self.store = service.store
        self.settings = settings or FeedSettings()
        self.on_change = on_change

    async def handle(self, query: Query) -> Answer:
        """``/news feeds <action>`` from any platform: the ``action`` argument, then ``url``,
        ``interval``, ``full_text`` or ``id``. Feeds are bot-wide, so managing them from a
        direct message is refused (a DM is the asker's own place, where chat platforms grant
        every permission); anybody may list them anywhere."""
        action = query.arg("action") or ""
        if action == "list":
            return await self.list(query.user)
        if action not in MANAGING:
            return Answer.note(INTENT, f"Unknown feeds command {action[:40]!r}: use one "
                                       f"of {', '.join(ACTIONS)}.")
        if query.place.is_direct:
            return Answer.note(INTENT, texts.FEEDS_NOT_IN_DM)
        if action == "add":
            return await self.add(query.user, query.arg("url") or "",
                                  interval=query.arg("interval"),
                                  full_text=query.arg("full_text"))
        return await self.remove(query.user, query.arg("id") or "")

    async def add(self, user: User, url: str, *, interval: int | str | None = None,
                  full_text: str | None = None, trusted: bool = False) -> Answer:
        """Check the feed (one fetch), list it and start polling it. ``trusted``: the CLI
        operator, who may add feeds on private addresses."""
        if not user.can_manage:
            return Answer.note(INTENT, REFUSAL)
        try:
            checked = check_url(url, allow_private=trusted or self.settings.allow_private_hosts)
            minutes = self._interval(interval)
            mode = _mode(full_text, self.settings.full_text)
            existing = await self.store.by_url(checked)
            if existing is not None:
                raise DuplicateFeedError(existing.id)
            parsed = await self.service.probe(checked, trusted=trusted)
            feed = await self.store.add(checked, interval_minutes=minutes, full_text=mode,
                                        added_by=user.id, now=self.service.clock(),
                                        title=parsed.title, private_ok=trusted)
        except FeedInputError as exc:
            return Answer.note(INTENT, str(exc))
        except DuplicateFeedError as exc:
            return Answer.note(INTENT, f"That feed is already listed as #{exc.feed_id}.")
        except FetchError as exc:
            return Answer.note(INTENT, f"Could not add the feed: {exc.reason}. Check the "
                               "address, or try again later.")
        except FeedParseError as exc:
            return Answer.note(INTENT, f"Could not add the feed: {exc.reason}.")
        if self.on_change is not None:
            await self.on_change(feed.id)
        text = (f"Feed #{feed.id} added: {feed.name} ({len(parsed.entries)} entries), "
                f"polled every {minutes} min, full text: {mode.value}. New stories "
                "appear after the first poll.")
        return Answer.note(INTENT, text, error=False)

    def _interval(self, value: int | str | None) -> int:
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.settings.default_interval_minutes
        text = str(value).strip().removesuffix("m").removesuffix("min").strip()
        minutes = ascii_int(text)
        if minutes is None or not MIN_INTERVAL <= minutes <= MAX_INTERVAL:
            raise FeedInputError(f"The interval is a number of minutes from {MIN_INTERVAL} "
                                 f"to {MAX_INTERVAL}.")
        return minutes

    async def remove(self, user: User, value: int | str) -> Answer:
        """Stop polling a feed; its stories stay in the catalogue."""
        if not user.can_manage:
            return Answer.note(INTENT, REFUSAL)
        try:
            feed_id = parse_feed_id(value)
        except FeedInputError as exc:
            return Answer.note(INTENT, str(exc))
        feed = await self.store.get(feed_id)
        if feed is None or not await self.store.delete(feed_id):
            return Answer.note(INTENT, f"There is no feed #{feed_id}: `feeds list` shows them.")
        if self.on_change is not None:
            await self.on_change(feed_id)
        return Answer.note(INTENT, f"Feed #{feed_id} ({feed.name}) removed; its stories stay.",
                           error=False)

    async def list(self, user: User) -> Answer:
        """Every feed with its health: last success, last error, consecutive failures."""
        feeds = await self.store.find()
        if not feeds:
            return Answer.note(INTENT, "No feeds yet: `feeds add URL` adds one.", error=False)
        failing = sum(1 for f in feeds if f.consecutive_failures)
        lead = f"{len(feeds)} feed(s)" + (f", {failing} failing." if failing else ", all healthy.")
        return Answer(INTENT, lead, cards=tuple(_card(f) for f in feeds),
                      visibility=Visibility.EPHEMERAL)


def _card(feed: Feed) -> Card:
    health = "ok" if not feed.consecutive_failures else (
        f"failing: {feed.consecutive_failures} poll(s) in a row since "
        f"{_when(feed.failing_since)}")
    fields = [("URL", feed.url), ("Every", f"{feed.interval_minutes} min"),
              ("Full text", feed.full_text.value), ("Health", health),
              ("Last success", _when(feed.last_success)),
              ("Articles", str(feed.articles))]
    if feed.last_error:
        fields.append(("Last error", f"{feed.last_error} ({_when(feed.last_error_at)})"))
    if feed.last_rejected:
        fields.append(("Skipped entries", feed.last_rejected[:300]))
    return Card(title=f"#{feed.id} {feed.name}", ref=f"feed-{feed.id}", url=feed.url,
                body=f"added by {feed.added_by}", fields=tuple(fields))


def _mode(value: str | None, default: str) -> FullText:
    text = (value or default).strip().lower()
    try:
        return FullText(text)
    except ValueError:
        raise FeedInputError("Full text is one of: auto, always, never.") from None
