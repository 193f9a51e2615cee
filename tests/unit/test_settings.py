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
    from bot.nlp.analyse import default_workers
    from bot.runtime import apply_nlp_settings

    monkeypatch.setenv("NEWSBOT_NLP__WORKERS", "3")
    monkeypatch.setenv("NEWSBOT_NLP__MODEL", "en_core_web_sm")
    apply_nlp_settings(load_settings())
    assert default_workers() == 3
    monkeypatch.setenv("NEWSBOT_NLP__WORKERS", "0")
    assert 1 <= default_workers() <= 4
