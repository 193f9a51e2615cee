"""Attribution benchmark on PolNeAR (brat standoff), ours side by side with textacy.

    .venv/bin/python bench/eval_quotes.py ../shared/eval [--limit N] [--cache DIR] [--errors F]

Scoring (../shared/eval/README.md): a predicted attribution matches a gold one when their
Content spans overlap by at least 50% of the shorter span, one-to-one (greedy, largest overlap
first). Gold Content may be discontinuous (a split quote, a quote continued in the next
paragraph): overlap is summed over fragments. Our pieces of one utterance (a quote continued
in another paragraph: no mention, the same speaker and cue as the nearest attribution with a
mention, before it or else after it) are grouped the same way for "newsbot";
"newsbot-pieces" scores every attribution on its own, as a consumer of `newsbot analyse
--json` would. (Split quotes within a paragraph are one attribution already.) Both count
thought and perception ("believes", "wants") and attributions nested in another's words as
PolNeAR's annotators do; "newsbot-speech" is what ingestion stores (speech only, outermost
attributions only), so its "all" recall is lower by design.
"quotes" = gold Content holding a double quotation mark (straight, curly, guillemet, or the
`''` pairs of some wires; single marks are too often apostrophes to count); our quote
predictions are the direct and partial ones. Speaker correct = the predicted mention overlaps
the gold Source, or for a prediction without a mention, the resolved name shares a word with
it. End-to-end recall = gold attributions matched with the speaker right (gold without a Source
counts as missed: every prediction names someone).

Articles are split in two halves by a hash of the file name: "tune" (look at its errors)
and "check" (held back: a gap between the two means overfitting). Both are reported.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.models import Attribution, AttributionKind, Sentence
from bot.nlp.model import load_nlp
from bot.nlp.quotemarks import has_quote_mark
from bot.nlp.quotes import extract_attributions, parse_article
from bot.nlp.sentences import paragraph_spans, split_sentences

Frags = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Item:
    """One attribution (gold or predicted): content fragments and speaker."""

    content: Frags
    source: Frags  # empty: no mention
    name: str | None = None  # resolved speaker name (predictions)
    quote: bool = False
    cue: str = ""  # the cue words (for error listings)


@dataclass(slots=True)
class Tally:
    """Counts for one system on one subset (all, or quotes only)."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    with_source: int = 0
    speaker_ok: int = 0
    e2e: int = 0

    def row(self) -> str:
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.speaker_ok / self.with_source if self.with_source else 0.0
        e2e = self.e2e / self.gold if self.gold else 0.0
        return (
            f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  speaker acc {acc:.3f}  e2e R {e2e:.3f}"
            f"  (gold {self.gold}, pred {self.pred}, matched {self.matched})"
        )


@dataclass(slots=True)
class Scores:
    """Per-system tallies and timings over a set of articles."""

    all: Tally = field(default_factory=Tally)
    quotes: Tally = field(default_factory=Tally)
    seconds: float = 0.0
    articles: int = 0


def read_gold(ann: Path, text: str) -> list[Item]:
    """Gold attributions from a brat .ann file (E lines linking Content, Source)."""
    spans: dict[str, Frags] = {}
    items: list[Item] = []
    events: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2 and " " in parts[1]:
            rng = parts[1].split(" ", 1)[1]
            spans[parts[0]] = tuple(
                (int(a), int(b)) for a, b in (f.split() for f in rng.split(";"))
            )
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(a.split(":", 1) for a in parts[1].split()[1:] if ":" in a))
    for ev in events:
        # An event may carry Content, Content2...: one attribution, several pieces.
        pieces = [spans.get(v, ()) for k, v in ev.items() if k.startswith("Content")]
        content = tuple(sorted(f for piece in pieces for f in piece))
        if not content:
            continue
        source = spans.get(ev.get("Source", ""), ())
        words = " ".join(text[a:b] for a, b in content)
        cue = " ".join(text[a:b] for a, b in spans.get(ev.get("Cue", ""), ()))
        items.append(Item(content, source, quote=has_quote_mark(words), cue=cue))
    return items


def _length(f: Frags) -> int:
    return sum(b - a for a, b in f)


def _overlap(x: Frags, y: Frags) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in x for c, d in y)


