"""A fake Slack on 127.0.0.1 for driving the real slack-bolt / slack_sdk code paths.

It serves the Web API (``/api/<method>``), a Socket Mode websocket (``/link``) and
``response_url`` endpoints (``/response/<id>``), and records every call. Methods it does not
implement, and any other path or HTTP method, are recorded in ``unimplemented``; messages Slack
would refuse (``invalid_blocks``, ``msg_too_long``, ``msg_blocks_too_long``; see
``slack_limits``) are refused the same way and recorded in ``limit_violations``. The pytest
fixture fails the test on either. Usable outside pytest (the bench uses it too).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

from tests.fakes.slack_limits import message_error

JSON = dict[str, Any]
Handler = Callable[["ApiCall"], Awaitable[web.Response]]

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
SIGNING_SECRET = "fake-signing-secret"


@dataclass
class ApiCall:
    """One Web API request as the fake saw it."""

    method: str
    params: JSON
    token: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Recorded:
    """A response_url post or a Socket Mode acknowledgement."""

    key: str
    body: JSON
    at: float = field(default_factory=time.monotonic)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Slack-Signature`` Slack sends: ``v0=`` HMAC-SHA256 of ``v0:{ts}:{body}``."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class FakeSlack:
    """The fake server. ``start()`` binds a free port on 127.0.0.1."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        per_channel_interval: float | None = None,
    ) -> None:
        self.team_id, self.bot_user_id, self.bot_id = team_id, bot_user_id, bot_id
        self.per_channel_interval = per_channel_interval
        self.calls: list[ApiCall] = []
        self.posted: list[ApiCall] = []  # chat.postMessage calls that succeeded
        self.responses: list[Recorded] = []  # posts to response_url
        self.acks: list[Recorded] = []  # Socket Mode envelope acknowledgements
        self.sent_at: dict[str, float] = {}  # envelope id -> when we sent it
        self.unimplemented: list[str] = []
        self.limit_violations: list[str] = []  # "where: error: details" of refused messages
        self.rate_limited: int = 0  # 429s returned
        self.rate_limit_next: int = 0  # return this many 429s on chat.postMessage
        self.channel_errors: dict[str, str] = {}  # channel -> Slack error to return
        self.token_error: str | None = None  # e.g. token_revoked: every post fails with it
        self.ws_connections: int = 0
        # users.info: user id -> role flags (is_admin, is_owner, ...); others: user_not_found
        self.users: dict[str, JSON] = {}
        self.handlers: dict[str, Handler] = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._connections_open,
            "chat.postMessage": self._post_message,
            "users.info": self._users_info,
        }
        self._sockets: list[web.WebSocketResponse] = []
        self._last_post: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Serve on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_get("/link", self._socket)
        app.router.add_post("/response/{key}", self._response)
        # Last: any other path or method (aiohttp would answer 404/405 and record nothing).
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Close sockets and the server."""
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        """The ``base_url`` to give ``AsyncWebClient``."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str) -> str:
        """A ``response_url`` pointing at this fake."""
        return f"http://127.0.0.1:{self.port}/response/{key}"

    # -- Web API ---------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        params: JSON = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(dict(await request.post()))
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or params.get("token")
        call = ApiCall(request.match_info["method"], params, token)
        self.calls.append(call)
        handler = self.handlers.get(call.method)
        if handler is None:
            self.unimplemented.append(call.method)
            return _json({"ok": False, "error": "unknown_method"})
        return await handler(call)

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unimplemented.append(f"{request.method} {request.path}")
        return web.Response(status=404, text="fake Slack: not implemented")

    def _refusal(self, where: str, params: JSON) -> str | None:
        """Slack's error for a message over its limits (recorded), else None."""
        found = message_error(params)
        if found is None:
            return None
        error, details = found
        self.limit_violations.append(f"{where}: {error}: {'; '.join(details)}")
        return error

    async def _auth_test(self, call: ApiCall) -> web.Response:
        if not str(call.token or "").startswith("xoxb-"):
            return _json({"ok": False, "error": "invalid_auth"})
        return _json(
            {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Fake",
                "user": "newsbot",
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
                "is_enterprise_install": False,
            }
        )

    async def _connections_open(self, call: ApiCall) -> web.Response:
        if not str(call.token or "").startswith("xapp-"):
            return _json({"ok": False, "error": "invalid_auth"})
        return _json(
            {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link?ticket={next(self._ids)}"}
        )

    async def _post_message(self, call: ApiCall) -> web.Response:
        channel = str(call.params.get("channel") or "")
        if self.token_error is not None:
            return _json({"ok": False, "error": self.token_error})
        if channel in self.channel_errors:
            return _json({"ok": False, "error": self.channel_errors[channel]})
        refusal = self._refusal("chat.postMessage", call.params)
        if refusal is not None:
            return _json({"ok": False, "error": refusal})
        if self.rate_limit_next > 0 or self._too_fast(channel, call.at):
            self.rate_limit_next = max(self.rate_limit_next - 1, 0)
            self.rate_limited += 1
            return _json({"ok": False, "error": "ratelimited"}, status=429, retry_after=1)
        self._last_post[channel] = call.at
        self.posted.append(call)
        ts = f"{time.time():.6f}"
        return _json({"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts}})

    async def _users_info(self, call: ApiCall) -> web.Response:
        if not str(call.token or "").startswith("xoxb-"):
            return _json({"ok": False, "error": "invalid_auth"})
        user_id = str(call.params.get("user") or "")
        if user_id not in self.users:
            return _json({"ok": False, "error": "user_not_found"})
        flags = {"is_admin": False, "is_owner": False, "is_primary_owner": False}
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": user_id.lower(),
            "deleted": False,
            "is_bot": False,
            **flags,
            **self.users[user_id],
        }
        return _json({"ok": True, "user": user})

    def calls_to(self, method: str) -> list[ApiCall]:
        """Every call of one Web API method, answered or not."""
        return [c for c in self.calls if c.method == method]

    def _too_fast(self, channel: str, now: float) -> bool:
        last = self._last_post.get(channel)
        interval = self.per_channel_interval
        return interval is not None and last is not None and now - last < interval * 0.98

    # -- response_url ----------------------------------------------------------------------

    async def _response(self, request: web.Request) -> web.Response:
        key, body = request.match_info["key"], await request.json()
        refusal = self._refusal(f"response_url {key}", body)
        if refusal is not None:
            return web.Response(status=400, text=refusal)  # Slack answers such posts in plain text
        self.responses.append(Recorded(key, body))
        return web.Response(text="ok")

    # -- Socket Mode -----------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        self.ws_connections += 1
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0APP"}}
        await ws.send_str(json.dumps(hello))
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    data = json.loads(message.data)
                    self.acks.append(Recorded(str(data.get("envelope_id")), data))
        finally:
            self._sockets.remove(ws)
        return ws

    @property
    def connected(self) -> bool:
        """True while a Socket Mode client is connected."""
        return any(not ws.closed for ws in self._sockets)

    async def send_envelope(self, kind: str, payload: JSON, *, retry_attempt: int = 0) -> str:
        """Send one envelope (``slash_commands``, ``events_api``, ``interactive``) to the bot."""
        envelope_id = f"env-{next(self._ids)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        ws = self._current_socket()
        self.sent_at[envelope_id] = time.monotonic()
        await ws.send_str(json.dumps(envelope))
        return envelope_id

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does every few hours."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}
        await self._current_socket().send_str(json.dumps(message))

    def _current_socket(self) -> web.WebSocketResponse:
        live = [ws for ws in self._sockets if not ws.closed]
        if not live:
            raise AssertionError("no Socket Mode client is connected to the fake")
        return live[-1]

    # -- payload builders ------------------------------------------------------------------

    def slash_command(self, text: str, *, user: str = "U0ALICE", channel: str = "C0NEWS") -> JSON:
        """A ``/news`` payload as Slack sends it, with a ``response_url`` on this fake."""
        key = f"r{next(self._ids)}"
        return {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "news",
            "user_id": user,
            "user_name": "alice",
            "command": "/news",
            "text": text,
            "api_app_id": "A0APP",
            "response_url": self.response_url(key),
            "trigger_id": f"trig-{key}",
        }

    def event_callback(self, event: JSON, event_id: str | None = None) -> JSON:
        """An Events API ``event_callback`` body wrapping ``event``."""
        return {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "api_app_id": "A0APP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": self.team_id, "user_id": self.bot_user_id, "is_bot": True}
            ],
        }

    def mention(self, text: str, *, user: str = "U0ALICE", channel: str = "C0NEWS") -> JSON:
        """An ``app_mention`` event addressed to the bot."""
        ts = f"{time.time():.6f}"
        return {
            "type": "app_mention",
            "user": user,
            "text": f"<@{self.bot_user_id}> {text}",
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        }

    def direct_message(self, text: str, *, user: str = "U0ALICE", channel: str = "D0ALICE") -> JSON:
        """A ``message`` event in the bot's DM (``message.im``)."""
        ts = f"{time.time():.6f}"
        return {
            "type": "message",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
        }

    def block_action(
        self, action_id: str, *, user: str = "U0ALICE", channel: str = "C0NEWS"
    ) -> JSON:
        """A ``block_actions`` interaction (a button click) with a ``response_url``."""
        key = f"r{next(self._ids)}"
        return {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "fake"},
            "user": {"id": user, "team_id": self.team_id},
            "api_app_id": "A0APP",
            "container": {"type": "message", "channel_id": channel, "message_ts": "1.2"},
            "channel": {"id": channel, "name": "news"},
            "trigger_id": f"trig-{key}",
            "response_url": self.response_url(key),
            "actions": [
                {"type": "button", "action_id": action_id, "block_id": "b", "action_ts": "1.3"}
            ],
        }

    # -- waiting ---------------------------------------------------------------------------

    async def wait_until(
        self, predicate: Callable[[], object], within: float = 5.0, what: str = "condition"
    ) -> None:
        """Poll ``predicate`` until true; fail after ``within`` seconds."""
        deadline = time.monotonic() + within
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"fake Slack: timed out waiting for {what}")
            await asyncio.sleep(0.005)

    def posts_to(self, channel: str) -> list[ApiCall]:
        """Successful ``chat.postMessage`` calls to ``channel``."""
        return [c for c in self.posted if c.params.get("channel") == channel]


def _json(body: JSON, status: int = 200, retry_after: int | None = None) -> web.Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return web.Response(
        text=json.dumps(body), status=status, content_type="application/json", headers=headers
    )


def signed_headers(
    body: bytes,
    *,
    secret: str = SIGNING_SECRET,
    age: float = 0.0,
    content_type: str = "application/json",
) -> dict[str, str]:
    """Headers Slack would send with ``body`` ``age`` seconds ago."""
    timestamp = int(time.time() - age)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": sign(secret, timestamp, body),
    }


def form_body(payload: JSON) -> bytes:
    """A slash command body as Slack posts it (form-encoded)."""
    return urlencode(payload).encode()
