"""Text we did not write, made inert for Discord (pure).

``discord.utils.escape_markdown`` escapes only what its pattern recognises: the ``[`` of the
first ``[label](url)`` in a string, not the second, and not a ``[`` after an escaped backslash
(``\\[x](url)``). A masked link shows any label over any address, so every ``[`` and ``]`` is
escaped here as well (a masked link needs both). Mentions are defused separately, and every
send also carries ``allowed_mentions`` that allow none.
"""

from __future__ import annotations

import re

from discord.utils import escape_markdown, escape_mentions

# An escape pair (kept as it is, so an escaped backslash never frees the next character), or a
# bracket to escape.
_PAIR_OR_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)
_MENTION_TOKEN = re.compile(r"<(?=[@#/]|t:)")
_LINK_JOIN = re.compile(r"\]\s*\(")
ZERO_WIDTH = "\u200b"


def defuse_mentions(text: str) -> str:
    """Make @everyone/@here and every ``<@…>``, ``<@!…>``, ``<@&…>``, ``<#…>``, ``</…>`` and
    ``<t:…>`` token inert, whatever its digits (``escape_mentions`` only knows 17-20-digit
    ids), by putting a zero-width space after the ``<``."""
    return _MENTION_TOKEN.sub("<" + ZERO_WIDTH, escape_mentions(text))


def escape_brackets(markdown: str) -> str:
    """Backslash every ``[`` and ``]`` of already-escaped markdown that is not escaped yet."""
    return _PAIR_OR_BRACKET.sub(
        lambda m: m.group(0) if len(m.group(0)) == 2 else "\\" + m.group(0), markdown
    )


def clean(text: str) -> str:
    """Escape markdown (every bracket included) and defuse mentions, channel, command and time
    tokens, for text shown where Discord renders markdown: content, titles, descriptions,
    field names and values."""
    return defuse_mentions(escape_brackets(escape_markdown(text)))


def plain(text: str) -> str:
    """For places Discord shows as plain text (embed footers): a backslash would show there, so
    ``](`` is broken with a zero-width space instead, and mentions are defused."""
    return defuse_mentions(_LINK_JOIN.sub(lambda m: "]" + ZERO_WIDTH + m.group(0)[1:], text))
