"""``/news digest ...`` text parsing (pure)."""

from __future__ import annotations

import pytest

from adapters.slack.translate import USAGE_LINES, parse_news_text


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("digest list", (("action", "list"),)),
        ("digests list", (("action", "list"),)),
        ("digest now 3", (("action", "now"), ("id", "3"))),
        ("digest unsubscribe #2", (("action", "unsubscribe"), ("id", "#2"))),
        ("digest preview 4", (("action", "preview"), ("id", "4"))),
        ("digest resume 5", (("action", "resume"), ("id", "5"))),
        (
            "digest subscribe daily 09:00",
            (("action", "subscribe"), ("schedule", "daily 09:00")),
        ),
        (
            "digest subscribe weekly mon 09:00 tz Europe/London max 3 topic climate change "
            "style full notify-empty",
            (
                ("action", "subscribe"),
                ("schedule", "weekly mon 09:00"),
                ("timezone", "Europe/London"),
                ("max", "3"),
                ("topic", "climate change"),
                ("style", "full"),
                ("notify_empty", "yes"),
            ),
        ),
        (
            'digest subscribe 0 9 * * 1-5 topic "max verstappen" max 2',
            (
                ("action", "subscribe"),
                ("schedule", "0 9 * * 1-5"),
                ("topic", "max verstappen"),
                ("max", "2"),
            ),
        ),
        (
            "digest subscribe “0 9 * * 1-5” STYLE titles TZ Asia/Tokyo",
            (
                ("action", "subscribe"),
                ("schedule", "0 9 * * 1-5"),
                ("style", "titles"),
                ("timezone", "Asia/Tokyo"),
            ),
        ),
    ],
)
def test_digest_commands(text: str, args: tuple[tuple[str, str], ...]) -> None:
    parsed = parse_news_text(text)
    assert (parsed.command, parsed.args, parsed.problem) == ("digest", args, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("digest", "needs what to do"),
        ("digest list everything", "Unknown digest command 'list everything'"),
        ("digest frobnicate", "Unknown digest command 'frobnicate'"),
        ("digest now", "takes one digest id"),
        ("digest now 1 2", "takes one digest id"),
        ("digest subscribe", "needs a schedule first"),
        ("digest subscribe tz UTC", "needs a schedule first"),
        ("digest subscribe daily 09:00 tz", "'tz' needs a value"),
        ("digest subscribe daily 09:00 topic", "'topic' needs a value"),
        ("digest subscribe daily 09:00 max 3 max 4", "'max' is given twice"),
    ],
)
def test_bad_digest_syntax_gets_a_problem(text: str, problem: str) -> None:
    parsed = parse_news_text(text)
    assert parsed.command is None
    assert parsed.problem is not None
    assert problem in parsed.problem


def test_usage_lists_the_digest_commands() -> None:
    usage = "\n".join(USAGE_LINES)
    assert "/news digest subscribe <schedule> [tz <zone>] [max <n>] [topic <words>]" in usage
    assert "/news digest unsubscribe|preview|now|resume <id>" in usage
