"""Attribution cues on the dependency parse: which verbs report speech or thought, who their
subject is, and which words are the reported content.

The lexicon was drawn from the cue words annotated in PolNeAR (news attribution relations):
speech verbs dominate ("said" alone is a fifth of all cues), then "according to", then verbs
of stance and thought that the annotators also count ("argued", "believes", "denied").
spaCy objects are typed ``Any``: spaCy ships no type information mypy can use.
"""

from __future__ import annotations

from typing import Any

from bot.nlp.lexicon import words

# Verbs whose subject is a speaker whatever noun it is ("the statement said", "critics say").
SPEECH_LEMMAS = words(
    """say tell add write ask reply respond explain insist claim argue warn state declare admit
    acknowledge concede recall announce tweet post report note observe remark comment mention
    stress emphasize emphasise contend maintain assert allege deny dismiss reject accuse
    criticize criticise condemn praise describe urge demand promise pledge vow predict propose
    question complain confirm reveal disclose express estimate testify quip joke shout yell
    whisper blame charge counter boast brag caution conclude agree disagree decline refuse
    threaten hint lament affirm reiterate recount speculate wonder insist blast slam
    attack defend endorse applaud welcome hail thank apologize apologise call label dub brand
    deride mock characterize characterise portray cite quote concur acknowledge advise
    recommend assure inform notify announce proclaim retort protest object accuse lash
    challenge dispute contest rebut suggest instruct order demand plead appeal interject
    muse opine write pen posit theorize theorise decry denounce"""
)
# Verbs of thought and stance that PolNeAR counts as attribution, with a human subject only.
STANCE_LEMMAS = words(
    """think believe feel know expect want hope fear worry doubt guess assume reckon figure
    consider view regard see support oppose back favor favour plan intend decide seek prefer
    understand realize realise recognize recognise accept learn hear agree wish"""
)
# Verbs where an inanimate subject is evidence, not a speaker, unless it is a document or poll.
EVIDENCE_LEMMAS = frozenset({"show", "find", "indicate", "suggest", "reveal", "mean", "imply"})
EVIDENCE_NOUNS = words(
    """poll polls survey study report data research analysis figures numbers results records
    documents document memo letter email statement filing complaint lawsuit census review
    investigation audit"""
)
# A possessed artifact of speech is the journalist reading someone, not someone speaking:
# "Peskov's comments suggest that ..." attributes nothing to Peskov.
ARTIFACT_NOUNS = words(
    """comment remark word tone silence response reaction move decision action behavior
    behaviour record history stance position"""
)
_POLL_NOUNS = words("poll survey study report analysis census")
HUMAN_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "who"})
_HUMAN_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})

_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "dative", "oprd", "attr", "acomp"})
_OBJECT_PREPS = frozenset({"of", "as", "for", "about", "that", "to", "on", "over"})
_CLIMB_DEPS = frozenset({"xcomp", "conj", "advcl", "pcomp", "prep"})


def is_cue_verb(tok: Any) -> bool:
    """True for a verb that can report speech or thought."""
    if tok.pos_ not in {"VERB", "AUX"} or (tok.pos_ == "AUX" and tok.dep_ == "aux"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in SPEECH_LEMMAS or lemma in STANCE_LEMMAS or lemma in EVIDENCE_LEMMAS:
        return True
    # Any verb taking a that-clause reports something ("determined there was ...").
    return tok.pos_ == "VERB" and any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in tok.children
    )


def subject_of(verb: Any) -> Any | None:
    """The subject token of ``verb``, climbing through participles and conjoined verbs.

    "Peskov responded ..., describing Kaspersky as ..." gives "describing" Peskov's subject.
    A relative pronoun ("Peskov, who said ...") is returned as is: see ``antecedent``.
    """
    tok = verb
    for _ in range(4):
        for child in tok.children:
            if child.dep_ == "nsubj":  # a passive subject ("it was announced") is no speaker
                return child
            if child.dep_ == "agent":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if tok.dep_ not in _CLIMB_DEPS or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def antecedent(subj: Any) -> Any | None:
    """The noun a relative pronoun subject stands for ("Peskov, who said ..." -> Peskov)."""
    verb = subj.head
    if subj.lower_ in {"who", "which", "that"} and verb.dep_ == "relcl":
        return verb.head
    return None


