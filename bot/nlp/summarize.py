"""Extractive summaries: TextRank over TF-IDF sentence vectors with a lead and title prior.

Pure Python and numpy, about a millisecond per news article, so it runs at ingestion next
to the parse and the ranking is stored; answering only slices it. News puts the most important
sentence first, so the lead is always kept when the article has a real one (not a byline or a
dateline), and a personalised PageRank leans towards early sentences and the title's words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.models import ArticleKind, Sentence

FloatArray = npt.NDArray[np.float64]

DEFAULT_K = 3

_DAMPING = 0.85  # PageRank's usual damping: 15% of the score comes from the prior
_LEAD_DECAY = 0.5  # prior weight of body sentence i is 1 / (1 + i) ** _LEAD_DECAY
_TITLE_WEIGHT = 1.0  # prior boost for a sentence that shares the title's words
# Centrality alone prefers short sentences that repeat the article's words; a summary of three
# sentences carries more when they are full ones. Tuned on BBC (ROUGE-2, k=3): centrality x
# (mean in-article frequency of the words) ** 0.5 x (content words) ** 0.75.
_FREQ_EXPONENT = 0.5
_LENGTH_EXPONENT = 0.75
_MAX_ITERATIONS = 100
_TOLERANCE = 1e-6
_LEAD_SCAN = 3  # a byline or dateline can push the real lead to the 2nd or 3rd sentence

# Words, with inner apostrophes kept (`don't`) and a possessive `'s` left out of the match.
_TOKEN = re.compile(r"[a-z0-9]+(?:['’](?!s\b)[a-z]+)*")
_STOPWORD_TEXT = """a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing down during
each few for from further had has have having he her here hers herself him himself his how i if
in into is it its itself just me more most my myself no nor not now of off on once only or other
our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
s t don didn doesn isn wasn aren weren won wouldn couldn shouldn ve ll re d m us get got make
made per cent"""
# "said", "told" and "Mr" are deliberately not stopwords: sentences that report what people
# said are the news, and treating them as content words raised ROUGE-2 on BBC by 1.3 points.
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Bylines, credits and datelines: first "sentences" that are not a lead.
# ("By early 2005 ..." is a lead: only "By" + a capitalised name makes a byline.)
_NOT_LEAD_PREFIX = re.compile(
    r"^(?:by\s+(?-i:[A-Z])|photo|image|picture|copyright|updated|published|posted|last modified)",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]+(?:\([^)]*\))?\s*(?:[-—–:]|$)")  # "LONDON (Reuters) -"
_MIN_LEAD_WORDS = 8


_FOLDED: dict[str, str] = {}  # word -> folded form ("" for a stopword); bounded below
_FOLDED_MAX = 200_000


def tokens(text: str) -> list[str]:
    """Content-word tokens: lower case, possessives and stopwords dropped, plurals folded."""
    out: list[str] = []
    folded = _FOLDED
    for word in _TOKEN.findall(text.lower()):
        form = folded.get(word)
        if form is None:
            form = "" if len(word) < 2 or word in STOPWORDS else _stem(word)
            if len(folded) < _FOLDED_MAX:
                folded[word] = form
        if form:
            out.append(form)
    return out


def _stem(word: str) -> str:
    """A tiny suffix folder (no NLTK data): enough to match `ban`/`bans`, `company`/`companies`."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tfidf(docs: list[list[str]], extra: list[str]) -> tuple[FloatArray, FloatArray]:
    """L2-normalised TF-IDF rows for ``docs`` and the same projection of ``extra`` (the title).

    IDF is computed over the article's own sentences: words every sentence repeats carry no
    signal about which sentence matters.
    """
    vocab: dict[str, int] = {}
    for doc in docs:
        for word in doc:
            vocab.setdefault(word, len(vocab))
    counts = np.zeros((len(docs) + 1, max(len(vocab), 1)))
    for row, doc in enumerate([*docs, extra]):
        for word in doc:
            col = vocab.get(word)
            if col is not None:
                counts[row, col] += 1.0
    df = np.count_nonzero(counts[:-1], axis=0)
    idf = np.log((len(docs) + 1.0) / (df + 1.0)) + 1.0
    weights = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0) * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    weights = weights / np.where(norms == 0, 1.0, norms)
    return weights[:-1], weights[-1]


