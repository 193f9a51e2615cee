"""``newsbot run`` as a user starts it: the real console script in a subprocess, serving the
fake Discord (adapters, digests and feeds through the one front door), stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path
from typing import Any

from tests.fakes.discord_fake import FakeDiscord

REPO = Path(__file__).resolve().parents[2]
NEWSBOT = [sys.executable, "-m", "bot.cli"]
EPHEMERAL = 64


async def ask(fake: FakeDiscord, subcommand: str, options: dict[str, Any] | None = None,
              group: str | None = None) -> str:
    """Run one ``/news`` command; the content of the answer the user finally sees."""
    payload = fake.interaction(subcommand, options, group=group)
    await fake.dispatch("INTERACTION_CREATE", payload, wait=30)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (callback,) = await fake.wait_request("POST", re.escape(path), wait=30)
    if callback.body["type"] == 5:  # deferred: the answer replaces "thinking…"
        token = payload["token"]
        (edit,) = await fake.wait_request("PATCH", rf"/webhooks/\d+/{token}/messages/@original",
                                          wait=30)
        return str(edit.body.get("content") or "")
    assert callback.body["type"] == 4
    return str(callback.body["data"].get("content") or "")


async def test_run_serves_questions_digests_and_feeds_until_sigterm(
    cli_env: dict[str, str],
) -> None:
    fake = FakeDiscord()
    await fake.start()
    env = dict(cli_env, NEWSBOT_DISCORD__TOKEN="fake-token",
               NEWSBOT_DISCORD__API_BASE_URL=fake.api_base,
               NEWSBOT_DISCORD__GATEWAY_URL=fake.gateway_url)
    proc = await asyncio.create_subprocess_exec(
        *NEWSBOT, "run", env=env, cwd=REPO, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await fake.wait_for(lambda f: bool(f.identifies), wait=60)
        made = await ask(fake, "subscribe", {"schedule": "daily 09:00"}, group="digest")
        assert "Digest #1 set up: daily at 09:00 (UTC)" in made
        assert "No feeds yet" in await ask(fake, "list", group="feeds")
        latest = await ask(fake, "latest", {"count": 2})
        assert latest.startswith("The 2 newest stories")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 60)
        await fake.close()
    assert proc.returncode == 0, err.decode()
    log = err.decode()
    assert "started: discord" in log
    assert "Traceback" not in log
    assert fake.unimplemented == []
