"""Text we did not write, made inert for Discord (pure).

Not ``discord.utils.escape_markdown``: it escapes only what its pattern recognises (the ``[``
of the first ``[label](url)`` in a string, not the second, nor a ``[`` after an escaped
backslash), and its pattern takes quadratic time on runs such as ``<<<<`` or blank lines (ten
seconds of event loop for one 10,000-character sentence). Here every markdown character is
escaped with a backslash in one linear pass (Discord hides a backslash before punctuation),
``[`` and ``]`` included, since a masked link needs both; URLs keep their other characters so
they still work. Mentions are defused separately, and every send also carries
``allowed_mentions`` that allow none.
"""

from __future__ import annotations

import re

from discord.utils import escape_mentions

# A URL (left as it is but for brackets and backslashes; no backtracking: nothing follows the
# run), a line-start marker (heading ``#``, subtext ``-#``, list ``-``, quote ``>``), or one
# markdown character anywhere: emphasis, code, spoiler, link brackets, the backslash itself.
_URL_OR_MARKUP = re.compile(
    r"(?P<url>(?:https?|steam)://[^\s<>]+)|(?m:^)(?P<indent>[ \t]*)(?P<line>[-#>])"
    r"|(?P<char>[\\*_~`|\[\]])"
)
_IN_URL = re.compile(r"[\[\]\\]")  # a raw backslash in a URL would free the next character
_MENTION_TOKEN = re.compile(r"<(?=[@#/]|t:)")
_LINK_JOIN = re.compile(r"\]\s*\(")
ZERO_WIDTH = "\u200b"


def defuse_mentions(text: str) -> str:
    """Make @everyone/@here and every ``<@…>``, ``<@!…>``, ``<@&…>``, ``<#…>``, ``</…>`` and
    ``<t:…>`` token inert, whatever its digits (``escape_mentions`` only knows 17-20-digit
    ids), by putting a zero-width space after the ``<``."""
    return _MENTION_TOKEN.sub("<" + ZERO_WIDTH, escape_mentions(text))


def escape_markdown(text: str) -> str:
    """``text`` with every markdown character backslash-escaped (brackets in URLs too), in
    linear time."""

    def escape(match: re.Match[str]) -> str:
        if match.group("char"):
            return "\\" + match.group("char")
        if match.group("line"):
            return match.group("indent") + "\\" + match.group("line")
        return _IN_URL.sub(lambda m: "\\" + m.group(0), match.group("url"))

    return _URL_OR_MARKUP.sub(escape, text)


def clean(text: str) -> str:
    """Escape markdown (every bracket included) and defuse mentions, channel, command and time
    tokens, for text shown where Discord renders markdown: content, titles, descriptions,
    field names and values."""
    return defuse_mentions(escape_markdown(text))


def plain(text: str) -> str:
    """For places Discord shows as plain text (embed footers): a backslash would show there, so
    ``](`` is broken with a zero-width space instead, and mentions are defused."""
    return defuse_mentions(_LINK_JOIN.sub(lambda m: "]" + ZERO_WIDTH + m.group(0)[1:], text))
