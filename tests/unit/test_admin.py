"""Admin reports: one channel under ``[admin]``, reached through ``app.warn_admins``; the old
``[digests] admin_*`` keys still work, and ``newsbot check-config`` says they are deprecated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot import cli
from bot.admin import admin_place
from bot.app import open_newsbot
from bot.messages import Answer, Place
from bot.settings import AdminSettings, DigestSettings, Settings

OLD = DigestSettings(admin_platform="slack", admin_channel="C-OLD")


class Recording:
    """A deliverer that keeps what it was given."""

    def __init__(self) -> None:
        self.sent: list[tuple[Place, Answer]] = []

    async def deliver(self, place: Place, answer: Answer) -> None:
        self.sent.append((place, answer))


def test_check_config_says_the_old_keys_are_deprecated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "newsbot.toml"
    config.write_text('[digests]\nadmin_platform = "slack"\nadmin_channel = "C-OLD"\n',
                      encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(config))
    assert cli.main(["--db", f"sqlite:///{tmp_path / 'news.db'}", "check-config"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert ("deprecated: digests.admin_platform and digests.admin_channel: set [admin] "
            "platform and channel instead (they report failing feeds too)") in out
    assert "configuration OK" in out


def test_check_config_is_quiet_about_the_admin_section(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "newsbot.toml"
    config.write_text('[admin]\nplatform = "slack"\nchannel = "C-NEW"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(config))
    assert cli.main(["--db", f"sqlite:///{tmp_path / 'news.db'}", "check-config"]) == 0
    out = capsys.readouterr().out
    assert "deprecated" not in out
    assert "configuration OK" in out


def test_the_admin_section_wins_and_the_old_keys_still_read() -> None:
    new = AdminSettings(platform="discord", channel="C-NEW")
    assert admin_place(Settings(digests=OLD)) == Place(platform="slack", channel="C-OLD")
    assert admin_place(Settings(admin=new, digests=OLD)) == Place(platform="discord",
                                                                  channel="C-NEW")
    assert admin_place(Settings()) is None


@pytest.mark.parametrize("settings", [
    {"admin": AdminSettings(platform="slack", channel="C-ADMIN")},
    {"digests": DigestSettings(admin_platform="slack", admin_channel="C-ADMIN")},
])
async def test_warn_admins_posts_to_the_admin_channel(tmp_path: Path,
                                                      settings: dict[str, Any]) -> None:
    configured = Settings(database_url=f"sqlite:///{tmp_path / 'news.db'}", **settings)
    slack = Recording()
    async with open_newsbot(configured, seed=False) as app:
        app.add_deliverer("slack", slack)
        assert await app.warn_admins("the disk is nearly full")
    [(place, answer)] = slack.sent
    assert place == Place(platform="slack", channel="C-ADMIN")
    assert answer.lead == "the disk is nearly full"


async def test_warn_admins_without_a_channel_logs_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with open_newsbot(Settings(database_url=f"sqlite:///{tmp_path / 'n.db'}"),
                            seed=False) as app:
        assert await app.warn_admins("the disk is nearly full")
    assert "the disk is nearly full (no admin channel configured" in caplog.text


async def test_warn_admins_says_when_the_admin_platform_is_not_running(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    configured = Settings(database_url=f"sqlite:///{tmp_path / 'n.db'}",
                          admin=AdminSettings(platform="discord", channel="C-ADMIN"))
    async with open_newsbot(configured, seed=False) as app:
        app.add_deliverer("slack", Recording())
        assert not await app.warn_admins("the disk is nearly full")
    assert "the admin channel's platform, discord, is not running here" in caplog.text
