"""Shared fixtures: a real SQLite catalogue with the seed article and the test articles ingested
through the real pipeline (spaCy analysis included), built once per session and copied per test.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.engine import Engine

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
TEST_ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
# Property tests: few examples and the same ones every run, so CI stays fast and a failure
# reproduces (HYPOTHESIS_PROFILE=thorough explores more, locally). Hypothesis also draws on
# constants found in the modules already imported, so running one file alone may try other
# examples than the whole suite does: reproduce a CI failure with the whole suite, or with the
# falsifying example it prints.
hypothesis_settings.register_profile(
    "ci", max_examples=40, derandomize=True, database=None, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
LOOPBACK_PLATFORMS = {
    "NEWSBOT_DISCORD__API_BASE_URL": "http://127.0.0.1:9/api/v10",
    "NEWSBOT_DISCORD__GATEWAY_URL": "ws://127.0.0.1:9/gateway",
    "NEWSBOT_SLACK__API_BASE_URL": "http://127.0.0.1:9/api/",
}


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk honours HTTPS_PROXY and ignores NO_PROXY: tests talk only to 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)


async def _build(db: Path) -> None:
    from bot.ingest.pipeline import ingest_paths

    catalogue = await open_catalogue(f"sqlite:///{db}")
    try:
        # The seed files, not the folder (its published.toml is no article); undated, as the
        # tests written against this catalogue expect.
        report = await ingest_paths(catalogue, [*sorted(SEEDS.glob("*.txt")), TEST_ARTICLES])
        assert not report.rejected, report.rejected
    finally:
        await catalogue.close()


@pytest.fixture(scope="session")
def seeded_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue file built once: seeds plus tests/data/articles, really analysed."""
    db = tmp_path_factory.mktemp("template") / "newsbot.db"
    asyncio.run(_build(db))
    return db


@pytest.fixture
def seeded_db(seeded_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded catalogue file for one test."""
    target = tmp_path / "newsbot.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(seeded_db_template) + suffix)
        if source.exists():
            shutil.copyfile(source, str(target) + suffix)
    return target


@pytest.fixture
async def catalogue(seeded_db: Path) -> AsyncIterator[Catalogue]:
    """The seeded catalogue, opened."""
    cat = await open_catalogue(f"sqlite:///{seeded_db}")
    try:
        yield cat
    finally:
        await cat.close()


@pytest.fixture
async def engine(catalogue: Catalogue) -> Engine:
    """A real engine over the seeded catalogue."""
    return Engine(catalogue)


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the embedding model's weights are unpacked, once per session."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture
def cli_env(seeded_db: Path, tmp_path: Path, model_cache: Path) -> dict[str, str]:
    """Environment for running the real ``newsbot`` CLI in a subprocess on the seeded copy."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    env["NEWSBOT_DATABASE_URL"] = f"sqlite:///{seeded_db}"
    env["NEWSBOT_SEARCH__CACHE_DIR"] = str(model_cache)
    env["HOME"] = str(tmp_path)
    # pytest-socket does not reach subprocesses: point the platforms at a closed loopback port
    # so nothing can reach the real Discord or Slack even by mistake (tests using a fake
    # override these with its address).
    env.update(LOOPBACK_PLATFORMS)
    return env
