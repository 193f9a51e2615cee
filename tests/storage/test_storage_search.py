"""Reads: safe ranked search, autocomplete, latest, speakers and their attributions."""

from __future__ import annotations

import time

import pytest

from bot.catalogue import _sqlite_search, fts, sqlite
from bot.catalogue.base import Catalogue, UpsertOutcome
from bot.catalogue.fts import words
from bot.models import ArticleKind, Entity, Speaker
from tests.storage.storage_kit import Backend, MakeDraft, analysis_of, at

EVIL_QUERIES = [
    '"',
    '"""',
    "*",
    "kaspersky*",
    "NEAR(",
    "NEAR(kaspersky ban, 2)",
    "-",
    "-kaspersky",
    "OR",
    "AND",
    "NOT",
    "kaspersky OR",
    "OR kaspersky",
    "^",
    "^kaspersky",
    "title:kaspersky",
    "{title body}: ban",
    "(kaspersky",
    "kaspersky)",
    "'; DROP TABLE articles;--",
    "Robert'); DROP TABLE articles;--",
    "\x00\x01\x02\x1b[31m kaspersky \x7f",
    "😀🔥 kaspersky 🇺🇸",
    "كاسبرسكي الكرملين",
    "\u202ekaspersky\u202c",
    "קספרסקי",
    "_",
    "%",
    "kasp%",
    "\\",
    "",
    "   \t\n ",
]


@pytest.fixture
async def news(catalogue: Catalogue, make_draft: MakeDraft) -> Catalogue:
    """Four stories: two about Kaspersky (one in the title, one only in the body)."""
    title_hit = make_draft(
        "Kremlin decries US Kaspersky ban",
        'Dmitry Peskov described the company as "very competitive".',
        "Raimondo claimed Russia could exploit companies like this.",
        published_at=at(3),
    )
    body_hit = make_draft(
        "Antivirus market shifts",
        "Several vendors, including Kaspersky, gained customers in Europe.",
        published_at=at(5),
    )
    other = make_draft(
        "Café owners welcome rate cut",
        "The Bank of England cut rates, said the governor Andrew Bailey.",
        published_at=at(4),
    )
    teaser = make_draft(
        "Bringing Teams to the table",
        "A decade ago, the idea of digital collaboration started with email.",
        slug=None,
        kind=ArticleKind.TEASER,
        published_at=at(1),
    )
    peskov = Speaker("Dmitry Peskov", ("Peskov", "the Kremlin spokesman"))
    await catalogue.upsert(
        title_hit,
        analysis_of(
            title_hit,
            quotes=(("Dmitry Peskov", '"very competitive"'), ("Gina Raimondo", "Russia could")),
            speakers=(peskov, Speaker("Gina Raimondo", ("Raimondo",))),
            entities=(Entity("Kaspersky", "ORG", 2),),
        ),
    )
    await catalogue.upsert(body_hit, analysis_of(body_hit))
    await catalogue.upsert(
        other,
        analysis_of(other, quotes=(("Andrew Bailey", "The Bank of England cut rates"),)),
    )
    await catalogue.upsert(teaser, analysis_of(teaser))
    return catalogue


async def test_title_match_outranks_body_match(news: Catalogue) -> None:
    hits = await news.search("kaspersky", 10)
    titles = [h.title for h in hits]
    assert titles == ["Kremlin decries US Kaspersky ban", "Antivirus market shifts"]
    assert hits[0].score > hits[1].score > 0
    assert hits[0].lede.startswith("Dmitry Peskov described")


async def test_all_words_first_then_any(news: Catalogue) -> None:
    hits = await news.search("kaspersky customers europe", 10)
    assert hits[0].title == "Antivirus market shifts"  # has every word
    assert "Kremlin decries US Kaspersky ban" in [h.title for h in hits]  # fills up with OR
    assert len(await news.search("kaspersky customers europe", 1)) == 1


async def test_speakers_and_entities_are_searchable(news: Catalogue) -> None:
    hits = await news.search("Kremlin spokesman", 5)
    assert hits[0].title == "Kremlin decries US Kaspersky ban"


async def test_diacritics_and_case_are_ignored(news: Catalogue) -> None:
    assert [h.title for h in await news.search("CAFE", 5)] == ["Café owners welcome rate cut"]
    assert [h.title for h in await news.search("café", 5)] == ["Café owners welcome rate cut"]


