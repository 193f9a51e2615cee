"""The real ``newsbot`` CLI: seeding as a choice, seeds dated and stored once, ``stories
remove``, and HTML pages and feeds given as files or ``file://`` URLs."""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli.test_cli import run
from tests.unit.ingest.test_ingest_markup import FEED, PAGE

SEED = "000_4f50a4a6f3bb85bf"


def fresh_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    env["NEWSBOT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh' / 'newsbot.db'}"
    env["NEWSBOT_SEARCH__SEMANTIC"] = "false"
    env["HOME"] = str(tmp_path)
    env.update(extra)
    return env


def test_seeds_are_dated_stored_once_and_removable(tmp_path: Path) -> None:
    env = fresh_env(tmp_path)
    first = run(env, "stories")
    assert first.returncode == 0, first.stderr
    assert "first run" in first.stderr
    assert f"2024-06-21  {SEED}" in first.stdout  # its real date, not today's
    second = run(env, "stories")
    assert "first run" not in second.stderr
    removed = run(env, "stories", "remove", SEED)
    assert removed.returncode == 0, removed.stderr
    assert "Removed the story" in removed.stdout
    listed = run(env, "stories")
    assert SEED not in listed.stdout
    assert "first run" not in listed.stderr  # removing a seed does not bring it back
    missing = run(env, "stories", "remove", SEED)
    assert missing.returncode == 1
    assert "No story has the id" in missing.stderr


def test_seed_demo_off_starts_empty(tmp_path: Path) -> None:
    env = fresh_env(tmp_path, NEWSBOT_CATALOGUE__SEED_DEMO="false")
    done = run(env, "stories")
    assert done.returncode == 0, done.stderr
    assert "(0 of 0 stories)" in done.stdout
    assert "first run" not in done.stderr


def test_pages_and_feeds_as_files_and_file_urls(tmp_path: Path) -> None:
    env = fresh_env(tmp_path, NEWSBOT_CATALOGUE__SEED_DEMO="false")
    page = tmp_path / "in" / "harbour wall.html"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "in" / "gazette.rss").write_text(FEED, encoding="utf-8")
    by_url = run(env, "ingest", page.as_uri())
    assert by_url.returncode == 0, by_url.stderr
    assert "added 1," in by_url.stdout
    folder = run(env, "ingest", str(tmp_path / "in"))
    assert "added 2, updated 0, unchanged 1, rejected 0" in folder.stdout
    listed = run(env, "stories").stdout
    for title in ("Harbour wall to be rebuilt", "Ferry timetable changes", "Library reopens"):
        assert title in listed
    assert "DOCTYPE" not in listed
    elsewhere = run(env, "ingest", "file://example.org/srv/page.html")
    assert elsewhere.returncode == 1
    assert "another host" in elsewhere.stderr
