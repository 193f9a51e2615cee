"""The ``slack`` entry point of the ``newsbot.adapters`` group: settings -> ``SlackAdapter``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.slack.app import SlackAdapter

if TYPE_CHECKING:
    from bot.api import ChatAdapter, FrontDoor, Settings


class SlackPlugin:
    """Starts the Slack adapter when ``NEWSBOT_SLACK__BOT_TOKEN`` is set."""

    name = "slack"

    def configured(self, settings: Settings) -> bool:
        """True when a bot token is configured."""
        return settings.slack.bot_token is not None

    def create(self, app: FrontDoor, settings: Settings) -> ChatAdapter:
        """The adapter, wired from ``settings.slack`` (raises ``ConfigError`` when incomplete)."""
        slack = settings.slack
        assert slack.bot_token is not None  # checked by ``configured``
        return SlackAdapter(
            app,
            slack.bot_token.get_secret_value(),
            app_token=slack.app_token.get_secret_value() if slack.app_token else None,
            signing_secret=(
                slack.signing_secret.get_secret_value() if slack.signing_secret else None
            ),
            mode=slack.mode,
            api_base_url=slack.api_base_url,
            http_host=slack.http_host,
            http_port=slack.http_port,
            admin_user_ids=frozenset(slack.admin_user_ids),
            public_answers=slack.public_answers,
        )

    def setup_hint(self) -> str:
        """How to enable Slack."""
        return (
            "Slack: set NEWSBOT_SLACK__BOT_TOKEN (xoxb-) and NEWSBOT_SLACK__APP_TOKEN (xapp-, "
            "Socket Mode), or NEWSBOT_SLACK__MODE=http with NEWSBOT_SLACK__SIGNING_SECRET"
        )


plugin = SlackPlugin()
