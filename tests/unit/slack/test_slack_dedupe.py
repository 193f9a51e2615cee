"""The event-id memory used to answer retried events once."""

from __future__ import annotations

from adapters.slack.dedupe import EventDeduper


def test_ttl_and_bound() -> None:
    now = [0.0]
    seen = EventDeduper(ttl=10, max_size=3, clock=lambda: now[0])
    assert seen.first_time("a")
    assert not seen.first_time("a")
    assert seen.first_time(None)
    now[0] = 11
    assert seen.first_time("a")  # expired, so new again
    for name in "bcde":
        seen.first_time(name)
    assert len(seen) == 3