def match(gold: Sequence[Item], pred: Sequence[Item]) -> list[tuple[Item, Item]]:
    """One-to-one matches with overlap >= 50% of the shorter span, largest overlap first."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g.content, p.content)
            if ov and ov >= 0.5 * min(_length(g.content), _length(p.content)):
                cands.append((ov, gi, pi))
    cands.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], pred[pi]))
    return pairs


_WORD = re.compile(r"\w+")


def speaker_ok(g: Item, p: Item, text: str) -> bool:
    """Mention overlaps the gold Source; or, with no mention, the name shares a word."""
    if not g.source:
        return False
    if p.source:
        return _overlap(g.source, p.source) > 0
    gold_words = {w.casefold() for a, b in g.source for w in _WORD.findall(text[a:b])}
    return bool(p.name) and bool(gold_words & {w.casefold() for w in _WORD.findall(p.name or "")})


def tally(t: Tally, gold: Sequence[Item], pred: Sequence[Item], text: str) -> list[Item]:
    """Add one article to ``t``; returns the unmatched gold items (for error dumps)."""
    pairs = match(gold, pred)
    t.gold += len(gold)
    t.pred += len(pred)
    t.matched += len(pairs)
    for g, p in pairs:
        ok = speaker_ok(g, p, text)
        t.with_source += bool(g.source)
        t.speaker_ok += ok
        t.e2e += ok
    hit = {id(g) for g, _ in pairs}
    return [g for g in gold if id(g) not in hit]


def ours(doc: Any, text: str, sentences: Sequence[Sentence]) -> list[Item]:
    """Our attributions as PolNeAR defines them (thought and perception too), pieces of one
    utterance grouped (see ``_utterance_of``)."""
    found = extract_attributions(doc, text, sentences, thought=True, nested=True)[0]
    return _items(found, grouped=True)


def ours_raw(doc: Any, text: str, sentences: Sequence[Sentence]) -> list[Item]:
    """As ``ours``, each attribution scored on its own (as a consumer of the JSON would)."""
    found = extract_attributions(doc, text, sentences, thought=True, nested=True)[0]
    return _items(found, grouped=False)


def ours_speech(doc: Any, text: str, sentences: Sequence[Sentence]) -> list[Item]:
    """What the product stores: speech only (no "believes", "wants", "decided"), and no
    attribution nested in another's words, grouped."""
    return _items(extract_attributions(doc, text, sentences)[0], grouped=True)


def _items(atts: Sequence[Attribution], *, grouped: bool) -> list[Item]:
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for i, a in enumerate(atts):
        key: tuple[Any, ...] = (id(a),)
        if grouped and a.speaker_start is not None:
            key = (a.speaker_start, a.speaker_end, a.cue)
        elif grouped and a.kind is AttributionKind.DIRECT:
            key = _utterance_of(atts, i) or key
        groups.setdefault(key, []).append(a)
    items = []
    for group in groups.values():
        content = tuple(sorted((a.start, a.end) for a in group))
        first = group[0]
        source: Frags = (
            () if first.speaker_start is None else ((first.speaker_start, first.speaker_end),)
        )
        quote = any(a.kind is not AttributionKind.REPORTED for a in group)
        items.append(Item(content, source, first.speaker, quote, first.cue))
    return items


def _utterance_of(atts: Sequence[Attribution], i: int) -> tuple[Any, ...] | None:
    """Group key of the utterance an implicit piece (no mention) continues: the nearest
    attribution with a mention, the same speaker and cue, before it, else after it."""
    piece = atts[i]
    before = reversed(atts[:i])
    after = iter(atts[i + 1 :])
    for side in (before, after):
        for a in side:
            if a.speaker_start is not None and (a.speaker, a.cue) == (piece.speaker, piece.cue):
                return (a.speaker_start, a.speaker_end, a.cue)
    return None


