"""Kill the bot between claiming a slot and posting it, restart it: the digest goes out once.

The first process exits (``os._exit``, no cleanup) right after its claim commits, through the
``NEWSBOT_DIGEST_CRASH_AFTER_CLAIM`` hook. A restart while the dead claim's lease is live posts
nothing; once the lease has run out the restart takes the slot over and posts it; later restarts
post nothing more.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.catalogue.open import open_catalogue
from bot.digests.model import NewSubscription, Style
from bot.digests.service import CRASH_AFTER_CLAIM_ENV, CRASH_EXIT_CODE
from bot.digests.store import DigestStore
from tests.unit.digests.kit import add_article

REPO = Path(__file__).resolve().parents[2]
MARK = "--- digest for #general ---"


async def _prepare(db: Path) -> None:
    now = datetime.now(UTC)
    catalogue = await open_catalogue(f"sqlite:///{db}")
    store = DigestStore(str(db))
    await store.open()
    try:
        await add_article(catalogue, "Crash-proof story", now - timedelta(minutes=30))
        # A daily slot two hours ago, so every run below sees the same latest slot.
        at = (now - timedelta(hours=2)).strftime("%H:%M")
        await store.add(NewSubscription(
            platform="console", workspace="", channel="general", schedule=f"daily {at}",
            timezone="UTC", max_stories=5, topic=None, style=Style.BRIEF, notify_empty=False,
            created_by="test"), now - timedelta(days=3), max_per_channel=5)
    finally:
        await store.close()
        await catalogue.close()


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # cwd is the test's directory, so no .env or config/ of the working tree is read.
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "digest", *args], cwd=env["HOME"],
        env=env, capture_output=True, text=True, timeout=50, check=False)


def _runs(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT status, attempts FROM digest_runs"))


async def test_killed_between_claim_and_post_then_restarted_posts_once(tmp_path: Path) -> None:
    db = tmp_path / "newsbot.db"
    await _prepare(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    config = tmp_path / "newsbot.toml"
    config.write_text("", encoding="utf-8")
    env.update(NEWSBOT_DATABASE_URL=f"sqlite:///{db}", NEWSBOT_CONFIG=str(config),
               HOME=str(tmp_path), PYTHONPATH=str(REPO))

    crashed = _run({**env, CRASH_AFTER_CLAIM_ENV: "1"}, "run-pending")
    assert crashed.returncode == CRASH_EXIT_CODE, crashed.stderr
    assert MARK not in crashed.stdout
    assert _runs(db) == [("claimed", 1)]

    early = _run(env, "run-pending")  # the dead worker's lease is still live
    assert early.returncode == 0, early.stderr
    assert MARK not in early.stdout
    assert _runs(db) == [("claimed", 1)]

    with sqlite3.connect(db) as conn:  # five minutes pass: the lease runs out
        conn.execute("UPDATE digest_runs SET lease_until = '2000-01-01T00:00:00.000000+00:00'")

    restarted = _run(env, "run-pending")
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.stdout.count(MARK) == 1
    assert "Crash-proof story" in restarted.stdout
    assert "While I was offline" in restarted.stdout

    again = _run(env, "run-pending")
    assert again.returncode == 0, again.stderr
    assert MARK not in again.stdout
    assert _runs(db) == [("posted", 2)]
