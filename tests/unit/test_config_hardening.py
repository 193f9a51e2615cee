"""Configuration and schedules that would be silently wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.digests.schedule import DigestInputError, build_trigger, parse_schedule
from bot.settings import ConfigError, load_settings, unknown_environment


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "newsbot.toml"
    path.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_CONFIG", str(path))
    monkeypatch.chdir(tmp_path)
    for name in [n for n in __import__("os").environ if n.upper().startswith("NEWSBOT_")]:
        if name != "NEWSBOT_CONFIG":
            monkeypatch.delenv(name)


def test_the_readme_typo_is_a_config_error(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_LOG_LEVLE", "DEBUG")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.problems == [
        "NEWSBOT_LOG_LEVLE: not a newsbot setting (did you mean NEWSBOT_LOG_LEVEL?)"
    ]


def test_unknown_variables_each_get_a_line_beside_other_problems(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_DATABSE_URL", "sqlite:///x.db")
    monkeypatch.setenv("NEWSBOT_DISCROD__TOKEN", "secret-value-never-echoed")
    monkeypatch.setenv("NEWSBOT_ANSWERS__SUMMARY_SENTENCES", "99")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    problems = caught.value.problems
    assert len(problems) == 3
    assert any(p.startswith("NEWSBOT_DATABSE_URL:") and "NEWSBOT_DATABASE_URL" in p
               for p in problems)
    assert any(p.startswith("NEWSBOT_DISCROD__TOKEN:") for p in problems)
    assert any(p.startswith("answers.summary_sentences") for p in problems)
    assert "secret-value-never-echoed" not in " ".join(problems)


def test_known_and_foreign_variables_are_left_alone() -> None:
    environ = {
        "NEWSBOT_LOG_LEVEL": "INFO",
        "newsbot_database_url": "sqlite:///x.db",  # pydantic-settings reads names in any case
        "NEWSBOT_SLACK__MODE": "http",
        "NEWSBOT_CONFIG": "x.toml",
        "NEWSBOTTLE": "not ours",
        "HOME": "/root",
    }
    assert unknown_environment(environ) == []


@pytest.mark.parametrize("line", ["0 0 30 2 *", "0 0 31 4 *", "0 12 31 11 *"])
def test_cron_lines_that_never_fire_are_refused(line: str) -> None:
    with pytest.raises(DigestInputError, match="no run in the next 10 years"):
        parse_schedule(line, "UTC")


def test_rare_but_real_cron_lines_are_kept() -> None:
    schedule, _, _ = parse_schedule("0 9 29 2 *", "Europe/London")  # leap days only
    assert schedule == "cron 0 9 29 2 *"


def test_a_stored_line_that_never_fires_costs_little() -> None:
    """A line stored before this check (or by hand) is still asked for its next run on every
    ``digest list``: the search is bounded to the look-ahead instead of walking to year 9999
    (counted in APScheduler's field steps, not timed)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    trigger = build_trigger("cron 0 0 30 2 *", ZoneInfo("UTC"))
    steps = 0
    step = trigger._increment_field_value

    def counted(*args: object) -> object:
        nonlocal steps
        steps += 1
        return step(*args)

    trigger._increment_field_value = counted
    assert trigger.get_next_fire_time(None, datetime(2030, 1, 1, tzinfo=UTC)) is None
    assert trigger.end_date is None  # the temporary bound is put back
    assert 0 < steps < 200  # unbounded: about 4 steps per year up to 9999, some 32,000


@pytest.mark.parametrize(("content", "problem"), [
    (b'log_level = "\xff"\n', "newsbot.toml: not UTF-8 text (invalid start byte at byte 13)"),
    (b"a = " + b"[" * 100_000, "newsbot.toml: arrays or tables nested too deeply"),
])
def test_a_config_file_that_cannot_be_read_is_one_clear_problem(
    clean_env: None, tmp_path: Path, content: bytes, problem: str
) -> None:
    """Issue 14 #7's classes in the settings files: a traceback (UnicodeDecodeError,
    RecursionError) instead of a config error."""
    (tmp_path / "newsbot.toml").write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    [line] = caught.value.problems
    assert line.endswith(problem), line


def test_a_dotenv_that_is_not_utf8_is_named(clean_env: None, tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"NEWSBOT_LOG_LEVEL=\xff\n")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.problems == [".env: not UTF-8 text (invalid start byte at byte 18)"]


def test_a_config_path_that_is_no_file_says_what_it_is(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_CONFIG", str(tmp_path))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert caught.value.problems == [f"NEWSBOT_CONFIG: not a regular file: {tmp_path}"]
