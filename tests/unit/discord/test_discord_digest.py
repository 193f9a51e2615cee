"""The Discord digest commands' pure parts: time zone and id choices, list rendering."""

from __future__ import annotations

from adapters.discord.digest import id_choices, timezone_choices
from bot.intents import Intent
from bot.messages import Answer, Card


def test_timezone_choices_prefer_prefixes_and_cap_at_25() -> None:
    assert timezone_choices("lond")[0].value == "Europe/London"
    assert timezone_choices("new york")[0].value == "America/New_York"
    assert timezone_choices("europe/ber")[0].value == "Europe/Berlin"
    assert len(timezone_choices("")) == 25
    assert timezone_choices("")[0].value == "UTC"
    assert len(timezone_choices("a")) == 25
    assert timezone_choices("nowhere-at-all") == []
    assert all(len(c.name) <= 100 for c in timezone_choices("america"))


def test_id_choices_fit_discords_limits() -> None:
    pairs = [(f"#{i} daily at 09:00 (UTC) about " + "x" * 120, i) for i in range(1, 40)]
    choices = id_choices(pairs)
    assert [c.value for c in choices] == list(range(1, 26))
    assert all(len(c.name) <= 100 for c in choices)
    assert choices[0].name.endswith("…")


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
            ref=f"digest-{i}",
            body="created by 555",
            fields=fields,
        )
        for i in range(1, 6)
    )
    messages = render(Answer(Intent.DIGEST, "5 digest(s) in this channel.", cards=cards))
    shown = [e for m in messages for e in m.embeds]
    assert [e.title for e in shown if e.title] == ["\\" + c.title for c in cards]  # `\#` escape
    for message in messages:
        assert sum(embed_size(e) for e in message.embeds) <= MAX_TOTAL
    for embed in shown:
        assert all(len(f.value or "") <= 1024 for f in embed.fields)
    names = [f.name for e in shown for f in e.fields]
    assert names.count("Last error") == 5
