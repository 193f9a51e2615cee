"""Latency of quote questions as people type them, this code beside a previous one.

Each question of a question file (``{"quotes": [{"q": ...}, ...]}``, e.g. the development set
``../shared/eval/questions/dev.json``) is answered in-process through ``Engine.answer`` over
an existing catalogue, after one warm-up pass; p50/p95/max are printed for this tree and, with
``--baseline-src DIR`` (an export of the previous code, e.g. ``git archive main``), for that
tree in a subprocess over the same database and questions. The database is opened read-only
in effect: answering never writes.

Usage::

    .venv/bin/python bench/quote_latency.py QUESTIONS.json --db PATH [--baseline-src DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _measure(questions: list[str], db: str, rounds: int) -> list[float]:
    sys.path.insert(0, os.environ.get("BENCH_SRC", str(REPO)))
    from bot.catalogue.sqlite import SqliteCatalogue
    from bot.engine import Engine
    from bot.messages import Place, Query, User

    async def run() -> list[float]:
        catalogue = SqliteCatalogue(db)
        await catalogue.open()
        engine = Engine(catalogue)
        times: list[float] = []
        try:
            for round_ in range(rounds + 1):
                for text in questions:
                    query = Query(text=text, user=User("bench"), place=Place("bench", "c"),
                                  received_at=datetime.now(UTC))
                    start = time.perf_counter()
                    await engine.answer(query)
                    if round_:  # the first round warms caches and imports
                        times.append((time.perf_counter() - start) * 1000)
        finally:
            await catalogue.close()
        return times

    return asyncio.run(run())


def _report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{label:<10} n={len(times):4d}  p50 {statistics.median(times):6.1f} ms"
          f"  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms")


def main() -> None:
    """Measure this tree, then the baseline tree if given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-src", type=Path)
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    questions = [item["q"] for item in json.loads(args.questions.read_text())["quotes"]]
    times = _measure(questions, args.db, args.rounds)
    if args.raw:
        print(json.dumps(times))
        return
    _report("this code", times)
    if args.baseline_src:
        env = dict(os.environ, BENCH_SRC=str(args.baseline_src.resolve()),
                   PYTHONPATH=str(args.baseline_src.resolve()))
        out = subprocess.run(
            [sys.executable, __file__, str(args.questions), "--db", args.db, "--rounds",
             str(args.rounds), "--raw"], env=env, check=True, capture_output=True, text=True,
        )
        _report("baseline", json.loads(out.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
