"""A fake Discord on 127.0.0.1: REST + gateway websocket, enough to drive real discord.py 2.7.

Every request is recorded; an endpoint it does not implement is answered 404 and listed in
``unimplemented`` (the fixture fails the test on it). A message over any of Discord's limits
(content, embeds; see ``discord_limits``) is answered 400 / 50035 as Discord does and listed in
``limit_violations`` (the fixture fails the test on that too). Scriptable: unknown/forbidden
channels, 429s on the next sends to a channel, and optional enforcement of Discord's global
(50 requests/s) and per-channel (5 messages / 5 s) limits with 429 answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord_limits import choice_violations, message_violations

APP_ID = 111111111111111111
BOT_ID = APP_ID
GUILD_ID = 222222222222222222
CHANNEL_ID = 333333333333333333
DM_CHANNEL_ID = 444444444444444444
USER_ID = 555555555555555555
TIMESTAMP = "2026-01-01T00:00:00+00:00"
# View Channel, Send Messages, Embed Links, Read History + Manage Channels (16)
MEMBER_PERMISSIONS = str(1024 | 2048 | 16384 | 65536 | 16)

Json = dict[str, Any]


@dataclass(frozen=True)
class Recorded:
    """One HTTP request the fake received."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    at: float
    status: int = 0


@dataclass
class Limits:
    """Discord's limits as the fake enforces them (answering 429 when exceeded)."""

    global_per_second: int = 50
    channel_messages: int = 5
    channel_window: float = 5.0


@dataclass
class _Windows:
    global_hits: deque[float] = field(default_factory=deque)
    channel_hits: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with Content-Type exactly ``application/json`` (discord.py compares it verbatim)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def user_payload(user_id: int, name: str, *, bot: bool = False) -> Json:
    """A Discord user object."""
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def _option_type(value: object) -> int:
    """The option type Discord sends for a value: BOOLEAN 5, INTEGER 4, else STRING 3."""
    if isinstance(value, bool):
        return 5
    return 4 if isinstance(value, int) else 3


