"""Attributions (who said what) from rules on the spaCy parse.

Two passes per sentence, in article order:

1. Quotations, found on the characters (``quotemarks``) so apostrophes never pose as quote
   marks. A quotation takes the speech verb just before it (``X said: "..."``) or just after it
   (``"...," X said``). One utterance stays one attribution: a split quote (``"A," X said,
   "B."``) and a quote-only sentence right after a quote in the same paragraph extend the
   attribution from its first mark to its last (verbatim, speaker words included). A quote-only
   sentence in the next paragraph continues the previous speaker as a new attribution with the
   same speaker and cue and no mention (the speaker is implicit there: the convention for
   quotes running over paragraphs); a quote-only paragraph left open before its speaker is
   named takes the speaker of the paragraph it runs into.
2. Reported speech: every cue verb (``cues``) with a plausible speaker as subject reports its
   complement (``claimed that ...``, ``denied ...``, ``accused Y of ...``); "according to X" and
   "in the X poll" report the rest of the sentence; a cue interrupting its clause ("The goal,
   he said, is ...") reports the clause. Content holding a quotation is a partial quote.

The title (sentence 0) gives no attributions: a headline paraphrases, and "who said X" must
point to the body sentence that reports the words.

Content spans follow the PolNeAR conventions: a quotation keeps its marks and the punctuation
inside them; reported content keeps "that" and drops the sentence's final punctuation. Verbs
inside a quotation are never cues (the speaker's own "I think" is part of what they said), and
nothing inside a journalist's inference ("Peskov's comments suggest that ...") is attributed.
spaCy objects are typed ``Any``: spaCy ships no type information mypy can use.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from bot.models import Attribution, AttributionKind, Sentence, Speaker
from bot.nlp import cues, quoteverbs
from bot.nlp.attrstate import ArticleState
from bot.nlp.quotemarks import QuoteSpan, find_quotes, reopens_quote
from bot.nlp.speakerindex import build_index
from bot.nlp.speakers import SpeakerResolver, mention_span, normalise_name

__all__ = ["extract_attributions", "normalise_name", "parse_article"]

_TRAILING = " \t\n.,;:—–-"
_LEADING = " \t\n,;:—–-"
_MAX_BRIDGE = 60  # characters between a quote and the next one that continues it
_MAX_LEAD = 4  # words of a speaker's name before a colon ("Gingrich: ...")


def extract_attributions(
    doc: Any, text: str, sentences: Sequence[Sentence], *, thought: bool = False,
    nested: bool = False,
) -> tuple[list[Attribution], list[Speaker]]:
    """Every attribution in the article, in text order, and the index of its speakers.

    ``doc`` is a spaCy Doc over exactly ``text`` (best made with ``parse_article``);
    ``sentences`` carry offsets into ``text``. For each attribution ``text[a.start:a.end] ==
    a.text``; direct and partial ones hold their quotation marks, so the quoted words are
    verbatim. ``speaker`` is None when a pronoun cannot be resolved ("they"). A quote that
    continues a speaker in another paragraph has the same ``speaker`` and ``cue`` and no
    mention (``speaker_mention`` and its offsets None: the speaker is implicit).

    Only speech is reported unless ``thought`` is set: then verbs of thought, perception
    and decision ("believes", "saw", "decided") report too, as the PolNeAR annotators count
    them (``bench/eval_quotes.py`` scores both). An attribution inside another one's words
    ("Raimondo claimed that Russia has demonstrated ...") is the outer speaker's report, not
    the inner one's speech: dropped unless ``nested`` is set (PolNeAR annotates both).
    """
    quotes = _all_quotes(text, sentences)
    resolver = SpeakerResolver.from_doc(doc, text, [(q.start, q.end) for q in quotes])
    art = ArticleState(doc, text, sentences, quotes, resolver, thought=thought)
    art.starts = [s.start for s in sentences]
    art.candidates = _candidates(doc)
    art.quote_starts = [q.start for q in art.quotes]
    qi = 0
    for sent in sentences:
        # The title is no source: a headline's "Mayor defends budget" names nobody speaking,
        # and its wording would outrank the body sentence that really reports the words.
        title = sent.paragraph == 0
        while qi < len(art.quotes) and art.quotes[qi].start < sent.end:
            if art.quotes[qi].start >= sent.start and not title:
                _quote(art, art.quotes[qi], sent)
            qi += 1
        if not title:
            _reported(art, sent)
    found = sorted(art.found, key=lambda a: (a.start, a.end))
    if not nested:
        found = _without_lead_ins(_outermost(found), text)
    return found, build_index(found, art.resolver)


_MAX_LEAD_IN_GAP = 25  # characters between a reported lead-in and its quotation (", saying: ")


def _without_lead_ins(found: list[Attribution], text: str) -> list[Attribution]:
    """Without a reported clause that only leads into the same speaker's quotation in its
    sentence ("X vowed to fight back, saying: "We have nothing to fear. ..."): shown as the
    attributed sentence it would list the quotation a second time, not in quotation marks."""
    quotes = [a for a in found if a.kind is AttributionKind.DIRECT and a.speaker]
    return [
        b for b in found
        if b.kind is not AttributionKind.REPORTED or not any(
            q.speaker == b.speaker and q.sentence == b.sentence and b.end <= q.start
            and q.start - b.end <= _MAX_LEAD_IN_GAP and q.cue in text[b.end : q.start]
            for q in quotes
        )
    ]


def _outermost(found: list[Attribution]) -> list[Attribution]:
    """Without the attributions whose speaker and words both lie inside another's reported
    words: they are that speaker's report ("Raimondo claimed that Russia has demonstrated
    ..." is Raimondo's claim, not Russia's), and listing them under a second speaker shows the
    same sentence twice. A quotation inside a report stays (its words are verbatim)."""
    def inside(b: Attribution, a: Attribution) -> bool:
        return (
            a is not b and b.speaker_start is not None and a.start <= b.start
            and b.end <= a.end and a.start <= b.speaker_start < a.end
        )

    return [
        b for b in found
        if b.kind is AttributionKind.DIRECT or not any(inside(b, a) for a in found)
    ]


def _candidates(doc: Any) -> list[int]:
    """Indexes of the tokens that may be cues: verbs, and "in" ("in the latest poll").

    Read from the token arrays, so the many tokens that are neither are never built as
    Python objects (that was most of the time spent here).
    """
    from spacy.attrs import LOWER, POS

    strings = doc.vocab.strings
    verbs = {strings[p] for p in ("VERB", "AUX")}
    in_ = strings["in"]
    return [
        i for i, (pos, lower) in enumerate(doc.to_array([POS, LOWER]).tolist())
        if pos in verbs or lower == in_
    ]


def parse_article(nlp: Any, text: str, sentences: Sequence[Sentence]) -> Any:
    """Parse ``text`` with the sentence starts of ``sentences`` imposed on the parser.

    Left alone, the parser runs an unpunctuated title into the first sentence and makes its
    words the subject of the first "said"; with the starts preset it parses each sentence as
    the splitter cut it (the splitter keeps a quote with its speaker; spaCy does not).
    """
    doc = nlp.make_doc(text)
    starts = {s.start for s in sentences}
    for tok in doc[1:]:
        # False elsewhere too: left free, the parser sometimes cuts "Dmitry | Peskov, ...".
        tok.is_sent_start = tok.idx in starts
    return nlp(doc)


def _all_quotes(text: str, sentences: Sequence[Sentence]) -> list[QuoteSpan]:
    """Quotations paragraph by paragraph (a paragraph is the span of its sentences)."""
    paras: dict[int, tuple[int, int]] = {}
    for s in sentences:
        lo, hi = paras.get(s.paragraph, (s.start, s.end))
        paras[s.paragraph] = (min(lo, s.start), max(hi, s.end))
    # Some sources break paragraphs with a single newline: a quote never spans one.
    lines = [
        (lo + m.start(), lo + m.end())
        for lo, hi in sorted(paras.values())
        for m in re.finditer(r"[^\n]+", text[lo:hi])
    ]
    quotes: list[QuoteSpan] = []
    for i, (lo, hi) in enumerate(lines):
        # An unclosed mark is a quotation running on only if the next paragraph reopens one.
        continued = i + 1 < len(lines) and reopens_quote(text, lines[i + 1][0])
        quotes += find_quotes(text, lo, hi, continued=continued)
    return quotes


def _quote(art: ArticleState, q: QuoteSpan, sent: Sentence) -> None:
    """Attribute one quotation: to an adjacent speech verb, else to the previous speaker."""
    if quoteverbs.is_title(art.text[q.start : q.end]):
        return  # "Bombshell" went into the awards: a title or a name, nobody's words
    found = _speech_verb(art, q, sent)
    if found is not None:
        verb, subj = found
        end_sent = art.sentence_at(max(q.end - 1, q.start))
        if subj is not None and sent.start <= subj.idx < end_sent.end:
            if verb.i in art.used_cues and _extend_last(art, q, same_paragraph_only=False):
                return  # the second half of a split quote: "A," X said, "B."
            art.used_cues.add(verb.i)
            _add(art, subj, verb.text, (q.start, q.end), sent, kind=AttributionKind.DIRECT)
            _attach_pending(art, q, sent)
        return
    alone = quoteverbs.stands_alone(art, q, sent)
    if alone and not _continue_previous(art, q, sent) and q.open_ended:
        art.pending.append((q, sent))  # its speaker may come as the quotation goes on


def _speech_verb(art: ArticleState, q: QuoteSpan, sent: Sentence) -> tuple[Any, Any] | None:
    """The speech verb introducing ``q`` and its subject (None when it has none), or None.

    The speaker is never a word of the quotation: where the parse made one the verb's
    subject, the name outside it is taken (`"...," said King`), or the verb on the quote's
    other side (`she stated, "When I look at this, an absence of ..." adding, "..."`).
    """
    first: tuple[Any, Any] | None = None
    for verb in (quoteverbs.verb_after(art, q), quoteverbs.verb_before(art, q, sent)):
        if verb is None:
            continue
        subj = cues.subject_of(verb)
        if subj is not None and q.start <= subj.idx < q.end:
            subj = quoteverbs.subject_outside(art, verb, q)
        if subj is not None:
            return verb, subj
        first = first or (verb, None)
    return first


def _attach_pending(art: ArticleState, q: QuoteSpan, sent: Sentence) -> None:
    """`"We are facing ... exhausted.` / `"But we will not give up," he said.`: paragraphs of
    one quotation opened before its speaker is named take the speaker of the paragraph that
    names them, when they run on straight into it."""
    if q.start != art.paragraph_start(sent):
        art.pending.clear()
        return
    speaker = art.found[-1]
    para = sent.paragraph
    for early_q, early in reversed(art.pending):
        if early.paragraph != para - 1:
            break
        para = early.paragraph
        art.found.append(_implicit(speaker, art.text, early_q, early))
    art.pending.clear()


def _implicit(intro: Attribution, text: str, q: QuoteSpan, sent: Sentence) -> Attribution:
    """A piece of the utterance ``intro`` reports, in another paragraph: the speaker is
    implicit there, so no mention and no mention offsets (the documented interface)."""
    return Attribution(
        intro.speaker, None, None, None, intro.cue, text[q.start : q.end],
        AttributionKind.DIRECT, sent.index, q.start, q.end,
    )


def _extend_last(art: ArticleState, q: QuoteSpan, *, same_paragraph_only: bool) -> bool:
    """Stretch the last attribution, a direct quote just before ``q``, to the end of ``q``.

    One utterance stays one attribution: `"A," X said, "B."` and `"A," X said. "B."` give
    one span from the first mark to the last (verbatim, speaker words included), as a
    reader quoting the article would cut it. Never across a paragraph break.
    """
    if not art.found:
        return False
    prev = art.found[-1]
    if prev.kind is not AttributionKind.DIRECT or prev.end > q.start:
        return False
    gap = art.text[prev.end : q.start]
    if "\n" in gap or (same_paragraph_only and len(gap) > _MAX_BRIDGE):
        return False
    art.found[-1] = Attribution(
        prev.speaker, prev.speaker_mention, prev.speaker_start, prev.speaker_end, prev.cue,
        art.text[prev.start : q.end], prev.kind, prev.sentence, prev.start, q.end,
    )
    return True


def _continue_previous(art: ArticleState, q: QuoteSpan, sent: Sentence) -> bool:
    """A quote-only sentence continues the last speaker of this or the previous paragraph.

    True when it was attributed (or is too short to be a quote).
    """
    if _extend_last(art, q, same_paragraph_only=True):
        return True
    if len(art.text[q.start : q.end].split()) < 3:
        return True  # a word or two alone ("Mexico!") is a slogan or a title, not a quote
    for prev in reversed(art.found):
        if prev.speaker is None:
            continue
        if sent.paragraph - art.sentences[prev.sentence].paragraph > 1:
            return False
        art.found.append(_implicit(prev, art.text, q, sent))
        return True
    return False


def _reported(art: ArticleState, sent: Sentence) -> None:
    """Reported speech and partial quotes from cue verbs and "according to" in ``sent``."""
    span = art.tokens(sent.start, sent.end)
    _colon_lead(art, sent, span)
    inferred_until = -1  # content of a journalist's inference: nothing inside is attributed
    first = bisect.bisect_left(art.candidates, span.start)
    last = bisect.bisect_left(art.candidates, span.end)
    for i in art.candidates[first:last]:
        tok = art.doc[i]
        if i in art.used_cues or i < inferred_until:
            continue
        if art.in_quote(tok.idx):
            continue
        acc = cues.according_to(tok) or cues.in_poll(tok)
        if acc is not None:
            _according(art, sent, acc[0], acc[1], "according to" if tok.lower_ == "according"
                       else tok.text)
            continue
        if not cues.is_cue_verb(tok):
            continue
        subj = cues.subject_of(tok)
        rng = cues.content_tokens(tok)
        # The parse may run across our sentence boundaries (an unpunctuated title): the
        # speaker must be in the cue's sentence.
        if subj is None or rng is None or not sent.start <= subj.idx < sent.end:
            continue
        if not cues.plausible_speaker(subj, tok):
            if tok.lemma_.lower() in cues.EVIDENCE_LEMMAS:
                inferred_until = rng[1]
            continue
        if not art.thought and not cues.is_speech(tok, subj):
            continue
        lo = max(art.doc[rng[0]].idx, sent.start)
        last = art.doc[rng[1] - 1]
        hi = min(last.idx + len(last.text), sent.end)
        _add_content(art, subj, tok.text, (lo, hi), sent)


def _colon_lead(art: ArticleState, sent: Sentence, span: Any) -> None:
    """ "Carly Fiorina: 'Bill Clinton's fair game.'": a person's name, a colon, a quotation."""
    colon = next((t for t in span[:_MAX_LEAD + 1] if t.text == ":"), None)
    if colon is None or colon.i == span.start or colon.i + 2 >= span.end:
        return
    lead = art.doc[span.start : colon.i]
    if not all(t.text[:1].isupper() and t.pos_ in {"PROPN", "NOUN"} for t in lead):
        return
    # Only a person's name followed by a quotation: "Q:", "Answer:", "CORRECTION:" and
    # list labels ("Rubio: Finish second") are not speech.
    opens = art.text[colon.idx + 1 : sent.end].lstrip()[:2]
    if lead[-1].ent_type_ != "PERSON" or not opens or opens[0] not in "\"“‘'":
        return
    _add_content(art, lead[-1], ":", (colon.idx + 1, sent.end), sent)


def _according(
    art: ArticleState, sent: Sentence, source: Any, rng: tuple[int, int], cue: str
) -> None:
    """ "according to X", "in X poll": the rest of the sentence is the content.

    At an edge ("..., according to X.") the content is the other side; in the middle of a
    clause ("The aides, according to Walsh, had known") it is the whole clause, the cue kept
    inside as for an interrupting "he said" (one span stays one span).
    """
    lo = art.doc[rng[0]].idx
    last = art.doc[rng[1] - 1]
    hi = last.idx + len(last.text)
    left = art.text[sent.start : lo].strip(_LEADING + _TRAILING)
    right = art.text[hi : sent.end].strip(_LEADING + _TRAILING)
    if len(left) >= 2 and len(right) >= 2:
        host = art.doc[rng[0]].head  # the verb "according to" hangs on: its clause
        start, end = _clause(host)
        whole = host.pos_ in {"VERB", "AUX"} and start < lo and end > hi
        side = (start, end) if whole else (sent.start, sent.end)
    else:
        side = (sent.start, lo) if len(left) >= len(right) else (hi, sent.end)
    _add_content(art, source, cue, side, sent)


def _clause(verb: Any) -> tuple[int, int]:
    """Character bounds of ``verb``'s own clause: its subtree without conjoined clauses."""
    own = [c for c in verb.children if c.dep_ not in {"conj", "cc"}]
    first = min([verb.i] + [t.left_edge.i for t in own])
    last = verb.doc[max([verb.i] + [t.right_edge.i for t in own])]
    return verb.doc[first].idx, last.idx + len(last.text)


def _add_content(
    art: ArticleState, subj: Any, cue: str, span: tuple[int, int], sent: Sentence
) -> None:
    """Trim a reported content span, classify it, and skip it when a quote already covers it."""
    lo, hi = _trim(art.text, *span)
    if hi - lo < 2:
        return
    for a in art.found:
        if a.kind is AttributionKind.DIRECT and a.start < hi and lo < a.end:
            return  # the quotation pass already attributed these words
    lo, hi = _whole_quotes(art, lo, hi, sent)
    inside = [q for q in art.quotes if lo <= q.start and q.end <= hi]
    kind = AttributionKind.PARTIAL if inside else AttributionKind.REPORTED
    if len(inside) == 1 and (inside[0].start, inside[0].end) == (lo, hi):
        kind = AttributionKind.DIRECT
    _add(art, subj, cue, (lo, hi), sent, kind=kind)


def _whole_quotes(art: ArticleState, lo: int, hi: int, sent: Sentence) -> tuple[int, int]:
    """Widen a content span so it never cuts a quotation in half (the parse often leaves the
    closing mark and the punctuation before it on the main clause)."""
    first = max(bisect.bisect_right(art.quote_starts, lo) - 1, 0)
    last = bisect.bisect_left(art.quote_starts, hi)
    quotes = art.quotes[first:last]
    for q in quotes:  # lo first: the test on hi below needs the widened lo
        if q.start < lo < q.end and q.start >= sent.start:
            lo = q.start
    for q in quotes:
        if q.start < hi <= q.end and q.start >= lo and q.end <= max(sent.end, hi):
            hi = q.end
    return lo, hi


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Strip spaces and the sentence's punctuation, keeping a closing quotation mark's."""
    while lo < hi and text[lo] in _LEADING:
        lo += 1
    while hi > lo and text[hi - 1] in _TRAILING:
        hi -= 1
    return lo, hi


def _add(
    art: ArticleState, subj: Any, cue: str, span: tuple[int, int], sent: Sentence,
    *, kind: AttributionKind,
) -> None:
    """Record an attribution of ``text[span]`` to the speaker whose head token is ``subj``."""
    lo, hi = span
    mention = mention_span(subj)
    m_start = mention.start_char
    ante = cues.antecedent(subj)
    named = mention if ante is None else mention_span(ante)  # "who" names its antecedent
    speaker = art.resolver.resolve(named, named.start_char)
    art.found.append(
        Attribution(
            speaker, mention.text, m_start, mention.end_char, cue, art.text[lo:hi], kind,
            art.sentence_at(lo).index if lo >= sent.start else sent.index, lo, hi,
        )
    )
