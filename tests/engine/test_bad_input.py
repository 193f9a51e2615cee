"""Bad input never crashes, never leaks, and never changes the catalogue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.catalogue.base import Catalogue
from bot.engine import Engine
from bot.messages import Place, Query, User

EVIL = [
    "",
    "   ",
    "x" * 100_000,
    '"',
    '"unbalanced',
    "*",
    "kasp*",
    "NEAR(kaspersky ban)",
    "-kaspersky",
    "kaspersky OR",
    "OR AND NOT",
    "^kaspersky",
    "title:kaspersky",
    "'; DROP TABLE articles; --",
    "1 OR 1=1",
    "\x00\x01\x1b[2J kaspersky",
    "summarize \U0001f4f0\U0001f525 story",
    "ما هو الخبر عن كاسبرسكي",
    "what did \u202eyeksep say?",
    "who said ''?",
    "who said \"",
    "what did say?",
    "latest 0",
    "latest -5",
    "search",
    "search \"\"",
    "@everyone summarize <@&123>",
]


@pytest.mark.parametrize("text", EVIL)
async def test_free_text_never_crashes(engine: Engine, catalogue: Catalogue, text: str) -> None:
    before = await catalogue.count()
    answer = await engine.answer(Query(text=text, user=User("u"), place=Place("t"),
                                       received_at=datetime.now(UTC)))
    assert answer.lead
    assert "Traceback" not in answer.lead
    assert len(answer.lead) < 2_000
    assert await catalogue.count() == before


@pytest.mark.parametrize("command", ["summary", "quote", "latest", "search", "help", "bogus"])
@pytest.mark.parametrize("value", ["", '"*NEAR(', "x" * 5_000, "'; DROP TABLE articles;--"])
async def test_command_options_never_crash(engine: Engine, command: str, value: str) -> None:
    args = (("story", value), ("speaker", value), ("query", value), ("count", value))
    answer = await engine.answer(Query(text="", user=User("u"), place=Place("t"),
                                       received_at=datetime.now(UTC), command=command,
                                       args=args))
    assert answer.lead


async def test_a_huge_question_gets_a_clear_message(engine: Engine) -> None:
    answer = await engine.answer(Query(text="kaspersky " * 10_000, user=User("u"),
                                       place=Place("t"), received_at=datetime.now(UTC)))
    assert answer.notice is not None
    assert "too long" in answer.notice
