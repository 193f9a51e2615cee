"""A per-person limit on questions: a token bucket, so a burst of normal conversation passes
and only a flood is slowed down."""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_TRACKED = 10_000  # people remembered at once; full buckets are forgotten first


class RateLimit:
    """Each key may spend up to ``burst`` questions at once; the bucket refills at ``burst``
    per ``per_seconds``. ``burst <= 0`` disables the limit.

    A fixed gap between questions ("one every 3 s") refuses ordinary use: a slash command
    followed two seconds later by a follow-up in a direct message. A bucket lets that through
    and still stops someone sending questions as fast as they can type.
    """

    def __init__(self, burst: int, per_seconds: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.per_seconds = per_seconds
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    @property
    def _rate(self) -> float:
        return self.burst / self.per_seconds if self.per_seconds > 0 else float("inf")

    def take(self, key: str) -> float:
        """0.0 when ``key`` may ask now (one token is spent), else the seconds until it may."""
        if self.burst <= 0:
            return 0.0
        now = self._clock()
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - at) * self._rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self._rate
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > MAX_TRACKED:
            self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        """Forget the keys whose bucket has refilled (they are as good as new)."""
        self._buckets = {k: (t, at) for k, (t, at) in self._buckets.items()
                         if t + (now - at) * self._rate < self.burst}
