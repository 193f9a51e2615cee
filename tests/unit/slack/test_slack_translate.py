"""``/news`` text parsing and Slack payload -> Query (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.slack.translate import (
    command_query,
    event_query,
    is_from_bot,
    parse_news_text,
    reply_thread_ts,
    slack_to_plain,
)


@pytest.mark.parametrize(
    ("text", "command", "args"),
    [
        ("summary kaspersky ban", "summary", (("story", "kaspersky ban"),)),
        ("Summarize  the   bridge", "summary", (("story", "the bridge"),)),
        ("quote", "quote", ()),
        ("quote Peskov", "quote", (("speaker", "Peskov"),)),
        (
            "quote Dmitry Peskov about the ban",
            "quote",
            (("speaker", "Dmitry Peskov"), ("story", "the ban")),
        ),
        ("quote about kaspersky", "quote", (("story", "kaspersky"),)),
        ('quote "very competitive"', "quote", (("phrase", "very competitive"),)),
        ("quote “unfair” about the ban", "quote", (("phrase", "unfair"), ("story", "the ban"))),
        ("latest", "latest", ()),
        ("latest 5", "latest", (("count", "5"),)),
        ("search harbour bridge", "search", (("query", "harbour bridge"),)),
        ("help", "help", ()),
        ("", "help", ()),
        ("   ", "help", ()),
    ],
)
def test_subcommands(text: str, command: str, args: tuple[tuple[str, str], ...]) -> None:
    parsed = parse_news_text(text)
    assert (parsed.command, parsed.args, parsed.problem) == (command, args, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("weather paris", "Unknown subcommand 'weather'."),
        ("summary", "'/news summary' needs some words after it."),
        ("search  ", "'/news search' needs some words after it."),
        ("latest lots", "'/news latest' takes a number from 1 to 10."),
        ("latest 0", "'/news latest' takes a number from 1 to 10."),
        ("latest 500", "'/news latest' takes a number from 1 to 10."),
    ],
)
def test_bad_subcommands_explain(text: str, problem: str) -> None:
    parsed = parse_news_text(text)
    assert parsed.command is None
    assert parsed.problem == problem


def test_slack_markup_becomes_plain_words() -> None:
    text = (
        "<@U0BOT> what did <@U123|jane> say in <#C1|news> about "
        "<https://x.test/a?b=1&amp;c|this> &amp; <!here> &lt;b&gt;"
    )
    assert slack_to_plain(text, "U0BOT") == "what did @jane say in #news about this & <b>"


def test_command_query() -> None:
    payload = {
        "channel_id": "D123",
        "channel_name": "directmessage",
        "team_id": "T1",
        "user_id": "U9",
        "user_name": "bob",
        "text": "summary bridge",
    }
    now = datetime(2026, 1, 1, tzinfo=UTC)
    query = command_query(
        payload, parse_news_text("summary bridge"), admin_user_ids=frozenset({"U9"}), now=now
    )
    assert query.command == "summary"
    assert query.arg("story") == "bridge"
    assert query.user.can_manage
    assert query.user.name == "bob"
    assert query.place.platform == "slack"
    assert query.place.is_direct
    assert query.place.workspace == "T1"
    assert query.received_at == now


def test_event_query_strips_the_bot_mention() -> None:
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": "<@U0BOT> latest news",
        "channel": "C1",
        "ts": "1.5",
    }
    query = event_query(event, team_id="T1", bot_user_id="U0BOT")
    assert query.text == "latest news"
    assert query.command is None
    assert not query.user.can_manage
    assert not query.place.is_direct
    assert reply_thread_ts(event) == "1.5"
    assert reply_thread_ts(event | {"thread_ts": "1.0"}) == "1.0"


@pytest.mark.parametrize(
    ("event", "ignored"),
    [
        ({"user": "U1", "text": "hi"}, False),
        ({"user": "U1", "text": "hi", "subtype": "file_share"}, False),
        ({"user": "U1", "bot_id": "B1"}, True),
        ({"user": "U0BOT"}, True),
        ({"subtype": "bot_message", "bot_id": "B2"}, True),
        ({"user": "U1", "subtype": "message_changed"}, True),
        ({"text": "no user"}, True),
    ],
)
def test_is_from_bot(event: dict[str, str], ignored: bool) -> None:
    assert is_from_bot(event, "U0BOT") is ignored
