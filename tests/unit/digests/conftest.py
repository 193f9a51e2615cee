"""Fixtures: a real SQLite file holding the catalogue and the digest tables, an injected clock,
a recording deliverer and a service wired to them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.admin import AdminReports
from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue
from bot.digests.commands import DigestCommands
from bot.digests.model import Timing
from bot.digests.service import DigestService
from bot.digests.sqlite_store import SqliteDigestStore
from bot.digests.store import DigestStore
from bot.messages import Place
from tests.unit.digests.kit import FakeClock, RecordingDeliverer

START = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
ADMIN = Place(platform="console", channel="ops")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "newsbot.db"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def catalogue(db_path: Path, clock: FakeClock) -> AsyncIterator[Catalogue]:
    cat = await open_catalogue(f"sqlite:///{db_path}", clock)  # ingestion times on test time
    try:
        yield cat
    finally:
        await cat.close()


@pytest.fixture
async def store(db_path: Path, catalogue: Catalogue) -> AsyncIterator[DigestStore]:
    opened = SqliteDigestStore(str(db_path))
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def deliverer() -> RecordingDeliverer:
    return RecordingDeliverer()


@pytest.fixture
def service(store: DigestStore, catalogue: Catalogue, deliverer: RecordingDeliverer,
            clock: FakeClock) -> DigestService:
    deliverers = {"console": deliverer, "discord": deliverer}
    return DigestService(store, catalogue, deliverers, clock=clock, timing=Timing(),
                         admins=AdminReports(ADMIN, deliverers), worker="test-a")


@pytest.fixture
def commands(service: DigestService) -> DigestCommands:
    return DigestCommands(service)