@pytest.mark.parametrize("query", EVIL_QUERIES)
async def test_evil_queries_never_raise(news: Catalogue, query: str) -> None:
    hits = await news.search(query, 5)
    assert len(hits) <= 5
    if "kaspersky" in query.casefold() and "DROP" not in query:
        assert hits, query
    assert await news.titles(query, 5) is not None
    assert await news.speakers(query, 5) is not None
    assert await news.attributions_by_speaker(query) is not None
    assert await news.count() == 4  # nothing dropped, nothing corrupted


async def test_sql_text_is_just_words(news: Catalogue) -> None:
    hits = await news.search("'; DROP TABLE articles;--", 5)
    assert [h.title for h in hits] == ["Bringing Teams to the table"]  # the word "table"
    assert await news.count() == 4


async def test_empty_and_stopword_queries_return_nothing(news: Catalogue) -> None:
    assert await news.search("", 5) == []
    assert await news.search("the of and", 5) == []
    assert await news.search("kaspersky", 0) == []


async def test_huge_query_is_fast(news: Catalogue) -> None:
    query = ("kaspersky " + "x" * 90 + " ") * 1_000  # 100 KB
    assert len(query) >= 100_000
    started = time.perf_counter()
    hits = await news.search(query, 5)
    await news.titles(query, 5)
    await news.speakers(query, 5)
    await news.attributions_by_speaker(query)
    assert time.perf_counter() - started < 0.5
    assert hits[0].title == "Kremlin decries US Kaspersky ban"


def test_words_are_bounded_and_deduplicated() -> None:
    assert words("Kaspersky kaspersky KASPERSKY ban") == ["kaspersky", "ban"]
    assert len(words(" ".join(f"w{i}" for i in range(1000)))) <= 16
    assert all(len(w) <= 48 for w in words("a" * 10_000))
    assert words("don't NEAR(x) -y ^z") == ["don", "near", "x", "y", "z"]


def test_fragments_join_into_queries() -> None:
    assert fts.all_of([fts.quote('say "hi"'), fts.prefix("kasp")]) == '"say ""hi""" "kasp" *'
    assert fts.all_of([fts.quote("ban")], column="title") == '{title} : ("ban")'
    assert fts.all_of([], column="title") == ""
    assert fts.any_of([fts.quote("ban"), fts.prefix("kasp")]) == '"ban" OR "kasp" *'


async def test_titles_autocomplete(news: Catalogue) -> None:
    assert [h.title for h in await news.titles("kasp", 5)] == ["Kremlin decries US Kaspersky ban"]
    assert [h.title for h in await news.titles("bringing te", 5)] == ["Bringing Teams to the table"]
    assert [h.kind for h in await news.titles("bringing", 5)] == ["teaser"]
    assert await news.titles("zzzz", 5) == []
    assert len(await news.titles("", 3)) == 3  # the newest titles


async def test_latest_is_newest_first_with_since(news: Catalogue) -> None:
    latest = await news.latest(10)
    assert [h.published_at for h in latest] == sorted(
        (h.published_at for h in latest), reverse=True
    )
    assert latest[0].title == "Antivirus market shifts"
    assert all(not h.published_estimated for h in latest)
    assert len(await news.latest(2)) == 2
    assert await news.latest(0) == []


async def test_latest_since_takes_published_or_first_stored(
    backend: Backend, make_draft: MakeDraft
) -> None:
    """A digest's window: stories published in it, and old-dated stories first stored in it."""
    now = [at(2)]
    catalogue = await backend.open(clock=lambda: now[0])
    try:
        old = make_draft("Old story stored early", published_at=at(1))
        fresh = make_draft("Fresh story", published_at=at(5))
        late = make_draft("Old story found late", published_at=at(1, hour=9))
        await catalogue.upsert(old, analysis_of(old))
        now[0] = at(6)
        await catalogue.upsert(fresh, analysis_of(fresh))
        await catalogue.upsert(late, analysis_of(late))
        since = await catalogue.latest(10, since=at(4))
        assert [h.title for h in since] == ["Fresh story", "Old story found late"]
        assert since[1].ingested_at == at(6)
        assert [h.title for h in await catalogue.latest(10, since=at(7))] == []
        # an update keeps the first-stored time, so a corrected old story is not new again
        now[0] = at(8)
        changed = make_draft("Old story stored early", "A corrected body.", published_at=at(1),
                             slug=old.slug)
        result = await catalogue.upsert(changed, analysis_of(changed))
        assert result.outcome is UpsertOutcome.UPDATED
        assert [h.title for h in await catalogue.latest(10, since=at(7))] == []
    finally:
        await catalogue.close()


