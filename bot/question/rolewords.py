"""How people name a role in a question, against how articles write it.

"the Nestle boss" is the article's "chief executive", "the Fed chairman" its "Federal Reserve
chairman". A small closed lexicon: each word a user may type, with the article words that
count as the same role. Generic words ("the guy", "the woman") name a person, not a role.
"""

from __future__ import annotations


def _split(text: str) -> list[str]:
    return text.split()


_HEADS = ("chief", "head", "chairman", "chairwoman", "chair", "executive", "director", "boss",
          "manager", "president", "leader", "ceo", "coach", "owner", "founder", "governor",
          "secretary", "commissioner", "principal", "chief executive", "md", "managing",
          "gaffer", "supremo", "exec", "skipper", "captain", "headteacher")
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("spokesman", "spokeswoman", "spokesperson", "spokesmen", "representative", "statement"),
    ("spokeswoman", "spokesman", "spokesperson", "representative", "statement"),
    ("spokesperson", "spokesman", "spokeswoman", "representative", "statement"),
    ("manager", "coach", "boss", "manageress"),
    ("director", "head", "chief", "directed"),
    ("chairman", "chairwoman", "chair", "chairperson", "president"),
    ("chairwoman", "chairman", "chair", "chairperson", "president"),
    ("president", "chairman", "chairwoman", "chair", "head"),
    ("executive", "ceo", "chief"),
    ("attorney", "lawyer", "prosecutor", "counsel"),
    ("singer", "frontman", "frontwoman", "vocalist"),
    ("ceo", "chief", "executive", "boss", "head"),
    ("lawyer", "solicitor", "attorney", "counsel", "barrister", "advocate"),
    ("prosecutor", "prosecution", "attorney"),
    ("minister", "secretary"),
    ("coach", "manager", "boss", "trainer"),
    ("frontman", "frontwoman", "singer", "vocalist", "lead"),
    ("analyst", "economist", "strategist", "expert", "analysts"),
    ("economist", "analyst", "strategist"),
    ("mp", "member", "parliament", "politician"),
    ("mep", "member", "parliament"),
    ("student", "pupil", "undergraduate"),
    ("actor", "actress", "star"),
    ("actress", "actor", "star"),
    ("film-maker", "filmmaker", "director"),
    ("filmmaker", "film-maker", "director"),
    ("racer", "rider", "cyclist", "driver"),
    ("striker", "forward", "player"),
    ("player", "striker", "midfielder", "defender", "forward", "goalkeeper"),
    ("doctor", "dr", "physician", "surgeon"),
    ("professor", "prof", "academic", "researcher"),
    ("scientist", "researcher", "professor"),
    ("researcher", "scientist", "professor"),
    ("author", "writer", "novelist"),
    ("writer", "author", "novelist"),
    ("judge", "justice"),
    ("police", "officer", "detective", "inspector", "superintendent", "constable"),
    ("official", "spokesman", "spokeswoman", "officer"),
    ("fa", "association", "federation"),
)
# Words that are the same role however a newsroom or a reader writes it: each member counts
# as every other (UK "secretary" and "minister", sport "coach" and "manager").
_SAME: tuple[tuple[str, ...], ...] = (
    ("chief", "ceo", "exec", "executive", "md", "boss", "head"),
    ("chairman", "chairwoman", "chair", "chairperson"),
    ("spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen", "spokespeople",
     "representative", "rep", "mouthpiece"),
    ("minister", "secretary"),
    ("prosecutor", "attorney", "prosecutors", "prosecution"),
    ("lawyer", "attorney", "solicitor", "barrister", "counsel", "advocate", "brief"),
    ("coach", "manager", "gaffer", "boss", "trainer", "manageress"),
    ("striker", "forward", "attacker", "frontman", "centre-forward"),
    ("frontman", "frontwoman", "singer", "vocalist", "lead", "lead-singer"),
    ("goalkeeper", "keeper", "goalie"),
    ("captain", "skipper"),
    ("ambassador", "envoy", "diplomat"),
    ("lawmaker", "legislator", "mp", "senator", "congressman", "congresswoman", "politician"),
    ("pm", "premier", "prime"),
    ("deputy", "vice", "assistant"),
    ("professor", "prof", "academic", "lecturer"),
    ("doctor", "dr", "doc", "medic", "physician", "gp"),
    ("police", "policeman", "policewoman", "officer", "cop", "detective", "inspector",
     "superintendent", "constable"),
    ("presenter", "host", "anchor", "broadcaster"),
    ("headteacher", "headmaster", "headmistress", "principal", "head"),
    ("activist", "campaigner", "protester"),
    ("expert", "specialist", "analyst"),
    ("regulator", "watchdog"),
    ("judge", "justice", "magistrate"),
    ("chef", "cook"),
    ("boss", "chief", "head", "leader", "supremo"),
    ("owner", "proprietor"),
    ("founder", "co-founder", "creator"),
)
# Words that name a person without a role: any quoted person may be meant.
PERSON_WORDS = frozenset(_split(
    "guy guys man woman men women bloke chap lady fella fellow dude person people girl someone "
    "somebody one gentleman"
))
# Words of a role phrase that say nothing about who ("the former head of ...").
FILLER = frozenset(_split(
    "the a an of for from at in on by with his her their its s ex former then new old "
    "that who which this"
))


def _table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {word: set(_HEADS) for word in ("boss", "chief", "head")}
    for group in _GROUPS:
        table.setdefault(group[0], set()).update(group)
    for same in _SAME:
        for word in same:
            table.setdefault(word, set()).update(same)
    return {word: frozenset(same) for word, same in table.items()}


SAME_ROLE: dict[str, frozenset[str]] = _table()


def same_role(word: str) -> frozenset[str]:
    """The article words that count as the role ``word`` (empty when it is no role word)."""
    return SAME_ROLE.get(word, frozenset())
