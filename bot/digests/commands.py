"""The digest commands as neutral ``Answer``s, for Discord, Slack and the CLI alike.

The adapters decide ``User.can_manage`` from platform permissions (Discord: Manage Channels;
Slack: workspace admins and owners or the configured admin list); this module only applies it.
Chat reaches it through ``handle(query)`` (``/news digest <action>`` on every platform); the
CLI calls the actions directly, as the operator (``OPERATOR_PLACE``), who sees and manages
every subscription.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.answering import texts
from bot.catalogue.fts import words
from bot.digests.compose import local_time
from bot.digests.model import (
    MAX_STORIES_CAP,
    MAX_TOPIC_CHARS,
    NewSubscription,
    Outcome,
    Style,
)
from bot.digests.model import Subscription as Sub
from bot.digests.schedule import DigestInputError, describe, parse_schedule, parse_zone
from bot.digests.service import DigestService
from bot.digests.store import TooManySubscriptions
from bot.intents import Intent
from bot.messages import OPERATOR_PLACE, Answer, Card, Place, Query, User, Visibility
from bot.numbers import ascii_int
from bot.settings import DigestSettings

INTENT = Intent.DIGEST
MAX_PER_CHANNEL = 5
REFUSAL = texts.DIGEST_REFUSAL
ACTIONS = ("subscribe", "list", "unsubscribe", "resume", "preview", "now")
MANAGING = frozenset({"subscribe", "unsubscribe", "resume", "now"})  # need ``can_manage``
OnChange = Callable[[int], Awaitable[None]]

def parse_id(value: int | str) -> int:
    """A subscription id from ``3``, ``"3"`` or ``"#3"``."""
    number = ascii_int(str(value).strip().removeprefix("#"))
    if number is None:
        raise DigestInputError(f"{str(value)[:40]!r} is not a digest id: `digest list` shows them.")
    return number


class DigestCommands:
    """subscribe / list / unsubscribe / resume / preview / now."""

    def __init__(self, service: DigestService, settings: DigestSettings | None = None, *,
                 max_per_channel: int = MAX_PER_CHANNEL, on_change: OnChange | None = None,
                 ) -> None:
        """``on_change(subscription_id)`` tells the running scheduler to resync that job."""
        self.service = service
        self.store = service.store
        self.settings = settings or DigestSettings()
        self.max_per_channel = max_per_channel
        self.on_change = on_change

    async def handle(self, query: Query) -> Answer:
        """``/news digest <action>`` from any platform. The query's ``action`` argument names
        the action; its other arguments are the options (``schedule``, ``timezone``, ``max``,
        ``topic``, ``style``, ``notify_empty`` when present, ``id``)."""
        place, user = query.place, query.user
        if place.is_direct or not place.channel:
            return Answer.note(INTENT, texts.DIGEST_NOT_IN_DM)
        action = query.arg("action") or ""
        if action == "subscribe":
            return await self.subscribe(
                user, place, schedule=query.arg("schedule") or "",
                timezone=query.arg("timezone"), max_stories=query.arg("max"),
                topic=query.arg("topic"), style=query.arg("style"),
                notify_empty=query.arg("notify_empty") is not None)
        if action == "list":
            return await self.list(user, place)
        by_id = {"unsubscribe": self.unsubscribe, "resume": self.resume,
                 "preview": self.preview, "now": self.now}
        if action not in by_id:
            return Answer.note(INTENT, f"Unknown digest command {action[:40]!r}: use one "
                                       f"of {', '.join(ACTIONS)}.")
        return await by_id[action](user, place, query.arg("id") or "")

    async def choices(self, place: Place, typed: str = "") -> list[tuple[str, int]]:
        """This channel's digests as (label, id) pairs for autocomplete, those whose label
        holds ``typed`` (a leading ``#`` is ignored)."""
        wanted = typed.strip().casefold().removeprefix("#")
        pairs = [(_title(sub), sub.id) for sub in await self._subscriptions(place)]
        return [(label, sub_id) for label, sub_id in pairs if wanted in label.casefold()]

    async def _subscriptions(self, place: Place) -> list[Sub]:
        if place == OPERATOR_PLACE:
            return list(await self.store.find())
        return list(await self.store.find(place.platform, place.workspace or "", place.channel))

    async def subscribe(self, user: User, place: Place, *, schedule: str,
                        timezone: str | None = None, max_stories: int | str | None = None,
                        topic: str | None = None, style: str | None = None,
                        notify_empty: bool = False) -> Answer:
        """Set up a digest in ``place``'s channel."""
        if not user.can_manage:
            return Answer.note(INTENT, REFUSAL)
        if not place.channel:
            return Answer.note(INTENT, texts.DIGEST_NOT_IN_DM)
        try:
            new = self._validate(user, place, schedule, timezone=timezone,
                                 max_stories=max_stories, topic=topic, style=style,
                                 notify_empty=notify_empty)
            sub = await self.store.add(new, self.service.clock(), self.max_per_channel)
        except DigestInputError as exc:
            return Answer.note(INTENT, exc.message)
        except TooManySubscriptions:
            return Answer.note(INTENT, f"This channel already has {self.max_per_channel} "
                               "digests, the most allowed: unsubscribe one first.")
        await self._changed(sub.id)
        due = await self.service.next_slot(sub)
        text = (f"Digest #{sub.id} set up: {describe(sub.schedule, sub.timezone)}, up to "
                f"{sub.max_stories} stories, {sub.style.value} style"
                + (f", about “{sub.topic}”" if sub.topic else "")
                + f". First one: {local_time(due, sub.timezone)}.")
        return Answer.note(INTENT, text, error=False)

    def _validate(self, user: User, place: Place, schedule: str, *, timezone: str | None,
                  max_stories: int | str | None, topic: str | None, style: str | None,
                  notify_empty: bool) -> NewSubscription:
        zone = timezone if timezone and timezone.strip() else self.settings.default_timezone
        canonical, _, _ = parse_schedule(schedule, zone)
        return NewSubscription(
            platform=place.platform, workspace=place.workspace or "", channel=place.channel or "",
            schedule=canonical, timezone=parse_zone(zone).key, max_stories=self._max(max_stories),
            topic=_topic(topic), style=_style(style), notify_empty=notify_empty,
            created_by=user.id)

    def _max(self, value: int | str | None) -> int:
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.settings.max_stories
        number = ascii_int(str(value).strip())
        if number is None or not 1 <= number <= MAX_STORIES_CAP:
            raise DigestInputError(
                f"The number of stories must be a whole number from 1 to {MAX_STORIES_CAP}.")
        return number

    async def list(self, user: User, place: Place) -> Answer:
        """The subscriptions of this channel (all of them for the operator), with status and
        errors."""
        subs = await self._subscriptions(place)
        if not subs:
            return Answer.note(INTENT, "No digests here yet: `digest subscribe` sets one up.",
                               error=False)
        cards = tuple([await self._card(sub) for sub in subs])
        where = "in total" if place == OPERATOR_PLACE else "in this channel"
        return Answer(INTENT, f"{len(subs)} digest(s) {where}.", cards=cards,
                      visibility=Visibility.EPHEMERAL)

    async def _card(self, sub: Sub) -> Card:
        last = await self.store.last_run(sub.id)
        due = None if sub.paused else await self.service.next_slot(sub)
        fields = [("Channel", f"{sub.platform} {sub.workspace + ' ' if sub.workspace else ''}"
                              f"#{sub.channel}"),
                  ("Stories", f"up to {sub.max_stories}, {sub.style.value}"),
                  ("Topic", sub.topic or "all stories"),
                  ("Status", f"paused: {sub.paused_reason}" if sub.paused else "active"),
                  ("Next", local_time(due, sub.timezone)),
                  ("Last run", f"{last.slot} {last.status.value}" if last else "none yet"),
                  ("Created", f"{local_time(sub.created_at, sub.timezone)} by {sub.created_by}")]
        if sub.last_error:
            fields.append(("Last error", sub.last_error))
        return Card(title=_title(sub), ref=f"digest-{sub.id}", fields=tuple(fields))

    async def _find(self, place: Place, value: int | str) -> Sub:
        sub_id = parse_id(value)
        sub = await self.store.get(sub_id)
        if place == OPERATOR_PLACE:  # every subscription, no channel
            if sub is None:
                raise DigestInputError(f"There is no digest #{sub_id}: `digest list` shows "
                                       "them all.")
        elif sub is None or (sub.platform, sub.workspace, sub.channel) != (
                place.platform, place.workspace or "", place.channel):
            raise DigestInputError(f"There is no digest #{sub_id} in this channel: "
                                   "`digest list` shows the ones here.")
        return sub

    async def _target(self, user: User, place: Place, value: int | str, *,
                      manage: bool) -> Sub | Answer:
        """The digest a command names, or the refusal or mistake to answer with instead."""
        if manage and not user.can_manage:
            return Answer.note(INTENT, REFUSAL)
        try:
            return await self._find(place, value)
        except DigestInputError as exc:
            return Answer.note(INTENT, exc.message)

    async def unsubscribe(self, user: User, place: Place, value: int | str) -> Answer:
        """Remove a digest of this channel."""
        sub = await self._target(user, place, value, manage=True)
        if isinstance(sub, Answer):
            return sub
        await self.store.delete(sub.id)
        await self._changed(sub.id)
        return Answer.note(INTENT, f"Digest #{sub.id} removed.", error=False)

    async def resume(self, user: User, place: Place, value: int | str) -> Answer:
        """Resume a digest paused after the channel refused delivery (fix access first)."""
        sub = await self._target(user, place, value, manage=True)
        if isinstance(sub, Answer):
            return sub
        if not sub.paused:
            return Answer.note(INTENT, f"Digest #{sub.id} is not paused.")
        await self.store.set_paused(sub.id, None)
        await self.store.set_error(sub.id, None, self.service.clock())
        await self._changed(sub.id)
        due = await self.service.next_slot(sub)
        return Answer.note(INTENT, f"Digest #{sub.id} resumed. Next: "
                                   f"{local_time(due, sub.timezone)}.", error=False)

    async def preview(self, user: User, place: Place, value: int | str) -> Answer:
        """What the next digest would hold if it were posted now (only the asker sees it)."""
        sub = await self._target(user, place, value, manage=False)
        if isinstance(sub, Answer):
            return sub
        digest, due = await self.service.preview(sub)
        prefix = f"Preview of digest #{sub.id}, due {local_time(due, sub.timezone)}: "
        return replace(digest.answer, lead=prefix + digest.answer.lead,
                       visibility=Visibility.EPHEMERAL)

    async def now(self, user: User, place: Place, value: int | str) -> Answer:
        """Post the digest now; this counts as a slot (a second ``now`` in the same minute is
        the same slot and posts nothing)."""
        sub = await self._target(user, place, value, manage=True)
        if isinstance(sub, Answer):
            return sub
        outcome = await self.service.run_now(sub.id)
        ok = outcome in (Outcome.POSTED, Outcome.EMPTY)
        if outcome is Outcome.DUPLICATE:
            return Answer.note(INTENT, await self._duplicate_text(sub.id))
        return Answer.note(INTENT, texts.DIGEST_NOW[outcome].format(id=sub.id), error=not ok)

    async def _duplicate_text(self, sub_id: int) -> str:
        """Why ``now`` did nothing: what became of this minute's run (the newest one)."""
        last = await self.store.last_run(sub_id)
        text = texts.DIGEST_NOW_TAKEN.get(last.status) if last is not None else None
        return (text or texts.DIGEST_NOW[Outcome.DUPLICATE]).format(id=sub_id)

    async def _changed(self, subscription_id: int) -> None:
        if self.on_change is not None:
            await self.on_change(subscription_id)


def _title(sub: Sub) -> str:
    return f"#{sub.id} {describe(sub.schedule, sub.timezone)}"


def _topic(topic: str | None) -> str | None:
    if topic is None:
        return None
    text = " ".join(topic.split())
    if not words(text):
        raise DigestInputError("The topic is empty: give keywords such as “climate” or "
                               "“Peskov”, or leave the topic out for all stories.")
    if len(text) > MAX_TOPIC_CHARS:
        raise DigestInputError(f"The topic is too long: at most {MAX_TOPIC_CHARS} characters.")
    return text


def _style(style: str | None) -> Style:
    try:
        return Style.parse(style)
    except ValueError as exc:
        raise DigestInputError(f"Unknown style {style!r}: {exc}.") from exc
