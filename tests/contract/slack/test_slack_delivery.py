"""Digest delivery and rendering through the real slack_sdk client against the fake."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from adapters.slack import SlackDeliverer, build_client
from adapters.slack.errors import SlackUnavailable
from bot.api import DeliveryError
from bot.intents import Intent
from bot.messages import Answer, Card, Place, QuoteLine
from tests.fakes.slack_fake import BOT_TOKEN, FakeSlack

HOSTILE = (
    "Breaking <!channel> <!here> <!everyone> <@U123> <!subteam^S1> Tom & Jerry <script>x</script>"
)


@pytest.fixture
async def deliverer(fake_slack: FakeSlack) -> AsyncIterator[SlackDeliverer]:
    slack = SlackDeliverer(build_client(BOT_TOKEN, fake_slack.api_url), min_interval=0.2)
    try:
        yield slack
    finally:
        await slack.aclose()


def _story(title: str = "Bridge opens", body: str = "It opened.") -> Answer:
    card = Card(
        title=title,
        ref="a1",
        body=body,
        url="https://news.example/a1",
        source="Example",
        published_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
    )
    return Answer(intent=Intent.DIGEST, lead="Your morning digest", cards=(card,))


async def test_429_retried_and_delivered_once(
    fake_slack: FakeSlack, deliverer: SlackDeliverer
) -> None:
    fake_slack.rate_limit_next = 1
    await deliverer.deliver(Place("slack", "C0DIGEST"), _story())
    assert fake_slack.rate_limited == 1
    assert len(fake_slack.posts_to("C0DIGEST")) == 1
    attempts = [c for c in fake_slack.calls if c.method == "chat.postMessage"]
    assert attempts[1].at - attempts[0].at >= 1.0  # waited for Retry-After


@pytest.mark.parametrize("reason", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_permanent_errors_raise_delivery_error(
    fake_slack: FakeSlack, deliverer: SlackDeliverer, reason: str
) -> None:
    fake_slack.channel_errors["C0GONE"] = reason
    place = Place("slack", "C0GONE", workspace="T0001")
    with pytest.raises(DeliveryError) as caught:
        await deliverer.deliver(place, _story())
    assert caught.value.reason == reason
    assert caught.value.place == place
    assert fake_slack.posted == []


@pytest.mark.parametrize("reason", ["invalid_auth", "token_revoked", "missing_scope"])
async def test_refused_token_is_unavailable_not_a_channel_problem(
    fake_slack: FakeSlack,
    deliverer: SlackDeliverer,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_slack.token_error = reason
    for channel in ("C1", "C2"):
        with pytest.raises(SlackUnavailable) as caught:
            await deliverer.deliver(Place("slack", channel), _story())
        assert not isinstance(caught.value, DeliveryError)
        assert caught.value.reason == reason
    said = [r for r in caplog.records if "refused the bot token" in r.getMessage()]
    assert len(said) == 1  # once, not once per channel
    assert said[0].levelname == "ERROR"
    assert reason in said[0].getMessage()
    assert "NEWSBOT_SLACK__BOT_TOKEN" in said[0].getMessage()
    assert BOT_TOKEN not in caplog.text


async def test_same_channel_paced_other_channels_not(
    fake_slack: FakeSlack, deliverer: SlackDeliverer
) -> None:
    fake_slack.per_channel_interval = 0.2
    start = time.monotonic()
    for channel in ("C1", "C2", "C1", "C3", "C1"):
        await deliverer.deliver(Place("slack", channel), _story())
    assert fake_slack.rate_limited == 0
    times = [c.at for c in fake_slack.posts_to("C1")]
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(times))
    assert time.monotonic() - start < 1.5


async def test_hostile_article_text_is_inert(
    fake_slack: FakeSlack, deliverer: SlackDeliverer
) -> None:
    quote = QuoteLine(HOSTILE, "said", HOSTILE, "direct", True)
    card = Card(
        title=HOSTILE,
        ref="h",
        body=HOSTILE,
        source=HOSTILE,
        quotes=(quote,),
        fields=((HOSTILE, HOSTILE),),
        url="https://news.example/?a=1&b=<2>",
    )
    answer = Answer(
        intent=Intent.SUMMARY, lead=HOSTILE, cards=(card,), notice=HOSTILE, candidates=(card,)
    )
    await deliverer.deliver(Place("slack", "C0NEWS"), answer)
    posted = json.dumps(fake_slack.posted[0].params, ensure_ascii=False)
    for dangerous in ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<!subteam", "<script>"):
        assert dangerous not in posted
    assert "&lt;!channel&gt;" in posted
    assert "Tom &amp; Jerry" in posted
    assert "&lt;script&gt;" in posted


async def test_long_summary_split_within_limits(
    fake_slack: FakeSlack, deliverer: SlackDeliverer
) -> None:
    sentences = tuple(
        f"Sentence number {i} tells a fairly long part of the story, with detail."
        for i in range(400)
    )
    card = Card(
        title="A very long story " * 20,
        ref="long",
        summary=sentences,
        url="https://news.example/long",
    )
    await deliverer.deliver(Place("slack", "C0LONG"), Answer(Intent.SUMMARY, "Long one", (card,)))
    posts = fake_slack.posts_to("C0LONG")
    assert len(posts) > 1
    shown = ""
    for number, post in enumerate(posts, start=1):
        blocks = (
            json.loads(post.params["blocks"])
            if isinstance(post.params["blocks"], str)
            else post.params["blocks"]
        )
        assert len(blocks) <= 50
        assert len(json.dumps(blocks)) < 12_000
        for block in blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
                shown += block["text"]["text"] + " "
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
        markers = json.dumps(blocks)
        if number < len(posts):
            assert f"continues in the next message, {number}/{len(posts)}" in markers
        if number > 1:
            assert f"continued, part {number} of {len(posts)}" in markers
    positions = [shown.index(s) for s in sentences]
    assert positions == sorted(positions)  # every sentence, whole and in order