class FakeDiscord:
    """REST (``api_base``) and gateway (``gateway_url``) on one loopback port."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.unimplemented: list[str] = []
        self.limit_violations: list[str] = []  # "METHOD path: problem" of refused messages
        self.gateway_received: list[Json] = []
        self.identifies: list[Json] = []
        self.resumes: list[Json] = []
        self.synced_commands: dict[str, list[Json]] = {}  # "global" or guild id -> commands
        self.channel_messages: dict[str, list[Json]] = defaultdict(list)
        self.unknown_channels: set[str] = set()
        self.forbidden_channels: set[str] = set()
        self.invalid_body_channels: set[str] = set()  # answer 400 Invalid Form Body
        self.rate_limited_sends: dict[str, int] = {}  # channel -> number of 429s to answer
        self.retry_after = 0.05
        self.limits: Limits | None = None
        self.count_429 = 0
        self.session_id = "fake-session-1"
        self._windows = _Windows()
        self._ids = itertools.count(700000000000000000)
        self._seq = 0
        self._ws: web.WebSocketResponse | None = None
        self._ws_ready = asyncio.Event()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Awaitable[web.Response]]]] = [
            ("GET", re.compile(r"/users/@me"), self._get_me),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._get_application),
            ("PUT", re.compile(r"/applications/(\d+)/commands"), self._put_commands),
            ("PUT", re.compile(r"/applications/(\d+)/guilds/(\d+)/commands"), self._put_commands),
            ("POST", re.compile(r"/interactions/(\d+)/([^/]+)/callback"), self._callback),
            ("PATCH", re.compile(r"/webhooks/(\d+)/([^/]+)/messages/@original"), self._edit),
            ("DELETE", re.compile(r"/webhooks/(\d+)/([^/]+)/messages/@original"), self._delete),
            ("POST", re.compile(r"/webhooks/(\d+)/([^/]+)"), self._followup),
            ("POST", re.compile(r"/channels/(\d+)/messages"), self._create_message),
            ("POST", re.compile(r"/users/@me/channels"), self._open_dm),
        ]

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Close the gateway connection and the server."""
        if self._ws is not None and not self._ws.closed:
            await self._ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        """What to pass as the REST base (``discord.http.Route.BASE``)."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What to pass as the gateway URL."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- waiting and querying --------------------------------------------------------------

    async def _record(self, entry: Recorded) -> None:
        async with self._changed:
            self.requests.append(entry)
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[FakeDiscord], bool], wait: float = 5.0) -> None:
        """Wait (bounded) until ``predicate(self)`` holds."""
        async with asyncio.timeout(wait), self._changed:
            await self._changed.wait_for(lambda: predicate(self))

    async def wait_request(
        self, method: str, pattern: str, *, count: int = 1, wait: float = 5.0
    ) -> list[Recorded]:
        """Wait until ``count`` requests matching method and path regex were answered."""
        await self.wait_for(lambda f: len(f.find(method, pattern)) >= count, wait)
        return self.find(method, pattern)

    def find(self, method: str, pattern: str) -> list[Recorded]:
        """Recorded requests with this method whose path fully matches ``pattern``."""
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.fullmatch(r.path)]

    # -- REST ------------------------------------------------------------------------------

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unimplemented.append(f"{request.method} {request.path}")
        return _json({"message": "fake: not implemented", "code": 0}, 404)

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        arrived = time.monotonic()
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        for method, rx, handler in self._routes:
            match = rx.fullmatch(path)
            if method == request.method and match:
                response = self._over_limits(request.method, path, body)
                if response is None:
                    response = await handler(body, *match.groups())
                entry = Recorded(
                    request.method,
                    path,
                    dict(request.query),
                    body,
                    arrived,
                    response.status,
                )
                await self._record(entry)
                return response
        self.unimplemented.append(f"{request.method} {path}")
        return _json({"message": "fake: not implemented", "code": 0}, 404)

    def _over_limits(self, method: str, path: str, body: Any) -> web.Response | None:
        """400 Invalid Form Body (code 50035) for a message over Discord's limits, recorded."""
        if not isinstance(body, dict):
            return None
        message = body.get("data") if path.startswith("/interactions/") else body
        if not isinstance(message, dict):
            return None
        if body.get("type") == 8 and path.startswith("/interactions/"):  # autocomplete result
            problems = choice_violations(message)
        elif {"content", "embeds"} & message.keys():
            problems = message_violations(message)
        else:
            return None
        if not problems:
            return None
        self.limit_violations += [f"{method} {path}: {problem}" for problem in problems]
        errors = {problem.split(":")[0]: {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}
                  for problem in problems}
        return _json({"message": "Invalid Form Body", "code": 50035, "errors": errors}, 400)

    def bot_user(self) -> Json:
        """The bot's own user object."""
        return user_payload(BOT_ID, "newsbot", bot=True)

    async def _get_me(self, body: Any) -> web.Response:
        return _json(self.bot_user())

    async def _get_application(self, body: Any) -> web.Response:
        return _json(
            {
                "id": str(APP_ID),
                "name": "newsbot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": user_payload(USER_ID, "owner"),
                "verify_key": "00",
                "flags": 0,
                "summary": "",
            }
        )

    async def _put_commands(self, body: Any, app_id: str, guild_id: str = "global") -> web.Response:
        commands = []
        for command in body:
            entry = {
                **command,
                "id": str(next(self._ids)),
                "application_id": app_id,
                "version": "1",
            }
            if guild_id != "global":
                entry["guild_id"] = guild_id
            commands.append(entry)
        self.synced_commands[guild_id] = body
        return _json(commands)

    def message_payload(self, channel_id: str, body: Json, *, webhook: bool = False) -> Json:
        """A message object as Discord returns it after creating one."""
        return {
            "id": str(next(self._ids)),
            "channel_id": channel_id,
            "author": self.bot_user(),
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
            **({"webhook_id": str(APP_ID)} if webhook else {}),
        }

    async def _callback(self, body: Json, interaction_id: str, token: str) -> web.Response:
        resource: Json = {"type": body["type"]}
        if body["type"] == 4:
            resource["message"] = self.message_payload(str(CHANNEL_ID), body.get("data") or {})
        return _json({"interaction": {"id": interaction_id, "type": 2}, "resource": resource})

    async def _edit(self, body: Json, app_id: str, token: str) -> web.Response:
        return _json(self.message_payload(str(CHANNEL_ID), body, webhook=True))

    async def _delete(self, body: Any, app_id: str, token: str) -> web.Response:
        return web.Response(status=204)

    async def _followup(self, body: Json, app_id: str, token: str) -> web.Response:
        return _json(self.message_payload(str(CHANNEL_ID), body, webhook=True))

    async def _open_dm(self, body: Json) -> web.Response:
        recipient = user_payload(int(body["recipient_id"]), "someone")
        return _json({"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [recipient]})

    async def _create_message(self, body: Json, channel_id: str) -> web.Response:
        if channel_id in self.unknown_channels:
            return _json({"message": "Unknown Channel", "code": 10003}, 404)
        if channel_id in self.forbidden_channels:
            return _json({"message": "Missing Access", "code": 50001}, 403)
        if channel_id in self.invalid_body_channels:
            return _json({"message": "Invalid Form Body", "code": 50035}, 400)
        if self.rate_limited_sends.get(channel_id, 0) > 0:
            self.rate_limited_sends[channel_id] -= 1
            return self._too_many(self.retry_after, is_global=False)
        if self.limits is not None:
            refusal = self._enforce(channel_id)
            if refusal is not None:
                return refusal
        message = self.message_payload(channel_id, body)
        self.channel_messages[channel_id].append(body)
        return _json(message, headers=self._bucket_headers(channel_id))

    def _too_many(self, retry_after: float, *, is_global: bool) -> web.Response:
        self.count_429 += 1
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
        }
        return _json(body, 429, headers)

    def _enforce(self, channel_id: str) -> web.Response | None:
        """Sliding windows on arrival times: 429 when a limit would be exceeded."""
        assert self.limits is not None
        now = time.monotonic()
        hits = self._windows.global_hits
        while hits and now - hits[0] >= 1.0:
            hits.popleft()
        if len(hits) >= self.limits.global_per_second:
            return self._too_many(1.0 - (now - hits[0]), is_global=True)
        channel = self._windows.channel_hits[channel_id]
        while channel and now - channel[0] >= self.limits.channel_window:
            channel.popleft()
        if len(channel) >= self.limits.channel_messages:
            return self._too_many(self.limits.channel_window - (now - channel[0]), is_global=False)
        hits.append(now)
        channel.append(now)
        return None

    def _bucket_headers(self, channel_id: str) -> dict[str, str]:
        """Per-channel bucket headers as Discord sends them (only when enforcing)."""
        if self.limits is None:
            return {}
        channel = self._windows.channel_hits[channel_id]
        remaining = self.limits.channel_messages - len(channel)
        reset_after = self.limits.channel_window - (time.monotonic() - channel[0]) if channel else 0
        return {
            "X-RateLimit-Bucket": "fake-channel-messages",
            "X-RateLimit-Limit": str(self.limits.channel_messages),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset-After": f"{max(0.0, reset_after):.3f}",
        }

    # -- gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            async with self._changed:
                self.gateway_received.append(data)
                self._changed.notify_all()
            await self._gateway_op(ws, data)
        return ws

    async def _gateway_op(self, ws: web.WebSocketResponse, data: Json) -> None:
        op = data.get("op")
        if op == 1:
            await ws.send_str(json.dumps({"op": 11}))
        elif op == 2:
            self.identifies.append(data["d"])
            await self._send_dispatch(ws, "READY", self._ready_payload())
            await self._send_dispatch(ws, "GUILD_CREATE", self.guild_payload())
            self._ws_ready.set()
        elif op == 6:
            self.resumes.append(data["d"])
            await self._send_dispatch(ws, "RESUMED", {})
            self._ws_ready.set()
        else:
            self.unimplemented.append(f"gateway op {op}")

    async def _send_dispatch(self, ws: web.WebSocketResponse, event: str, payload: Json) -> None:
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": payload}))

    async def dispatch(self, event: str, payload: Json, wait: float = 5.0) -> None:
        """Send a gateway event to the connected client (waits for a session)."""
        async with asyncio.timeout(wait):
            await self._ws_ready.wait()
        assert self._ws is not None
        await self._send_dispatch(self._ws, event, payload)

    async def close_gateway(self, code: int = 4000) -> None:
        """Drop the session's websocket with a resumable close code."""
        self._ws_ready.clear()
        if self._ws is not None:
            with contextlib.suppress(ConnectionError):
                await self._ws.close(code=code)

    def _ready_payload(self) -> Json:
        return {
            "v": 10,
            "user": self.bot_user(),
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": self.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def guild_payload(self) -> Json:
        """GUILD_CREATE: one guild with one text channel and an @everyone role."""
        return {
            "id": str(GUILD_ID),
            "name": "Fake Guild",
            "icon": None,
            "owner_id": str(USER_ID),
            "unavailable": False,
            "member_count": 2,
            "large": False,
            "joined_at": TIMESTAMP,
            "features": [],
            "emojis": [],
            "stickers": [],
            "members": [],
            "presences": [],
            "voice_states": [],
            "threads": [],
            "roles": [
                {
                    "id": str(GUILD_ID),
                    "name": "@everyone",
                    "permissions": MEMBER_PERMISSIONS,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                }
            ],
            "channels": [
                {
                    "id": str(CHANNEL_ID),
                    "type": 0,
                    "name": "news",
                    "position": 0,
                    "guild_id": str(GUILD_ID),
                }
            ],
        }

    # -- inbound payloads ------------------------------------------------------------------

    def new_id(self) -> str:
        """A fresh snowflake."""
        return str(next(self._ids))

    def _context(self, *, guild: bool, user_id: int, manage: bool = True) -> Json:
        """Where an interaction happens: a guild channel with a member, or a DM."""
        user = user_payload(user_id, f"user{user_id % 1000}")
        if not guild:
            channel = {"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [user]}
            return {
                "user": user,
                "channel_id": str(DM_CHANNEL_ID),
                "channel": channel,
                "context": 1,
            }
        permissions = MEMBER_PERMISSIONS if manage else str(1024 | 2048)
        member = {
            "user": user,
            "roles": [],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "permissions": permissions,
            "flags": 0,
        }
        channel = {"id": str(CHANNEL_ID), "type": 0, "name": "news", "guild_id": str(GUILD_ID)}
        return {
            "guild_id": str(GUILD_ID),
            "member": member,
            "channel_id": str(CHANNEL_ID),
            "channel": channel,
            "context": 0,
            "guild_locale": "en-US",
        }

    def interaction(
        self,
        subcommand: str,
        options: dict[str, Any] | None = None,
        *,
        focused: str | None = None,
        guild: bool = True,
        user_id: int = USER_ID,
        manage: bool = True,
        command_guild_id: int | None = None,
        group: str | None = None,
    ) -> Json:
        """INTERACTION_CREATE for ``/news [group] <subcommand>`` (type 2), or autocomplete
        (type 4) when ``focused`` names the option being typed."""
        interaction_id = self.new_id()
        sub_options = []
        for name, value in (options or {}).items():
            option: Json = {"name": name, "type": _option_type(value), "value": value}
            if name == focused:
                option["focused"] = True
            sub_options.append(option)
        invoked: Json = {"type": 1, "name": subcommand, "options": sub_options}
        if group is not None:
            invoked = {"type": 2, "name": group, "options": [invoked]}
        data: Json = {"id": self.new_id(), "name": "news", "type": 1, "options": [invoked]}
        if command_guild_id is not None:
            data["guild_id"] = str(command_guild_id)
        return {
            "id": interaction_id,
            "application_id": str(APP_ID),
            "type": 4 if focused else 2,
            "token": f"token-{interaction_id}",
            "version": 1,
            "data": data,
            "app_permissions": MEMBER_PERMISSIONS,
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "attachment_size_limit": 10485760,
            **self._context(guild=guild, user_id=user_id, manage=manage),
        }

    def message(
        self,
        content: str,
        *,
        guild: bool = True,
        mention_bot: bool = False,
        user_id: int = USER_ID,
        author_bot: bool = False,
    ) -> Json:
        """MESSAGE_CREATE from a user (a bot account when ``author_bot``), in the guild channel
        or in a DM."""
        author = user_payload(user_id, f"user{user_id % 1000}", bot=author_bot)
        payload: Json = {
            "id": self.new_id(),
            "channel_id": str(CHANNEL_ID if guild else DM_CHANNEL_ID),
            "author": author,
            "content": content,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [self.bot_user()] if mention_bot else [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
        }
        if guild:
            payload["guild_id"] = str(GUILD_ID)
            payload["member"] = {
                "roles": [],
                "joined_at": TIMESTAMP,
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        return payload
