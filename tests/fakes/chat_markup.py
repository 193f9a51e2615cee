"""What would render live in a message: mentions and masked links, by each platform's grammar.

Written from the platforms' documented syntax, not from the adapters' escaping code, so a gap
in the escaping cannot hide itself. Used by the hostile corpus and the property tests.

Discord (markdown): a masked link is ``[label](target)``; a backslash escapes the next
punctuation character. Mentions: ``@everyone``, ``@here``, ``<@id>``, ``<@!id>``, ``<@&id>``,
``<#id>``. Slack (mrkdwn): anything between ``<`` and ``>`` is a control token: ``<url|label>``
(a masked link), ``<@U…>``, ``<#C…>``, ``<!channel>``, ``<!here>``, ``<!everyone>``,
``<!subteam^…>``, ``<!date^…>``; ``&lt;`` ``&gt;`` ``&amp;`` are literal characters.
"""

from __future__ import annotations

import re

_DISCORD_ESCAPED = re.compile(r"\\[^0-9A-Za-z\s]")
_DISCORD_LINK = re.compile(r"\]\(\s*<?([^\s)>]*)")
_DISCORD_MENTION = re.compile(r"@(?:everyone|here)\b|<@[!&]?\d+>|<#\d+>")
_SLACK_TOKEN = re.compile(r"<([^<>]*)>")
_BROADCAST_WORD = re.compile(r"(?<![\w@])@(?:channel|here|everyone)\b", re.IGNORECASE)


def discord_mentions(text: str) -> list[str]:
    """Mentions Discord would render (and, allowed, ping) in ``text``."""
    return _DISCORD_MENTION.findall(text)


def discord_link_targets(text: str) -> list[str]:
    """Targets of every masked link Discord could render in ``text``: each ``](target`` with an
    unescaped ``[`` somewhere before it (stricter than Discord, never looser)."""
    bare = _DISCORD_ESCAPED.sub("\x00\x00", text)  # escaped characters are literal
    targets = []
    for match in _DISCORD_LINK.finditer(bare):
        if "[" in bare[: match.start()]:
            targets.append(match.group(1))
    return targets


def slack_tokens(text: str) -> list[str]:
    """Every ``<...>`` control token in Slack mrkdwn ``text`` (without the brackets)."""
    return _SLACK_TOKEN.findall(text)


def slack_live_mentions(text: str) -> list[str]:
    """User, channel and broadcast mentions Slack would render in ``text``."""
    found = [t for t in slack_tokens(text) if t[:1] in "@#" or (
        t.startswith("!") and not t.startswith("!date^"))]
    return found + _BROADCAST_WORD.findall(text)


def slack_link_targets(text: str) -> list[str]:
    """Targets of every link token ``<target>`` / ``<target|label>`` in ``text``."""
    return [t.split("|", 1)[0] for t in slack_tokens(text) if t[:1] not in "@#!"]


def unbalanced_slack_token(text: str) -> bool:
    """True when a ``<`` is never closed (a token cut in half) or a ``>`` was never opened."""
    depth = 0
    for char in text:
        if char == "<":
            if depth:
                return True
            depth = 1
        elif char == ">":
            if not depth:
                return True
            depth = 0
    return depth != 0
