"""DMs and mentions answered as free text; gateway resume."""

from __future__ import annotations

import re
from typing import Any

import pytest

from adapters.discord import DiscordAdapter
from tests.contract.discord.conftest import StartBot, StubEngine
from tests.fakes.discord_fake import BOT_ID, CHANNEL_ID, DM_CHANNEL_ID, USER_ID, FakeDiscord

NO_PARSE: dict[str, list[str]] = {"parse": []}


@pytest.mark.usefixtures("bot")
async def test_dm_question(fake_discord: FakeDiscord, stub_engine: StubEngine) -> None:
    await fake_discord.dispatch(
        "MESSAGE_CREATE", fake_discord.message("what about the bridge?", guild=False)
    )
    (sent,) = await fake_discord.wait_request("POST", f"/channels/{DM_CHANNEL_ID}/messages")
    assert sent.body["allowed_mentions"] == NO_PARSE
    assert sent.body["embeds"][0]["title"] == "Council approves new bridge"
    (query,) = stub_engine.queries
    assert query.text == "what about the bridge?"
    assert query.command is None
    assert query.place.is_direct
    assert query.place.channel == str(DM_CHANNEL_ID)


@pytest.mark.usefixtures("bot")
async def test_mention_question(fake_discord: FakeDiscord, stub_engine: StubEngine) -> None:
    message = fake_discord.message(f"<@{BOT_ID}> who said what about the bridge?", mention_bot=True)
    await fake_discord.dispatch("MESSAGE_CREATE", message)
    (sent,) = await fake_discord.wait_request("POST", f"/channels/{CHANNEL_ID}/messages")
    assert sent.body["allowed_mentions"] == NO_PARSE  # also: replying pings no one
    assert str(sent.body["message_reference"]["message_id"]) == message["id"]
    (query,) = stub_engine.queries
    assert query.text == "who said what about the bridge?"
    assert not query.place.is_direct


@pytest.mark.usefixtures("bot")
async def test_guild_message_without_mention_is_ignored(
    fake_discord: FakeDiscord, stub_engine: StubEngine
) -> None:
    await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.message("chatting about bridges"))
    await fake_discord.dispatch(
        "MESSAGE_CREATE", fake_discord.message(f"<@{BOT_ID}> hi", mention_bot=True)
    )
    await fake_discord.wait_request("POST", f"/channels/{CHANNEL_ID}/messages")
    assert [q.text for q in stub_engine.queries] == ["hi"]


OTHER_BOT_ID = 666666666666666666


@pytest.mark.usefixtures("bot")
@pytest.mark.parametrize(
    "options",
    [
        {"guild": False, "author_bot": True, "user_id": OTHER_BOT_ID},  # another bot's DM
        {"mention_bot": True, "author_bot": True, "user_id": OTHER_BOT_ID},  # its mention
        {"mention_bot": True, "author_bot": True, "user_id": BOT_ID},  # our own message
        {"guild": False, "author_bot": False, "user_id": BOT_ID},  # ours, even unflagged
    ],
)
async def test_bots_and_own_messages_get_no_answer(
    fake_discord: FakeDiscord, stub_engine: StubEngine, options: dict[str, Any]
) -> None:
    ignored = fake_discord.message(f"<@{BOT_ID}> latest news", **options)
    await fake_discord.dispatch("MESSAGE_CREATE", ignored)
    human = fake_discord.message("a human asks", guild=False)
    await fake_discord.dispatch("MESSAGE_CREATE", human)  # answered after the ignored one
    await fake_discord.wait_request("POST", f"/channels/{DM_CHANNEL_ID}/messages")
    assert [q.text for q in stub_engine.queries] == ["a human asks"]
    assert len(fake_discord.find("POST", r"/channels/\d+/messages")) == 1


@pytest.mark.usefixtures("bot")
async def test_message_failure_gets_a_ref(
    fake_discord: FakeDiscord, stub_engine: StubEngine
) -> None:
    stub_engine.fail = ValueError("token=abc")
    await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.message("hello", guild=False))
    (sent,) = await fake_discord.wait_request("POST", f"/channels/{DM_CHANNEL_ID}/messages")
    assert re.fullmatch(
        r"Something went wrong \(ref [0-9a-f]{6}\)\. It has been logged\.", sent.body["content"]
    )


async def test_resumable_close_resumes(
    bot: DiscordAdapter, fake_discord: FakeDiscord, stub_engine: StubEngine
) -> None:
    seq_before = len([m for m in fake_discord.gateway_received if m["op"] == 2])
    await fake_discord.close_gateway(4000)
    await fake_discord.wait_for(lambda f: len(f.resumes) == 1)
    (resume,) = fake_discord.resumes
    assert resume["session_id"] == fake_discord.session_id
    assert resume["token"] == "fake-token"
    assert resume["seq"] >= 2  # READY and GUILD_CREATE were seen
    assert len(fake_discord.identifies) == seq_before == 1  # resumed, not re-identified
    await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.message("after resume", guild=False))
    await fake_discord.wait_request("POST", f"/channels/{DM_CHANNEL_ID}/messages")
    assert [q.text for q in stub_engine.queries] == ["after resume"]


async def test_cooldown_on_dms_and_mentions(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord
) -> None:
    await start_bot(stub_engine, burst=1, burst_seconds=30)
    dm = f"/channels/{DM_CHANNEL_ID}/messages"
    await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.message("first", guild=False))
    await fake_discord.wait_request("POST", dm)
    again = fake_discord.message(f"<@{BOT_ID}> second", mention_bot=True)  # same user, a mention
    await fake_discord.dispatch("MESSAGE_CREATE", again)
    (slow,) = await fake_discord.wait_request("POST", f"/channels/{CHANNEL_ID}/messages")
    assert re.fullmatch(r"Slow down a little: try again in \d+ s\.", slow.body["content"])
    assert slow.body["allowed_mentions"] == NO_PARSE
    other = fake_discord.message("third", guild=False, user_id=USER_ID + 1)
    await fake_discord.dispatch("MESSAGE_CREATE", other)
    await fake_discord.wait_request("POST", dm, count=2)
    assert [q.text for q in stub_engine.queries] == ["first", "third"]


async def test_a_slash_command_and_dm_follow_ups_pass_the_default_limit(
    start_bot: StartBot, stub_engine: StubEngine, fake_discord: FakeDiscord
) -> None:
    """Issue 14 #16 end to end: ``/news summary``, then follow-ups in a DM straight after
    (stricter than the two seconds of the report), under the limit a bot gets by default."""
    from bot.app import Newsbot
    from tests.contract.discord.test_discord_commands import slash

    await start_bot(Newsbot(stub_engine))  # no limit given: the configured default
    first = await slash(fake_discord, "summary", {"story": "council-bridge"})
    assert "Slow down" not in str(first.body)
    dm = f"/channels/{DM_CHANNEL_ID}/messages"
    for n, text in enumerate(["and what did the mayor say?", "who opposed it?"], start=1):
        await fake_discord.dispatch("MESSAGE_CREATE", fake_discord.message(text, guild=False))
        sent = await fake_discord.wait_request("POST", dm, count=n)
        assert "Slow down" not in str(sent[-1].body)
    assert [q.command for q in stub_engine.queries] == ["summary", None, None]
