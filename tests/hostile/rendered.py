"""Checks on rendered messages: platform limits (the fakes' limit modules) and nothing live
(``tests.fakes.chat_markup``). Shared by the corpus and the property tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from adapters.discord import render as discord_render
from adapters.slack import render as slack_render
from bot.messages import Answer
from tests.fakes.chat_markup import (
    discord_link_targets,
    discord_mentions,
    slack_link_targets,
    slack_live_mentions,
    unbalanced_slack_token,
)
from tests.fakes.discord_limits import message_violations
from tests.fakes.slack_limits import message_error


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("type", "action_id", "url", "block_id"):
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def discord_problems(answer: Answer, allowed_links: frozenset[str] = frozenset()) -> list[str]:
    """Everything wrong with ``answer`` rendered for Discord (empty: fine)."""
    problems: list[str] = []
    for message in discord_render.render(answer):
        payload = {"content": message.content, "embeds": [e.to_dict() for e in message.embeds]}
        problems += message_violations(payload)
        for text in _strings(payload):
            problems += [f"live mention {m!r}" for m in discord_mentions(text)]
            problems += [f"masked link to {t!r}" for t in discord_link_targets(text)
                         if t not in allowed_links]
    return problems


def slack_problems(answer: Answer, allowed_links: frozenset[str] = frozenset()) -> list[str]:
    """Everything wrong with ``answer`` rendered for Slack (empty: fine)."""
    problems: list[str] = []
    for message in slack_render.render_answer(answer):
        params = message.as_kwargs()
        refused = message_error(params)
        if refused is not None:
            problems += [f"{refused[0]}: {detail}" for detail in refused[1]]
        for text in _strings(params):
            problems += [f"live mention {m!r}" for m in slack_live_mentions(text)]
            problems += [f"link to {t!r}" for t in slack_link_targets(text)
                         if t not in allowed_links]
            if unbalanced_slack_token(text):
                problems.append(f"unclosed token in {text[-80:]!r}")
    return problems
