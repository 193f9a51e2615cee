"""Word lists for cues and speakers: titles, pronouns, first names, organisation, role, people,
document and speech nouns.

Kept apart from the rules that use them so they can grow without burying the logic.
"""

from __future__ import annotations


def words(s: str) -> frozenset[str]:
    """A word list written as one string (easier to read and diff than a list literal)."""
    return frozenset(s.split())


TITLES = words(
    """mr mrs ms miss dr prof sir dame lord lady president vice sen senator rep representative
    gov governor mayor gen general col secretary minister prime chancellor judge justice rev
    pope king queen prince princess sheikh chairman chairwoman ceo adm"""
)

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
FEMININE_PRONOUNS = frozenset({"she", "her"})
HONORIFIC_GENDER = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
                     "miss": "f", "sir": "m", "dame": "f", "lady": "f", "lord": "m"}
# Common feminine first names in English-language news: enough to keep "he" off Hillary Clinton
# and "she" off Donald Trump without a gender model. An unknown name fits either pronoun.
FEMININE_NAMES = words(
    """hillary huma sarah nancy elizabeth carly kellyanne theresa angela marine michelle
    melania ivanka gina jane mary maria susan karen lisa anna emily kate claire jennifer
    jessica amy laura rachel rebecca nicola diane patricia linda barbara margaret helen ruth
    julia sophie emma olivia catherine caroline victoria amanda heather donna debbie kirsten
    kamala elaine janet joanne megyn hope nikki condoleezza madeleine samantha christine
    ursula jacinda liz priti yvette harriet andrea kristen tulsi debbie alexandria ilhan
    rashida ayanna katie megan meghan hannah grace alice ann anne joan judith deborah
    dorothy frances kathleen kathryn louise lucy marie nina natalie olga irina svetlana
    tatiana yulia fatima aisha sandra sharon stephanie"""
)
MASCULINE_NAMES = words(
    """donald bernie barack joe ted marco jeb ben chris john mike paul rand newt bill george
    james robert michael david richard thomas charles mark steven tim vladimir dmitry boris
    emmanuel xi justin tony gordon david keir rishi nigel jeremy scott jim tom peter eric
    kevin mitch chuck harry jack bob william will henry edward frank fred alan andrew adam
    anthony brian carl daniel dan dennis douglas frederick gary greg gregory jason jeff
    jeffrey jerry jonathan joseph josh joshua keith larry matthew matt nicholas nick patrick
    philip phil ralph raymond roger ronald ron samuel sean stephen steve walter ahmed ali
    mohammed muhammad hassan ivan sergei sergey alexei igor viktor pierre francois hans"""
)
ORG_PRONOUNS = frozenset({"it", "its"})
# Head nouns of a definite description that stands for an organisation named before.
ORG_NOUNS = words(
    """company firm group organisation organization agency corporation business giant maker
    manufacturer bank lab laboratory retailer airline carrier government ministry department
    administration campaign party committee newspaper network channel outlet broadcaster
    publisher union association council board startup developer provider operator insurer
    club team charity regulator watchdog"""
)
# Nouns that name a role a person holds; "the spokesman" points back to the named holder.
ROLE_NOUNS = words(
    """spokesman spokeswoman spokesperson secretary minister president senator governor mayor
    chairman chairwoman chair director chief executive ceo official leader adviser advisor
    candidate nominee ambassador lawyer attorney aide strategist manager representative
    congressman congresswoman premier chancellor commissioner founder economist analyst
    professor diplomat general"""
)
# Common nouns for people and groups of people that speak ("critics say", "officials said");
# nouns ending like agent nouns ("voter", "strategist", "politician") need no entry.
PEOPLE_NOUNS = words(
    """people person official aide leader member expert critic source staff staffer police
    public crowd audience family friend woman women man men child children kid parent wife
    husband mother father son daughter sister brother colleague ally opponent rival resident
    student participant delegate attendee constituent majority minority other others one none
    some many most few all everyone someone anyone nobody both each either half dozen handful
    lot number side camp faction base establishment community youth elite insider outsider
    conservative liberal progressive democrat republican independent moderate activist fan
    guy boy girl lady gentleman victim witness survivor patient nurse doctor agent officer
    judge jury court justice army military senate congress house parliament cabinet
    leadership management press media medium office head authority commission foundation
    state city town country field star celebrity citizen scholar boss host king cousin
    percent % proponent hopeful advocate heavyweight magnate tycoon"""
)
# Texts and records that "say", "show" or "find" something: a document speaks for its authors.
DOCUMENT_NOUNS = words(
    """poll survey study report data datum research analysis figure number result estimate
    projection finding average tally record document memo letter email statement filing
    complaint lawsuit suit census review investigation inquiry probe audit ad advert video
    website site page post tweet message release article story book column editorial note
    account transcript summary law bill legislation constitution rule order ruling verdict
    opinion platform manifesto speech interview testimony affidavit indictment warning"""
)
# The documents among them that speak for their authors even after an evidence verb ("the
# poll suggests", "figures show"), where other things are the journalist reading the facts;
# with the plurals the lemmatiser sometimes leaves as they are.
EVIDENCE_NOUNS = words(
    """poll survey study report data research analysis document memo letter email statement
    filing complaint lawsuit census review investigation audit"""
) | words("polls figures numbers results records documents")
# Object nouns that make any speech verb report speech: "rejected the allegations".
SPEECH_NOUNS = words(
    """allegation claim charge accusation report rumour rumor suggestion assertion argument
    criticism comment remark statement idea notion theory characterization characterisation
    description label suggestion proposal offer demand request call plea appeal warning
    threat promise pledge concern fear question story account version"""
)
# Suffixes of agent nouns ("voter", "strategist", "politician", "spokesman"): people.
AGENT_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman", "person", "eer", "ee", "ant", "ess",
                  "ive")
# Singular nouns that describe one person ("A spokesman for NBC said ... He added"): what a
# "he" or "she" can point back to when the person was never named (roles count too).
PERSON_DESCRIPTION_NOUNS = words(
    """person man woman boy girl guy lady gentleman mother father son daughter sister brother
    wife husband friend colleague ally opponent rival resident student victim witness doctor
    nurse officer detective constable judge boss host source insider expert critic aide
    staffer member viewer fan player coach captain manager owner teacher pupil worker driver
    pilot passenger singer actor actress writer author artist musician star director
    producer campaigner activist protester customer consumer user neighbour neighbor
    grandmother grandfather uncle aunt nephew niece cousin partner boyfriend girlfriend
    widow widower"""
)
FEMININE_NOUNS = words(
    """woman girl lady mother daughter sister wife spokeswoman chairwoman congresswoman actress
    grandmother aunt niece girlfriend widow businesswoman policewoman"""
)
MASCULINE_NOUNS = words(
    """man boy guy gentleman father son brother husband spokesman chairman congressman
    grandfather uncle nephew boyfriend widower businessman policeman"""
)
