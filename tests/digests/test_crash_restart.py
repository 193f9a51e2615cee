"""SIGKILL a running bot between claiming a digest slot and posting it, restart it: the digest
goes out exactly once.

The bot is the real ``newsbot run`` (a subprocess) with Slack pointed at the loopback fake. The
fake holds ``chat.postMessage`` open, so the first process is caught mid-post: its claim is
committed in the database file and nothing has been posted. The test SIGKILLs it from outside
(no hook in production code), lets the dead claim's lease run out (by moving ``lease_until``
back: the test cannot wait five minutes), restarts the bot with the fake answering normally and
checks that one digest arrives, the run is recorded as posted, and nothing more follows.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.catalogue.open import open_catalogue
from bot.digests.model import NewSubscription, Style
from bot.digests.sqlite_store import SqliteDigestStore
from tests.fakes.slack_fake import APP_TOKEN, BOT_TOKEN, ApiCall, FakeSlack
from tests.unit.digests.kit import add_article

REPO = Path(__file__).resolve().parents[2]
CHANNEL = "C0NEWS"
TITLE = "Crash-proof story"


async def _prepare(db: Path, team: str) -> None:
    now = datetime.now(UTC)
    catalogue = await open_catalogue(f"sqlite:///{db}")
    store = SqliteDigestStore(str(db))
    await store.open()
    try:
        # One stored article: the catalogue is not empty, so `run` does not seed (fast start).
        await add_article(catalogue, TITLE, now - timedelta(minutes=30))
        # A daily slot two hours ago, missed while "down": the start-up catch-up claims it.
        at = (now - timedelta(hours=2)).strftime("%H:%M")
        await store.add(NewSubscription(
            platform="slack", workspace=team, channel=CHANNEL, schedule=f"daily {at}",
            timezone="UTC", max_stories=5, topic=None, style=Style.BRIEF, notify_empty=False,
            created_by="U0ADMIN"), now - timedelta(days=3), max_per_channel=5)
    finally:
        await store.close()
        await catalogue.close()


def _runs(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT status, attempts FROM digest_runs"))


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def _start(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    # cwd is the test's directory, so no .env or config/ of the working tree is read.
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def _stop(process: asyncio.subprocess.Process) -> bytes:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 20)
    return stderr


async def test_sigkilled_between_claim_and_post_then_restarted_posts_once(
    fake: FakeSlack, tmp_path: Path
) -> None:
    db = tmp_path / "newsbot.db"
    await _prepare(db, fake.team_id)
    config = tmp_path / "newsbot.toml"
    config.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEWSBOT_", "SLACK_")) and "proxy" not in k.casefold()}
    env.update(NEWSBOT_DATABASE_URL=f"sqlite:///{db}", NEWSBOT_CONFIG=str(config),
               NEWSBOT_SLACK__BOT_TOKEN=BOT_TOKEN, NEWSBOT_SLACK__APP_TOKEN=APP_TOKEN,
               NEWSBOT_SLACK__API_BASE_URL=fake.api_url, HOME=str(tmp_path),
               PYTHONPATH=str(REPO))

    held: list[ApiCall] = []
    release = asyncio.Event()
    answer = fake.handlers["chat.postMessage"]

    async def hold(call: ApiCall) -> web.Response:  # the post never completes
        held.append(call)
        await release.wait()
        return web.json_response({"ok": False, "error": "fatal_error"})

    fake.handlers["chat.postMessage"] = hold
    first = await _start(env, tmp_path)
    try:
        await fake.wait_until(lambda: held, 30, "the first bot's digest post")
        assert _runs(db) == [("claimed", 1)]  # claimed in the file, before the post
        first.kill()
        await asyncio.wait_for(first.wait(), 10)
    finally:
        release.set()
        await _stop(first)
    assert first.returncode == -signal.SIGKILL
    assert fake.posted == []
    assert _runs(db) == [("claimed", 1)]

    with sqlite3.connect(db) as conn:  # five minutes pass: the dead worker's lease runs out
        conn.execute("UPDATE digest_runs SET lease_until = '2000-01-01T00:00:00.000000+00:00'")
    fake.handlers["chat.postMessage"] = answer
    second = await _start(env, tmp_path)
    try:
        await fake.wait_until(lambda: _runs(db) == [("posted", 2)], 30, "the digest posted")
        await asyncio.sleep(0.5)  # room for a second post, if the bot were to make one
    finally:
        stderr = await _stop(second)
    assert second.returncode == 0, stderr.decode()[-2000:]
    (post,) = fake.posts_to(CHANNEL)
    assert TITLE in str(post.params)
    assert "While I was offline" in str(post.params)
    assert len(fake.calls_to("chat.postMessage")) == 2  # the held one and the real one
    assert _runs(db) == [("posted", 2)]
