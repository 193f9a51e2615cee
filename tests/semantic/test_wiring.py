"""How the settings reach the engine: the index is on by default, off when asked, off (with a
logged reason, never a crash) when the configured model is missing; the bot's background
upkeep embeds articles the feeds store."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.app import open_engine
from bot.catalogue.open import open_catalogue
from bot.semantic.index import VectorIndex
from bot.semantic.upkeep import embedding_new_articles
from bot.settings import Settings, load_settings
from tests.storage.storage_kit import analysis_of, draft_factory


def _settings(tmp_path: Path, model_cache: Path, **search: object) -> Settings:
    return load_settings(database_url=f"sqlite:///{tmp_path / 'newsbot.db'}",
                         search={"cache_dir": str(model_cache), **search})


async def test_the_engine_gets_the_index_by_default(tmp_path: Path, model_cache: Path) -> None:
    async with open_engine(_settings(tmp_path, model_cache), seed=False) as engine:
        assert isinstance(engine.semantic, VectorIndex)
        assert engine.semantic.model.name == "all-MiniLM-L6-v2"


async def test_semantic_off_means_no_index(tmp_path: Path, model_cache: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_SEARCH__SEMANTIC", "false")
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'newsbot.db'}")
    async with open_engine(settings, seed=False) as engine:
        assert engine.semantic is None


async def test_a_missing_model_turns_semantic_matching_off_with_a_reason(
    tmp_path: Path, model_cache: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    settings = _settings(tmp_path, model_cache, model=str(tmp_path / "no-such-model.zip"))
    with caplog.at_level(logging.WARNING):
        async with open_engine(settings, seed=False) as engine:
            assert engine.semantic is None
    assert "semantic matching is off" in caplog.text
    assert "no-such-model.zip" in caplog.text


async def test_the_running_bot_embeds_what_the_feeds_store(
    tmp_path: Path, model_cache: Path,
) -> None:
    """``newsbot run`` looks for articles without vectors on its own, no kick needed."""
    settings = _settings(tmp_path, model_cache)
    catalogue = await open_catalogue(settings.database_url)
    make = draft_factory()
    try:
        async with embedding_new_articles(settings, every=0.05):
            draft = make("Ferry crews strike over rotas", "Crossings were cancelled today.")
            await catalogue.upsert(draft, analysis_of(draft))
            for _ in range(600):
                with sqlite3.connect(tmp_path / "newsbot.db") as db:
                    if db.execute("SELECT count(*) FROM article_vectors").fetchone()[0]:
                        break
                await asyncio.sleep(0.05)
            else:
                pytest.fail("the article never got its vector")
    finally:
        await catalogue.close()
