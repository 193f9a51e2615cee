"""The per-person question limit: a token bucket."""

from __future__ import annotations

import pytest

from bot.ratelimit import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_the_bucket_refills_at_its_rate() -> None:
    clock = Clock()
    limit = RateLimit(5, 15.0, clock=clock)
    assert [limit.take("u") for _ in range(5)] == [0.0] * 5
    assert limit.take("u") == pytest.approx(3.0)  # one question per 3 s refills
    assert limit.take("v") == 0.0  # per key
    clock.now += 3.0
    assert limit.take("u") == 0.0
    assert limit.take("u") > 0
    clock.now += 60.0  # a long pause refills to the burst, never beyond it
    assert [limit.take("u") for _ in range(6)][-1] > 0


def test_a_refused_question_costs_nothing() -> None:
    clock = Clock()
    limit = RateLimit(1, 10.0, clock=clock)
    assert limit.take("u") == 0.0
    for _ in range(20):  # hammering while refused does not push the next answer back
        assert limit.take("u") == pytest.approx(10.0)
    clock.now += 10.0
    assert limit.take("u") == 0.0


def test_zero_turns_it_off_and_the_table_stays_small() -> None:
    assert all(RateLimit(0, 15.0).take("u") == 0.0 for _ in range(100))
    clock = Clock()
    limit = RateLimit(2, 1.0, clock=clock)
    for i in range(10_001):
        limit.take(f"user-{i}")
    clock.now += 5.0  # every bucket has refilled: all forgettable
    limit.take("late")
    assert len(limit._buckets) == 1
