"""The chat side of ``/news feeds``: Slack text parsing and permission, Discord's group."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.discord import feeds as discord_feeds
from adapters.slack import feeds as slack_feeds
from adapters.slack.translate import command_query, parse_news_text
from bot.commands import _hand_feeds
from bot.messages import Answer, User


class Port:
    def __init__(self) -> None:
        self.calls: list[tuple[str, User, object]] = []

    async def add(self, user: User, url: str, *, interval: int | str | None = None,
                  full_text: str | None = None, trusted: bool = False) -> Answer:
        self.calls.append(("add", user, (url, interval, full_text, trusted)))
        return Answer("feeds", "added")

    async def remove(self, user: User, value: int | str) -> Answer:
        self.calls.append(("remove", user, value))
        return Answer("feeds", "removed")

    async def list(self, user: User) -> Answer:
        self.calls.append(("list", user, None))
        return Answer("feeds", "listed")


class Admins:
    def __init__(self, *ids: str) -> None:
        self.ids = ids

    async def can_manage(self, user_id: str) -> bool:
        return user_id in self.ids


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


async def test_slack_answer_asks_who_may_manage() -> None:
    port = Port()
    payload = {"channel_id": "C1", "user_id": "U9", "team_id": "T1", "text": ""}
    add = command_query(payload, parse_news_text("feeds add https://example.org/rss"),
                        now=datetime.now(UTC))
    await slack_feeds.answer(port, Admins("U9"), add)
    assert port.calls[-1][1].can_manage
    await slack_feeds.answer(port, Admins(), add)
    assert not port.calls[-1][1].can_manage  # the core refuses it
    listing = command_query(payload, parse_news_text("feeds list"), now=datetime.now(UTC))
    assert (await slack_feeds.answer(None, Admins(), listing)).notice == slack_feeds.NOT_RUNNING


async def test_discord_run_refuses_managing_from_dms() -> None:
    port = Port()
    admin = User("1", "a", can_manage=True)
    refused = await discord_feeds.run(port, "add", {"url": "https://x.org/f"}, user=admin,
                                      in_dm=True)
    assert refused.notice == discord_feeds.NOT_IN_DM
    assert (await discord_feeds.run(port, "list", {}, user=admin, in_dm=True)).lead == "listed"
    await discord_feeds.run(port, "add", {"url": "https://x.org/f", "interval": 30,
                                          "full_text": "always"}, user=admin, in_dm=False)
    assert port.calls[-1] == ("add", admin, ("https://x.org/f", 30, "always", False))
    await discord_feeds.run(port, "remove", {"id": 4}, user=admin, in_dm=False)
    assert port.calls[-1] == ("remove", admin, 4)


def test_discord_feeds_are_handed_to_an_adapter_that_declares_them() -> None:
    class Adapter:
        name = "discord"
        feeds: object = None

    adapter = Adapter()
    group = discord_feeds.FeedGroup(adapter)
    assert {c.name for c in group.commands} == {"add", "remove", "list"}
    commands = object()
    _hand_feeds([adapter], commands)  # type: ignore[list-item, arg-type]
    assert adapter.feeds is commands  # type: ignore[attr-defined]
