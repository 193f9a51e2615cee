"""Escaping hostile article text for Discord: ``adapters.discord.escape.clean`` against
``discord.utils.escape_markdown`` (what ``clean`` used before), on runs that made the latter
quadratic. Prints seconds per call for each input size, both side by side.

Run: .venv/bin/python bench/escape_bench.py [--sizes 1000,4000,16000]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from discord.utils import escape_markdown

from adapters.discord.escape import clean

RUNS = {"'<' run": "<", "blank lines": "\n", "'[' run": "[", "prose": "A sentence, with words. "}


def seconds(escape: Callable[[str], str], text: str) -> float:
    """Best of three, one call each."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        escape(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,4000,16000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"{'input':<14}{'chars':>8}{'clean (s)':>12}{'escape_markdown (s)':>22}")
    for name, unit in RUNS.items():
        for size in sizes:
            text = (unit * size)[:size]
            ours, theirs = seconds(clean, text), seconds(escape_markdown, text)
            print(f"{name:<14}{size:>8}{ours:>12.4f}{theirs:>22.4f}")


if __name__ == "__main__":
    main()
