"""Slack adapter (slack-bolt): ``/news`` subcommands, mentions, DMs and digest delivery."""

from adapters.slack.app import SlackAdapter, build_client, usage_answer
from adapters.slack.deliver import SlackDeliverer
from adapters.slack.plugin import SlackPlugin, plugin
from adapters.slack.render import SlackMessage, render_answer

__all__ = [
    "SlackAdapter",
    "SlackDeliverer",
    "SlackMessage",
    "SlackPlugin",
    "build_client",
    "plugin",
    "render_answer",
    "usage_answer",
]
