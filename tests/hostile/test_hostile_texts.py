"""Every hostile string of the corpus through the real parsers and both renderers: no
exception, every platform limit held, no live mention, no masked link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.discord.translate import message_query
from adapters.slack.app import usage_answer
from adapters.slack.translate import parse_news_text
from bot.intents import from_command, parse
from bot.messages import Place, User
from tests.hostile.answers import DISCORD_LINKS, SLACK_LINKS, answers_of
from tests.hostile.corpus import hostile_texts
from tests.hostile.rendered import discord_problems, slack_problems

TEXTS = hostile_texts()
IDS = [f"{n}:{t[:24]!r}" for n, t in enumerate(TEXTS)]


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_questions_and_commands_parse(text: str) -> None:
    parse(text)
    for command in ("latest", "summary", "quote", "search"):
        from_command(command, {"count": text, "story": text, "speaker": text, "query": text})
    message_query(text, bot_id=1, user=User("1", "x"), place=Place("discord", "2"),
                  received_at=datetime.now(UTC))
    parsed = parse_news_text(text)
    assert parsed.command is not None or parsed.problem is not None
    if parsed.problem is not None:  # the usage answer quotes the user's words back
        assert slack_problems(usage_answer(parsed.problem)) == []


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_rendered_for_discord_without_live_markup(text: str) -> None:
    for answer in answers_of(text):
        assert discord_problems(answer, DISCORD_LINKS) == []


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_rendered_for_slack_within_limits_without_live_markup(text: str) -> None:
    for answer in answers_of(text):
        assert slack_problems(answer, SLACK_LINKS) == []
