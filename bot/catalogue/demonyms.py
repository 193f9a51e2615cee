"""Places and the words derived from them ("Ethiopian" ~ Ethiopia, "Welsh" ~ Wales).

A reader asks about "the Ethiopian runner" when the story says "Ethiopia's", or the other way
round; a stemmer cannot see that the two are one word. This is a general table of countries,
continents and a few regions and cities with their adjectives and demonyms (single words only:
"New Zealander" would need phrase rules), read in both directions.
"""

from __future__ import annotations

from functools import lru_cache

from bot.catalogue.terms import stem

# place: derived words. One line per place; words are casefolded.
_TABLE = """
afghanistan: afghan afghans afghani
africa: african africans
albania: albanian albanians
algeria: algerian algerians
america: american americans
arabia: arab arabs arabian
argentina: argentine argentinian argentinians argentines argentinean
armenia: armenian armenians
asia: asian asians
australia: australian australians aussie aussies
austria: austrian austrians
bangladesh: bangladeshi bangladeshis
belarus: belarusian belarusians
belgium: belgian belgians
bolivia: bolivian bolivians
bosnia: bosnian bosnians
brazil: brazilian brazilians
britain: british briton britons brit brits
bulgaria: bulgarian bulgarians
cambodia: cambodian cambodians
cameroon: cameroonian cameroonians
canada: canadian canadians
chile: chilean chileans
china: chinese
colombia: colombian colombians
congo: congolese
croatia: croatian croatians croat croats
cuba: cuban cubans
cyprus: cypriot cypriots
czechia: czech czechs
denmark: danish dane danes
ecuador: ecuadorian ecuadorians
egypt: egyptian egyptians
england: english englishman englishmen
estonia: estonian estonians
ethiopia: ethiopian ethiopians
europe: european europeans
finland: finnish finn finns
france: french frenchman frenchmen
georgia: georgian georgians
germany: german germans
ghana: ghanaian ghanaians
greece: greek greeks
haiti: haitian haitians
holland: dutch dutchman
hungary: hungarian hungarians
iceland: icelandic icelander icelanders
india: indian indians
indonesia: indonesian indonesians
iran: iranian iranians
iraq: iraqi iraqis
ireland: irish irishman
israel: israeli israelis
italy: italian italians
jamaica: jamaican jamaicans
japan: japanese
jordan: jordanian jordanians
kazakhstan: kazakh kazakhs
kenya: kenyan kenyans
korea: korean koreans
kosovo: kosovan kosovar kosovars
kuwait: kuwaiti kuwaitis
latvia: latvian latvians
lebanon: lebanese
liberia: liberian liberians
libya: libyan libyans
lithuania: lithuanian lithuanians
macedonia: macedonian macedonians
malaysia: malaysian malaysians
malta: maltese
mexico: mexican mexicans
moldova: moldovan moldovans
mongolia: mongolian mongolians
morocco: moroccan moroccans
nepal: nepalese nepali
netherlands: dutch
nigeria: nigerian nigerians
norway: norwegian norwegians
pakistan: pakistani pakistanis
palestine: palestinian palestinians
paraguay: paraguayan paraguayans
peru: peruvian peruvians
philippines: filipino filipinos philippine
poland: polish
portugal: portuguese
qatar: qatari qataris
romania: romanian romanians
russia: russian russians
rwanda: rwandan rwandans
scandinavia: scandinavian scandinavians
scotland: scottish scot scots scotsman
senegal: senegalese
serbia: serbian serbians serb serbs
slovakia: slovak slovaks slovakian
slovenia: slovenian slovenians slovene
somalia: somali somalis
spain: spanish spaniard spaniards
sudan: sudanese
sweden: swedish swede swedes
switzerland: swiss
syria: syrian syrians
taiwan: taiwanese
tanzania: tanzanian tanzanians
thailand: thai thais
tibet: tibetan tibetans
tunisia: tunisian tunisians
turkey: turkish turk turks
uganda: ugandan ugandans
ukraine: ukrainian ukrainians
uruguay: uruguayan uruguayans
uzbekistan: uzbek uzbeks
venezuela: venezuelan venezuelans
vietnam: vietnamese
wales: welsh welshman
yemen: yemeni yemenis
zambia: zambian zambians
zimbabwe: zimbabwean zimbabweans
california: californian californians
texas: texan texans
florida: floridian floridians
london: londoner londoners
paris: parisian parisians
moscow: muscovite muscovites
glasgow: glaswegian glaswegians
manchester: mancunian mancunians
liverpool: liverpudlian liverpudlians
"""


@lru_cache(maxsize=1)
def _related() -> dict[str, frozenset[str]]:
    """stem -> the stems of the same place (the place and all its derived words)."""
    groups: dict[str, set[str]] = {}
    for line in _TABLE.strip().splitlines():
        place, _, derived = line.partition(":")
        family = {stem(place.strip()), *(stem(w) for w in derived.split())}
        for member in family:
            groups.setdefault(member, set()).update(family)
    return {member: frozenset(family) for member, family in groups.items()}


def related_stems(word_stem: str) -> frozenset[str]:
    """The other stems of the place ``word_stem`` names or derives from (empty if none)."""
    return _related().get(word_stem, frozenset()) - {word_stem}
