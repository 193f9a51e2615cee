"""Configuration: TOML defaults, environment overrides, one line per bad field, no secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings


@pytest.fixture
def toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "newsbot.toml"
    path.write_text(
        '[answers]\nsummary_sentences = 4\n[digests]\ndefault_timezone = "Europe/London"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSBOT_CONFIG", str(path))
    monkeypatch.chdir(tmp_path)
    for name in ("NEWSBOT_DATABASE_URL", "NEWSBOT_DISCORD__TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_toml_values_are_read(toml: Path) -> None:
    settings = load_settings()
    assert settings.answers.summary_sentences == 4
    assert settings.digests.default_timezone == "Europe/London"


def test_environment_overrides_toml(toml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_ANSWERS__SUMMARY_SENTENCES", "2")
    monkeypatch.setenv("NEWSBOT_DISCORD__TOKEN", "fake-token-for-test")
    settings = load_settings()
    assert settings.answers.summary_sentences == 2
    assert settings.discord.token is not None
    assert "fake-token-for-test" not in repr(settings)


def test_each_bad_field_gets_its_own_line(toml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_DIGESTS__DEFAULT_TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("NEWSBOT_ANSWERS__SUMMARY_SENTENCES", "99")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    problems = caught.value.problems
    assert len(problems) == 2
    assert any(p.startswith("digests.default_timezone") and "Mars/Olympus" in p for p in problems)
    assert any(p.startswith("answers.summary_sentences") for p in problems)


def test_secret_in_toml_is_refused(toml: Path) -> None:
    toml.write_text('[discord]\ntoken = "should-not-be-here"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "discord.token" in caught.value.problems[0]
    assert "should-not-be-here" not in str(caught.value)


def test_the_analysis_pool_size_follows_the_settings(
    toml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.app import apply_nlp_settings
    from bot.nlp.analyse import default_workers

    monkeypatch.setenv("NEWSBOT_NLP__WORKERS", "3")
    monkeypatch.setenv("NEWSBOT_NLP__MODEL", "en_core_web_sm")
    apply_nlp_settings(load_settings())
    assert default_workers() == 3
    monkeypatch.setenv("NEWSBOT_NLP__WORKERS", "0")
    assert 1 <= default_workers() <= 4


def _problems(**overrides: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(**overrides)
    return caught.value.problems


def test_malformed_toml_is_one_clear_line(toml: Path) -> None:
    toml.write_text("[answers\nsummary_sentences = 4\n", encoding="utf-8")
    (problem,) = _problems()
    assert problem.startswith(f"{toml}: not valid TOML")


def test_a_list_that_is_not_json_is_one_clear_line(
    toml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_SLACK__ADMIN_USER_IDS", "notjson")
    (problem,) = _problems()
    assert '"slack"' in problem
    assert "JSON" in problem
    assert "notjson" not in problem


def test_a_shared_env_file_with_other_keys_is_fine(toml: Path) -> None:
    (toml.parent / ".env").write_text("OTHER=2\nNEWSBOT_LOG_LEVEL=WARNING\n", encoding="utf-8")
    assert load_settings().log_level == "WARNING"


def test_a_misspelt_newsbot_key_in_env_file_is_an_error(toml: Path) -> None:
    (toml.parent / ".env").write_text("NEWSBOT_LOG_LEVLE=WARNING\n", encoding="utf-8")
    (problem,) = _problems()
    assert problem.startswith("log_levle:")


def test_a_misspelt_key_in_a_toml_table_is_an_error(toml: Path) -> None:
    toml.write_text('[digests]\ndefault_timezon = "UTC"\n', encoding="utf-8")
    assert _problems() == ["digests.default_timezon: Extra inputs are not permitted"]


def test_a_missing_config_file_is_an_error(toml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_CONFIG", str(toml.parent / "missing.toml"))
    assert _problems() == [f"NEWSBOT_CONFIG: no such file: {toml.parent / 'missing.toml'}"]


@pytest.mark.parametrize("url", ["nonsense", "postgresql://u:pw@h/db", "sqlite://host/x.db"])
def test_an_unusable_database_url_is_a_config_error(toml: Path, url: str) -> None:
    (problem,) = _problems(database_url=url)
    assert problem.startswith("database_url:")
    assert "sqlite:///" in problem  # says what works
    assert "pw" not in problem
