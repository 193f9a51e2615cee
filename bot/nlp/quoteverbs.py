"""Which speech verb introduces a quotation: the one right after it (`"...," X said`), the one
whose subject starts right after it (`"...," X, the minister, said`), or the one right before it
(`X said: "..."`).

spaCy objects are typed ``Any``: spaCy ships no type information mypy can use.
"""

from __future__ import annotations

import re
from typing import Any

from bot.models import Sentence
from bot.nlp import cues
from bot.nlp.attrstate import ArticleState
from bot.nlp.lexicon import words
from bot.nlp.quotemarks import QuoteSpan

_MAX_GAP_BEFORE = 8  # tokens between a speech verb and the quote it introduces
_SENTENCE_END = re.compile(r"[a-z0-9][.!?]$")  # "... she said." (no closing mark: not a quote)
_MAX_GAP_AFTER = 6  # tokens between a quote and the speech verb that follows it

# Verbs that introduce a quotation next to them but report nothing on their own
# ("He continued, "..."" yes; "A lack continues to undermine ..." no).
_QUOTE_ONLY_LEMMAS = frozenset({"continue", "go", "begin", "start", "conclude", "finish"})


def speech_verb(tok: Any) -> bool:
    """A verb that can introduce a quotation next to it ("said", "asked", "continued")."""
    lemma = tok.lemma_.lower()
    return tok.pos_ == "VERB" and (lemma in cues.SPEECH_LEMMAS or lemma in _QUOTE_ONLY_LEMMAS)


def verb_after(art: ArticleState, q: QuoteSpan) -> Any | None:
    """`"...," X said` / `"...," said X` / `"Mexico!" the crowd screamed`: the verb right after.

    Any verb qualifies when its subject sits right by it in the few words after the quote
    (`he continued`, `she laughed`): in that position it can only be introducing the quote.
    A quotation not closed by `,` `!` or `?` is most often part of a clause
    (`described it as "a gift" and said ...`): only a verb straight after it introduces it.
    """
    end_sent = art.sentence_at(max(q.end - 1, q.start))
    after = art.tokens(q.end, end_sent.end)
    verb = verb_of_subject_after(art, after)
    if verb is not None:
        return verb
    utterance = art.text[q.end - 2 : q.end - 1] in ",!?"
    for tok in after[:_MAX_GAP_AFTER]:
        if art.in_quote(tok.idx):
            return None
        if speech_verb(tok):
            straight = all(t.is_punct for t in after[: tok.i - after.start])
            return tok if utterance or straight else None
        if tok.pos_ == "VERB":
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            close = subj is not None and after.start <= subj.i <= tok.i + 3
            person = subj is not None and (
                subj.lower_ in cues.HUMAN_PRONOUNS or subj.ent_type_ == "PERSON"
            )
            return tok if close and person and utterance else None
    return None


def verb_of_subject_after(art: ArticleState, after: Any) -> Any | None:
    """`"...," Gina Raimondo, the US commerce secretary, said`: the speech verb whose subject
    starts right after the quote, found on the parse, however long the apposition."""
    first = next((t for t in after if not t.is_punct), None)
    if first is None or art.in_quote(first.idx):
        return None
    head = first
    for _ in range(4):  # climb from the first word to the head of its noun phrase
        if head.dep_ in {"nsubj", "ROOT"} or head.pos_ in {"VERB", "AUX"}:
            break
        head = head.head
    verb = head.head
    if head.dep_ != "nsubj" or head.left_edge.i != first.i or verb.i <= head.i:
        return None
    return verb if speech_verb(verb) and not art.in_quote(verb.idx) else None