def plausible_speaker(subj: Any, verb: Any) -> bool:
    """Whether ``subj`` can be the source of what ``verb`` reports."""
    lemma = verb.lemma_.lower()
    low = subj.lower_
    if subj.pos_ == "PRON":
        if low in {"it", "this", "that"}:
            return lemma in SPEECH_LEMMAS and low == "it"
        return low in HUMAN_PRONOUNS or lemma in SPEECH_LEMMAS
    if subj.lemma_.lower() in ARTIFACT_NOUNS and any(
        c.dep_ == "poss" for c in subj.children
    ):
        return False
    human = subj.ent_type_ in _HUMAN_LABELS or subj.pos_ == "PROPN"
    if lemma in SPEECH_LEMMAS:
        return subj.pos_ in {"PROPN", "NOUN", "PRON"} or human
    if lemma in EVIDENCE_LEMMAS:
        return human or subj.lemma_.lower() in EVIDENCE_NOUNS
    return human or (subj.pos_ == "NOUN" and subj.tag_ == "NNS")


def content_tokens(verb: Any) -> tuple[int, int] | None:
    """Token range [start, end) of what ``verb`` reports, or None when it reports nothing.

    A that-clause wins ("claimed that Russia ..."); otherwise the object and what completes
    it ("accused Washington of resorting to ...", "described Kaspersky as a ... company").
    """
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if not comps and passive and any(c.dep_ == "agent" for c in verb.children):
        return passive[0].left_edge.i, passive[0].right_edge.i + 1  # "X was backed by Y"
    if not comps:
        comps = [c for c in verb.children if c.dep_ in _CONTENT_DEPS and c.i > verb.i]
        if any(c.dep_ in {"dobj", "dative"} for c in comps):
            comps += [
                c for c in verb.children
                if c.dep_ == "prep" and c.i > verb.i and c.lower_ in _OBJECT_PREPS
            ]
    if not comps:
        comps = _stray_that_clause(verb)
    if not comps:
        return _host_clause(verb) if verb.dep_ == "parataxis" else None
    if len(comps) == 1 and comps[0].dep_ == "xcomp" and is_cue_verb(comps[0]):
        return None  # "continued to warn that ...": the inner verb reports, once
    comps.sort(key=lambda c: c.i)
    # Only one side of the verb: the one nearest the verb that holds a complement.
    right = [c for c in comps if c.i > verb.i]
    chosen = right or comps
    start = min(c.left_edge.i for c in chosen)
    end = max(c.right_edge.i for c in chosen) + 1
    if start < verb.i < end:
        start = verb.i + 1
    return start, end


def _stray_that_clause(verb: Any) -> list[Any]:
    """ "said following a vote in 2001 that he had ...": a that-clause the parser hung lower."""
    for tok in verb.subtree:
        if tok.i <= verb.i or tok.pos_ not in {"VERB", "AUX"} or tok.dep_ in {"aux", "auxpass"}:
            continue
        # Only the first verb after the cue: a that-clause further down is someone else's.
        that = any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children)
        return [tok] if tok.dep_ in {"ccomp", "acl"} and that else []
    return []


def _host_clause(verb: Any) -> tuple[int, int] | None:
    """ "The goal, he said, is ..." / "..., officials said.": the clause the cue interrupts.

    The cue's own words are cut off when they open or close the clause; in the middle they
    stay (one span must stay one span).
    """
    host = verb.head
    start, end = host.left_edge.i, host.right_edge.i + 1
    cue_start, cue_end = verb.left_edge.i, verb.right_edge.i + 1
    if cue_end >= end - 1 and cue_start > start:
        end = cue_start
    elif cue_start <= start:
        start = cue_end
    return (start, end) if end - start >= 2 else None


def in_poll(tok: Any) -> tuple[Any, tuple[int, int]] | None:
    """For "in" in "In the latest Fox poll, Kasich was at 25 percent": (poll, phrase range)."""
    if tok.lower_ != "in" or tok.dep_ != "prep" or tok.head.pos_ not in {"VERB", "AUX"}:
        return None
    obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lemma_.lower() not in _POLL_NOUNS:
        return None
    return obj, (tok.left_edge.i, tok.right_edge.i + 1)


def according_to(tok: Any) -> tuple[Any, tuple[int, int]] | None:
    """For "according" in "according to X": (X's head token, the clause token range)."""
    if tok.lower_ != "according":
        return None
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        return None
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    return obj, (tok.left_edge.i, tok.right_edge.i + 1)
