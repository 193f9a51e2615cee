"""Sentence splitting that keeps the title apart and a quote with its speaker.

The text has the canonical article shape: the title on the first line, then body paragraphs
separated by one or more blank lines. pysbd is applied paragraph by paragraph (it was the most
accurate splitter measured on news text), then pieces are merged back where every splitter
goes wrong for news: ``"Is this fair?" Peskov asked.`` must stay one unit, or the quote loses
its speaker. Offsets are exact: ``text[s.start:s.end] == s.text`` for every sentence.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from bot.models import Sentence

# A blank line (possibly holding spaces) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")

# A piece that ends a quotation: punctuation then a closing mark (`fair?"`, `fight,”`).
_ENDS_WITH_QUOTE = re.compile(r"[?!.,;:…\-–—][\"”»’']+\s*$")
# A piece made only of closing marks / stray punctuation, left behind by the splitter.
_ONLY_CLOSERS = re.compile(r"^[\"”»’')\]\s.,;:!?…]+$")
# Verbs of speech that introduce the speaker after a quote (`Peskov asked.`, `said Mr Smith.`).
_SPEECH_VERB_WORDS = """said says say asked asks added adds told tells replied replies explained
    explains insisted insists noted notes claimed claims argued argues warned warns stated states
    continued continues wrote writes declared declares admitted admits recalled recalls
    responded responds suggested suggests shouted shouts whispered whispers conceded concedes
    countered counters agreed agrees acknowledged acknowledges observed observes remarked
    remarks announced announces tweeted tweets quipped quips"""
_SPEECH_VERBS = frozenset(_SPEECH_VERB_WORDS.split())
_MAX_TAIL_WORDS = 12  # a speaker tail longer than this is a sentence of its own
_VERB_WINDOW = 5  # the speech verb must come early in the tail
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f’'.-]+")
# `Dmitry Peskov, the Kremlin spokesman, asked ...`: a name, then an apposition between commas.
_APPOSITION = re.compile(r"((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*),\s+[^,;:\"“”]{3,80}?,\s+")

_RE_CACHE_SIZE = 8192
# A closing mark at the start of a piece, then the next sentence: `" But the ...`.
_DANGLING_CLOSER = re.compile(r"([\"”’]+)\s+(?=\S)")
_MAX_RESPLIT = 3
_DOUBLE_QUOTE = re.compile(r"[\"“”]")
_PYSBD_MAX_CHARS = 4000
# A full stop after a lower-case word of 3+ letters, then a capital: not an abbreviation.
_SURE_BOUNDARY = re.compile(r"(?<=[a-z]{3}[.!?])\s+(?=[A-Z])")
_LONG_PIECE = 400  # characters; longer pieces with quote marks are re-cut with marks hidden
# Where pysbd could cut: terminal punctuation (maybe closed by a quote) then space, or a newline.
_MAYBE_BOUNDARY = re.compile(r"[.!?…][\"”’')\]]*\s+\S|\n")

_local = threading.local()


def _segmenter() -> Any:
    """One pysbd Segmenter per thread: building it is slow and it keeps per-call state."""
    seg = getattr(_local, "segmenter", None)
    if seg is None:
        import pysbd

        # pysbd builds a regex per abbreviation found (thousands of distinct patterns); with
        # the stdlib's 512-entry pattern cache it recompiles them for every paragraph, which
        # was 30% of its time on news text. A larger cache costs a few MB once.
        if getattr(re, "_MAXCACHE", 0) < _RE_CACHE_SIZE:
            setattr(re, "_MAXCACHE", _RE_CACHE_SIZE)  # noqa: B010

        seg = pysbd.Segmenter(language="en", clean=False, char_span=False)
        _local.segmenter = seg
    return seg


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the title (the first non-blank line) and of each non-blank body
    paragraph, stripped. Blank lines before the title are no title: skipped, offsets kept."""
    spans: list[tuple[int, int]] = []
    title_start = len(text) - len(text.lstrip())
    first_nl = text.find("\n", title_start)
    title_end = len(text) if first_nl < 0 else first_nl
    spans.append(_strip_span(text, title_start, title_end))
    pos = title_end
    for match in _PARAGRAPH_BREAK.finditer(text, pos):
        _add_span(spans, text, pos, match.start())
        pos = match.end()
    _add_span(spans, text, pos, len(text))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    start, end = _strip_span(text, start, end)
    if end > start:
        spans.append((start, end))


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraph_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pieces of one paragraph; a huge paragraph is first cut at safe boundaries.

    pysbd rewrites the whole text once per abbreviation it meets, so its cost grows with the
    square of a paragraph's length: 80k characters of "Mr." took 14 s in one piece.
    """
    pieces: list[tuple[int, int]] = []
    while end - start > _PYSBD_MAX_CHARS:
        cut = _safe_cut(text, start, start + _PYSBD_MAX_CHARS)
        pieces.extend(_raw_pieces(text, start, cut))
        start = cut
    pieces.extend(_raw_pieces(text, start, end))
    return pieces


def _safe_cut(text: str, start: int, limit: int) -> int:
    """The last sure sentence boundary (else whitespace) in ``text[start:limit]``."""
    window_start = start + _PYSBD_MAX_CHARS // 2
    cut = -1
    for match in _SURE_BOUNDARY.finditer(text, window_start, limit):
        cut = match.end()
    if cut < 0:
        space = text.rfind(" ", window_start, limit)
        cut = space + 1 if space > 0 else limit
    return cut


def _raw_pieces(text: str, start: int, end: int, depth: int = 0) -> list[tuple[int, int]]:
    """pysbd's pieces of ``text[start:end]`` with exact offsets, closers fixed, long ones re-cut."""
    spans = _fix_dangling_closers(text, _locate(text, start, end, text[start:end]), depth)
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if depth == 0 and e - s > _LONG_PIECE and _DOUBLE_QUOTE.search(text, s, e):
            # pysbd never cuts between quote marks, so an unbalanced or multi-sentence quote
            # swallows whole paragraphs. Hide the marks (same length, so offsets hold).
            masked = _DOUBLE_QUOTE.sub("_", text[s:e])
            out.extend(_fix_dangling_closers(text, _locate(text, s, e, masked), 1))
        else:
            out.append((s, e))
    return out