def textacy_quotes(doc: Any, text: str, _sentences: Sequence[Sentence]) -> list[Item]:
    """textacy's direct quotations; per paragraph where the whole document raises."""
    from textacy.extract.triples import direct_quotations

    def items(d: Any, offset: int) -> list[Item]:
        out = []
        for sp, _cue, content in direct_quotations(d):
            src: Frags = (
                ((offset + sp[0].idx, offset + sp[-1].idx + len(sp[-1].text)),) if sp else ()
            )
            out.append(
                Item(
                    ((offset + content.start_char, offset + content.end_char),),
                    src,
                    " ".join(t.text for t in sp),
                    True,
                )
            )
        return out

    try:
        return items(doc, 0)
    except Exception:  # textacy raises on odd numbers of quote marks
        found: list[Item] = []
        for start, end in paragraph_spans(text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or end <= start:
                continue
            try:
                found += items(span.as_doc(), span.start_char)
            except Exception:  # a paragraph textacy cannot read yields nothing
                continue
        return found


def articles(data: Path, limit: int | None) -> list[tuple[str, str, Path]]:
    """(half, text, ann path) for each article, the half chosen by a hash of the name."""
    root = data / "polnear" / "train"
    names = sorted(p.stem for p in (root / "text").glob("*.txt"))
    if limit:
        names = names[:: max(1, len(names) // limit)][:limit]
    out = []
    for name in names:
        half = "tune" if zlib.crc32(name.encode()) % 2 == 0 else "check"
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        out.append((half, text, root / "attributions" / f"{name}.ann"))
    return out


def parse_all(
    nlp: Any, texts: list[str], sentences: list[list[Sentence]], cache: Path | None, plain: bool
) -> tuple[list[Any], float]:
    """spaCy docs for the texts (from a DocBin cache when given), and the parse time.

    By default the splitter's sentence starts are imposed on the parser (``parse_article``),
    as ingestion does; ``plain`` parses the raw text instead.
    """
    from spacy.tokens import DocBin

    tag = "plain" if plain else "preset"
    path = None
    if cache is not None:
        path = cache / f"polnear_{tag}_{zlib.crc32(''.join(texts).encode())}.spacy"
        if path.exists():
            return list(DocBin().from_disk(path).get_docs(nlp.vocab)), 0.0
    t0 = time.perf_counter()
    if plain:
        docs = list(nlp.pipe(texts, batch_size=32))
    else:
        docs = [parse_article(nlp, t, s) for t, s in zip(texts, sentences, strict=True)]
    elapsed = time.perf_counter() - t0
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs, elapsed


def run(args: argparse.Namespace) -> None:
    """Score both systems on both halves and print the table."""
    nlp = load_nlp()
    arts = articles(args.data_dir, args.limit)
    texts = [t for _, t, _ in arts]
    t0 = time.perf_counter()
    sentences = [split_sentences(t) for t in texts]
    split_s = time.perf_counter() - t0
    docs, parse_s = parse_all(nlp, texts, sentences, args.cache, args.plain_parse)
    systems = {
        "newsbot": ours, "newsbot-pieces": ours_raw, "newsbot-speech": ours_speech,
        "textacy": textacy_quotes,
    }
    if args.no_textacy:
        del systems["textacy"]
    scores = {(s, h): Scores() for s in systems for h in ("tune", "check")}
    dump = []
    for (half, text, ann), doc, sents in zip(arts, docs, sentences, strict=True):
        gold = read_gold(ann, text)
        for name, system in systems.items():
            t0 = time.perf_counter()
            pred = system(doc, text, sents)
            sc = scores[(name, half)]
            sc.seconds += time.perf_counter() - t0
            sc.articles += 1
            missed = tally(sc.all, gold, pred, text)
            tally(sc.quotes, [g for g in gold if g.quote], [p for p in pred if p.quote], text)
            if name == "newsbot" and half == "tune" and args.errors is not None:
                dump.append(_errors(ann.stem, text, missed, pred, gold))
    n = len(arts)
    print(f"PolNeAR train: {n} articles; per article: sentence split {1000 * split_s / n:.1f} ms,"
          f" spaCy parse {1000 * parse_s / n:.1f} ms (0 = from cache)")
    _report(scores)
    if args.errors is not None:
        args.errors.write_text("\n".join(dump), encoding="utf-8")


def _errors(
    name: str, text: str, missed: Iterable[Item], pred: Sequence[Item], gold: Sequence[Item]
) -> str:
    def show(f: Frags) -> str:
        return " [...] ".join(text[a:b] for a, b in f).replace("\n", " ")

    lines = [f"=== {name}"]
    lines += [f"MISS {show(g.source)!r} <{g.cue}>: {show(g.content)}" for g in missed]
    pairs = match(gold, pred)
    hit = {id(p) for _, p in pairs}
    lines += [f"SPKR gold {show(g.source)!r} ours {show(p.source)!r} ({p.name}) <{p.cue}>: "
              f"{show(p.content)[:80]}"
              for g, p in pairs if g.source and not speaker_ok(g, p, text)]
    lines += [f"FP   {show(p.source)!r} <{p.cue}>: {show(p.content)}"
              for p in pred if id(p) not in hit]
    return "\n".join(lines)


def _report(scores: dict[tuple[str, str], Scores]) -> None:
    """One block per system and half; times exclude the shared split and parse."""
    for (system, half), sc in scores.items():
        ms = 1000 * sc.seconds / sc.articles if sc.articles else 0.0
        print(f"\n{system:14s} {half:5s} ({sc.articles} articles, {ms:.1f} ms/article)")
        print(f"  quotes  {sc.quotes.row()}")
        print(f"  all     {sc.all.row()}")


def main(argv: Sequence[str] | None = None) -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path, help="the eval data directory (has polnear/train)")
    ap.add_argument("--limit", type=int, default=None, help="score N articles spread evenly")
    ap.add_argument("--cache", type=Path, default=None, help="directory for cached parses")
    ap.add_argument("--errors", type=Path, default=None, help="write tune-half errors here")
    ap.add_argument("--no-textacy", action="store_true", help="score newsbot only (faster)")
    ap.add_argument("--plain-parse", action="store_true",
                    help="parse raw text (no sentence starts imposed on the parser)")
    run(ap.parse_args(argv))


if __name__ == "__main__":
    main()
