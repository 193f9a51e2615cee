"""Channel delivery (digests): pacing, 429 retry, gone/forbidden channels; rendering edges."""

from __future__ import annotations

import re
from typing import Any

import pytest

from adapters.discord import DiscordAdapter, Pacer
from adapters.discord.errors import DeliveryRejected, DiscordUnavailable
from bot.api import DeliveryError
from bot.app import Newsbot
from bot.intents import Intent
from bot.messages import Answer, Card, Place
from tests.contract.discord.conftest import StubEngine, sample_card
from tests.contract.discord.test_discord_commands import slash
from tests.fakes.chat_markup import discord_link_targets
from tests.fakes.discord_fake import CHANNEL_ID, FakeDiscord
from tests.fakes.discord_limits import message_violations

NO_PARSE: dict[str, list[str]] = {"parse": []}
HOSTILE = (
    "Hi @everyone and @here, ping <@&123> <@&123456789012345678> <@123456789012345678> <#9> "
    "**now**"
)


def place(channel: int | str = CHANNEL_ID) -> Place:
    return Place(platform="discord", channel=str(channel), workspace=None)


def digest() -> Answer:
    return Answer(intent=Intent.DIGEST, lead="Your morning news", cards=(sample_card(),))


def assert_within_limits(message: dict[str, Any]) -> None:
    """Every Discord limit, in UTF-16 units, footer and author included (see discord_limits)."""
    assert not message_violations(message)


async def test_channel_delivery(bot: DiscordAdapter, fake_discord: FakeDiscord) -> None:
    await bot.deliverer.deliver(place(), digest())
    (sent,) = fake_discord.channel_messages[str(CHANNEL_ID)]
    assert sent["content"] == "Your morning news"
    assert sent["allowed_mentions"] == NO_PARSE
    assert sent["embeds"][0]["title"] == "Council approves new bridge"


