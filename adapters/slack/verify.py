"""Slack request signatures, checked strictly before Bolt sees a request (HTTP mode).

Bolt's own check (slack_sdk ``SignatureVerifier.is_valid``) calls ``int()`` on the
``X-Slack-Request-Timestamp`` header: ``abc`` or ``1e3`` raise ``ValueError`` instead of
refusing, and Bolt then hands the unverified body to the app's error handler. So the HTTP
server refuses, with a 401 and nothing else, every request that is not signed exactly as Slack
signs (https://api.slack.com/authentication/verifying-requests-from-slack): an ASCII decimal
timestamp within five minutes, ``v0=`` and the HMAC-SHA256 of ``v0:{timestamp}:{raw body}``,
over a body that is UTF-8. Bolt's check still runs after this one.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from slack_bolt.request.async_request import AsyncBoltRequest

log = logging.getLogger("adapters.slack")

MAX_AGE_SECONDS = 5 * 60  # Slack's own advice; older requests may be replays
_TIMESTAMP = re.compile("[0-9]{1,12}")  # no sign, space, exponent or other script's digits
_SIGNATURE = re.compile("v0=[0-9a-f]{64}")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Slack-Signature`` Slack sends for ``body`` at ``timestamp``."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def is_signed(
    secret: str, headers: Mapping[str, object], body: bytes, now: float | None = None
) -> bool:
    """True only for a request signed with ``secret`` less than five minutes ago; never
    raises, whatever the headers or body hold."""
    lower = {str(name).lower(): value for name, value in headers.items()}
    timestamp = _first(lower.get("x-slack-request-timestamp"))
    sent = _first(lower.get("x-slack-signature"))
    if not secret or not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(sent):
        return False
    clock = time.time() if now is None else now
    if abs(clock - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    if not hmac.compare_digest(signature(secret, timestamp, body), sent):
        return False
    try:
        body.decode("utf-8")  # Bolt decodes the body; Slack only ever sends UTF-8
    except UnicodeDecodeError:
        return False
    return True


def _first(value: object) -> str:
    """A header value as aiohttp (a string) or Bolt (a list of strings) holds it."""
    if isinstance(value, (list, tuple)):
        value = value[0] if len(value) == 1 else None  # a repeated header is not Slack's
    return value if isinstance(value, str) else ""


def bolt_request_verified(secret: str | None, request: AsyncBoltRequest) -> bool:
    """True when Bolt's ``request`` may be acted on: it came over the Socket Mode connection
    (authenticated by the app token) or carries a valid signature."""
    if request.mode == "socket_mode":
        return True
    body = request.raw_body.encode("utf-8", "surrogatepass")
    return is_signed(secret or "", request.headers, body)


def refusal() -> web.Response:
    """What an unverifiable request gets: Bolt's own 401 body, and nothing else happens."""
    return web.json_response({"error": "invalid request"}, status=401)


def signature_gate(secret: str, path: str) -> Middleware:
    """An aiohttp middleware that refuses unsigned POSTs to ``path`` before Bolt parses them."""

    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method == "POST" and request.path == path:
            body = await request.read()  # aiohttp keeps it for Bolt's own read
            if not is_signed(secret, request.headers, body):
                log.info("slack request refused: missing, stale or wrong signature")
                return refusal()
        return await handler(request)

    return gate
