"""The chat side of ``/news feeds``: Slack's text grammar, and which commands need a manager."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.slack.translate import command_query, parse_news_text
from bot.api import Query, needs_manager


@pytest.mark.parametrize(("text", "args", "problem"), [
    ("feeds list", (("action", "list"),), None),
    ("feeds add <https://example.org/rss?a=1&amp;b=2> every 30 full-text never",
     (("action", "add"), ("url", "https://example.org/rss?a=1&b=2"), ("interval", "30"),
      ("full_text", "never")), None),
    ("feed remove 3", (("action", "remove"), ("id", "3")), None),
    ("feeds", (), "needs what to do"),
    ("feeds add", (), "needs the feed's address"),
    ("feeds add https://x.org/f every", (), "'every' is not understood"),
    ("feeds remove", (), "takes one feed id"),
])
def test_slack_parsing(text: str, args: tuple[tuple[str, str], ...], problem: str | None
                       ) -> None:
    parsed = parse_news_text(text)
    if problem is None:
        assert parsed.command == "feeds"
        assert parsed.args == args
    else:
        assert parsed.command is None
        assert problem in str(parsed.problem)


def query(text: str) -> Query:
    payload = {"channel_id": "C1", "user_id": "U9", "team_id": "T1", "text": ""}
    return command_query(payload, parse_news_text(text), now=datetime.now(UTC))


@pytest.mark.parametrize(("text", "managing"), [
    ("feeds add https://example.org/rss", True),
    ("feeds remove 3", True),
    ("feeds list", False),
    ("digest subscribe daily 09:00", True),
    ("digest now 1", True),
    ("digest preview 1", False),
    ("digest list", False),
    ("summary kaspersky", False),
])
def test_the_core_says_which_commands_need_a_manager(text: str, managing: bool) -> None:
    """Slack asks ``users.info`` only for these (a call per user every few minutes)."""
    assert needs_manager(query(text)) is managing
