"""Per-user cooldown on questions (slash commands and free text; autocomplete is exempt)."""

from __future__ import annotations

import time
from collections.abc import Callable


class Cooldown:
    """Allows one question per ``seconds`` per key; ``seconds <= 0`` disables it."""

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._last: dict[str, float] = {}

    def hit(self, key: str) -> float:
        """0.0 and record the question when allowed, else the seconds left to wait."""
        if self.seconds <= 0:
            return 0.0
        now = self._clock()
        last = self._last.get(key)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last[key] = now
        if len(self._last) > 10_000:
            self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        """Forget users whose cooldown is over, so the table stays small."""
        self._last = {k: t for k, t in self._last.items() if now - t < self.seconds}
