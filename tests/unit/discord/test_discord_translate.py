"""Discord values -> Query; command choices; invite URL; pacing (pure or near)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from adapters.discord import Pacer, invite_url, translate
from adapters.discord.commands import speaker_choices, story_choices
from bot.messages import User

NOW = datetime(2026, 3, 1, tzinfo=UTC)
USER = User(id="1", name="ann")


def test_slash_query_keeps_order_and_drops_empty_options() -> None:
    place = translate.place_for(10, 20)
    query = translate.slash_query(
        "quote",
        [("speaker", "Jane Doe"), ("story", None), ("x", "  ")],
        user=USER,
        place=place,
        received_at=NOW,
    )
    assert query.command == "quote"
    assert query.args == (("speaker", "Jane Doe"),)
    assert query.text == "/news quote speaker:Jane Doe"
    assert (place.platform, place.channel, place.workspace, place.is_direct) == (
        "discord",
        "10",
        "20",
        False,
    )


def test_slash_query_integer_and_unknown_command() -> None:
    query = translate.slash_query(
        "latest", [("count", 3)], user=USER, place=translate.place_for(1, None), received_at=NOW
    )
    assert query.args == (("count", "3"),)
    assert query.place.is_direct
    with pytest.raises(ValueError, match="unknown command"):
        translate.slash_query("drop", [], user=USER, place=query.place, received_at=NOW)


def test_mentions_stripped_from_free_text() -> None:
    assert translate.strip_mention("<@42> what  about <@!42> it?", 42) == "what about it?"
    assert translate.strip_mention("<@43> hi", 42) == "<@43> hi"
    place = translate.place_for(1, 2)
    query = translate.message_query(
        "<@42>  bridge?", bot_id=42, user=USER, place=place, received_at=NOW
    )
    assert (query.text, query.command) == ("bridge?", None)
    empty = translate.message_query("<@42>", bot_id=42, user=USER, place=place, received_at=NOW)
    assert empty.command == "help"


def test_choices_capped_and_clipped() -> None:
    pairs = [("L" * 150, f"slug-{i}") for i in range(40)] + [("bad", "s" * 101)]
    choices = story_choices(pairs)
    assert len(choices) == 25
    assert all(len(c.name) <= 100 for c in choices)
    assert choices[0].value == "slug-0"
    assert [c.value for c in speaker_choices(["A", "B" * 101, "C"])] == ["A", "C"]


def test_invite_url() -> None:
    url = invite_url(1234)
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=1234")
    assert "scope=bot+applications.commands" in url
    assert "permissions=274877991936" in url  # view, send, embed, history, send in threads


async def test_pacer_spreads_sends_globally_and_per_channel() -> None:
    pacer = Pacer(global_limit=10, global_window=0.1, channel_limit=2, channel_window=0.2)
    start = time.monotonic()
    await asyncio.gather(*(pacer.acquire(f"c{i}") for i in range(20)))
    assert time.monotonic() - start >= 0.19 - 0.01  # 20 sends, 10 per 0.1 s
    start = time.monotonic()
    for _ in range(3):
        await pacer.acquire("same")
    assert time.monotonic() - start >= 0.2