def verb_before(art: ArticleState, q: QuoteSpan, sent: Sentence) -> Any | None:
    """`X said: "..."` / `X told reporters, "..."`: the speech verb just before the quote."""
    before = list(art.tokens(sent.start, q.start))
    for tok in reversed(before[-_MAX_GAP_BEFORE:]):
        if art.in_quote(tok.idx):
            return None
        gap = art.text[tok.idx + len(tok.text) : q.start]
        if speech_verb(tok) or put_it(tok):
            # The quote must be what the verb introduces, not a clause of its own; "went",
            # "began" only with a colon or comma ("the sky went "really dark"" is no speech).
            marked = ":" in gap or "," in gap
            bare = gap.strip() == "" and tok.lemma_.lower() not in _QUOTE_ONLY_LEMMAS
            return tok if marked or bare else None
        if tok.pos_ == "VERB" and gap.strip() == ":":
            return tok  # `Trump boomed: "..."`: any verb right before a colon and a quote
    return None


def put_it(tok: Any) -> bool:
    """ "As Vulture put it, "..." """
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return bool(tok.lemma_ == "put" and nxt is not None and nxt.lower_ == "it")


def stands_alone(art: ArticleState, q: QuoteSpan, sent: Sentence) -> bool:
    """True when the quotation is a whole sentence (nothing but punctuation around it).

    It may follow a finished sentence the splitter kept in the same piece (`"A," she said.
    "B ..."`: the splitter keeps a quote with its speaker, and here with the next quote).
    """
    end_sent = art.sentence_at(max(q.end - 1, q.start))
    before = art.text[sent.start : q.start].strip(" \t\n—–-(")
    after = art.text[q.end : end_sent.end].strip(" \t\n.,;:)!?")
    return (not before or _SENTENCE_END.search(before) is not None) and not after


_NAME_POS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "NUM", "PUNCT"})  # "Ramos, 58,"
_TITLE_WORDS = words("a an and at for in of on or the to with")
_MAX_TITLE_WORDS = 4


def is_title(quoted: str) -> bool:
    """A short quotation in title case with no sentence punctuation inside: a film, a book,
    a nickname ("Bombshell", "The Crown"), never an utterance ("No," / "Mexico!" are)."""
    inner = quoted.strip("\"“”„«»‘’'` ")
    words = inner.split()
    if not words or len(words) > _MAX_TITLE_WORDS or any(c in inner for c in ".,;:!?…"):
        return False
    return words[0][:1].isupper() and all(
        w[:1].isupper() or w[:1].isdigit() or w.lower() in _TITLE_WORDS for w in words
    )


def subject_outside(art: ArticleState, verb: Any, q: QuoteSpan) -> Any | None:
    """The speaker when the parse took a word of the quotation for the subject of ``verb``:
    the last noun or pronoun before a verb that opens the quotation (`she stated, "..."`),
    the name between the quotation and the verb (`"...," Mr. Rubio said`), or the one right
    after an inverted verb (`"...," said King, who ...`)."""
    doc = art.doc
    if verb.idx < q.start:  # `she stated, "When I look at this, an absence of ..."`
        before = [t for t in art.tokens(art.sentence_at(verb.idx).start, verb.idx)
                  if t.pos_ in {"PRON", "PROPN", "NOUN"} and not art.in_quote(t.idx)]
        people = [t for t in before if t.ent_type_ == "PERSON" or t.lower_ in
                  cues.HUMAN_PRONOUNS]  # "As Akhil Amar, author of ''X,'' put it, ''...''"
        return people[-1] if people else before[-1] if before else None
    between = [t for t in doc[max(verb.i - _MAX_GAP_AFTER, 0) : verb.i] if t.idx >= q.end]
    names = [t for t in between if t.pos_ in {"PROPN", "NOUN"}]
    if names:
        return names[-1] if all(t.pos_ in _NAME_POS for t in between) else None
    if any(not t.is_punct for t in between):
        return None  # not straight after the quotation: no inversion
    name = None
    for tok in doc[verb.i + 1 : min(verb.i + 1 + _MAX_GAP_AFTER, len(doc))]:
        if tok.pos_ in {"PROPN", "NOUN"} and not art.in_quote(tok.idx):
            name = tok  # the last word of the name is its head
        elif tok.pos_ in {"DET", "ADJ"} and name is None:
            continue
        else:
            break
    return name
