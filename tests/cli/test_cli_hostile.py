"""The real ``newsbot`` command on databases that are not its own, newer or read-only, and on a
hostile folder: one clear line and the documented exit status, never a traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.hostile.test_hostile_files import EXPECTED, STORED

CORPUS = Path(__file__).resolve().parents[1] / "hostile" / "files"
COMMANDS = [("stories",), ("digest", "list"), ("feeds", "list"), ("ask", "latest news")]


def problem_lines(stderr: str) -> list[str]:
    """What a user reads on standard error (log records have a time stamp and a level)."""
    return [line for line in stderr.splitlines() if line.startswith("newsbot:")]


@pytest.mark.parametrize("args", COMMANDS)
def test_another_applications_database_is_refused_untouched(
    cli_env: dict[str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    theirs = tmp_path / "app.db"
    with closing(sqlite3.connect(theirs)) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
        db.execute("INSERT INTO users (email) VALUES ('a@example.org')")
        db.commit()
    before = (theirs.read_bytes(), theirs.stat().st_mtime_ns)
    done = run(cli_env, "--db", f"sqlite:///{theirs}", *args, timeout=60)
    assert done.returncode == 2
    assert problem_lines(done.stderr) == [
        f"newsbot: the database file {theirs} is not a newsbot database (it holds other "
        "tables: users); nothing was changed. Point --db at another file"]
    assert "Traceback" not in done.stderr
    assert (theirs.read_bytes(), theirs.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("app.db")) == [
        "app.db"]


@pytest.mark.parametrize(("table", "args"), [
    ("schema_version", ("stories",)),
    ("digest_schema_version", ("digest", "list")),
    ("feeds_schema_version", ("feeds", "list")),
])
def test_a_newer_schema_says_upgrade_and_exits_2(
    cli_env: dict[str, str], seeded_db: Path, table: str, args: tuple[str, ...]
) -> None:
    assert run(cli_env, "feeds", "list").returncode == 0  # every store's tables exist
    assert run(cli_env, "digest", "list").returncode == 0
    with closing(sqlite3.connect(seeded_db)) as db:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        values = {"version": 99, "name": "099_future.sql", "applied_at": "x"}
        db.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})",
                   [values[c] for c in columns])
        db.commit()
    done = run(cli_env, *args, timeout=60)
    assert done.returncode == 2
    [line] = problem_lines(done.stderr)
    assert line.startswith(f"newsbot: the database file {seeded_db} was written by a newer")
    assert line.endswith("upgrade newsbot")
    assert "Something went wrong" not in done.stderr


@pytest.fixture
def immutable(seeded_db: Path) -> Iterator[Path]:
    """The seeded database made read-only even for root (``chattr +i``); the digest and feed
    tables are not there yet."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    made = subprocess.run(["chattr", "+i", str(seeded_db)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot make a file immutable here: {made.stderr.decode().strip()}")
    try:
        yield seeded_db
    finally:
        subprocess.run(["chattr", "-i", str(seeded_db)], check=True)


@pytest.fixture
def every_table(cli_env: dict[str, str], seeded_db: Path) -> Path:
    """The seeded database with the digest and feed tables made, as a running bot makes."""
    for args in (("digest", "list"), ("feeds", "list")):
        assert run(cli_env, *args).returncode == 0
    return seeded_db


def test_a_read_only_database_lists_and_stops_an_ingest_once(
    cli_env: dict[str, str], every_table: Path, immutable: Path, tmp_path: Path
) -> None:
    for args in (("stories",), ("digest", "list"), ("feeds", "list")):
        done = run(cli_env, *args, timeout=60)
        assert done.returncode == 0, (args, done.stderr)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(f"New story {n}\n\nIt says {n} things.\n",
                                         encoding="utf-8")
    done = run(cli_env, "ingest", str(folder), timeout=120)
    assert done.returncode == 2
    assert problem_lines(done.stderr) == [
        f"newsbot: ingest stopped: cannot write to the database file {immutable} "
        "(attempt to write a readonly database)"]
    assert done.stderr.count("readonly database") == 1
    assert "Traceback" not in done.stderr
    assert "could not be stored" not in done.stdout


def test_ingesting_a_hostile_folder_cannot_forge_report_lines(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "hostile"
    shutil.copytree(CORPUS, folder)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "x\nadded 99, updated 0, unchanged 0, rejected 0.txt").write_text(
        "Forged\n\nA file whose name holds a line break.\n", encoding="utf-8")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "w", encoding="utf-8") as file:
        file.write("Cafe story\n\nA name that is not UTF-8.\n")
    done = run(cli_env, "ingest", str(folder), timeout=180)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    stored = sum(1 for outcome in EXPECTED.values() if outcome == STORED)
    assert lines[0].startswith(f"added {stored}, ")
    assert all(line.startswith(("  rejected ", "  note ")) for line in lines[1:]), lines
    assert any("passwd.txt: symbolic link to outside the folder given" in ln for ln in lines)
    assert any("x\\x0aadded 99" in line and "control characters" in line for line in lines)
    assert any("caf\\xe9.txt: file name is not valid UTF-8" in line for line in lines)
    assert "root:" not in run(cli_env, "ask", "search root").stdout


def test_a_read_only_database_without_digest_tables_says_so(
    cli_env: dict[str, str], immutable: Path
) -> None:
    done = run(cli_env, "digest", "list", timeout=60)
    assert done.returncode == 2
    assert problem_lines(done.stderr) == [
        f"newsbot: cannot create the digest tables in the database file {immutable} "
        "(attempt to write a readonly database)"]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("target", "reason"), [
    ("/dev/zero", "not a regular file (a device), not read"),
    (".", "not a regular file (a folder), not read"),
])
def test_analyse_refuses_what_is_not_a_regular_file(
    cli_env: dict[str, str], target: str, reason: str
) -> None:
    done = run(cli_env, "analyse", target, timeout=60)
    assert done.returncode == 1
    assert f"cannot read {target}: {reason}" in done.stderr


@pytest.mark.parametrize("url", ["http://bob:pagesecret@127.0.0.1:9/page.html",
                                 "http://pagesecret@127.0.0.1:9/feed"])
def test_ingest_url_never_prints_the_secret_typed_in_it(
    cli_env: dict[str, str], url: str
) -> None:
    """Issue 14 #6's neighbour: the ingest report was headed by the URL as typed."""
    done = run(cli_env, "ingest", url, timeout=60)
    assert done.returncode != 0
    assert "***@127.0.0.1:9" in done.stderr
    assert "pagesecret" not in done.stdout + done.stderr
