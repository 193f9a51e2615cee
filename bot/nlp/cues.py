"""Attribution cues on the dependency parse: which verbs report speech or thought, who their
subject is, and which words are the reported content.

The lexicon was drawn from the cue words annotated in PolNeAR (news attribution relations):
speech verbs dominate ("said" alone is a fifth of all cues), then "according to", then verbs
of stance and thought that the annotators also count ("argued", "believes", "denied").
spaCy objects are typed ``Any``: spaCy ships no type information mypy can use.
"""

from __future__ import annotations

from typing import Any

from bot.nlp.lexicon import (
    AGENT_SUFFIXES,
    DOCUMENT_NOUNS,
    EVIDENCE_NOUNS,
    ORG_NOUNS,
    PEOPLE_NOUNS,
    ROLE_NOUNS,
    SPEECH_NOUNS,
    words,
)

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
# Speech verbs whose bare noun-phrase object is what was said ("denied any improper ties",
# "described Kaspersky as ...", "expressed its belief"). The others take objects that are no
# speech ("attacked the city", "called his mother", "ordered 40 aircraft", "rejected the
# bill"): for them only a clause, a quotation, a predicate ("called it a disaster") or a
# speech noun ("rejected the allegations") is content.
NP_CONTENT_LEMMAS = words(
    """say deny accuse describe express characterize characterise portray label dub brand
    allege admit acknowledge concede announce confirm reveal disclose predict propose promise
    pledge vow estimate reiterate recount criticize criticise condemn decry denounce blame
    praise urge demand stress emphasize emphasise question dispute rebut contest note mention
    explain claim recall report comment remark observe tweet post state cite endorse charge"""
)
# Verbal acts whose noun object is the target of what was said when a person does them
# ("Christie endorsed Trump", "she attacked his record"), and no speech when an army, a court
# or a senate does ("attacked the city", "dismissed the case", "rejected the bill").
PERSON_NP_LEMMAS = words(
    """attack defend blast slam welcome reject dismiss challenge mock deride hail
    applaud thank lash write"""
)
# Verbs whose noun object is the person addressed, never what was said ("told reporters").
ADDRESS_LEMMAS = words("tell ask inform notify advise assure")
# Verbs of thought and stance that PolNeAR counts as attribution, with a human subject only.
STANCE_LEMMAS = words(
    """think believe feel know expect want hope fear worry doubt guess assume reckon figure
    consider view regard see support oppose back favor favour plan intend decide seek prefer
    understand realize realise recognize recognise accept learn hear agree wish"""
)
# Speech acts outside ``SPEECH_LEMMAS`` that a that-clause can follow ("pointed out that",
# "the court ruled that", "he confided that"): kept when only speech is wanted.
SPEECH_ACT_LEMMAS = words(
    """point confide repeat reassure forecast exclaim sneer snap clarify stipulate decree
    intimate rule certify concur retort signal"""
)
# Verbs where an inanimate subject is evidence, not a speaker, unless it is a document or poll.
EVIDENCE_LEMMAS = words(
    """show find indicate suggest reveal mean imply highlight underscore underline
    demonstrate illustrate signal"""
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
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "oprd", "acomp", "attr"})
_QUOTE_TOKENS = frozenset({'"', "“", "”", "„", "«", "»", "''", "``", "‘", "’", "'"})
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


def is_speech(verb: Any, subj: Any) -> bool:
    """Whether the cue ``verb`` with subject ``subj`` reports words someone said or wrote.

    Thought, perception, wishes and decisions ("believes", "saw", "wants", "decided",
    "sought") are not: a user asking what someone said wants their words. An evidence verb
    speaks for the authors of a document ("the poll found", "figures show"), never for a
    person ("she found that", "Russia has demonstrated").
    """
    lemma = verb.lemma_.lower()
    if lemma in SPEECH_LEMMAS or lemma in SPEECH_ACT_LEMMAS:
        return True
    if lemma in EVIDENCE_LEMMAS:  # "the survey found", "the committee found"; not "the
        noun = subj.lemma_.lower()  # hosts found themselves a goal down"
        return subj.pos_ == "NOUN" and (
            noun in DOCUMENT_NOUNS or noun in EVIDENCE_NOUNS or noun in ORG_NOUNS
        )
    return False


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
    if subj.lower_ not in {"who", "which", "that"} or verb.dep_ != "relcl":
        return None
    return _nearest_conjunct(subj, verb.head)