def _locate(text: str, start: int, end: int, para: str) -> list[tuple[int, int]]:
    """Exact spans in ``text`` of pysbd's pieces of ``para`` (``text[start:end]``, maybe masked).

    pysbd's own char spans drift on repeated sentences, so each piece is searched for.
    """
    cursor = 0
    spans: list[tuple[int, int]] = []
    for piece in _segment(para):
        stripped = piece.strip()
        found = para.find(stripped, cursor) if stripped else -1
        if found < 0:  # empty, or pysbd altered the text: the gap is kept whole below
            continue
        if para[cursor:found].strip():
            spans.append(_strip_span(text, start + cursor, start + found))
        spans.append((start + found, start + found + len(stripped)))
        cursor = found + len(stripped)
    if para[cursor:].strip():
        spans.append(_strip_span(text, start + cursor, end))
    return spans


def _fix_dangling_closers(
    text: str, spans: list[tuple[int, int]], depth: int
) -> list[tuple[int, int]]:
    """Give a closing quote that pysbd left at the start of a piece back to the piece before.

    pysbd cuts `tour." But` before the quote mark, then treats everything up to the next quote
    mark as quoted and never splits it: re-split the rest once the mark is moved.
    """
    out: list[tuple[int, int]] = []
    for span in spans:
        match = _DANGLING_CLOSER.match(text, span[0], span[1])
        if not (out and match and depth < _MAX_RESPLIT):
            out.append(span)
            continue
        out[-1] = (out[-1][0], match.end(1))
        out.extend(_raw_pieces(text, match.end(), span[1], depth + 1))
    return out


def _segment(para: str) -> list[str]:
    if not _MAYBE_BOUNDARY.search(para):
        return [para]  # one sentence for sure: skip pysbd, which costs ~10 us a character
    try:
        # The processor alone: ``Segmenter.segment`` then searches every sentence back into
        # the text with a freshly compiled regex (half of pysbd's time), which ``_locate``
        # does exactly with ``str.find``.
        return [str(s) for s in _segmenter().processor(para).process()]
    except Exception:  # pysbd is regex-heavy and has crashed on odd input: keep the paragraph
        return [para]


def _tail_is_speaker(tail: str) -> bool:
    """True for `he said.`, `Peskov asked.`, `said Mr Smith, who ...` after a quote."""
    stripped = tail.lstrip(" \t\"“”'‘’(")
    if not stripped:
        return False
    if stripped[0].islower():
        return True
    if stripped.rstrip().endswith(":"):
        return False  # `She went on to say:` introduces what follows
    appos = _APPOSITION.match(stripped)
    if appos:  # the apposition says who the speaker is: the verb comes after it
        stripped = f"{appos.group(1)} {stripped[appos.end():]}"
    words = [w.lower().rstrip(",.") for w in _WORD.findall(stripped)]
    if not words or len(words) > _MAX_TAIL_WORDS:
        return False
    for i, word in enumerate(words[:_VERB_WINDOW]):
        if word in _SPEECH_VERBS:
            # `The minister said that ...` after a quote is reported speech of its own, and
            # `say: "..."` or `say "sorry"` opens a new quote rather than closing the last.
            return words[i + 1 : i + 2] != ["that"] and not _opens_quote(stripped, word)
    return False


def _opens_quote(tail: str, verb: str) -> bool:
    """True when ``verb`` in ``tail`` is followed straight by a colon or a quote mark."""
    return bool(re.search(rf"(?i)\b{re.escape(verb)}\s*[:\"“‘]", tail))


def _should_merge(text: str, prev: tuple[int, int], cur: tuple[int, int]) -> bool:
    prev_text = text[prev[0] : prev[1]]
    cur_text = text[cur[0] : cur[1]]
    if _ONLY_CLOSERS.match(cur_text):
        return True  # a stray closing quote or bracket belongs to the sentence before
    if _ENDS_WITH_QUOTE.search(prev_text):
        return _tail_is_speaker(cur_text)
    # Any other piece starting lowercase is a splitter error (`U.S. officials said ... e.g. it`).
    return cur_text[:1].islower()


def _merged(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for piece in pieces:
        if piece[1] <= piece[0]:
            continue
        if out and _should_merge(text, out[-1], piece):
            out[-1] = (out[-1][0], piece[1])
        else:
            out.append(piece)
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Split canonical article text into sentences with exact offsets.

    The title (first line) is sentence 0 with paragraph 0; body paragraphs are numbered from 1.
    """
    sentences: list[Sentence] = []
    for para_no, (start, end) in enumerate(paragraph_spans(text)):
        if end <= start:
            continue
        if para_no == 0:
            spans = [(start, end)]
        else:
            spans = _merged(text, _paragraph_pieces(text, start, end))
        for s, e in spans:
            sentences.append(Sentence(len(sentences), text[s:e], s, e, para_no))
    return sentences
