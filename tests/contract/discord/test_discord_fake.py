"""The fake Discord itself: it must refuse, as Discord does, messages over Discord's limits."""

from __future__ import annotations

from typing import Any

import aiohttp
import discord
import pytest

from adapters.discord import DiscordAdapter
from adapters.discord.render import NO_MENTIONS
from tests.fakes.discord_fake import APP_ID, CHANNEL_ID, FakeDiscord


@pytest.mark.parametrize(
    ("content", "embed", "problem"),
    [
        ("x" * 2001, None, "content: 2001 > 2000"),
        (None, discord.Embed(description="😀" * 2049), "embeds[0].description: 4098 > 4096"),
        (None, discord.Embed(title="t" * 257), "embeds[0].title: 257 > 256"),
        (None, discord.Embed().set_footer(text="f" * 2049), "embeds[0].footer.text: 2049 > 2048"),
        (None, discord.Embed().set_author(name="a" * 257), "embeds[0].author.name: 257 > 256"),
    ],
)
async def test_fake_refuses_over_limit_messages(
    bot: DiscordAdapter,
    fake_discord: FakeDiscord,
    content: str | None,
    embed: discord.Embed | None,
    problem: str,
) -> None:
    channel = bot.client.get_partial_messageable(CHANNEL_ID)
    with pytest.raises(discord.HTTPException) as caught:
        # embed=None sends none, as discord.py does (its hints want an Embed or nothing)
        await channel.send(content, embed=embed, allowed_mentions=NO_MENTIONS)  # type: ignore[arg-type]
    assert (caught.value.status, caught.value.code) == (400, 50035)
    assert fake_discord.limit_violations == [f"POST /channels/{CHANNEL_ID}/messages: {problem}"]
    assert fake_discord.channel_messages[str(CHANNEL_ID)] == []
    fake_discord.limit_violations.clear()  # the fixture would fail this test otherwise


async def test_fake_refuses_over_limit_totals(
    bot: DiscordAdapter, fake_discord: FakeDiscord
) -> None:
    embeds = [discord.Embed(description="d" * 4000) for _ in range(2)]  # 8000 > 6000 in total
    channel = bot.client.get_partial_messageable(CHANNEL_ID)
    with pytest.raises(discord.HTTPException):
        await channel.send(embeds=embeds, allowed_mentions=NO_MENTIONS)
    assert fake_discord.limit_violations[-1].endswith("embeds total: 8000 > 6000")
    fake_discord.limit_violations.clear()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/interactions/1/tok/callback", {"type": 4, "data": {"content": "x" * 2001}}),
        (f"/webhooks/{APP_ID}/tok", {"content": "x" * 2001}),
        (f"/webhooks/{APP_ID}/tok/messages/@original", {"content": "x" * 2001}),
    ],
)
async def test_fake_checks_interaction_replies_too(
    fake_discord: FakeDiscord, path: str, body: dict[str, Any]
) -> None:
    method = "PATCH" if path.endswith("@original") else "POST"
    url = fake_discord.api_base + path
    async with aiohttp.ClientSession() as session, session.request(method, url, json=body) as r:
        assert r.status == 400
        assert (await r.json())["code"] == 50035
    assert fake_discord.limit_violations == [f"{method} {path}: content: 2001 > 2000"]
    fake_discord.limit_violations.clear()
