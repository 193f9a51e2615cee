"""A bounded, time-limited memory of Slack event ids, so retried events are answered once."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class EventDeduper:
    """Remembers event ids for ``ttl`` seconds, at most ``max_size`` of them (oldest dropped)."""

    def __init__(
        self,
        ttl: float = 600.0,
        max_size: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max_size = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, event_id: str | None) -> bool:
        """True the first time ``event_id`` is offered within the TTL; events without an id pass."""
        if not event_id:
            return True
        now = self._clock()
        self._expire(now)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now + self._ttl
        while len(self._seen) > self._max_size:
            self._seen.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._seen)

    def _expire(self, now: float) -> None:
        while self._seen:
            oldest, expires = next(iter(self._seen.items()))
            if expires > now:
                return
            del self._seen[oldest]
