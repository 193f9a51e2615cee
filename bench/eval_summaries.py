"""ROUGE of 3-sentence summaries on the BBC News Summary set, side by side with the peers.

Usage: ``.venv/bin/python bench/eval_summaries.py /work/shared/eval [--limit N] [--k 3]``

Every method ranks the same sentences (newsbot's splitter), so the figures compare ranking
only, and the time per article is the ranking time alone. sumy gets a data-free tokenizer (no
NLTK download): sentences come from our splitter, words from a regex.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rouge_score import rouge_scorer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.models import Sentence
from bot.nlp.sentences import split_sentences
from bot.nlp.summarize import lead_index, rank_sentences, summary

Method = Callable[[list[Sentence], str, int], list[Sentence]]


def read_text(path: Path) -> str:
    """Decode UTF-8, else cp1252 (the BBC files hold Latin-1 pound signs)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


class RegexTokenizer:
    """sumy tokenizer that needs no NLTK data: our sentence splitter and a word regex."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s.text for s in split_sentences("\n\n" + paragraph)]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"\w+(?:'\w+)?", sentence)


def sumy_method(name: str) -> Method:
    """A sumy summarizer fed our sentences (built into sumy's document model directly)."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    cls = {"textrank": TextRankSummarizer, "lexrank": LexRankSummarizer}[name]
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = RegexTokenizer()

    def run(sentences: list[Sentence], title: str, k: int) -> list[Sentence]:
        body = [s for s in sentences if s.paragraph >= 1]
        doc = ObjectDocumentModel([Paragraph([SumySentence(s.text, tokenizer) for s in body])])
        picked = {str(s) for s in summarizer(doc, k)}
        return [s for s in body if s.text in picked][:k]

    return run


def lead_method(sentences: list[Sentence], title: str, k: int) -> list[Sentence]:
    """The first k body sentences."""
    return [s for s in sentences if s.paragraph >= 1][:k]


def newsbot_method(sentences: list[Sentence], title: str, k: int) -> list[Sentence]:
    """Ours: rank, then take k in article order."""
    return summary(sentences, rank_sentences(sentences, title), k)


def newsbot_free_method(sentences: list[Sentence], title: str, k: int) -> list[Sentence]:
    """Ours without the rule that keeps the lead: the ranker alone."""
    return summary(sentences, rank_sentences(sentences, title, keep_lead=False), k)


def load_pairs(data: Path, limit: int | None) -> list[tuple[str, str]]:
    """(article text, reference summary) pairs, the reference's sentences re-spaced."""
    root = data / "bbc"
    arts = sorted((root / "articles").glob("*/*.txt"))
    if limit:
        arts = arts[:: max(1, len(arts) // limit)][:limit]  # spread over the categories
    pairs = []
    for art in arts:
        ref_path = root / "summaries" / art.parent.name / art.name
        if ref_path.exists():
            ref = re.sub(r"([.!?][\"']?)(?=[A-Z\"'])", r"\1 ", read_text(ref_path).strip())
            pairs.append((read_text(art), ref))
    return pairs


def evaluate(pairs: list[tuple[str, str]], methods: dict[str, Method], k: int) -> None:
    """Print ROUGE-1/2/L F (x100), ms per article, and how often the lead is kept."""
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    split = [split_sentences(text) for text, _ in pairs]
    print(f"{len(pairs)} articles, k={k}")
    print(f"{'method':<12}{'R-1':>7}{'R-2':>7}{'R-L':>7}{'ms/art':>9}{'lead kept':>11}")
    for name, method in methods.items():
        scores: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
        elapsed = 0.0
        lead_kept = leads = 0
        for sentences, (_text, ref) in zip(split, pairs, strict=True):
            title = sentences[0].text if sentences else ""
            t0 = time.perf_counter()
            chosen = method(sentences, title, k)
            elapsed += time.perf_counter() - t0
            lead = lead_index(sentences)
            if lead is not None:
                leads += 1
                lead_kept += any(s.index == lead for s in chosen)
            result = scorer.score(ref, " ".join(s.text for s in chosen))
            for key, value in result.items():
                scores[key].append(value.fmeasure)
        means = [100 * statistics.fmean(scores[key]) for key in ("rouge1", "rouge2", "rougeL")]
        ms = 1000 * elapsed / max(1, len(pairs))
        kept = 100 * lead_kept / max(1, leads)
        print(f"{name:<12}{means[0]:7.1f}{means[1]:7.1f}{means[2]:7.1f}{ms:9.3f}{kept:10.1f}%")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments and run every method on the same articles."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path, help="the eval data directory (holds bbc/)")
    parser.add_argument("--limit", type=int, default=None, help="only N articles")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--only", default=None, help="comma list of methods to run")
    args = parser.parse_args(argv)
    methods: dict[str, Method] = {
        "newsbot": newsbot_method,
        "newsbot-free": newsbot_free_method,
        "lead-3": lead_method,
        "sumy-text": sumy_method("textrank"),
        "sumy-lex": sumy_method("lexrank"),
    }
    if args.only:
        methods = {k: v for k, v in methods.items() if k in args.only.split(",")}
    evaluate(load_pairs(args.data, args.limit), methods, args.k)


if __name__ == "__main__":
    main()
