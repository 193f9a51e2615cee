"""The storage suite runs against every catalogue backend (SQLite for now) on a real file.

Analyses are built by hand (no spaCy) so the suite stays fast.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.catalogue.base import Catalogue
from bot.sqlite_backend import sqlite_path
from tests.storage.storage_kit import Backend, MakeDraft, draft_factory

BACKENDS = ["sqlite"]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        return Backend("sqlite", f"sqlite:///{tmp_path / 'data' / 'newsbot.db'}")
    raise AssertionError(request.param)


@pytest.fixture
async def catalogue(backend: Backend) -> AsyncIterator[Catalogue]:
    opened = await backend.open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def make_draft() -> MakeDraft:
    return draft_factory()


@pytest.fixture
def backend_path(backend: Backend) -> str:
    """The database file, for checks that look under the hood (SQLite only)."""
    if backend.name != "sqlite":
        pytest.skip("SQLite file check")
    return sqlite_path(backend.url)
