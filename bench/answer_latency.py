"""Answer latency of the engine at 1k, 10k and 100k articles (issue: p95 under 50 ms at 100k).

For each size the catalogue is built (or reused) by ``bench/catalogue_build.py`` from the BBC
evaluation articles, then a fresh process that never imports spaCy answers realistic questions
through ``Engine.answer`` and prints p50/p95 per question type, next to the 50 ms target and
next to the raw FTS query the answer starts with (the floor the engine's own work adds to).

Usage::

    .venv/bin/python bench/answer_latency.py DATA_DIR [--sizes 1000 10000 100000] [--n 200]
        [--semantic] [--baseline DIR]

DATA_DIR is the evaluation folder (../shared/eval). Questions are derived from the stored
articles themselves (distinctive title words, quoted speakers), sampled with a fixed seed.
``--semantic`` gives every article a vector (``bench/semantic_latency.py``'s ``fill_vectors``:
real for the base articles, base + noise for their editions) and answers with the engine's
``VectorIndex``, so at 100k the meaning search really scans 100k vectors. ``--baseline DIR``
(an exported older tree, e.g. ``git archive <commit> | tar -x -C DIR``) measures that code on
the same catalogues and questions in the same run, alternating with this code.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET_P95_MS = 50.0
STOP = {"the", "and", "for", "with", "from", "over", "into", "after", "says", "said", "new"}


def questions(db: Path, n: int, seed: int = 11) -> dict[str, list[str]]:
    """Summary and quote questions built from what the catalogue holds."""
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    # Sampled with the seeded generator (not SQL random()), so two runs on one catalogue, with
    # this code and the previous, ask the same questions.
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id")]
    picked = rng.sample(ids, min(len(ids), n * 3))
    rows = [con.execute("SELECT title, slug FROM articles WHERE id = ?", (i,)).fetchone()
            for i in picked]
    titles = [r[0] for r in rows]
    slugs = [r[1] for r in rows[:n]]
    quoted = [r[0] for r in con.execute(
        "SELECT speaker FROM attributions WHERE speaker IS NOT NULL AND length(speaker) > 3 "
        "ORDER BY article_id, ord")]
    speakers = rng.sample(quoted, min(len(quoted), n * 3))
    con.close()
    summary = []
    for title in titles:
        # Bigger catalogues hold "(City edition k)" variants of each story: name the edition,
        # as a reader of that edition would, so the question has one right answer.
        base, _, edition = title.partition(" (")
        words = [w for w in base.replace("'", " ").split() if w.isalpha()
                 and w.casefold() not in STOP and len(w) > 3]
        if len(words) >= 2:
            extra = f" {edition.rstrip(')')}" if edition else ""
            summary.append(f"summarize the {' '.join(rng.sample(words, 2))}{extra} story")
    quote = [f"what did {s} say?" for s in speakers]
    return {"summary": summary[:n], "summary by id": [f"\x00{slug}" for slug in slugs],
            "quote": quote[:n],
            "quote about": [f"what did {s} say about {t.split()[0]}" for s, t in
                            zip(speakers[:n], titles, strict=False)]}


def pct(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


async def measure(db: Path, n: int, semantic: bool) -> None:
    """Runs in a fresh process: answer every question, print p50/p95, prove no spaCy."""
    from bot.catalogue.sqlite import SqliteCatalogue
    from bot.engine import Engine
    from bot.messages import Place, Query, User

    catalogue = SqliteCatalogue(db)
    await catalogue.open()
    index = None
    if semantic:
        from bot.semantic.files import model_source
        from bot.semantic.index import VectorIndex
        from bot.semantic.model import SemanticModel
        from bot.semantic.store import VectorStore

        index = VectorIndex(VectorStore(str(db)), SemanticModel(model_source(None), None))
        started = time.perf_counter()
        await index.warm()
        size = await index.refresh()
        print(f"    semantic index: {size} vectors + model loaded in "
              f"{time.perf_counter() - started:.1f} s")
    engine = Engine(catalogue, semantic=index)
    sets = questions(db, n)
    raw: list[float] = []
    for text in sets["summary"][:50]:  # the raw FTS query, for comparison
        started = time.perf_counter()
        await catalogue.search(text, 5)
        raw.append((time.perf_counter() - started) * 1000)
    p50, p95 = pct(raw)
    print(f"    {'raw catalogue.search (floor)':<30} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    for kind, texts in sets.items():
        samples, answered = [], 0
        for text in texts:
            query = Query(text, User("bench"), Place("bench"), datetime.now(UTC))
            if text.startswith("\x00"):  # /news summary story:<id>, as autocomplete sends it
                query = Query("", User("bench"), Place("bench"), datetime.now(UTC),
                              command="summary", args=(("story", text[1:]),))
            started = time.perf_counter()
            answer = await engine.answer(query)
            samples.append((time.perf_counter() - started) * 1000)
            answered += bool(answer.cards)
        p50, p95 = pct(samples)
        verdict = "OK" if p95 < TARGET_P95_MS else "OVER TARGET"
        print(f"    {kind + ' answers':<30} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
              f"({len(texts)} questions, {answered} with a story; target p95 < "
              f"{TARGET_P95_MS:.0f} ms: {verdict})")
    if index is not None:
        index.close()
    await catalogue.close()
    print(f"    spaCy imported while answering: {'spacy' in sys.modules}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    """Build each size if needed, then measure it in a clean process."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, nargs="?")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--n", type=int, default=200, help="questions per type")
    parser.add_argument("--reuse", action="store_true", help="measure catalogues built before")
    parser.add_argument("--semantic", action="store_true",
                        help="answer with a vector per article and the semantic index")
    parser.add_argument("--baseline", type=Path, help="an older tree measured beside this one")
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if args.code:  # the tree whose bot/ answers: this one, or the baseline's
            sys.path.insert(0, str(args.code.resolve()))
        asyncio.run(measure(args.measure, args.n, args.semantic))
        return
    from bench.catalogue_build import OUT, build, load_corpus

    if args.data_dir is None:
        parser.error("DATA_DIR (the evaluation folder, e.g. ../shared/eval) is required")
    corpus = None
    for size in args.sizes:
        db = OUT / f"catalogue_{size}.db"
        if not (args.reuse and db.exists()):
            # Analyses are cached by content and bot/nlp source; the catalogue is rebuilt so
            # it always has the current schema and storage code.
            corpus = corpus or asyncio.run(load_corpus(args.data_dir))
            seconds = asyncio.run(build(db, size, corpus))
            print(f"built {size} articles in {seconds:.1f} s ({size / seconds:.0f} articles/s)")
        if args.semantic:
            from bench.semantic_latency import fill_vectors

            fill_vectors(db)
        trees = [("this code", REPO)] + ([("baseline", args.baseline)] if args.baseline else [])
        for label, tree in trees:
            print(f"{size} articles, {label} ({tree}), semantic "
                  f"{'on' if args.semantic else 'off'}:", flush=True)
            subprocess.run([sys.executable, __file__, "--measure", str(db), "--n", str(args.n),
                            "--code", str(tree), *(["--semantic"] if args.semantic else [])],
                           check=True)


if __name__ == "__main__":
    main()
