"""Article vectors in a real SQLite catalogue: the backfill, staleness, and the in-memory index
finding a story from a paraphrase that shares none of its words."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.models import ArticleDraft
from bot.semantic.backfill import embed_missing
from bot.semantic.encoder import Encoder
from bot.semantic.files import ModelSource
from bot.semantic.index import VectorIndex
from bot.semantic.model import SemanticModel
from bot.semantic.store import VectorStore, embed_text
from tests.storage.storage_kit import analysis_of

STORIES = {
    "strike": ("Metro drivers stop work over pay",
               "Trains on every line of the city's metro stood still on Monday.",
               "Drivers left their cabs after talks on wages broke down.",
               "Commuters queued for buses and taxis across the centre."),
    "crops": ("Farm output slumps after dry summer",
              "Wheat and maize yields fell by a third this year, the ministry said.",
              "A rainless summer left fields parched in the east of the country.",
              "Food prices are expected to rise in the spring."),
    "tycoon": ("Former billionaire held by police",
               "Police arrested the businessman at his villa on Thursday.",
               "He topped the list of the planet's wealthiest people in the 1990s.",
               "Prosecutors accuse him of hiding money in offshore companies."),
    "football": ("United beat City in derby thriller",
                 "A late header settled the match 3-2 at a packed stadium.",
                 "The win lifts United to second in the league table.",
                 "City's manager blamed tired legs after a busy week."),
    "phone": ("Maker unveils folding handset",
              "The new phone opens into a small tablet with an eight-inch screen.",
              "It goes on sale in March at a price above most laptops.",
              "Reviewers praised the hinge but not the battery life."),
    "rates": ("Central bank holds interest rates",
              "The bank kept its main rate at 4% for a third month.",
              "Its governor said inflation was falling more slowly than hoped.",
              "Markets had expected a cut before the summer."),
}
PARAPHRASES = {
    "subway walkout": "strike",
    "harvest shrinks because of drought": "crops",
    "the guy once ranked the world's richest man getting detained": "tycoon",
    "who won the local soccer game": "football",
    "new foldable smartphone": "phone",
    "did borrowing costs change": "rates",
}


def _draft(key: str, *, title: str | None = None) -> ArticleDraft:
    heading, *paragraphs = STORIES[key]
    return ArticleDraft(title=title or heading, paragraphs=tuple(paragraphs), slug=f"t/{key}")


async def _store(catalogue: Catalogue, *keys: str) -> dict[str, int]:
    ids = {}
    for key in keys:
        draft = _draft(key)
        ids[key] = (await catalogue.upsert(draft, analysis_of(draft))).article_id
    return ids


@pytest.fixture
async def catalogue(tmp_path: Path) -> AsyncIterator[Catalogue]:
    opened = await open_catalogue(f"sqlite:///{tmp_path / 'newsbot.db'}")
    yield opened
    await opened.close()


@pytest.fixture
def store(tmp_path: Path, catalogue: Catalogue) -> VectorStore:
    return VectorStore(str(tmp_path / "newsbot.db"))


def _rows(tmp_path: Path) -> list[tuple[int, str, int, str, int]]:
    with sqlite3.connect(tmp_path / "newsbot.db") as db:
        return db.execute("SELECT article_id, model, dim, dtype, length(vector)"
                          " FROM article_vectors ORDER BY article_id").fetchall()


async def test_backfill_embeds_only_the_missing_and_a_rerun_does_nothing(
    catalogue: Catalogue, store: VectorStore, semantic_model: SemanticModel, encoder: Encoder,
    tmp_path: Path,
) -> None:
    ids = await _store(catalogue, "strike", "crops", "tycoon")
    seen: list[tuple[int, int]] = []
    assert await embed_missing(store, semantic_model, progress=lambda d, t: seen.append((d, t)),
                               batch=2) == 3
    assert seen == [(2, 3), (3, 3)]
    rows = _rows(tmp_path)
    assert [r[0] for r in rows] == sorted(ids.values())
    assert {r[1:] for r in rows} == {("all-MiniLM-L6-v2", 384, "f2", 768)}
    # The stored vector is the model's vector of the title and lead sentences.
    loaded = store.load("all-MiniLM-L6-v2", 384)
    title, *lead = STORIES["crops"]
    expected = encoder.encode([embed_text(title, " ".join(lead[:3]))])[0]
    row = int(np.flatnonzero(loaded.ids == ids["crops"])[0])
    assert float(loaded.vectors[row] @ expected) > 0.9999

    assert await embed_missing(store, semantic_model) == 0  # nothing new: a no-op
    await _store(catalogue, "football")
    assert await embed_missing(store, semantic_model) == 1  # only the new one
    assert len(_rows(tmp_path)) == 4


async def test_a_changed_article_loses_its_stale_vector_and_is_embedded_again(
    catalogue: Catalogue, store: VectorStore, semantic_model: SemanticModel, tmp_path: Path,
) -> None:
    ids = await _store(catalogue, "strike", "phone")
    await embed_missing(store, semantic_model)
    before = store.load("all-MiniLM-L6-v2", 384)
    changed = _draft("phone", title="Maker delays folding handset until autumn")
    assert (await catalogue.upsert(changed, analysis_of(changed))).article_id == ids["phone"]
    assert [r[0] for r in _rows(tmp_path)] == [ids["strike"]]  # the stale one is gone
    assert store.state()[1] == 1  # a deletion readers notice
    assert await embed_missing(store, semantic_model) == 1
    after = store.load("all-MiniLM-L6-v2", 384)
    old = before.vectors[int(np.flatnonzero(before.ids == ids["phone"])[0])]
    new = after.vectors[int(np.flatnonzero(after.ids == ids["phone"])[0])]
    assert float(old @ new) < 0.999  # the new text's vector, not the old one


async def test_nearest_finds_each_story_from_a_paraphrase(
    catalogue: Catalogue, store: VectorStore, semantic_model: SemanticModel,
) -> None:
    ids = await _store(catalogue, *STORIES)
    await embed_missing(store, semantic_model)
    index = VectorIndex(store, semantic_model)
    for question, key in PARAPHRASES.items():
        found = await index.nearest(question, 3)
        assert len(found) == 3
        assert found[0][0] == ids[key], (question, found)
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True)
        assert -1.0 <= scores[-1] <= scores[0] <= 1.0
    assert len(await index.nearest("rain", 50)) == len(STORIES)  # k past the size: all
    assert await index.nearest("   ", 3) == []
    assert await index.nearest("rates", 0) == []
    index.close()


async def test_the_index_follows_new_and_deleted_articles(
    catalogue: Catalogue, store: VectorStore, semantic_model: SemanticModel, tmp_path: Path,
) -> None:
    ids = await _store(catalogue, "strike", "football")
    await embed_missing(store, semantic_model)
    index = VectorIndex(store, semantic_model)
    assert await index.refresh() == 2
    ids |= await _store(catalogue, "crops")
    await embed_missing(store, semantic_model)
    assert (await index.nearest("harvest shrinks because of drought", 1))[0][0] == ids["crops"]
    with sqlite3.connect(tmp_path / "newsbot.db") as db:  # no catalogue API deletes articles
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM articles WHERE id = ?", (ids["crops"],))
    found = await index.nearest("harvest shrinks because of drought", 5)
    assert ids["crops"] not in [article for article, _ in found]
    assert len(found) == 2
    index.close()


async def test_no_vectors_means_no_model_load(catalogue: Catalogue, store: VectorStore) -> None:
    """A catalogue never indexed answers [] at once: the (here unreadable) model is not read."""
    await _store(catalogue, "strike")
    unreadable = SemanticModel(ModelSource(Path("/nonexistent/model.zip"), "all-MiniLM-L6-v2"))
    index = VectorIndex(store, unreadable)
    assert await index.nearest("subway walkout", 3) == []
    index.close()


async def test_an_unreadable_model_turns_matching_off_instead_of_failing_answers(
    catalogue: Catalogue, store: VectorStore, semantic_model: SemanticModel, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await _store(catalogue, "strike")
    await embed_missing(store, semantic_model)
    broken = tmp_path / "broken-model"
    broken.mkdir()
    for name in ("config.json", "tokenizer.json"):
        (broken / name).write_bytes(semantic_model.source.read(name))
    (broken / "model.safetensors").write_bytes(b"\xff" * 64)
    index = VectorIndex(store, SemanticModel(ModelSource(broken, "all-MiniLM-L6-v2")))
    assert await index.nearest("subway walkout", 3) == []
    assert index.broken is not None
    assert "not a safetensors file" in caplog.text
    assert await index.nearest("subway walkout", 3) == []  # said once, not per question
    assert caplog.text.count("semantic matching is off") == 1
    index.close()
