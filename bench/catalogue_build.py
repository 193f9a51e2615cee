"""Build benchmark catalogues of 1k / 10k / 100k articles from the BBC eval articles.

The 2,125 BBC articles are read with the real reader and analysed once with the real analysis
(``bot.nlp.analyse.analyse_many``); the analyses are cached in ``bench/out/`` (keyed by the
articles' content and the ``bot/nlp`` source, so a change to either re-analyses). Bigger
catalogues store variants of those articles: variant k > 0 appends " (<City> edition k)" to the
title, which shifts every offset after the title by the suffix length (sentences, attributions
and speaker mentions are shifted accordingly and checked), gets its own slug (``business/021~k``)
and its own publication date. So every stored article is distinct content with consistent
offsets, and searches meet realistic near-duplicates.

Usage::

    .venv/bin/python bench/catalogue_build.py --sizes 1000 10000 100000 [--data-dir DIR]

prints ingestion throughput (articles/s analysed, articles/s stored) and, with ``--probe``,
p50/p95 of the raw catalogue calls the engine makes. ``build_catalogue(db_path, n, data_dir)``
is the entry point for the answer-latency benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import pickle
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.catalogue.sqlite import SqliteCatalogue  # noqa: E402
from bot.ingest.readers import find_articles, read_file  # noqa: E402
from bot.ingest.store import Analyser, default_analyser  # noqa: E402
from bot.models import Analysis, ArticleDraft, Attribution, Sentence  # noqa: E402

OUT = REPO / "bench" / "out"
DEFAULT_DATA_DIR = Path(os.environ.get("NEWSBOT_EVAL_DIR", REPO.parent / "shared" / "eval"))
CITIES = (
    "Leeds", "Cardiff", "Glasgow", "Belfast", "Bristol", "Norwich", "Dundee", "Exeter", "York",
    "Derby", "Oxford", "Bath", "Hull", "Truro", "Inverness", "Swansea", "Lincoln", "Durham",
)  # fmt: skip
NEWEST = datetime(2026, 11, 1, tzinfo=UTC)
STORE_BATCH = 500


@dataclass(frozen=True)
class Corpus:
    """The analysed base articles and how long their analysis took."""

    drafts: list[ArticleDraft]
    analyses: list[Analysis]
    analyse_seconds: float
    words: int

    @property
    def analysed_per_second(self) -> float:
        """Articles analysed per second (when the cache was built)."""
        return len(self.drafts) / self.analyse_seconds if self.analyse_seconds else 0.0


def read_bbc(data_dir: Path) -> list[ArticleDraft]:
    """Every distinct BBC article as a draft (slug = category/number), in sorted order.

    88 of the 2,125 files repeat another file word for word; the catalogue stores such
    content once, so they are left out here and every variant is a distinct article."""
    found, _ = find_articles([data_dir / "bbc" / "articles"])
    drafts: dict[str, ArticleDraft] = {}
    for item in found:
        for draft in read_file(item.path, item.slug).drafts:
            drafts.setdefault(draft.content_hash, draft)
    return list(drafts.values())


def _cache_key(drafts: Sequence[ArticleDraft]) -> tuple[str, str]:
    """(articles key, analysis code key): the cache is current when both match."""
    articles, code = hashlib.sha256(), hashlib.sha256()
    for draft in drafts:
        articles.update(draft.content_hash.encode())
    # bot/models.py too: the cache pickles drafts, and a new field must not meet old pickles
    for source in [*sorted((REPO / "bot" / "nlp").glob("*.py")), REPO / "bot" / "models.py"]:
        code.update(source.read_bytes())
    return articles.hexdigest()[:12], code.hexdigest()[:12]


def _cached(drafts: Sequence[ArticleDraft], reuse: bool) -> tuple[Path, Corpus | None]:
    articles, code = _cache_key(drafts)
    cache = OUT / f"bbc_analyses_{articles}_{code}.pkl"
    candidates = [cache] if cache.exists() else []
    if reuse and not candidates:  # same articles, analysed by an older bot/nlp
        candidates = sorted(OUT.glob(f"bbc_analyses_{articles}_*.pkl"), key=os.path.getmtime)
    if not candidates:
        return cache, None
    if candidates[-1] != cache:
        print(f"reusing {candidates[-1].name} (bot/nlp changed since)", file=sys.stderr)
    corpus: Corpus = pickle.loads(candidates[-1].read_bytes())  # our own cache file
    return cache, corpus


async def load_corpus(
    data_dir: Path, analyser: Analyser | None = None, *, reuse_stale: bool = False
) -> Corpus:
    """The BBC drafts with their analyses, from the cache when it is current (or, with
    ``reuse_stale``, from the newest cache of the same articles)."""
    drafts = await asyncio.to_thread(read_bbc, data_dir)
    cache, corpus = await asyncio.to_thread(_cached, drafts, reuse_stale)
    if corpus is not None:
        # The drafts as read now (same texts, by the cache key): a stale cache may hold drafts
        # pickled before a field was added to ArticleDraft.
        return replace(corpus, drafts=drafts)
    analyse = analyser or default_analyser()
    started = time.perf_counter()
    analyses: list[Analysis] = []
    for start in range(0, len(drafts), 64):
        analyses += await analyse(drafts[start : start + 64])
        print(f"\ranalysed {len(analyses)}/{len(drafts)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    seconds = time.perf_counter() - started
    words = sum(len(d.text.split()) for d in drafts)
    corpus = Corpus(drafts, analyses, seconds, words)
    OUT.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(corpus))
    return corpus


def _shift_sentence(s: Sentence, title_len: int, title: str, shift: int) -> Sentence:
    if s.start >= title_len:
        return replace(s, start=s.start + shift, end=s.end + shift)
    if s.end >= title_len:  # the sentence that ends the title grows with it
        return replace(s, end=s.end + shift, text=title[s.start : s.end + shift])
    return s


def _shift_attribution(a: Attribution, title_len: int, shift: int) -> Attribution:
    def moved(offset: int | None) -> int | None:
        return offset + shift if offset is not None and offset >= title_len else offset

    return replace(
        a,
        start=a.start + shift if a.start >= title_len else a.start,
        end=a.end + shift if a.start >= title_len else a.end,
        speaker_start=moved(a.speaker_start),
        speaker_end=moved(a.speaker_end),
    )


def variant(
    draft: ArticleDraft, analysis: Analysis, k: int, published: datetime
) -> tuple[ArticleDraft, Analysis]:
    """Variant ``k`` of an article: k=0 is the article itself (dated), k>0 gets a title suffix,
    its own slug and date, with every offset shifted consistently."""
    if k == 0:
        return replace(draft, published_at=published), analysis
    suffix = f" ({CITIES[k % len(CITIES)]} edition {k})"
    title = draft.title + suffix
    # A variant is its own article: its own slug, and not the file it was made from (a file's
    # path is its identity, so variants keeping it would update one another).
    shifted = replace(draft, title=title, slug=f"{draft.slug}~{k}", published_at=published,
                      origin=None)
    size, shift = len(draft.title), len(suffix)
    new = replace(
        analysis,
        sentences=tuple(_shift_sentence(s, size, title, shift) for s in analysis.sentences),
        attributions=tuple(_shift_attribution(a, size, shift) for a in analysis.attributions),
    )
    return shifted, new


def check_offsets(draft: ArticleDraft, analysis: Analysis) -> None:
    """Every stored offset must point at its text."""
    text = draft.text
    for s in analysis.sentences:
        assert text[s.start : s.end] == s.text, (draft.slug, s)
    for a in analysis.attributions:
        assert text[a.start : a.end] == a.text, (draft.slug, a)
        if a.speaker_start is not None and a.speaker_end is not None and a.speaker_mention:
            assert text[a.speaker_start : a.speaker_end] == a.speaker_mention, (draft.slug, a)


def variants(corpus: Corpus, n: int, seed: int = 7) -> list[tuple[ArticleDraft, Analysis]]:
    """``n`` distinct articles: the base articles first, then edition 1, 2, ... of each."""
    rng = random.Random(seed)  # deterministic dates spread over about two years
    span_minutes = 2 * 365 * 24 * 60
    items = []
    for i in range(n):
        base = i % len(corpus.drafts)
        when = NEWEST - timedelta(minutes=rng.randrange(span_minutes))
        items.append(
            variant(corpus.drafts[base], corpus.analyses[base], i // len(corpus.drafts), when)
        )
    return items


async def build_catalogue(db_path: Path | str, n: int, data_dir: Path | str) -> None:
    """Create a fresh catalogue at ``db_path`` holding ``n`` BBC-derived articles."""
    corpus = await load_corpus(Path(data_dir))
    await build(Path(db_path), n, corpus)


def _fresh(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)


async def build(db_path: Path, n: int, corpus: Corpus) -> float:
    """Build the catalogue from an analysed corpus; returns the seconds spent storing."""
    items = variants(corpus, n)
    for draft, analysis in items[:: max(1, n // 200)]:
        check_offsets(draft, analysis)
    _fresh(db_path)
    catalogue = SqliteCatalogue(db_path)
    await catalogue.open()
    try:
        started = time.perf_counter()
        for start in range(0, n, STORE_BATCH):
            await catalogue.upsert_many(items[start : start + STORE_BATCH])
        seconds = time.perf_counter() - started
        assert await catalogue.count() == n
    finally:
        await catalogue.close()
    return seconds


async def _timed(call: Callable[[], Awaitable[object]], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


async def probe(db_path: Path, repeat: int = 40) -> None:
    """p50/p95 (ms) of the catalogue calls the engine makes, on a built catalogue."""
    catalogue = SqliteCatalogue(db_path)
    await catalogue.open()
    try:
        some = await catalogue.search("kaspersky ban", 5) or await catalogue.latest(5)
        calls: dict[str, Callable[[], Awaitable[object]]] = {
            "search 'oil prices bp profits'": lambda: catalogue.search("oil prices bp profits", 10),
            "search 'what did blair say about the election'": lambda: catalogue.search(
                "what did blair say about the election", 10
            ),
            "search 'said year people government'": lambda: catalogue.search(
                "said year people government", 10
            ),
            "titles 'ch'": lambda: catalogue.titles("ch", 25),
            "latest 10": lambda: catalogue.latest(10),
            "speakers 'bl'": lambda: catalogue.speakers("bl", 25),
            "attributions 'Blair'": lambda: catalogue.attributions_by_speaker("Blair"),
            "attributions 'Blair' in 5": lambda: catalogue.attributions_by_speaker(
                "Blair", [h.id for h in some]
            ),
            "get": lambda: catalogue.get(some[0].id),
            "count": catalogue.count,
        }
        for name, call in calls.items():
            p50, p95 = await _timed(call, repeat)
            print(f"    {name:<48} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
    finally:
        await catalogue.close()


async def main(argv: Sequence[str] | None = None) -> None:
    """Build each size, print throughput (and call latencies with ``--probe``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--probe", action="store_true", help="time raw catalogue calls")
    parser.add_argument(
        "--reuse-stale", action="store_true", help="reuse analyses made by an older bot/nlp"
    )
    args = parser.parse_args(argv)
    corpus = await load_corpus(args.data_dir, reuse_stale=args.reuse_stale)
    print(
        f"analysis: {len(corpus.drafts)} articles ({corpus.words} words) in "
        f"{corpus.analyse_seconds:.1f} s = {corpus.analysed_per_second:.1f} articles/s, "
        f"{corpus.words / corpus.analyse_seconds:.0f} words/s (cached in {OUT.name}/)"
    )
    for n in args.sizes:
        db = args.out / f"catalogue_{n}.db"
        seconds = await build(db, n, corpus)
        size_mb = db.stat().st_size / 1e6
        print(f"{n:>7} articles stored in {seconds:6.1f} s = {n / seconds:7.0f} articles/s "
              f"({size_mb:.0f} MB)")  # fmt: skip
        if args.probe:
            await probe(db)


if __name__ == "__main__":
    asyncio.run(main())
