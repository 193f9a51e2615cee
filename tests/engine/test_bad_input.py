"""Bad input never crashes, never leaks, and never changes the catalogue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.catalogue.base import Catalogue
from bot.engine import MAX_INPUT_CHARS, Engine
from bot.intents import MAX_QUESTION_CHARS
from bot.messages import Place, Query, User, Visibility

SEED_TITLE = "Kremlin decries US Kaspersky ban as 'unfair competition'"
HELP, TOO_LONG, NOT_FOUND, SEED, LATEST = "help", "too long", "not found", "seed", "latest"
WHOSE = 'Whose quotes? For example "what did Peskov say?" or "quotes from the Kaspersky story".'
SEARCH_WHAT = 'What should I search for? For example "search ban".'
WHICH = 'Which story? For example "summarize the Kaspersky story".'

# Each bad input and the kind of answer it must get (not just "some text").
EVIL = [
    ("", HELP),
    ("   ", HELP),
    ("x" * 100_000, TOO_LONG),
    ('"', NOT_FOUND),
    ('"unbalanced', NOT_FOUND),
    ("*", NOT_FOUND),
    ("kasp*", NOT_FOUND),
    ("NEAR(kaspersky ban)", SEED),
    ("-kaspersky", SEED),
    ("kaspersky OR", SEED),
    ("OR AND NOT", NOT_FOUND),
    ("^kaspersky", SEED),
    ("title:kaspersky", NOT_FOUND),
    ("'; DROP TABLE articles; --", NOT_FOUND),
    ("1 OR 1=1", NOT_FOUND),
    ("\x00\x01\x1b[2J kaspersky", SEED),
    ("summarize \U0001f4f0\U0001f525 story", NOT_FOUND),
    ("ما هو الخبر عن كاسبرسكي", NOT_FOUND),
    ("what did \u202eyeksep say?",
     "I found no quotes from \u201cyeksep\u201d in the stored articles."),
    ("who said ''?", WHOSE),
    ("who said \"", WHOSE),
    ("what did say?", WHOSE),
    ("latest 0", LATEST),
    ("latest -5", LATEST),
    ("search", SEARCH_WHAT),
    ("search \"\"", SEARCH_WHAT),
    ("@everyone summarize <@&123>", WHICH),
    (" " * 100_000 + "kaspersky", SEED),
]


@pytest.mark.parametrize(("text", "expected"), EVIL)
async def test_free_text_never_crashes(
    engine: Engine, catalogue: Catalogue, text: str, expected: str
) -> None:
    before = await catalogue.count()
    answer = await engine.answer(Query(text=text, user=User("u"), place=Place("t"),
                                       received_at=datetime.now(UTC)))
    assert answer.lead
    assert "Traceback" not in answer.lead
    assert len(answer.lead) < 2_000
    assert await catalogue.count() == before
    if expected == HELP:
        assert answer.intent == "help"
        assert answer.cards == ()
    elif expected == TOO_LONG:
        assert answer.notice is not None
        assert "too long" in answer.notice
    elif expected == NOT_FOUND:
        assert answer.cards == ()
        assert (answer.notice or "").startswith("I couldn't find a story matching")
    elif expected == SEED:
        assert [c.title for c in answer.cards] == [SEED_TITLE]
    elif expected == LATEST:
        assert answer.intent == "latest"
        assert len(answer.cards) == 5
        assert answer.notice is not None
        assert "is not a number of stories" in answer.notice
    else:
        assert answer.cards == ()
        assert answer.notice == expected


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


@pytest.mark.parametrize("filler", ["x", " ", "kaspersky "])
async def test_input_past_the_work_bound_gets_a_clear_message(engine: Engine, filler: str) -> None:
    text = (filler * (MAX_INPUT_CHARS // len(filler) + 1))[: MAX_INPUT_CHARS + 1]
    answer = await engine.answer(Query(text=text, user=User("u"), place=Place("t"),
                                       received_at=datetime.now(UTC)))
    assert answer.intent == "help"
    assert answer.notice == (f"That question is too long ({MAX_INPUT_CHARS + 1} characters);"
                             f" please keep it under {MAX_QUESTION_CHARS}.")
    assert answer.visibility is Visibility.EPHEMERAL