async def test_429_on_send_is_retried_and_delivered_once(
    bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    fake_discord.rate_limited_sends[str(CHANNEL_ID)] = 1
    await bot.deliverer.deliver(place(), digest())
    attempts = fake_discord.find("POST", f"/channels/{CHANNEL_ID}/messages")
    assert [a.status for a in attempts] == [429, 200]
    assert len(fake_discord.channel_messages[str(CHANNEL_ID)]) == 1


async def test_429_beyond_library_retries_is_still_delivered_once(
    bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    fake_discord.rate_limited_sends[str(CHANNEL_ID)] = 6  # discord.py itself tries 5 times
    fake_discord.retry_after = 0.01
    await bot.deliverer.deliver(place(), digest())
    assert len(fake_discord.channel_messages[str(CHANNEL_ID)]) == 1
    assert fake_discord.count_429 == 6


@pytest.mark.parametrize(
    ("channel", "reason"), [("unknown", "not found"), ("forbidden", "forbidden")]
)
async def test_gone_or_forbidden_channel_raises_delivery_error(
    bot: DiscordAdapter, fake_discord: FakeDiscord, channel: str, reason: str
) -> None:
    channel_id = "999999999999999999"
    getattr(fake_discord, f"{channel}_channels").add(channel_id)
    with pytest.raises(DeliveryError) as caught:
        await bot.deliverer.deliver(place(channel_id), digest())
    assert caught.value.reason.startswith(reason)
    assert caught.value.place.channel == channel_id
    assert len(fake_discord.find("POST", f"/channels/{channel_id}/messages")) == 1  # not retried


async def test_not_a_channel_id(bot: DiscordAdapter) -> None:
    with pytest.raises(DeliveryError):
        await bot.deliverer.deliver(Place(platform="discord", channel="general"), digest())
    with pytest.raises(DeliveryError):  # "²".isdigit() is true; int("²") raised ValueError
        await bot.deliverer.deliver(Place(platform="discord", channel="²"), digest())


@pytest.mark.usefixtures("bot")
async def test_masked_links_in_article_text_never_render(
    fake_discord: FakeDiscord, stub_engine: StubEngine
) -> None:
    """A regression: escape_markdown escaped only the first ``[..](..)`` of a string."""
    links = "[first](https://a.example) and [second](https://evil.example/x)"
    card = sample_card(title=links, summary=(links + ".",), source=links)
    stub_engine.next_answer = Answer(intent=Intent.SEARCH, lead=links, notice=links, cards=(card,))
    callback = await slash(fake_discord, "search", {"query": "links"})
    data = callback.body["data"]
    texts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        texts += [embed.get("title") or "", embed.get("description") or "",
                  (embed.get("footer") or {}).get("text") or ""]
        texts += [f[k] for f in embed.get("fields") or [] for k in ("name", "value")]
    assert any("evil.example" in t for t in texts)
    assert [t for t in texts if discord_link_targets(t)] == []


async def test_pacing_per_channel(bot: DiscordAdapter, fake_discord: FakeDiscord) -> None:
    bot.deliverer.pacer = Pacer(global_limit=1000, channel_limit=2, channel_window=0.3)
    for _ in range(3):
        await bot.deliverer.deliver(place(), digest())
    times = [r.at for r in fake_discord.find("POST", f"/channels/{CHANNEL_ID}/messages")]
    assert len(times) == 3
    assert times[2] - times[0] >= 0.25


@pytest.mark.usefixtures("bot")
async def test_mentions_in_article_text_never_ping(
    fake_discord: FakeDiscord, stub_engine: StubEngine
) -> None:
    card = sample_card(title=HOSTILE, summary=(HOSTILE + ".",), source="@everyone Times")
    stub_engine.next_answer = Answer(intent=Intent.SEARCH, lead=HOSTILE, notice=HOSTILE,
                                     cards=(card,))
    callback = await slash(fake_discord, "search", {"query": "@everyone"})
    data = callback.body["data"]
    assert data["allowed_mentions"] == NO_PARSE
    text = str(data)
    assert "@everyone" not in text.replace("@\u200beveryone", "")
    assert "@here" not in text.replace("@\u200bhere", "")
    assert "<@&123>" not in text
    assert not re.search(r"<[@#]", text)  # no mention or channel token, whatever the digits
    assert "\\*\\*now\\*\\*" in data["content"]  # markdown escaped, shown literally


@pytest.mark.usefixtures("bot")
async def test_story_too_long_for_one_embed_is_split(
    fake_discord: FakeDiscord, stub_engine: StubEngine
) -> None:
    sentences = tuple(
        f"Sentence number {i} of a very long story about the bridge." for i in range(400)
    )  # about 24,000 characters: more than four descriptions (16k) and one message (6k)
    long_card = sample_card(summary=sentences, quotes=sample_card().quotes * 20)
    others = tuple(sample_card(title=f"Other story {i}") for i in range(9))
    stub_engine.next_answer = Answer(intent=Intent.LATEST, lead="Latest",
                                     cards=(long_card, *others))
    callback = await slash(fake_discord, "latest", {"count": 10})

    def last_story_sent(fake: FakeDiscord) -> bool:
        return "Other story 8" in str(fake.find("POST", r"/webhooks/\d+/[^/]+"))

    await fake_discord.wait_for(last_story_sent)
    followups = fake_discord.find("POST", r"/webhooks/\d+/[^/]+")
    messages = [callback.body["data"], *(f.body for f in followups)]
    assert len(messages) >= 3  # 16k characters of description cannot fit two 6k messages
    for message in messages:
        assert_within_limits(message)
        assert message["allowed_mentions"] == NO_PARSE
    embeds = [e for m in messages for e in m["embeds"]]
    descriptions = [e.get("description", "") for e in embeds]
    assert len([d for d in descriptions if "Sentence number" in d]) == 4  # split, then trimmed
    text = " ".join(descriptions)
    kept = [int(n) for n in re.findall(r"Sentence number (\d+) of", text)]
    assert kept == list(range(len(kept)))  # in order, none lost or repeated before the cut
    assert len(kept) >= 200  # four descriptions of about 4k characters each
    assert text.count("…") >= 1
    assert "trimmed" in text
    quotes = [f["name"] for e in embeds for f in e.get("fields", []) if " — " in f["name"]]
    assert quotes == ["Jane Doe — said", "John Roe — warned"] * (20 + 9)  # every one, in order
    titles = [e.get("title") for e in embeds if e.get("title")]
    assert titles == ["Council approves new bridge"] + [f"Other story {i}" for i in range(9)]


async def test_long_digest_is_split_into_several_posts(
    bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    cards: tuple[Card, ...] = tuple(
        sample_card(title=f"Story {i}", summary=("Long sentence here. " * 100,)) for i in range(10)
    )
    await bot.deliverer.deliver(place(), Answer(intent=Intent.DIGEST, lead="Digest", cards=cards))
    sent = fake_discord.channel_messages[str(CHANNEL_ID)]
    assert len(sent) > 1
    for message in sent:
        assert_within_limits(message)
    assert [e["title"] for m in sent for e in m["embeds"] if "title" in e] == [
        f"Story {i}" for i in range(10)
    ]


async def test_refused_message_is_not_blamed_on_the_channel(
    bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    fake_discord.invalid_body_channels.add(str(CHANNEL_ID))
    with pytest.raises(DeliveryRejected):
        await bot.deliverer.deliver(place(), digest())
    assert len(fake_discord.find("POST", f"/channels/{CHANNEL_ID}/messages")) == 1


async def test_delivery_before_login_is_retryable(stub_engine: StubEngine) -> None:
    adapter = DiscordAdapter(Newsbot(stub_engine), "fake-token")
    with pytest.raises(DiscordUnavailable):
        await adapter.deliverer.deliver(place(), digest())


async def test_client_default_allows_no_mentions(
    bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    """A second line of defence: a send that forgets ``allowed_mentions`` still pings no one."""
    channel = bot.client.get_partial_messageable(CHANNEL_ID)
    await channel.send("@everyone <@&123>")
    (sent,) = fake_discord.channel_messages[str(CHANNEL_ID)]
    assert sent["allowed_mentions"] == NO_PARSE
