"""Throughput of full article analysis (split, parse, attributions, ranking, entities).

Usage: ``.venv/bin/python bench/nlp_throughput.py /work/shared/eval [--limit N] [--workers 1,2]``

Runs ``bot.nlp.analyse.analyse_many`` over the BBC articles with a pool of 1 and then 2
processes and prints articles/s and words/s on the started pool (pool start and model load
are timed apart), plus peak resident memory of this process and of the largest worker.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.models import ArticleDraft
from bot.nlp import analyse

_BLANK_LINES = re.compile(r"\n\s*\n")


def read_text(path: Path) -> str:
    """Decode UTF-8, else cp1252 (the BBC files hold Latin-1 pound signs)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def load_drafts(data: Path, limit: int | None) -> list[ArticleDraft]:
    """BBC articles as drafts (title line, then blank-line separated paragraphs)."""
    paths = sorted((data / "bbc" / "articles").glob("*/*.txt"))[:limit]
    drafts = []
    for path in paths:
        title, _, body = read_text(path).strip().partition("\n")
        paras = tuple(p.strip() for p in _BLANK_LINES.split(body) if p.strip())
        drafts.append(ArticleDraft(title=title.strip(), paragraphs=paras))
    return drafts


def peak_mb(who: int) -> float:
    """Peak resident set size in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def children_cpu() -> float:
    """CPU seconds used by reaped child processes (the pool's workers, once shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def run(drafts: Sequence[ArticleDraft], workers: int, words: int) -> None:
    """Start the pool (workers load the model), then time one pass over all drafts.

    The machine may be shared: CPU seconds of the workers are printed too, so the rate on an
    idle machine (``words / cpu * workers``) can be told apart from the wall-clock rate.
    """
    cpu0 = children_cpu()
    t0 = time.perf_counter()
    await analyse.analyse_many(drafts[: 2 * workers], workers=workers)
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = await analyse.analyse_many(drafts, workers=workers)
    secs = time.perf_counter() - t0
    assert len(results) == len(drafts)
    analyse.shutdown_pools()
    cpu = children_cpu() - cpu0
    print(
        f"{workers} proc: {secs:6.1f} s  {len(drafts) / secs:6.1f} articles/s  "
        f"{words / secs:7.0f} words/s  (pool start + model load {startup:.1f} s; "
        f"workers' CPU {cpu:.1f} s = {words / cpu:.0f} words per CPU-second)",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run each pool size, print memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="the eval data directory (holds bbc/)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--workers", default="1,2", help="comma list of pool sizes")
    args = parser.parse_args(argv)
    drafts = load_drafts(args.data, args.limit)
    words = sum(len(d.text.split()) for d in drafts)
    print(f"{len(drafts)} articles, {words} words")
    for workers in (int(w) for w in args.workers.split(",")):
        asyncio.run(run(drafts, workers, words))
    print(
        f"peak RSS: main {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
        f"largest worker {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )


if __name__ == "__main__":
    main()
