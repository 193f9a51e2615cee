"""The Discord digest commands' pure parts: time zone and id choices, the call into the core."""

from __future__ import annotations

from typing import Any

from adapters.discord.digest import NOT_IN_DM, NOT_RUNNING, id_choices, run, timezone_choices
from bot.messages import Answer, Card, Place, User

USER = User("1", "ann", can_manage=True)
CHANNEL = Place("discord", channel="10", workspace="20")


class RecordingPort:
    """Records calls; answers with the action's name."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, action: str) -> Any:
        async def call(*args: Any, **kwargs: Any) -> Answer:
            self.calls.append((action, args, kwargs))
            return Answer("digest", action)

        return call


def test_timezone_choices_prefer_prefixes_and_cap_at_25() -> None:
    assert timezone_choices("lond")[0].value == "Europe/London"
    assert timezone_choices("new york")[0].value == "America/New_York"
    assert timezone_choices("europe/ber")[0].value == "Europe/Berlin"
    assert len(timezone_choices("")) == 25
    assert timezone_choices("")[0].value == "UTC"
    assert len(timezone_choices("a")) == 25
    assert timezone_choices("nowhere-at-all") == []
    assert all(len(c.name) <= 100 for c in timezone_choices("america"))


def test_id_choices_from_the_list_answer() -> None:
    cards = tuple(
        Card(title=f"#{i} daily at 0{i}:00 (UTC)", article_id=f"digest-{i}") for i in range(1, 4)
    )
    listed = Answer("digest", "3 digest(s)", cards=(*cards, Card("x", "other")))
    assert [c.value for c in id_choices(listed, "")] == [1, 2, 3]
    assert [c.value for c in id_choices(listed, "#2")] == [2]
    assert [c.value for c in id_choices(listed, "03:00")] == [3]


async def test_run_maps_options_to_the_core() -> None:
    port = RecordingPort()
    options: dict[str, object] = {
        "schedule": "daily 09:00",
        "timezone": "Europe/London",
        "max_stories": 3,
        "topic": None,
        "style": "full",
        "notify_empty": None,
    }
    await run(port, "subscribe", options, user=USER, place=CHANNEL)
    await run(port, "now", {"id": 7}, user=USER, place=CHANNEL)
    await run(port, "list", {}, user=USER, place=CHANNEL)
    assert port.calls == [
        (
            "subscribe",
            (USER, CHANNEL),
            {
                "schedule": "daily 09:00",
                "timezone": "Europe/London",
                "max_stories": 3,
                "topic": None,
                "style": "full",
                "notify_empty": False,
            },
        ),
        ("now", (USER, CHANNEL, 7), {}),
        ("list", (USER, CHANNEL), {}),
    ]


async def test_run_without_core_or_outside_a_channel() -> None:
    off = await run(None, "list", {}, user=USER, place=CHANNEL)
    assert off.notice == NOT_RUNNING
    port = RecordingPort()
    dm = await run(port, "list", {}, user=USER, place=Place("discord", channel="5", is_direct=True))
    assert dm.notice == NOT_IN_DM
    assert port.calls == []


def test_digest_list_cards_render_within_embed_limits() -> None:
    from adapters.discord.render import MAX_TOTAL, embed_size, render

    fields = (
        ("Channel", "discord 222 #333"),
        ("Stories", "up to 20, full"),
        ("Topic", "t" * 200),
        ("Status", "paused: delivery refused: " + "x" * 1500),
        ("Next", "never"),
        ("Last run", "2026-03-29T09:00 failed"),
        ("Last error", "the digest failed after 6 attempt(s): " + "e" * 3000),
    )
    cards = tuple(
        Card(
            title=f"#{i} daily at 09:00 (Europe/London)",
            article_id=f"digest-{i}",
            body="created by 555",
            fields=fields,
        )
        for i in range(1, 6)
    )
    messages = render(Answer("digest", "5 digest(s) in this channel.", cards=cards))
    shown = [e for m in messages for e in m.embeds]
    assert [e.title for e in shown if e.title] == ["\\" + c.title for c in cards]  # `\#` escape
    for message in messages:
        assert sum(embed_size(e) for e in message.embeds) <= MAX_TOTAL
    for embed in shown:
        assert all(len(f.value or "") <= 1024 for f in embed.fields)
    names = [f.name for e in shown for f in e.fields]
    assert names.count("Last error") == 5
