"""Semantic matching's costs: model load per process, question embedding, nearest() at 1k / 10k /
100k vectors, answer p95 with semantic matching on and off in the same run, articles embedded
per second, and (``--ingest N``) ``newsbot ingest`` with and without vectors.

Usage::

    .venv/bin/python bench/semantic_latency.py DATA_DIR [--sizes 1000 10000 100000] [--n 200]
        [--reuse] [--ingest 300]

DATA_DIR is the evaluation folder (../shared/eval). Catalogues come from
``bench/catalogue_build.py`` (BBC articles and their "(City edition k)" variants). Vectors: the
base articles are really embedded (cached in bench/out); a variant gets its base article's
vector plus noise (cosine ~0.95 to it), so 100k vectors cost minutes, not the hour that
embedding 100k texts would. The answer figures with semantic matching "on" are
``Engine.answer`` followed by ``nearest`` on the same question: the sequential upper bound of
what a fused resolver adds (run side by side, it would overlap them).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.answer_latency import TARGET_P95_MS, pct, questions  # noqa: E402

MODEL = "all-MiniLM-L6-v2"


def _model(cache: Path | None = None):
    from bot.semantic.files import model_source
    from bot.semantic.model import SemanticModel

    return SemanticModel(model_source(None), cache)


def load_cost() -> None:
    """A fresh process per case: weights unpacked from the zip (first run), then mapped."""
    cache = Path(tempfile.mkdtemp(prefix="newsbot-model-"))
    code = ("import time; t = time.perf_counter()\n"
            "from bot.semantic.files import model_source\n"
            "from bot.semantic.model import SemanticModel\n"
            f"m = SemanticModel(model_source(None), __import__('pathlib').Path(r'{cache}'))\n"
            "m.encoder_now().encode(['what did the minister say about the strike?'])\n"
            "print((time.perf_counter() - t) * 1000)\n")
    for label in ("first process (unpacks the weights)", "later processes (mapped weights)",
                  "later processes (mapped weights)"):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=REPO, check=True)
        wall = (time.perf_counter() - started) * 1000
        print(f"  model load + first question, {label}: {float(done.stdout):.0f} ms in the "
              f"process ({wall:.0f} ms with interpreter start)")
    shutil.rmtree(cache, ignore_errors=True)


def embedding_speed(texts: list[str], articles: list[str]) -> None:
    """Questions one at a time with one BLAS thread and with OpenBLAS's default; articles in
    batches as ingestion embeds them."""
    from bot.semantic.blas import blas_threads, limit_blas_threads

    encoder = _model().encoder_now()
    default = os.cpu_count() or 1
    for threads in (1, default, 1):
        limit_blas_threads(threads)
        samples = []
        for text in texts:
            started = time.perf_counter()
            encoder.encode([text])
            samples.append((time.perf_counter() - started) * 1000)
        p50, p95 = pct(samples)
        print(f"  question embedding, {blas_threads()} BLAS thread(s): p50 {p50:.1f} ms, "
              f"p95 {p95:.1f} ms ({len(texts)} questions)")
    limit_blas_threads(1)
    started = time.perf_counter()
    for start in range(0, len(articles), 64):
        encoder.encode(articles[start : start + 64])
    seconds = time.perf_counter() - started
    print(f"  article embedding (title + 3 lead sentences, batches of 64, 1 BLAS thread): "
          f"{len(articles) / seconds:.1f} articles/s ({len(articles)} articles)")


def base_vectors(db: Path) -> tuple[list[str], np.ndarray]:
    """The real vectors of the base articles (slug without "~k"), cached by their texts."""
    from bot.semantic.store import _TEXT, Pending, embed_text

    con = sqlite3.connect(db)
    rows = con.execute(_TEXT + " WHERE a.slug NOT LIKE '%~%' ORDER BY a.id").fetchall()
    con.close()
    base = [Pending(r[0], r[1], embed_text(r[2], r[3])) for r in rows]
    slugs = dict(sqlite3.connect(db).execute(
        "SELECT id, slug FROM articles WHERE slug NOT LIKE '%~%'"))
    key = hashlib.sha256("\n".join(p.text for p in base).encode()).hexdigest()[:12]
    cache = REPO / "bench" / "out" / f"base_vectors_{key}.npy"
    if cache.exists():
        return [slugs[p.article_id] for p in base], np.load(cache)
    print(f"  embedding the {len(base)} base articles once (cached in {cache.name})")
    started = time.perf_counter()
    vectors = _model().encoder_now().encode([p.text for p in base])
    print(f"  ... {len(base) / (time.perf_counter() - started):.1f} articles/s")
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return [slugs[p.article_id] for p in base], vectors


def fill_vectors(db: Path) -> None:
    """One vector per article: real for base articles, base + noise for their variants."""
    con = sqlite3.connect(db)
    if con.execute("SELECT count(*) FROM article_vectors").fetchone()[0]:
        return
    names, vectors = base_vectors(db)
    by_slug = dict(zip(names, vectors, strict=True))
    rng = np.random.default_rng(3)
    rows = []
    for article_id, slug, content_hash in con.execute(
            "SELECT id, slug, content_hash FROM articles"):
        vector = by_slug[slug.split("~")[0]]
        if "~" in slug:
            vector = vector + rng.normal(0, 0.016, vector.shape).astype(np.float32)
            vector /= np.linalg.norm(vector)
        rows.append((article_id, MODEL, 384, "f2", content_hash,
                     vector.astype("<f2").tobytes()))
    with con:
        con.executemany("INSERT INTO article_vectors (article_id, model, dim, dtype,"
                        " content_hash, vector) VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.close()


async def measure(db: Path, n: int) -> None:
    """Fresh process: nearest alone, then answers with semantic matching off and on."""
    from bot.catalogue.sqlite import SqliteCatalogue
    from bot.engine import Engine
    from bot.messages import Place, Query, User
    from bot.semantic.index import VectorIndex
    from bot.semantic.store import VectorStore

    catalogue = SqliteCatalogue(db)
    await catalogue.open()
    index = VectorIndex(VectorStore(str(db)), _model())
    started = time.perf_counter()
    size = await index.refresh()
    await index.nearest("warm up the model", 1)
    print(f"    index load: {size} vectors + model in {time.perf_counter() - started:.2f} s; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    sets = questions(db, n)
    texts = sets["summary"] + sets["quote about"]
    nearest = []
    for text in texts:
        started = time.perf_counter()
        await index.nearest(text, 10)
        nearest.append((time.perf_counter() - started) * 1000)
    p50, p95 = pct(nearest)
    print(f"    {'nearest(question, 10)':<34} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    rows = index._refresh()  # the matrix search alone, without embedding the question
    probe = np.random.default_rng(5).normal(size=(50, rows.dim)).astype(np.float32)
    probe /= np.linalg.norm(probe, axis=1, keepdims=True)
    search = []
    for vector in probe:
        started = time.perf_counter()
        rows.top(vector, 10)
        search.append((time.perf_counter() - started) * 1000)
    p50, p95 = pct(search)
    print(f"    {'  of which cosine + top-k':<34} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    off, on = Engine(catalogue), Engine(catalogue, semantic=index)
    cases = (("answers, semantic off", off, False), ("answers, engine with the index", on, False),
             ("answers + nearest (semantic on)", on, True))
    samples: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    for text in texts:  # the cases interleaved, so a busy moment hits all of them alike
        for label, engine, also in cases:
            query = Query(text, User("bench"), Place("bench"), datetime.now(UTC))
            started = time.perf_counter()
            await engine.answer(query)
            if also:
                await index.nearest(text, 10)
            samples[label].append((time.perf_counter() - started) * 1000)
    for label, taken in samples.items():
        p50, p95 = pct(taken)
        verdict = "OK" if p95 < TARGET_P95_MS else "OVER TARGET"
        print(f"    {label:<34} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({verdict})")
    print(f"    load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    index.close()
    await catalogue.close()
    print(f"    spaCy / torch imported: {'spacy' in sys.modules} / {'torch' in sys.modules}")


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (and theirs): the ingest's whole cost,
    which a busy machine does not inflate the way it inflates wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ingest(data_dir: Path, count: int) -> None:
    """``newsbot ingest`` of ``count`` BBC files into fresh catalogues, vectors off then on."""
    files = sorted((data_dir / "bbc" / "articles").rglob("*.txt"))[:count]
    folder = Path(tempfile.mkdtemp(prefix="newsbot-ingest-"))
    for path in files:
        target = folder / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
    rates: dict[str, float] = {}
    cpus: dict[str, float] = {}
    for semantic in ("false", "true"):
        env = {**os.environ, "NEWSBOT_DATABASE_URL": f"sqlite:///{folder / semantic}.db",
               "NEWSBOT_SEARCH__SEMANTIC": semantic}
        # A first run creates the catalogue and stores the seeds: not part of the timing.
        subprocess.run([sys.executable, "-m", "bot.cli", "stories", "--limit", "1"], env=env,
                       cwd=REPO, check=True, capture_output=True)
        started, cpu = time.perf_counter(), _children_cpu()
        subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(folder)], env=env,
                       cwd=REPO, check=True, capture_output=True)
        rates[semantic] = (time.perf_counter() - started) / len(files) * 1000
        cpus[semantic] = (_children_cpu() - cpu) / len(files) * 1000
        print(f"  newsbot ingest {len(files)} BBC articles, semantic {semantic}: "
              f"{rates[semantic]:.1f} ms/article wall, {cpus[semantic]:.1f} ms/article CPU "
              f"(all processes; load average {os.getloadavg()[0]:.1f})")
    print(f"  ingestion with vectors / without: {rates['true'] / rates['false']:.2f}x wall, "
          f"{cpus['true'] / cpus['false']:.2f}x CPU (target <= 1.5x)")
    shutil.rmtree(folder, ignore_errors=True)


def _lead(analysis: object) -> str:
    """The first three body sentences of an analysis (what ingestion embeds)."""
    body = [s.text for s in analysis.sentences if s.paragraph > 0]  # type: ignore[attr-defined]
    return " ".join(body[:3])


def main() -> None:
    """Model and embedding figures, then each catalogue size in a fresh process."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, nargs="?")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--n", type=int, default=200, help="questions per type")
    parser.add_argument("--reuse", action="store_true", help="measure catalogues built before")
    parser.add_argument("--ingest", type=int, default=0, metavar="N",
                        help="also time newsbot ingest of N BBC files, vectors off and on")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--only-ingest", action="store_true", help="skip the other figures")
    args = parser.parse_args()
    if args.only_ingest and args.data_dir is not None:
        ingest(args.data_dir, args.ingest or 200)
        return
    if args.measure:
        asyncio.run(measure(args.measure, args.n))
        return
    if args.data_dir is None:
        parser.error("DATA_DIR (the evaluation folder, e.g. ../shared/eval) is required")
    from bench.catalogue_build import OUT, build, load_corpus

    corpus = asyncio.run(load_corpus(args.data_dir, reuse_stale=True))
    print("model:")
    load_cost()
    from bot.semantic.store import embed_text

    sample = [embed_text(d.title, _lead(a)) for d, a in zip(corpus.drafts[:256],
                                                           corpus.analyses, strict=False)]
    asked = [f"what happened with {d.title.lower()}" for d in corpus.drafts[:args.n]]
    embedding_speed(asked, sample)
    for size in args.sizes:
        db = OUT / f"catalogue_{size}.db"
        if not (args.reuse and db.exists()):
            seconds = asyncio.run(build(db, size, corpus))
            print(f"built {size} articles in {seconds:.1f} s")
        fill_vectors(db)
        print(f"{size} articles:")
        subprocess.run([sys.executable, __file__, "--measure", str(db), "--n", str(args.n)],
                       check=True)
    if args.ingest:
        print("ingestion:")
        ingest(args.data_dir, args.ingest)


if __name__ == "__main__":
    main()
