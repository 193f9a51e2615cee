"""Every hostile string as a signed ``/news`` command and as a DM, through the real Bolt app
(Socket Mode and HTTP share the listeners) to the fake Slack, whose limit checks fail the test
on any message Slack would refuse; what was posted holds no live mention and no foreign link."""

from __future__ import annotations

import aiohttp

from adapters.slack import SlackAdapter
from bot.messages import Answer, Query
from tests.contract.slack.slack_samples import StubEngine, unlimited
from tests.fakes.chat_markup import slack_link_targets, slack_live_mentions
from tests.fakes.slack_fake import FakeSlack, form_body, signed_headers
from tests.hostile.answers import SLACK_LINKS, answers_of
from tests.hostile.corpus import hostile_texts


class EchoEngine(StubEngine):
    """Answers every question with a story made of the question's own words."""

    async def answer(self, query: Query) -> Answer:
        await super().answer(query)
        return answers_of(query.text or "x")[0]


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("url", "type") for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


async def test_every_hostile_text_as_a_command(fake_slack: FakeSlack) -> None:
    engine = EchoEngine()
    adapter = SlackAdapter(unlimited(engine), "xoxb-fake-bot-token",
                           signing_secret="fake-signing-secret", mode="http",
                           api_base_url=fake_slack.api_url, http_port=0)
    await adapter.connect()
    texts = hostile_texts()
    try:
        url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
        async with aiohttp.ClientSession() as session:
            for text in texts:
                body = form_body(fake_slack.slash_command(text))
                headers = signed_headers(body, content_type="application/x-www-form-urlencoded")
                async with session.post(url, data=body, headers=headers) as response:
                    assert response.status == 200, text
        await fake_slack.wait_until(lambda: len(fake_slack.responses) >= len(texts),
                                    within=20, what="an answer to every command")
    finally:
        await adapter.stop()
    for recorded in fake_slack.responses:
        assert not recorded.body["text"].startswith("Something went wrong"), recorded.body
        for text in _texts(recorded.body):
            assert slack_live_mentions(text) == []
            assert [t for t in slack_link_targets(text) if t not in SLACK_LINKS] == []
    # the fake_slack fixture then fails the test on any message Slack would have refused