async def test_speakers_by_prefix_on_name_alias_or_surname(news: Catalogue) -> None:
    assert await news.speakers("Pes", 5) == ["Dmitry Peskov"]
    assert await news.speakers("dmitry", 5) == ["Dmitry Peskov"]
    assert await news.speakers("the kremlin spok", 5) == ["Dmitry Peskov"]
    assert await news.speakers("bailey", 5) == ["Andrew Bailey"]  # surname of a quoted speaker
    assert await news.speakers("zz", 5) == []
    assert set(await news.speakers("", 10)) >= {"Dmitry Peskov", "Gina Raimondo"}


async def test_attributions_by_speaker(news: Catalogue) -> None:
    for name in ("Dmitry Peskov", "peskov", "PESKOV", "Peskov's", "the Kremlin spokesman"):
        hits = await news.attributions_by_speaker(name)
        assert [h.attribution.text for h in hits] == ['"very competitive"'], name
        assert hits[0].article.title == "Kremlin decries US Kaspersky ban"
        assert hits[0].attribution.speaker == "Dmitry Peskov"
    assert await news.attributions_by_speaker("Dmitry") == []  # a first name is not a surname
    assert await news.attributions_by_speaker("Nobody") == []


async def test_attributions_restricted_to_articles(news: Catalogue) -> None:
    kaspersky = (await news.search("kaspersky ban", 1))[0]
    cafe = (await news.search("cafe", 1))[0]
    assert len(await news.attributions_by_speaker("Peskov", [kaspersky.id])) == 1
    assert await news.attributions_by_speaker("Peskov", [cafe.id]) == []
    assert await news.attributions_by_speaker("Peskov", []) == []
    assert len(await news.attributions_by_speaker("Bailey", [cafe.id, kaspersky.id])) == 1


async def test_words_found_nowhere_do_not_hide_hits(news: Catalogue) -> None:
    hits = await news.search("summarise kaspersky zzqx", 5)
    assert hits[0].title == "Kremlin decries US Kaspersky ban"