def _pagerank(sim: FloatArray, prior: FloatArray) -> FloatArray:
    """Personalised PageRank by power iteration.

    Iterating is cheaper than a LAPACK solve at news-article sizes (and never wakes BLAS
    threads, which cost a millisecond a call on a loaded machine).
    """
    row_sums = sim.sum(axis=1, keepdims=True)
    # A sentence sharing no word with any other hands its vote back to the prior.
    trans = np.where(row_sums > 0, sim / np.where(row_sums == 0, 1.0, row_sums), prior[None, :])
    trans_t = np.ascontiguousarray(trans.T)
    scores = prior.copy()
    for _ in range(_MAX_ITERATIONS):
        updated = (1.0 - _DAMPING) * prior + _DAMPING * (trans_t @ scores)
        if float(np.abs(updated - scores).sum()) < _TOLERANCE:
            return updated
        scores = updated
    return scores


def lead_index(sentences: Sequence[Sentence]) -> int | None:
    """The index of the article's real lead sentence, or None (no body, or no prose lead)."""
    body = [s for s in sentences if s.paragraph >= 1]
    for sent in body[:_LEAD_SCAN]:
        if looks_like_prose(sent.text):
            return sent.index
    return None


def looks_like_prose(text: str) -> bool:
    """False for bylines, datelines, credits and fragments that cannot lead a summary."""
    stripped = text.strip()
    if _NOT_LEAD_PREFIX.match(stripped) and len(stripped.split()) < 2 * _MIN_LEAD_WORDS:
        return False
    if _DATELINE.match(stripped) and len(stripped.split()) < _MIN_LEAD_WORDS:
        return False
    return len(text.split()) >= _MIN_LEAD_WORDS and text.rstrip()[-1:] in ".!?\"'”’)"


def _mean_frequency(docs: list[list[str]]) -> FloatArray:
    """How often, on average, a sentence's words occur in the whole article."""
    freq: dict[str, int] = {}
    for doc in docs:
        for word in doc:
            freq[word] = freq.get(word, 0) + 1
    return np.array(
        [sum(freq[w] for w in doc) / len(doc) if doc else 1.0 for doc in docs], dtype=np.float64
    )


def rank_sentences(
    sentences: Sequence[Sentence], title: str, *, keep_lead: bool = True
) -> tuple[int, ...]:
    """Body sentence indexes, most important first; the real lead (if any) first.

    ``keep_lead=False`` gives the pure ranking (benchmarks compare it with other rankers).
    """
    body = [s for s in sentences if s.paragraph >= 1]
    if not body:
        return ()
    docs = [tokens(s.text) for s in body]
    vecs, title_vec = _tfidf(docs, tokens(title))
    sim = vecs @ vecs.T
    np.fill_diagonal(sim, 0.0)
    position = np.arange(len(body), dtype=np.float64)
    prior = 1.0 / (1.0 + position) ** _LEAD_DECAY + _TITLE_WEIGHT * (vecs @ title_vec)
    prior = prior / prior.sum()
    lengths = np.array([max(len(doc), 1) for doc in docs], dtype=np.float64)
    scores = _pagerank(sim, prior) * _mean_frequency(docs) ** _FREQ_EXPONENT
    scores = scores * lengths**_LENGTH_EXPONENT
    order = sorted(range(len(body)), key=lambda i: (-scores[i], i))
    ranking = [body[i].index for i in order]
    lead = lead_index(sentences) if keep_lead else None
    if lead is not None:
        ranking.remove(lead)
        ranking.insert(0, lead)
    return tuple(ranking)


def summary(
    sentences: Sequence[Sentence],
    ranking: Sequence[int],
    k: int = DEFAULT_K,
    kind: ArticleKind = ArticleKind.FULL,
) -> list[Sentence]:
    """The ``k`` best body sentences in article order.

    An article with at most ``k`` body sentences is returned whole; a teaser returns its lede
    (the first body paragraph), since the rest of the story is not ours to summarise.
    """
    body = [s for s in sentences if s.paragraph >= 1]
    if kind is ArticleKind.TEASER:
        return [s for s in body if body and s.paragraph == body[0].paragraph]
    if len(body) <= k:
        return body
    by_index = {s.index: s for s in body}
    chosen = sorted(i for i in list(ranking)[: max(k, 0)] if i in by_index)
    return [by_index[i] for i in chosen]

