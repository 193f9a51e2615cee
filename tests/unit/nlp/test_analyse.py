"""Full analysis with the spaCy model: the seed article, the JSON report, bulk analysis."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.models import Analysis, ArticleDraft, ArticleKind
from bot.nlp import analyse
from bot.nlp.summarize import summary

pytestmark = pytest.mark.slow

SEED = Path(__file__).resolve().parents[3] / "seeds" / "000_4f50a4a6f3bb85bf.txt"


def seed_text() -> str:
    """The seed article without its site furniture ("Share Story:" and what follows)."""
    text = SEED.read_text(encoding="utf-8")
    return text[: text.index("Share Story:")].rstrip()


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyse.analyse_text(seed_text())


@pytest.fixture(scope="module", autouse=True)
def _stop_pools() -> Iterator[None]:
    yield
    analyse.shutdown_pools()


def test_seed_summary_covers_reaction_peskov_and_the_ban(seed: Analysis) -> None:
    chosen = summary(seed.sentences, seed.summary_ranking, k=3)
    assert len(chosen) == 3
    assert [s.index for s in chosen] == sorted(s.index for s in chosen)
    joined = " ".join(s.text for s in chosen)
    assert chosen[0].text.startswith("The Kremlin has strongly criticised")  # the lead
    assert "Peskov" in joined
    assert "Raimondo" in joined
    assert "ban" in joined
    assert "Peskov's comments suggest" not in joined  # inference, not the news


def test_seed_offsets_entities_keywords(seed: Analysis) -> None:
    text = seed_text()
    assert seed.sentences[0].text == "Kremlin decries US Kaspersky ban as 'unfair competition'"
    for s in seed.sentences:
        assert text[s.start : s.end] == s.text
    for a in seed.attributions:
        assert text[a.start : a.end] == a.text
    people = {e.text for e in seed.entities if e.label == "PERSON"}
    assert {"Dmitry Peskov", "Gina Raimondo"} <= people
    assert "Peskov" not in people  # the surname is counted for the full name
    assert "kaspersky" in seed.keywords
    assert "ban" in seed.keywords
    assert any(sp.name == "Dmitry Peskov" for sp in seed.speakers)


def test_analysis_report_shape_and_offsets() -> None:
    text = seed_text()
    report = analyse.analysis_report("seed.txt", text)
    assert list(report) == ["file", "title", "sentences", "summary", "quotes"]
    assert report["file"] == "seed.txt"
    assert report["title"] == text.splitlines()[0]
    for s in report["sentences"]:
        assert text[s["start"] : s["end"]] == s["text"]
    assert len(report["summary"]) == 3
    assert report["summary"] == sorted(report["summary"])
    assert report["quotes"]
    keys = ["speaker", "speaker_start", "speaker_end", "cue", "text", "kind", "start", "end",
            "sentence"]
    for q in report["quotes"]:
        assert list(q) == keys
        assert text[q["start"] : q["end"]] == q["text"]
        assert q["kind"] in {"direct", "partial", "reported"}
        if q["speaker_start"] is not None:
            assert text[q["speaker_start"] : q["speaker_end"]]
    json.dumps(report)  # plain JSON types only


def test_teaser_ranks_in_order_and_summarises_to_its_lede() -> None:
    text = "Teaser title\n\nThe lede has one sentence. And a second one.\n\nRead more on the site."
    result = analyse.analyse_text(text, ArticleKind.TEASER)
    assert result.summary_ranking == (1, 2, 3)
    got = summary(result.sentences, result.summary_ranking, k=1, kind=ArticleKind.TEASER)
    assert [s.text for s in got] == ["The lede has one sentence.", "And a second one."]


def _drafts() -> list[ArticleDraft]:
    body = seed_text().split("\n\n")
    return [
        ArticleDraft(title=body[0], paragraphs=tuple(body[1:])),
        ArticleDraft(title="Short one", paragraphs=("Alice Smith said the plan was fine.",)),
        ArticleDraft(title="Teaser", paragraphs=("Only a lede here.",), kind=ArticleKind.TEASER),
    ]


async def test_analyse_many_small_batch_in_process_matches_analyse_draft() -> None:
    drafts = _drafts()
    results = await analyse.analyse_many(drafts)
    assert results == [analyse.analyse_draft(d) for d in drafts]


@pytest.mark.timeout(240)  # two workers each load the model once
async def test_analyse_many_with_two_worker_processes() -> None:
    drafts = _drafts() * 4
    results = await analyse.analyse_many(drafts, workers=2)
    assert len(results) == len(drafts)
    expected = [analyse.analyse_draft(d) for d in _drafts()]
    assert results == expected * 4  # same order as the drafts, same answers as in-process
    assert results[0].summary_ranking[0] == 1
    assert await analyse.analyse_many([], workers=2) == []