async def test_common_words_are_left_out_of_ranking(
    news: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the threshold lowered, "kaspersky" (2 articles) counts as common: the rare word
    decides the ranking; when every word is common, the newest matches come, title hits
    first."""
    monkeypatch.setattr(_sqlite_search, "COMMON_DOCS", 2)
    hits = await news.search("kaspersky customers", 5)
    assert [h.title for h in hits] == ["Antivirus market shifts"]
    hits = await news.search("kaspersky", 5)
    assert [h.title for h in hits] == [
        "Kremlin decries US Kaspersky ban",
        "Antivirus market shifts",
    ]
    assert hits[0].score > hits[1].score > 0


async def test_many_matching_titles_list_the_newest_stored(
    news: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite, "COMMON_TITLES", 1)
    titles = [h.title for h in await news.titles("b", 5)]  # "ban", "Bringing"
    assert titles == ["Bringing Teams to the table", "Kremlin decries US Kaspersky ban"]


async def test_latest_matching_takes_any_word_inside_the_window(
    backend: Backend, make_draft: MakeDraft
) -> None:
    """The digest's topic query: any topic word (title, body, speakers), published or first
    stored in the window, newest first, however common the word is outside the window."""
    now = [at(1)]
    catalogue = await backend.open(clock=lambda: now[0])
    try:
        old = [make_draft(f"Climate talks {n}", "Climate finance again.", published_at=at(1))
               for n in range(30)]
        for draft in old:
            await catalogue.upsert(draft, analysis_of(draft))
        now[0] = at(6)
        body = make_draft("Early harvest", "Farmers blame the climate.", published_at=at(5))
        quoted = make_draft("Kremlin answers", "He spoke at noon.", published_at=at(6))
        late = make_draft("Old climate report found late", published_at=at(2))
        other = make_draft("Football results", published_at=at(6, hour=13))
        for draft in (body, late, other):
            await catalogue.upsert(draft, analysis_of(draft))
        await catalogue.upsert(
            quoted, analysis_of(quoted, speakers=(Speaker("Dmitry Peskov", ("Peskov",)),))
        )
        window = at(4)
        titles = [h.title for h in await catalogue.latest_matching("climate, Peskov", window, 10)]
        assert titles == ["Kremlin answers", "Early harvest", "Old climate report found late"]
        assert [h.title for h in await catalogue.latest_matching("climate", window, 1)] == [
            "Early harvest"
        ]
        assert len(await catalogue.latest_matching("climate", at(1), 100)) == 32
        assert await catalogue.latest_matching("climate", at(7), 10) == []
        assert await catalogue.latest_matching("the of and", window, 10) == []
        assert await catalogue.latest_matching("climate", window, 0) == []
    finally:
        await catalogue.close()


@pytest.mark.parametrize("topic", EVIL_QUERIES)
async def test_latest_matching_treats_fts_syntax_as_words(news: Catalogue, topic: str) -> None:
    hits = await news.latest_matching(topic, at(1), 10)
    titles = {h.title for h in hits}
    if "kaspersky" in topic.casefold() and "DROP" not in topic:
        assert {"Kremlin decries US Kaspersky ban", "Antivirus market shifts"} <= titles, topic
    if "table" in topic:
        assert titles == {"Bringing Teams to the table"}
    assert await news.count() == 4


COVERAGE_PINS = {
    # query -> (title, coverage) per hit: pinned so a faster coverage pass keeps the figures
    "kaspersky": [("Kremlin decries US Kaspersky ban", 1.0), ("Antivirus market shifts", 1.0)],
    "kaspersky customers europe": [
        ("Antivirus market shifts", 1.0), ("Kremlin decries US Kaspersky ban", 0.278)],
    "summarise kaspersky zzqx": [  # a word found nowhere weighs most
        ("Kremlin decries US Kaspersky ban", 0.208), ("Antivirus market shifts", 0.208)],
    "Kremlin spokesman rates": [  # speakers' aliases; "rates" found as the prefix "rate"
        ("Kremlin decries US Kaspersky ban", 0.667), ("Café owners welcome rate cut", 0.333)],
    "cafe governor": [("Café owners welcome rate cut", 1.0)],
}


@pytest.mark.parametrize("query", COVERAGE_PINS)
async def test_coverage_is_pinned(news: Catalogue, query: str) -> None:
    hits = await news.search(query, 5)
    assert [(h.title, h.coverage) for h in hits] == COVERAGE_PINS[query]


async def test_coverage_counts_common_words_held_outside_the_ranking(
    news: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A common word is not ranked but still counts toward each hit's coverage."""
    monkeypatch.setattr(_sqlite_search, "COMMON_DOCS", 2)
    hits = await news.search("kaspersky customers ban", 5)
    assert [(h.title, h.coverage) for h in hits] == [  # each holds "kaspersky" and one more
        ("Kremlin decries US Kaspersky ban", 0.639), ("Antivirus market shifts", 0.639)]
    hits = await news.search("kaspersky", 5)  # every word common: the newest matches
    assert [h.coverage for h in hits] == [1.0, 1.0]


async def test_listings_break_ties_alike(backend: Backend, make_draft: MakeDraft) -> None:
    """Stories stored at the same time (the seeds): ``latest`` and ``latest_matching`` list
    them in the same order, full stories before teasers, then the newest stored first."""
    catalogue = await backend.open(clock=lambda: at(2))
    try:
        drafts = [
            make_draft("Climate story one", "Climate talks resume.", published_at=at(2)),
            make_draft("Climate teaser", "Climate talks, in brief.", slug=None,
                       kind=ArticleKind.TEASER, published_at=at(2)),
            make_draft("Climate story two", "Climate finance stalls.", published_at=at(2)),
        ]
        for draft in drafts:
            await catalogue.upsert(draft, analysis_of(draft))
        expected = ["Climate story two", "Climate story one", "Climate teaser"]
        assert [h.title for h in await catalogue.latest(10)] == expected
        assert [h.title for h in await catalogue.latest(10, since=at(1))] == expected
        matching = await catalogue.latest_matching("climate", at(1), 10)
        assert [h.title for h in matching] == expected
    finally:
        await catalogue.close()
