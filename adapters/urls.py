"""Article URLs made safe to place inside chat markup (pure).

A URL comes from a feed or a page, so it is text we did not write: ``)`` can close a Discord
masked link ``[title](url)`` early and start another, ``|`` or ``>`` can end Slack's
``<url|label>``. Percent-encoding those characters (and whitespace and control characters)
keeps the link pointing where it did while making it unable to break out of its markup.
"""

from __future__ import annotations

import re

HTTP_SCHEMES = ("http://", "https://")

_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f()<>|\\]")
_PARTS = re.compile(r"(?P<scheme>https?://)(?P<authority>[^/?#]*)(?P<rest>.*)", re.I | re.S)


def percent_encode_unsafe(url: str) -> str:
    """``url`` with whitespace, control characters and ``( ) < > | \\`` percent-encoded (a
    backslash would escape the ``)`` that closes a Discord masked link)."""
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode()), url)


def safe_http_url(url: str | None, max_length: int) -> str | None:
    """An http(s) URL made safe for markup, or None when it is not http(s), too long, or has a
    user name (``https://news.example@evil.example/`` goes to evil.example: a disguise, and a
    place for secrets). ``@`` after the host is percent-encoded (``%40`` means the same there)
    so that no ``@everyone``/``@here`` appears in the markup."""
    if not url or not url.strip().lower().startswith(HTTP_SCHEMES):
        return None
    parts = _PARTS.match(percent_encode_unsafe(url.strip()))
    if parts is None or "@" in parts.group("authority"):
        return None
    encoded = parts.group("scheme") + parts.group("authority") + parts.group("rest").replace(
        "@", "%40"
    )
    return encoded if len(encoded) <= max_length else None
