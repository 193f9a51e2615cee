"""The digest commands: permissions, clear messages for bad input, list, preview and now."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.answering import texts
from bot.catalogue.base import Catalogue
from bot.digests.commands import REFUSAL, DigestCommands
from bot.digests.model import Outcome, RunStatus
from bot.digests.service import DigestService
from bot.digests.store import DigestStore
from bot.messages import OPERATOR_PLACE, Place, Query, User, Visibility
from bot.settings import DigestSettings
from tests.unit.digests.conftest import START
from tests.unit.digests.kit import FakeClock, RecordingDeliverer, add_article

ADMIN = User(id="U1", name="admin", can_manage=True)
MEMBER = User(id="U2", name="member", can_manage=False)
GENERAL = Place(platform="discord", channel="111", workspace="guild-1")
RANDOM = Place(platform="discord", channel="222", workspace="guild-1")


async def test_subscribe_then_list_preview_now_and_unsubscribe(
        commands: DigestCommands, catalogue: Catalogue, deliverer: RecordingDeliverer,
        clock: FakeClock) -> None:
    answer = await commands.subscribe(ADMIN, GENERAL, schedule="weekdays 08:30",
                                      timezone="Europe/London", max_stories="3", topic="ice",
                                      style="full")
    assert answer.notice is None
    assert answer.visibility is Visibility.EPHEMERAL
    assert answer.lead.startswith("Digest #1 set up: weekdays at 08:30 (Europe/London), up to 3")
    assert "First one: Mon 23 Mar 2026 08:30 Europe/London" in answer.lead
    await add_article(catalogue, "Ice shelf cracks", START + timedelta(minutes=1))
    listing = await commands.list(MEMBER, GENERAL)
    assert listing.lead == "1 digest(s) in this channel."
    fields = dict(listing.cards[0].fields)
    assert fields["Topic"] == "ice"
    assert fields["Status"] == "active"
    preview = await commands.preview(MEMBER, GENERAL, "#1")
    assert preview.visibility is Visibility.EPHEMERAL
    assert preview.lead.startswith("Preview of digest #1, due Mon 23 Mar 2026 08:30")
    assert [c.title for c in preview.cards] == ["Ice shelf cracks"]
    assert deliverer.sent == []  # a preview posts nothing
    now = await commands.now(ADMIN, GENERAL, 1)
    assert now.lead == "Posted digest #1."
    assert [c.title for c in deliverer.sent[0].answer.cards] == ["Ice shelf cracks"]
    again = await commands.now(ADMIN, GENERAL, 1)  # the same minute is the same slot
    assert again.notice is not None
    assert again.notice == "Digest #1 was already posted this minute."
    assert len(deliverer.sent) == 1
    assert (await commands.unsubscribe(ADMIN, GENERAL, "1")).lead == "Digest #1 removed."
    assert "No digests here yet" in (await commands.list(ADMIN, GENERAL)).lead


async def test_wording_of_list_preview_and_a_second_now_after_an_empty_run(
        commands: DigestCommands, deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    await commands.subscribe(ADMIN, GENERAL, schedule="daily 09:00", timezone="Europe/London")
    card = (await commands.list(MEMBER, GENERAL)).cards[0]
    assert dict(card.fields)["Created"] == "Fri 20 Mar 2026 12:00 Europe/London by U1"
    preview = await commands.preview(MEMBER, GENERAL, 1)  # never posted: no "last digest"
    assert preview.lead == ("Preview of digest #1, due Sat 21 Mar 2026 09:00 Europe/London: "
                            "No new stories since Fri 20 Mar 2026 09:00 Europe/London.")
    clock.advance(days=3)  # set up more than a day before the due slot: the window is all
    preview = await commands.preview(MEMBER, GENERAL, 1)
    assert preview.lead == ("Preview of digest #1, due Tue 24 Mar 2026 09:00 Europe/London: "
                            "No new stories since this subscription was created.")
    first = await commands.now(ADMIN, GENERAL, 1)
    assert (first.lead, first.notice) == (
        "No new stories for digest #1, so nothing was posted.", None)
    again = await commands.now(ADMIN, GENERAL, 1)
    assert again.notice == ("Digest #1 was already run this minute and found no new stories, "
                            "so nothing was posted.")
    assert deliverer.sent == []
    clock.advance(days=1)
    preview = await commands.preview(MEMBER, GENERAL, 1)
    assert preview.lead.endswith(": No new stories since the last digest.")
    missing = await commands.now(ADMIN, OPERATOR_PLACE, "#99")
    assert await commands.preview(ADMIN, OPERATOR_PLACE, 99) == missing
    assert (await commands.preview(ADMIN, OPERATOR_PLACE, 99)).notice == (
        "There is no digest #99: `digest list` shows them all.")


async def test_members_who_cannot_manage_the_channel_are_refused(
        commands: DigestCommands, store: DigestStore) -> None:
    refused = await commands.subscribe(MEMBER, GENERAL, schedule="daily 09:00")
    assert refused.notice == REFUSAL
    assert refused.visibility is Visibility.EPHEMERAL
    assert await store.find() == []
    await commands.subscribe(ADMIN, GENERAL, schedule="daily 09:00")
    assert (await commands.unsubscribe(MEMBER, GENERAL, 1)).notice == REFUSAL
    assert (await commands.now(MEMBER, GENERAL, 1)).notice == REFUSAL
    assert len(await store.find()) == 1


@pytest.mark.parametrize(("options", "message"), [
    ({"schedule": "daily 25:00"}, "25:00 is not a time of day: use HH:MM between 00:00 and 23:59."),
    ({"schedule": "daily 09:00", "timezone": "Europe/Londn"}, "Unknown time zone 'Europe/Londn'"),
    ({"schedule": "daily 09:00", "topic": "   "}, "The topic is empty"),
    ({"schedule": "daily 09:00", "topic": "the of and"}, "The topic is empty"),
    ({"schedule": "daily 09:00", "max_stories": "21"}, "from 1 to 20"),
    ({"schedule": "daily 09:00", "max_stories": "0"}, "from 1 to 20"),
    ({"schedule": "daily 09:00", "style": "poetry"}, "Unknown style 'poetry'"),
    ({"schedule": "whenever"}, "I don't understand the schedule 'whenever'"),
])
async def test_bad_input_gets_a_clear_ephemeral_message(
        commands: DigestCommands, store: DigestStore, options: dict[str, Any],
        message: str) -> None:
    answer = await commands.subscribe(ADMIN, GENERAL, **options)
    assert answer.notice is not None
    assert message in answer.notice
    assert answer.visibility is Visibility.EPHEMERAL
    assert await store.find() == []


async def test_a_channel_has_a_cap_on_subscriptions(service: DigestService) -> None:
    commands = DigestCommands(service, max_per_channel=2)
    for _ in range(2):
        assert (await commands.subscribe(ADMIN, GENERAL, schedule="daily 09:00")).notice is None
    full = await commands.subscribe(ADMIN, GENERAL, schedule="daily 10:00")
    assert full.notice == ("This channel already has 2 digests, the most allowed: "
                           "unsubscribe one first.")
    assert (await commands.subscribe(ADMIN, RANDOM, schedule="daily 10:00")).notice is None


async def test_defaults_come_from_settings_and_changes_reach_the_scheduler(
        service: DigestService, store: DigestStore) -> None:
    changed: list[int] = []

    async def on_change(subscription_id: int) -> None:
        changed.append(subscription_id)

    commands = DigestCommands(service, DigestSettings(default_timezone="Asia/Tokyo",
                                                      max_stories=7), on_change=on_change)
    await commands.subscribe(ADMIN, GENERAL, schedule="daily 09:00")
    [sub] = await store.find()
    assert (sub.timezone, sub.max_stories, sub.style.value) == ("Asia/Tokyo", 7, "brief")
    assert (sub.workspace, sub.channel, sub.created_by) == ("guild-1", "111", "U1")
    await commands.unsubscribe(ADMIN, GENERAL, sub.id)
    assert changed == [sub.id, sub.id]


async def test_another_channels_digest_is_out_of_reach(commands: DigestCommands) -> None:
    await commands.subscribe(ADMIN, GENERAL, schedule="daily 09:00")
    for action in (commands.unsubscribe, commands.preview, commands.now):
        answer = await action(ADMIN, RANDOM, 1)
        assert answer.notice == ("There is no digest #1 in this channel: `digest list` shows "
                                 "the ones here.")
    assert (await commands.list(ADMIN, RANDOM)).cards == ()
    assert len((await commands.list(ADMIN, OPERATOR_PLACE)).cards) == 1  # the operator sees all
    bad = await commands.preview(ADMIN, GENERAL, "one")
    assert bad.notice is not None
    assert "'one' is not a digest id" in bad.notice


async def test_list_shows_pauses_and_errors(
        commands: DigestCommands, store: DigestStore, catalogue: Catalogue,
        deliverer: RecordingDeliverer, clock: FakeClock) -> None:
    await commands.subscribe(ADMIN, GENERAL, schedule="daily 09:00")
    await add_article(catalogue, "Story", START - timedelta(hours=1))
    deliverer.refuse = "Unknown Channel"
    answer = await commands.now(ADMIN, GENERAL, 1)
    assert answer.notice is not None
    assert "paused" in answer.notice
    fields = dict((await commands.list(ADMIN, GENERAL)).cards[0].fields)
    assert fields["Status"] == "paused: delivery refused: Unknown Channel"
    assert fields["Last error"] == "delivery refused: Unknown Channel"
    assert fields["Last run"] == "2026-03-20T12:00 failed"
    assert fields["Next"] == "never"
    assert (await commands.resume(MEMBER, GENERAL, 1)).notice == REFUSAL
    resumed = await commands.resume(ADMIN, GENERAL, 1)
    assert resumed.lead == "Digest #1 resumed. Next: Sat 21 Mar 2026 09:00 UTC."
    fields = dict((await commands.list(ADMIN, GENERAL)).cards[0].fields)
    assert fields["Status"] == "active"
    assert "Last error" not in fields
    assert (await commands.resume(ADMIN, GENERAL, 1)).notice == "Digest #1 is not paused."


def chat(user: User, place: Place, *args: tuple[str, str]) -> Query:
    """``/news digest ...`` as any adapter hands it to the core."""
    return Query(text="/news digest", user=user, place=place, received_at=START,
                 command="digest", args=args)


async def test_handle_maps_a_query_onto_the_actions(
        commands: DigestCommands, store: DigestStore) -> None:
    made = await commands.handle(chat(
        ADMIN, GENERAL, ("action", "subscribe"), ("schedule", "weekdays 08:30"),
        ("timezone", "Europe/London"), ("max", "3"), ("topic", "ice"), ("style", "brief"),
        ("notify_empty", "yes")))
    assert made.lead.startswith("Digest #1 set up: weekdays at 08:30 (Europe/London), up to 3")
    (sub,) = await store.find()
    assert (sub.max_stories, sub.topic, sub.style.value, sub.notify_empty) == (
        3, "ice", "brief", True)
    listed = await commands.handle(chat(MEMBER, GENERAL, ("action", "list")))
    assert [c.ref for c in listed.cards] == ["digest-1"]
    preview = await commands.handle(chat(MEMBER, GENERAL, ("action", "preview"), ("id", "#1")))
    assert preview.lead.startswith("Preview of digest #1")
    refused = await commands.handle(chat(MEMBER, GENERAL, ("action", "unsubscribe"), ("id", "1")))
    assert refused.notice == REFUSAL
    gone = await commands.handle(chat(ADMIN, GENERAL, ("action", "unsubscribe"), ("id", "1")))
    assert gone.lead == "Digest #1 removed."
    assert await store.find() == []


async def test_handle_refuses_direct_messages_and_unknown_actions(
        commands: DigestCommands, store: DigestStore) -> None:
    dm = Place(platform="discord", channel="5", is_direct=True)
    answer = await commands.handle(chat(ADMIN, dm, ("action", "subscribe"),
                                        ("schedule", "daily 09:00")))
    assert answer.notice is not None
    assert "posted into channels" in answer.notice
    assert await store.find() == []
    odd = await commands.handle(chat(ADMIN, GENERAL, ("action", "explode")))
    assert odd.notice is not None
    assert odd.notice.startswith("Unknown digest command 'explode'")
    assert odd.visibility is Visibility.EPHEMERAL


async def test_choices_offer_this_channels_digests_by_label(commands: DigestCommands) -> None:
    await commands.subscribe(ADMIN, GENERAL, schedule="daily 09:00")
    await commands.subscribe(ADMIN, GENERAL, schedule="weekdays 08:30")
    await commands.subscribe(ADMIN, RANDOM, schedule="daily 10:00")
    assert await commands.choices(GENERAL) == [
        ("#1 daily at 09:00 (UTC)", 1), ("#2 weekdays at 08:30 (UTC)", 2)]
    assert await commands.choices(GENERAL, "#2") == [("#2 weekdays at 08:30 (UTC)", 2)]
    assert await commands.choices(GENERAL, "WEEKDAYS") == [("#2 weekdays at 08:30 (UTC)", 2)]
    assert [i for _, i in await commands.choices(OPERATOR_PLACE)] == [1, 2, 3]


def test_every_outcome_of_digest_now_has_its_wording() -> None:
    """The wording lives in ``bot/answering/texts.py``, keyed by the enums' values: a new
    outcome or run status without a text would be a KeyError at ``digest now``."""
    assert set(texts.DIGEST_NOW) == {outcome.value for outcome in Outcome}
    assert set(texts.DIGEST_NOW_TAKEN) == {status.value for status in RunStatus}
    for outcome in Outcome:
        assert "#3" in texts.DIGEST_NOW[outcome].format(id=3)
