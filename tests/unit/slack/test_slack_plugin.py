"""The ``slack`` adapter plugin: settings -> adapter, config problems as ``ConfigError``."""

from __future__ import annotations

import os
from typing import Any, cast

import pytest

from adapters.slack import SlackAdapter, plugin
from bot.frontdoor import FrontDoor
from bot.ports import AdapterPlugin
from bot.settings import ConfigError, Settings, SlackSettings

NO_CORE = cast(FrontDoor, object())


def _settings(**slack: Any) -> Settings:
    return Settings(slack=SlackSettings(**slack))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("NEWSBOT_SLACK")]:
        monkeypatch.delenv(name)


def test_is_a_plugin() -> None:
    assert isinstance(plugin, AdapterPlugin)
    assert plugin.name == "slack"
    assert "NEWSBOT_SLACK__BOT_TOKEN" in plugin.setup_hint()
    assert not plugin.configured(_settings())


def test_creates_the_adapter_from_settings() -> None:
    settings = _settings(
        bot_token="xoxb-1",
        app_token="xapp-1",
        api_base_url="http://127.0.0.1:9/api",
        admin_user_ids=["U1"],
    )
    assert plugin.configured(settings)
    adapter = plugin.create(NO_CORE, settings)
    assert isinstance(adapter, SlackAdapter)
    assert adapter.name == "slack"
    assert adapter.client.base_url == "http://127.0.0.1:9/api/"
    assert adapter.admin_user_ids == frozenset({"U1"})


@pytest.mark.parametrize(
    ("slack", "variable"),
    [
        ({"bot_token": "xoxb-secret-1"}, "NEWSBOT_SLACK__APP_TOKEN"),
        ({"bot_token": "xoxb-secret-1", "mode": "http"}, "NEWSBOT_SLACK__SIGNING_SECRET"),
    ],
)
def test_incomplete_config_is_a_config_error(slack: dict[str, Any], variable: str) -> None:
    with pytest.raises(ConfigError) as caught:
        plugin.create(NO_CORE, _settings(**slack))
    assert any(variable in problem for problem in caught.value.problems)
    assert "xoxb-secret-1" not in str(caught.value)
