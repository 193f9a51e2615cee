"""``newsbot run`` as a user starts it (a subprocess), with Discord pointed at the fake: the bot
logs in with the token from the environment, syncs ``/news``, answers a command and posts a
digest through the digest core that ``cmd_run`` started."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path
from typing import Any

from tests.fakes.discord_fake import CHANNEL_ID, FakeDiscord

REPO = Path(__file__).resolve().parents[3]


async def answer(fake: FakeDiscord, sub: str, options: dict[str, Any], **kw: Any) -> str:
    """What the user finally sees for one command (the reply, or the edit of a deferral)."""
    payload = fake.interaction(sub, options, **kw)
    await fake.dispatch("INTERACTION_CREATE", payload, wait=20)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    (callback,) = await fake.wait_request("POST", re.escape(path), wait=20)
    if callback.body["type"] == 5:
        edit = rf"/webhooks/\d+/{payload['token']}/messages/@original"
        (edited,) = await fake.wait_request("PATCH", edit, wait=20)
        return str(edited.body["content"])
    return str(callback.body["data"]["content"])


async def test_newsbot_run_serves_discord(
    fake_discord: FakeDiscord, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {
        **cli_env,
        "NEWSBOT_CONFIG": str(REPO / "config" / "newsbot.toml"),
        "NEWSBOT_DISCORD__TOKEN": "fake-token",
        "NEWSBOT_DISCORD__APPLICATION_ID": "111111111111111111",
        "NEWSBOT_DISCORD__API_BASE_URL": fake_discord.api_base,
        "NEWSBOT_DISCORD__GATEWAY_URL": fake_discord.gateway_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake_discord.wait_for(lambda f: bool(f.identifies), 40)
        (identify,) = fake_discord.identifies
        assert identify["token"] == "fake-token"
        names = [c["name"] for c in fake_discord.synced_commands["global"]]
        assert names == ["news"]
        assert (await answer(fake_discord, "help", {})).startswith("I answer from the stored text")
        setup = await answer(fake_discord, "subscribe", {"schedule": "daily 09:00"}, group="digest")
        assert setup.startswith("Digest #1 set up: daily at 09:00 (UTC)")
        assert "Posted digest #1." in await answer(fake_discord, "now", {"id": 1}, group="digest")
        (post,) = fake_discord.channel_messages[str(CHANNEL_ID)]
        assert post["content"].startswith("Your news digest:")
        assert post["allowed_mentions"] == {"parse": []}
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert "fake-token" not in stderr.decode()
