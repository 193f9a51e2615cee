"""Role words a reader types against the words an article writes: each equivalence holds
both ways (a reader may type either word, and the article may write the other)."""

from __future__ import annotations

import pytest

from bot.question.rolewords import same_role


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("boss", "chief"), ("ceo", "executive"), ("md", "executive"), ("leader", "head"),
        ("chairman", "chairwoman"), ("chair", "chairman"),
        ("spokesperson", "representative"), ("spokeswoman", "spokesman"),
        ("minister", "secretary"),
        ("prosecutor", "attorney"), ("coach", "manager"),
        ("striker", "forward"), ("singer", "frontman"), ("keeper", "goalkeeper"),
        ("skipper", "captain"), ("envoy", "ambassador"), ("prof", "professor"),
    ],
)
def test_role_equivalences_hold_both_ways(typed: str, written: str) -> None:
    assert written in same_role(typed)
    assert typed in same_role(written)


def test_words_of_no_role_have_no_equivalents() -> None:
    assert same_role("harbour") == frozenset()
