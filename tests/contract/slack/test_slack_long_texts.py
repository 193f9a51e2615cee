"""Over-long article text through the real adapter and the fake Slack, which refuses any text
object over Block Kit's limits: the answer is delivered, trimmed, links whole."""

from __future__ import annotations

from dataclasses import replace

from adapters.slack import SlackAdapter
from bot.intents import Intent
from bot.messages import Answer, Card
from tests.contract.slack.slack_samples import STORY_ANSWER, StubEngine
from tests.fakes.chat_markup import unbalanced_slack_token
from tests.fakes.slack_fake import FakeSlack
from tests.fakes.slack_limits import MAX_TEXT_OBJECT

LONG_SOURCE = "Very Long Feed Title " * 330  # 6,930 characters, like the reported feed


async def test_a_story_with_a_huge_source_is_delivered(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    card = replace(STORY_ANSWER.cards[0], source=LONG_SOURCE)
    stub_engine.answer_for[None] = replace(STORY_ANSWER, cards=(card,))
    event = fake_slack.mention("the bridge")
    await fake_slack.send_envelope("events_api", fake_slack.event_callback(event))
    await fake_slack.wait_until(lambda: fake_slack.posted, what="chat.postMessage")
    context = next(b for b in fake_slack.posted[0].params["blocks"] if b["type"] == "context")
    text = context["elements"][0]["text"]
    assert text.startswith("Very Long Feed Title")
    assert len(text) <= MAX_TEXT_OBJECT
    # the fixture fails the test had the fake refused anything (limit_violations)


async def test_did_you_mean_links_are_never_cut_open(
    fake_slack: FakeSlack, socket_adapter: SlackAdapter, stub_engine: StubEngine
) -> None:
    title = "Council " * 500
    candidates = tuple(
        Card(title=title, ref=f"c{n}", url=f"https://news.example/{n}/" + "p" * 1400,
             source=LONG_SOURCE)
        for n in range(4)
    )
    stub_engine.answer_for["summary"] = Answer(
        intent=Intent.SUMMARY, lead="Which one?", notice="Several stories match.",
        candidates=candidates,
    )
    await fake_slack.send_envelope("slash_commands", fake_slack.slash_command("summary council"))
    await fake_slack.wait_until(lambda: fake_slack.responses, what="respond()")
    sections = [b["text"]["text"] for r in fake_slack.responses for b in r.body["blocks"]
                if b["type"] == "section"]
    assert any("<https://news.example/0/" in s for s in sections)
    assert not any(unbalanced_slack_token(s) for s in sections)
