"""``newsbot run`` as a user starts it (a subprocess), with Slack pointed at the fake: the
digest commands reach the digest core that ``cmd_run`` started, and a digest is posted."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

from tests.fakes.slack_fake import APP_TOKEN, BOT_TOKEN, FakeSlack

REPO = Path(__file__).resolve().parents[3]


async def answer(fake: FakeSlack, text: str, user: str = "U0ADMIN") -> str:
    payload = fake.slash_command(text, user=user)
    key = payload["response_url"].rsplit("/", 1)[1]
    await fake.send_envelope("slash_commands", payload)
    await fake.wait_until(lambda: any(r.key == key for r in fake.responses), 20, text)
    return str(next(r.body for r in fake.responses if r.key == key)["text"])


async def test_newsbot_run_serves_digest_commands(
    fake_slack: FakeSlack, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {
        **cli_env,
        "NEWSBOT_CONFIG": str(REPO / "config" / "newsbot.toml"),
        "NEWSBOT_SLACK__BOT_TOKEN": BOT_TOKEN,
        "NEWSBOT_SLACK__APP_TOKEN": APP_TOKEN,
        "NEWSBOT_SLACK__API_BASE_URL": fake_slack.api_url,
        "NEWSBOT_SLACK__ADMIN_USER_IDS": json.dumps(["U0ADMIN"]),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake_slack.wait_until(lambda: fake_slack.connected, 40, "newsbot run to connect")
        setup = await answer(fake_slack, "digest subscribe daily 09:00 max 2")
        assert setup.startswith("Digest #1 set up: daily at 09:00 (UTC), up to 2 stories")
        assert "Posted digest #1." in await answer(fake_slack, "digest now 1")
        (post,) = fake_slack.posts_to("C0NEWS")
        assert str(post.params["text"]).startswith("Your news digest:")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, stderr.decode()[-2000:]
