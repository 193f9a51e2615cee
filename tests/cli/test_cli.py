"""The real ``newsbot`` console script, run as a subprocess like a user would."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NEWSBOT = [sys.executable, "-m", "bot.cli"]


def run(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NEWSBOT, *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=REPO, check=False)


def test_ask_summary_prints_title_and_three_sentences(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "ask", "summarize the Kaspersky story")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("Kremlin decries US Kaspersky ban" in line for line in lines)
    assert sum(1 for line in lines if line.startswith("  - ")) == 3


def test_ask_quote_json(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "ask", "what did Peskov say?", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["intent"] == "quote"
    assert data["article"]["title"].startswith("Kremlin decries")
    texts = {q["text"] for q in data["quotes"] if q["verbatim"]}
    assert {"very competitive", "favourite technique of unfair competition"} <= texts
    assert {q["speaker"] for q in data["quotes"]} == {"Dmitry Peskov"}


def test_ask_summary_json_shape(cli_env: dict[str, str]) -> None:
    data = json.loads(run(cli_env, "ask", "--json", "tl;dr kaspersky").stdout)
    assert set(data) >= {"intent", "article", "summary", "quotes", "candidates", "notice"}
    assert data["article"]["kind"] == "full"
    assert len(data["summary"]) == 3


def test_answering_never_loads_the_nlp_model(seeded_db: Path, model_cache: Path) -> None:
    """Neither spaCy nor PyTorch: also not with semantic matching on and vectors stored (the
    embedding model runs in numpy)."""
    script = (
        "import asyncio, sys\n"
        "from datetime import UTC, datetime\n"
        "from bot.catalogue.open import open_catalogue\n"
        "from bot.engine import Engine\n"
        "from bot.messages import Place, Query, User\n"
        "from bot.semantic.backfill import embed_missing\n"
        "from bot.semantic.setup import semantic_index\n"
        "from bot.settings import load_settings\n"
        "async def main():\n"
        f"    url = 'sqlite:///{seeded_db}'\n"
        "    cat = await open_catalogue(url)\n"
        f"    index = semantic_index(load_settings(database_url=url,\n"
        f"                                         search={{'cache_dir': r'{model_cache}'}}))\n"
        "    assert await embed_missing(index.store, index.model) > 0\n"
        "    engine = Engine(cat, semantic=index)\n"
        "    for q in ['summarize the kaspersky story', 'what did Peskov say?', 'latest',\n"
        "              'who said \"very competitive\"', 'search ban',\n"
        "              'what did the kremlin spokesman call the ban',\n"
        "              'who accused washington of unfair competition']:\n"
        "        a = await engine.answer(Query(q, User('u'), Place('t'), datetime.now(UTC)))\n"
        "        assert a.lead\n"
        "    assert await index.nearest('russian antivirus firm banned in america', 3)\n"
        "    index.close()\n"
        "    await cat.close()\n"
        "asyncio.run(main())\n"
        "print(sorted({'spacy', 'torch', 'sentence_transformers'} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_ingest_embeds_the_new_articles_and_index_then_has_nothing_to_do(
    cli_env: dict[str, str], tmp_path: Path,
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "tram.txt").write_text(
        "Tram line opens to the airport\n\nThe new tram line to the airport opened on "
        "Sunday. Trams run every ten minutes.\n", encoding="utf-8")
    db = Path(cli_env["NEWSBOT_DATABASE_URL"].removeprefix("sqlite:///"))
    done = run(cli_env, "ingest", str(folder))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        vectors = conn.execute("SELECT count(*) FROM article_vectors").fetchone()[0]
    assert vectors == articles > 1  # the new one and those stored before semantic matching
    again = run(cli_env, "index")
    assert again.returncode == 0, again.stderr
    assert f"embedded 0 articles; {articles} already had vectors" in again.stdout
    off = run({**cli_env, "NEWSBOT_SEARCH__SEMANTIC": "false"}, "index")
    assert off.returncode == 1
    assert "semantic matching is off" in off.stdout


def test_first_run_creates_the_database_and_ingests_the_seeds(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    db = tmp_path / "fresh" / "newsbot.db"
    env["NEWSBOT_DATABASE_URL"] = f"sqlite:///{db}"
    done = run(env, "ask", "what did Peskov say?")
    assert done.returncode == 0, done.stderr
    assert db.exists()
    assert "very competitive" in done.stdout
    listed = run(env, "stories")
    assert "Kremlin decries" in listed.stdout
    assert "[teaser]" in listed.stdout


def test_ingest_reports_good_and_bad_files(cli_env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Tram line opens to the airport\n\nThe new tram line to the airport opened on "
        "Sunday. \"It is a great day,\" said the mayor, Ana Ruiz.\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes(
        "Ticket prices rise\n\nFares rise to \xa33 from Monday, the operator said.\n"
        .encode("latin-1"))
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (folder / "huge.txt").write_text("Big\n\n" + "word " * 1_000_000, encoding="utf-8")
    first = run(cli_env, "ingest", str(folder))
    assert first.returncode == 0, first.stderr
    assert "added 2," in first.stdout
    assert "rejected 3" in first.stdout
    for name in ("empty.txt", "binary.txt", "huge.txt"):
        assert name in first.stdout
    second = run(cli_env, "ingest", str(folder))
    assert "added 0, updated 0, unchanged 2" in second.stdout
    answer = run(cli_env, "ask", "summarize the ticket prices story")
    assert "\u00a33" in answer.stdout


def test_bad_config_gives_one_line_per_field(cli_env: dict[str, str]) -> None:
    env = dict(cli_env, NEWSBOT_DIGESTS__DEFAULT_TIMEZONE="Nowhere/Land",
               NEWSBOT_SLACK__MODE="carrier-pigeon")
    done = run(env, "check-config")
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("config error:")]
    assert len(errors) == 2


def test_bad_config_feeds_give_one_line_per_bad_field(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[feeds]\nfeeds = [\n  "ftp://example.org/rss.xml",\n'
                      '  { url = "https://example.net/feed", interval = 2 },\n]\n',
                      encoding="utf-8")
    done = run(dict(cli_env, NEWSBOT_CONFIG=str(config)), "check-config")
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("config error:")]
    assert [line.split(":")[1].strip() for line in errors] == [
        "feeds.feeds[0].url", "feeds.feeds[1].interval"]
    assert "Traceback" not in done.stderr


def test_check_config_never_prints_secrets(cli_env: dict[str, str]) -> None:
    env = dict(cli_env, NEWSBOT_SLACK__BOT_TOKEN="xoxb-test-secret-value-123")
    done = run(env, "check-config")
    assert done.returncode == 0, done.stderr
    assert "xoxb-test-secret-value-123" not in done.stdout + done.stderr


def test_analyse_json_offsets_point_into_the_file() -> None:
    seed = next((REPO / "seeds").glob("*.txt"))
    done = run(dict(os.environ), "analyse", str(seed), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[0])
    text = seed.read_text(encoding="utf-8")
    assert report["title"] == text.splitlines()[0]
    for sentence in report["sentences"]:
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
    for quote in report["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]
    assert len(report["summary"]) == 3


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_is_not_an_error_exit(cli_env: dict[str, str], question: str) -> None:
    done = run(cli_env, "ask", question)
    assert done.returncode == 0
    assert "Ask me" in done.stdout


def test_discord_invite_url(cli_env: dict[str, str]) -> None:
    done = run({**cli_env, "NEWSBOT_DISCORD__APPLICATION_ID": "1234"}, "discord", "invite-url")
    assert done.returncode == 0, done.stderr
    (link,) = done.stdout.split()
    assert link.startswith("https://discord.com/oauth2/authorize?client_id=1234")
    assert "scope=bot+applications.commands" in link
    assert "permissions=274877991936" in link


def test_discord_invite_url_without_application_id(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "discord", "invite-url")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "NEWSBOT_DISCORD__APPLICATION_ID" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_subprocess_with_tokens_but_no_fake_reaches_only_loopback(
    cli_env: dict[str, str]
) -> None:
    """What ``cli_env`` is for: a test that starts ``newsbot run`` with tokens but forgets to
    point the platforms at a fake must get refused connections on 127.0.0.1, never requests
    to the real Discord or Slack (pytest-socket does not reach subprocesses)."""
    env = dict(cli_env, NEWSBOT_DISCORD__TOKEN="test-token", NEWSBOT_SLACK__BOT_TOKEN="xoxb-test",
               NEWSBOT_SLACK__APP_TOKEN="xapp-test")
    done = subprocess.run([*NEWSBOT, "run"], env=env, input="", capture_output=True, text=True,
                          timeout=90, cwd=REPO, check=False)
    assert "started: discord, slack" in done.stderr
    assert "Cannot connect to host 127.0.0.1:9" in done.stderr  # Discord's login
    assert "http://127.0.0.1:9/api/auth.test" in done.stderr  # Slack's first call
    assert "discord.com" not in done.stderr
    assert "slack.com" not in done.stderr


def test_analyse_json_one_line_per_file_with_leading_blank_lines(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    # Blank lines before the title once made the title "" and the real title a body sentence
    # that could enter the summary.
    texts = {
        "lead.txt": "\n\n  Mayor defends budget\n\nJane Smith, the mayor, spoke to the council "
        "on Tuesday.\n\n\"The roads will be repaired before winter,\" she said.\n\n\"We have "
        "found the money for it, and the work starts next week.\"\n",
        "plain.txt": "Council backs plan\n\nThe council approved the plan on Monday.\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = [str(tmp_path / name) for name in texts]
    done = run(cli_env, "analyse", *files, "--json")
    assert done.returncode == 0, done.stderr
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["file"] for r in reports] == files
    lead, plain = reports
    assert (lead["title"], plain["title"]) == ("Mayor defends budget", "Council backs plan")
    text = texts["lead.txt"]
    assert lead["sentences"][0]["start"] == text.index("Mayor")
    assert 0 not in lead["summary"]
    assert all(text[s["start"] : s["end"]] == s["text"] for s in lead["sentences"])
    assert all(text[q["start"] : q["end"]] == q["text"] for q in lead["quotes"])
    continued = next(q for q in lead["quotes"] if "found the money" in q["text"])
    assert continued["speaker"] == "Jane Smith"
    assert (continued["speaker_start"], continued["speaker_end"]) == (None, None)
    introduced = next(q for q in lead["quotes"] if "roads will be repaired" in q["text"])
    assert text[introduced["speaker_start"] : introduced["speaker_end"]] == "she"


@pytest.mark.parametrize("content", [b"not a db\n", bytes(range(256)) * 8])
def test_a_corrupt_database_file_exits_with_a_clear_message(
    cli_env: dict[str, str], tmp_path: Path, content: bytes
) -> None:
    corrupt = tmp_path / "x" / "corrupt.db"
    corrupt.parent.mkdir()
    corrupt.write_bytes(content)
    done = run(cli_env, "--db", f"sqlite:///{corrupt}", "ask", "hi", timeout=30)
    assert done.returncode == 2
    assert f"the database file {corrupt} is not a newsbot database or is corrupt" in done.stderr
    assert "Traceback" not in done.stderr
    assert corrupt.read_bytes() == content  # left as it was


def test_a_database_path_that_cannot_be_opened_exits_with_a_clear_message(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    done = run(cli_env, "--db", f"sqlite:///{folder}", "ask", "hi", timeout=30)
    assert done.returncode == 2
    assert f"cannot use the database file {folder}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("extra_env", "args", "expected"),
    [
        ({"NEWSBOT_CONFIG": "bad.toml"}, ("check-config",), "bad.toml: not valid TOML"),
        ({"NEWSBOT_SLACK__ADMIN_USER_IDS": "notjson"}, ("check-config",), '"slack"'),
        ({"NEWSBOT_CONFIG": "missing.toml"}, ("check-config",), "no such file: missing.toml"),
        ({}, ("--db", "nonsense", "check-config"), "not a database URL"),
        ({}, ("--db", "postgresql://u:s3cret-pw@h/db", "check-config"), "postgresql://***@h/db"),
        ({}, ("--db", "postgresql://u:s3cret-pw@h/db", "ask", "hi"), "unsupported database URL"),
    ],
)
def test_config_errors_are_one_line_and_exit_2(
    cli_env: dict[str, str], tmp_path: Path, extra_env: dict[str, str], args: tuple[str, ...],
    expected: str,
) -> None:
    (tmp_path / "bad.toml").write_text("[answers\n", encoding="utf-8")
    done = subprocess.run([*NEWSBOT, *args], env=dict(cli_env, **extra_env), capture_output=True,
                          text=True, timeout=60, cwd=tmp_path, check=False)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("config error:")
    assert expected in line
    assert "s3cret-pw" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_cli_output_carries_no_terminal_escapes(cli_env: dict[str, str], seeded_db: Path) -> None:
    import asyncio

    from bot.catalogue.open import open_catalogue
    from bot.models import ArticleDraft
    from tests.storage.storage_kit import analysis_of

    async def store() -> None:  # stored directly: ingestion would already strip these
        catalogue = await open_catalogue(f"sqlite:///{seeded_db}")
        draft = ArticleDraft(title="Control \x1b[31mchars\x07 title \x9b2J",
                             paragraphs=("Body \x1b]0;pwned\x07 here.",), slug="esc/1")
        await catalogue.upsert(draft, analysis_of(draft))
        await catalogue.close()

    asyncio.run(store())
    listed = run(cli_env, "stories")
    asked = run(cli_env, "ask", "summarize the control chars story")
    as_json = run(cli_env, "ask", "--json", "summarize the control chars story")
    for done in (listed, asked, as_json):
        assert done.returncode == 0, done.stderr
        assert not any(ch in done.stdout for ch in "\x1b\x07\x9b"), done.stdout
    assert "Control ?[31mchars? title ?2J" in listed.stdout
    assert json.loads(as_json.stdout)["article"]["title"].startswith("Control \x1b[31mchars")


@pytest.mark.parametrize("args", [("ask", "-kaspersky"), ("ask", "--json", "-kaspersky"),
                                  ("ask", "--", "-kaspersky"), ("ask", "-kaspersky", "--json")])
def test_a_question_may_start_with_a_dash(cli_env: dict[str, str], args: tuple[str, ...]) -> None:
    done = run(cli_env, *args)
    assert done.returncode == 0, done.stderr
    assert "Kremlin decries US Kaspersky ban" in done.stdout
    assert done.stdout.lstrip().startswith("{") is ("--json" in args)


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_stories_limit_is_validated(cli_env: dict[str, str], limit: str) -> None:
    done = run(cli_env, "stories", "--limit", limit)
    assert done.returncode == 2
    assert "argument --limit" in done.stderr
    assert done.stdout == ""


def test_db_is_accepted_after_the_command(cli_env: dict[str, str], seeded_db: Path,
                                          tmp_path: Path) -> None:
    env = dict(cli_env, NEWSBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'other' / 'x.db'}")
    done = run(env, "stories", "--limit", "50", "--db", f"sqlite:///{seeded_db}")
    assert done.returncode == 0, done.stderr
    assert "harbour bridge" in done.stdout.casefold()  # the seeded catalogue, not a new one
    assert not (tmp_path / "other").exists()


def test_a_closed_pipe_ends_quietly(cli_env: dict[str, str]) -> None:
    proc = subprocess.Popen([*NEWSBOT, "ask", "help"], env=cli_env, cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # like `| head` exiting before newsbot writes
    _, err = proc.communicate(timeout=60)
    assert "BrokenPipe" not in err
    assert "Traceback" not in err
    assert "Something went wrong" not in err


def test_an_unexpected_failure_shows_a_ref_and_logs_the_traceback(
    cli_env: dict[str, str],
) -> None:
    script = (
        "import sys, bot.commands as c\n"
        "async def boom(args, settings):\n"
        "    raise RuntimeError('kaboom secret detail')\n"
        "import bot.cli as cli\n"
        "cli.COMMANDS['stories'] = boom\n"
        "sys.exit(cli.main(['stories']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=cli_env, cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("newsbot: Something went wrong (ref ")
    ref = last.split("(ref ", 1)[1].split(")", 1)[0]
    assert f"ERROR newsbot: unexpected failure (ref {ref})" in done.stderr
    assert "RuntimeError: kaboom secret detail" in done.stderr  # the traceback, in the log


def test_run_with_no_platform_opens_the_console_without_scheduler_chatter(
    cli_env: dict[str, str],
) -> None:
    done = subprocess.run([*NEWSBOT, "run"], env=cli_env, input="latest\n", capture_output=True,
                          text=True, timeout=120, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert "here is the console instead" in done.stdout
    assert "newest stories" in done.stdout
    assert "apscheduler" not in done.stderr


def test_chat_answers_questions_and_says_digests_run_elsewhere(cli_env: dict[str, str]) -> None:
    """``newsbot chat``: the console over the front door with the engine alone."""
    done = subprocess.run([*NEWSBOT, "chat"], env=cli_env, input="latest\nhelp\nquit\n",
                          capture_output=True, text=True, timeout=120, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert "newest stories" in done.stdout
    assert "digest subscribe" in done.stdout  # the help text
    assert "apscheduler" not in done.stderr
