"""Analyse an article once, at ingestion: sentences, summary ranking, attributions, entities.

One spaCy pass per article (the parse feeds attributions, entities and keywords); sentences
and the ranking need no model. Bulk analysis runs off the event loop: a process pool over both
cores for real batches (each worker loads the model once), a single in-process thread for a
handful of drafts, where starting processes and loading the model twice would cost more than
the work.
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from bot.models import Analysis, ArticleDraft, ArticleKind, Sentence
from bot.nlp.entities import extract_entities, extract_keywords
from bot.nlp.model import WORKERS_ENV, load_nlp
from bot.nlp.names import clean_display
from bot.nlp.orphans import die_with_parent
from bot.nlp.quotes import extract_attributions, parse_article
from bot.nlp.rolerefs import resolve_roles
from bot.nlp.sentences import split_sentences
from bot.nlp.speakerindex import with_descriptions
from bot.nlp.summarize import DEFAULT_K, rank_sentences, summary
from bot.nlp.titles import unglue
from bot.numbers import ascii_int

__all__ = [
    "analyse_draft",
    "analyse_many",
    "analyse_text",
    "analysis_report",
    "shutdown_pools",
]

SMALL_BATCH = 8  # below this, one in-process thread beats starting a pool
MAX_DEFAULT_WORKERS = 4
_CHUNKS_PER_WORKER = 4  # at least this many chunks per worker, so none sits idle at the end
_CHUNK_SIZE = 24  # articles per task in big batches: small enough to balance, big for nlp.pipe
_PIPE_BATCH = 32  # documents per spaCy batch

_pool_lock = threading.Lock()
_process_pools: dict[int, ProcessPoolExecutor] = {}
_thread_pool: ThreadPoolExecutor | None = None


def analyse_text(text: str, kind: ArticleKind = ArticleKind.FULL) -> Analysis:
    """Analyse canonical article text (title line, blank line, paragraphs)."""
    sentences = split_sentences(text)
    doc = parse_article(load_nlp(), text, sentences)
    return _analysis(doc, text, sentences, kind)


def analyse_draft(draft: ArticleDraft) -> Analysis:
    """Analyse a draft; every offset refers to ``draft.text``."""
    return analyse_text(draft.text, draft.kind)


def _analysis(doc: Any, text: str, sentences: list[Sentence], kind: ArticleKind) -> Analysis:
    has_title = bool(sentences) and sentences[0].paragraph == 0
    title = sentences[0].text if has_title else ""
    found, named = extract_attributions(doc, text, sentences)
    entities = extract_entities(doc)
    people = (clean_display(e.text) for e in entities if e.label == "PERSON")
    attributions, speakers = unglue(found, named, people)
    described = with_descriptions(speakers, text, entities)
    attributions, speakers = resolve_roles(attributions, described, text, entities)
    return Analysis(
        sentences=tuple(sentences),
        summary_ranking=_ranking(sentences, title, kind),
        attributions=tuple(attributions),
        entities=entities,
        speakers=tuple(speakers),
        keywords=extract_keywords(doc, sentences[0].end if has_title else 0),
    )


def _ranking(sentences: list[Sentence], title: str, kind: ArticleKind) -> tuple[int, ...]:
    if kind is ArticleKind.TEASER:
        # A teaser holds only the lede: rank it in article order, nothing to choose from.
        return tuple(s.index for s in sentences if s.paragraph >= 1)
    return rank_sentences(sentences, title)


def _analyse_chunk(items: Sequence[tuple[str, ArticleKind]]) -> list[Analysis]:
    """Worker body: split each text, parse the chunk in one batched pass, analyse each doc."""
    nlp = load_nlp()
    split = [split_sentences(text) for text, _ in items]
    prepared = (
        _prepared_doc(nlp, text, sentences)
        for (text, _), sentences in zip(items, split, strict=True)
    )
    docs = nlp.pipe(prepared, batch_size=_PIPE_BATCH)
    return [
        _analysis(doc, text, sentences, kind)
        for doc, sentences, (text, kind) in zip(docs, split, items, strict=True)
    ]


def _prepared_doc(nlp: Any, text: str, sentences: Sequence[Sentence]) -> Any:
    """The unparsed Doc that ``quotes.parse_article`` parses: our sentence starts preset.

    Batching with ``nlp.pipe`` parsed 13% more words per CPU-second than one call per article,
    so bulk analysis prepares the Docs here; a test checks both paths give equal analyses.
    """
    doc = nlp.make_doc(text)
    starts = {s.start for s in sentences}
    for tok in doc:
        if tok.idx in starts:
            tok.is_sent_start = True
    return doc


def _warm_worker() -> None:
    """Load the model and the splitter once per worker."""
    load_nlp()
    split_sentences("Warm up.\n\nThe splitter builds its rules once. Then it is fast.")


def _init_worker(parent: int, warm: Callable[[], object]) -> None:
    """Process-pool initializer: die with the parent (``die_with_parent``), then ``warm``."""
    die_with_parent(parent)
    warm()


def new_worker_pool(
    workers: int, warm: Callable[[], object] = _warm_worker
) -> ProcessPoolExecutor:
    """A spawn-context pool whose workers run ``warm`` once and end when this process does,
    even by SIGKILL (``warm`` must be a picklable module-level function)."""
    # spawn, not fork: the parent runs an event loop and database threads, and a forked child
    # would inherit their locks mid-use.
    ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(os.getpid(), warm))


def _chunks(items: list[tuple[str, ArticleKind]], parts: int) -> Iterator[list[Any]]:
    size = max(1, -(-len(items) // parts))
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _process_pool(workers: int) -> ProcessPoolExecutor:
    with _pool_lock:
        pool = _process_pools.get(workers)
        if pool is None:
            pool = new_worker_pool(workers)
            _process_pools[workers] = pool
        return pool


def _single_thread() -> ThreadPoolExecutor:
    global _thread_pool  # noqa: PLW0603 - one lazily created executor per process
    with _pool_lock:
        if _thread_pool is None:
            _thread_pool = ThreadPoolExecutor(1, thread_name_prefix="newsbot-nlp")
        return _thread_pool


def shutdown_pools() -> None:
    """Stop the analysis workers (also registered to run at interpreter exit)."""
    global _thread_pool  # noqa: PLW0603
    with _pool_lock:
        pools: list[Executor] = [*_process_pools.values()]
        if _thread_pool is not None:
            pools.append(_thread_pool)
        _process_pools.clear()
        _thread_pool = None
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown_pools)


def default_workers() -> int:
    """``NEWSBOT_NLP__WORKERS`` (exported from the settings by the CLI), else one process per
    core up to ``MAX_DEFAULT_WORKERS``."""
    configured = os.environ.get(WORKERS_ENV, "")
    number = ascii_int(configured.strip())
    if number is not None and number > 0:
        return number
    return min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)


async def analyse_many(
    drafts: Sequence[ArticleDraft], workers: int | None = None
) -> list[Analysis]:
    """Analyse drafts off the event loop; results in the drafts' order.

    With ``workers`` given, a pool of that many processes (kept for later calls) does the
    work. By default the pool has one process per core (at most ``MAX_DEFAULT_WORKERS``: each
    holds a model, 300-600 MB), and a batch smaller than
    ``SMALL_BATCH`` runs in one in-process thread instead.
    """
    items = [(d.text, d.kind) for d in drafts]
    if not items:
        return []
    loop = asyncio.get_running_loop()
    count = workers if workers is not None else default_workers()
    if workers is None and len(items) < SMALL_BATCH:
        return await loop.run_in_executor(_single_thread(), _analyse_chunk, items)
    count = max(1, count)
    pool = _process_pool(count)
    futures = [
        loop.run_in_executor(pool, _analyse_chunk, chunk)
        for chunk in _chunks(items, max(count * _CHUNKS_PER_WORKER, len(items) // _CHUNK_SIZE))
    ]
    try:
        parts = await asyncio.gather(*futures)
    except BrokenProcessPool:
        _forget_pool(pool)  # a worker died (killed, out of memory): start afresh next time
        raise
    return [analysis for part in parts for analysis in part]


def _forget_pool(pool: ProcessPoolExecutor) -> None:
    with _pool_lock:
        for key, known in list(_process_pools.items()):
            if known is pool:
                del _process_pools[key]
    pool.shutdown(wait=False, cancel_futures=True)


def analysis_report(path: str, text: str, k: int = DEFAULT_K) -> dict[str, Any]:
    """The stable ``newsbot analyse --json`` object for one file's text (offsets into it)."""
    analysis = analyse_text(text)
    sentences = analysis.sentences
    title = sentences[0].text if sentences and sentences[0].paragraph == 0 else ""
    chosen = summary(sentences, analysis.summary_ranking, k)
    return {
        "file": path,
        "title": title,
        "sentences": [{"text": s.text, "start": s.start, "end": s.end} for s in sentences],
        "summary": [s.index for s in chosen],
        "quotes": [
            {
                "speaker": a.speaker,
                "speaker_start": a.speaker_start,
                "speaker_end": a.speaker_end,
                "cue": a.cue,
                "text": a.text,
                "kind": str(a.kind),
                "start": a.start,
                "end": a.end,
                "sentence": a.sentence,
            }
            for a in analysis.attributions
        ],
    }
