"""The ``discord`` adapter plugin: settings -> adapter wiring, and the invite link."""

from __future__ import annotations

import os
from typing import Any, cast

import pytest

from adapters.discord import DiscordAdapter
from adapters.discord.plugin import plugin
from bot.frontdoor import FrontDoor
from bot.ports import AdapterPlugin
from bot.settings import DiscordSettings, Settings

NO_CORE = cast(FrontDoor, object())


def _settings(**discord: Any) -> Settings:
    return Settings(discord=DiscordSettings(**discord))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("NEWSBOT_DISCORD")]:
        monkeypatch.delenv(name)


def test_is_a_plugin() -> None:
    assert isinstance(plugin, AdapterPlugin)
    assert plugin.name == "discord"
    assert "NEWSBOT_DISCORD__TOKEN" in plugin.setup_hint()
    assert not plugin.configured(_settings())
    assert plugin.configured(_settings(token="t"))


async def test_creates_the_adapter_from_settings() -> None:
    settings = _settings(
        token="secret-token",
        application_id=1234,
        api_base_url="http://127.0.0.1:9/api/v10",
        gateway_url="ws://127.0.0.1:9/gateway",
        dev_guild_id=42,
    )
    adapter = plugin.create(NO_CORE, settings)
    assert isinstance(adapter, DiscordAdapter)
    assert adapter.name == "discord"
    assert adapter.api_base_url == "http://127.0.0.1:9/api/v10"
    assert adapter.gateway_url == "ws://127.0.0.1:9/gateway"
    assert adapter.dev_guild_id == 42
    assert adapter.client.application_id == 1234
    await adapter.client.close()


async def test_defaults_leave_discords_own_endpoints() -> None:
    adapter = plugin.create(NO_CORE, _settings(token="secret-token"))
    assert isinstance(adapter, DiscordAdapter)
    assert (adapter.api_base_url, adapter.gateway_url, adapter.dev_guild_id) == (None, None, None)
    await adapter.client.close()


def test_invite_url_needs_the_application_id() -> None:
    assert "client_id=1234" in plugin.invite_url(_settings(application_id=1234))
    with pytest.raises(ValueError, match="NEWSBOT_DISCORD__APPLICATION_ID"):
        plugin.invite_url(_settings(token="t"))
