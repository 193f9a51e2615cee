"""The CLI glue: ``newsbot digest ...`` through ``add_digest_parser`` and ``cmd_digest``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.catalogue.open import open_catalogue
from bot.digests.cli import add_digest_parser, cmd_digest
from bot.settings import Settings
from tests.unit.digests.kit import add_article


async def test_subscribe_list_now_unsubscribe(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'newsbot.db'}"
    catalogue = await open_catalogue(url)
    await add_article(catalogue, "CLI story", datetime.now(UTC) - timedelta(hours=1))
    await catalogue.close()
    parser = argparse.ArgumentParser(prog="newsbot")
    add_digest_parser(parser.add_subparsers(dest="command", required=True))
    settings = Settings(database_url=url)

    async def run(*argv: str) -> tuple[int, str, str]:
        status = await cmd_digest(parser.parse_args(["digest", *argv]), settings)
        out = capsys.readouterr()
        return status, out.out, out.err

    status, out, _ = await run("subscribe", "--channel", "general", "--schedule",
                               "weekdays 08:30", "--tz", "Europe/London", "--max", "3",
                               "--style", "titles")
    assert status == 0
    assert out.startswith("Digest #1 set up: weekdays at 08:30 (Europe/London), up to 3")
    status, _, err = await run("subscribe", "--channel", "general", "--schedule", "daily 25:00")
    assert status == 1
    assert "25:00 is not a time of day" in err
    status, out, _ = await run("list")
    assert "#1 weekdays at 08:30 (Europe/London)" in out
    assert "Channel: console #general" in out
    assert "    Created: " in out
    assert out.rstrip().endswith(" Europe/London by cli")
    status, _, err = await run("preview", "99")  # the CLI has no channel to speak of
    assert (status, err) == (1, "There is no digest #99: `digest list` shows them all.\n")
    status, out, _ = await run("now", "1")
    assert status == 0
    assert out.count("--- digest for #general ---") == 1
    assert "CLI story" in out
    assert out.rstrip().endswith("Posted digest #1.")
    status, out, _ = await run("run-pending")
    assert (status, out) == (0, "catch-up: 0 subscription(s), retries: 0, posted: 0\n")
    status, out, _ = await run("unsubscribe", "1")
    assert (status, out) == (0, "Digest #1 removed.\n")