def _nearest_conjunct(rel: Any, head: Any) -> Any:
    """ "backed by Culture, Media and Sport Secretary Tessa Jowell who said": the parser hangs
    the relative clause on the first of the conjoined (or apposed) nouns; it is about the
    nearest one."""
    prev = rel.doc[rel.i - 1] if rel.i > 0 else None
    if prev is not None and prev.text == "," and prev.i > 0:
        prev = rel.doc[prev.i - 1]
    if prev is None or prev.pos_ != "PROPN":  # "John Smith, the mayor, who": Smith
        return head
    tok = prev
    while tok.dep_ in {"conj", "appos"} and tok.head.i != tok.i:
        tok = tok.head
    return prev if tok.i == head.i else head


def plausible_speaker(subj: Any, verb: Any) -> bool:
    """Whether ``subj`` can be the source of what ``verb`` reports."""
    lemma = verb.lemma_.lower()
    low = subj.lower_
    if subj.pos_ == "PRON":
        if low in {"it", "this", "that"}:
            return lemma in SPEECH_LEMMAS and low == "it"
        return low in HUMAN_PRONOUNS or lemma in SPEECH_LEMMAS
    noun = subj.lemma_.lower()
    human = subj.ent_type_ in _HUMAN_LABELS or subj.pos_ == "PROPN"
    if lemma in EVIDENCE_LEMMAS and not human:
        # "The move suggests that ...", "The comments suggest ...": the journalist reading
        # the facts, possessed or not; a poll or a report does speak for its authors.
        return noun in EVIDENCE_NOUNS or (speaker_noun(subj) and noun not in ARTIFACT_NOUNS)
    if noun in ARTIFACT_NOUNS and any(c.dep_ == "poss" for c in subj.children):
        return False
    if lemma in SPEECH_LEMMAS:
        return subj.pos_ in {"PROPN", "NOUN", "PRON"} or human
    if lemma in EVIDENCE_LEMMAS:
        return human
    return human or (subj.pos_ == "NOUN" and subj.tag_ == "NNS")


def speaker_noun(tok: Any) -> bool:
    """A common noun that can speak: people, a role, an organisation, or a document.

    "The ban cited security concerns" and "The storm threatened coastal towns" have
    subjects that say nothing; "critics say", "the statement said", "the poll found" do.
    """
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    lemma = tok.lemma_.lower()
    if lemma in PEOPLE_NOUNS or lemma in ROLE_NOUNS or lemma in ORG_NOUNS:
        return True
    return lemma in DOCUMENT_NOUNS or lemma.endswith(AGENT_SUFFIXES)


def _reports_speech(verb: Any, comps: list[Any]) -> bool:
    """Whether the complements ``comps`` of a speech verb hold something said.

    A clause always does. A noun object needs a subject that can speak ("The ban cited
    security concerns" reports nothing), and then is content for verbs whose object is the
    message (``NP_CONTENT_LEMMAS``), for verbal acts by a person (``PERSON_NP_LEMMAS``), or
    when it names speech ("dismissed these allegations") or holds a quotation ("called it
    "a witch hunt""); never when it is only the person addressed ("asked reporters").
    """
    lemma = verb.lemma_.lower()
    if lemma not in SPEECH_LEMMAS or any(c.dep_ in _CLAUSE_DEPS for c in comps):
        return True
    subj = subject_of(verb)
    if subj is None or not _can_speak(subj):
        return False
    if lemma in NP_CONTENT_LEMMAS:
        return True
    objs = [c for c in comps if c.dep_ in {"dobj", "dative"}]
    if any(o.lemma_.lower() in SPEECH_NOUNS for o in objs):
        return True
    if any(t.text in _QUOTE_TOKENS for c in comps for t in c.subtree):
        return True
    if lemma in ADDRESS_LEMMAS:
        return any(not _addressee(o) for o in objs)
    return lemma in PERSON_NP_LEMMAS and _individual(subj)


def _can_speak(subj: Any) -> bool:
    if subj.pos_ in {"PRON", "PROPN"} or subj.ent_type_ in _HUMAN_LABELS:
        return True
    return speaker_noun(subj) or subj.lemma_.lower() in SPEECH_NOUNS


def _addressee(tok: Any) -> bool:
    """A person or organisation spoken to: "told reporters", "asked him", "told CNN"."""
    if tok.pos_ == "PRON":
        return True
    return tok.ent_type_ in _HUMAN_LABELS or speaker_noun(tok)


def _individual(subj: Any) -> bool:
    """People speaking for themselves: a name, a personal pronoun, a role ("Democrats" too;
    a company, a court, an army or a senate acts rather than speaks)."""
    if subj.pos_ == "PRON":
        return subj.lower_ in HUMAN_PRONOUNS
    if subj.ent_type_:
        return subj.ent_type_ in {"PERSON", "NORP"}
    return subj.pos_ == "PROPN" or subj.lemma_.lower() in ROLE_NOUNS


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
        if comps and not _reports_speech(verb, comps):
            return None
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
