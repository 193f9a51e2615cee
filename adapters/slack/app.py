"""The Slack adapter: a Bolt ``AsyncApp`` wired to the core (``app.handle``), in Socket Mode or
HTTP mode."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, Literal

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_server import AsyncSlackAppServer
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.dedupe import EventDeduper
from adapters.slack.deliver import SlackDeliverer
from adapters.slack.errors import SlackUnavailable, log_failure
from adapters.slack.managers import Managers
from adapters.slack.render import SlackMessage, render_answer, response_type
from adapters.slack.translate import (
    USAGE_LINES,
    command_query,
    event_query,
    is_from_bot,
    parse_news_text,
    reply_thread_ts,
)
from adapters.slack.verify import bolt_request_verified, signature_gate
from bot.api import (
    Answer,
    Card,
    ConfigError,
    DeliveryError,
    FrontDoor,
    Intent,
    Place,
    Query,
    Visibility,
    needs_manager,
)

log = logging.getLogger("adapters.slack")

SLACK_API_BASE_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
RESPONSE_URL_USES = 5  # Slack accepts up to five posts to one response_url
Respond = Callable[..., Awaitable[Any]]


def build_client(bot_token: str, api_base_url: str | None = None) -> AsyncWebClient:
    """A Web API client that retries connection errors and 429s (after ``Retry-After``)."""
    base = (api_base_url or SLACK_API_BASE_URL).rstrip("/") + "/"
    return AsyncWebClient(
        token=bot_token,
        base_url=base,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )


def usage_answer(problem: str | None = None) -> Answer:
    """The ``/news`` usage, shown only to the asker (with what was wrong, if anything)."""
    card = Card(title="/news commands", ref="help", body="\n".join(USAGE_LINES))
    lead = "Ask with /news, or mention me or send me a direct message in plain words."
    return Answer(
        intent=Intent.HELP, lead=lead, cards=(card,), notice=problem,
        visibility=Visibility.EPHEMERAL,
    )


class SlackAdapter:
    """Serves the core on Slack: ``/news``, mentions (in a thread) and DMs; digests via
    ``deliverer``. Socket Mode needs ``app_token`` (``xapp-``); HTTP mode needs
    ``signing_secret`` and listens on ``http_host:http_port`` at ``/slack/events``.
    """

    name = "slack"

    def __init__(
        self,
        app: FrontDoor,
        bot_token: str,
        *,
        app_token: str | None = None,
        signing_secret: str | None = None,
        mode: Literal["socket", "http"] = "socket",
        api_base_url: str | None = None,
        http_host: str = "127.0.0.1",
        http_port: int = 3000,
        admin_user_ids: frozenset[str] = frozenset(),
        public_answers: bool = True,
    ) -> None:
        _check_config(bot_token, app_token, signing_secret, mode)
        self.core = app
        self.mode = mode
        self.http_host = http_host
        self.http_port = http_port
        self.admin_user_ids = admin_user_ids
        self.public_answers = public_answers
        self._app_token = app_token
        self._signing_secret = signing_secret or ""
        self.client = build_client(bot_token, api_base_url)
        self.app = AsyncApp(client=self.client, signing_secret=signing_secret or "", name="newsbot")
        self.deliverer = SlackDeliverer(self.client)
        self.managers = Managers(self.client, admin_user_ids)
        self._seen_events = EventDeduper()
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._stopped = asyncio.Event()
        self._settled = asyncio.Event()
        self._register()

    def _register(self) -> None:
        self.app.command("/news")(self._on_news)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.action(re.compile(r"^open_article_\d+$"))(self._on_link_click)
        self.app.error(self._on_error)

    # -- lifecycle -------------------------------------------------------------------------

    async def connect(self) -> None:
        """Open the Socket Mode connection, or start the HTTP server, and return."""
        self._stopped.clear()
        await self._check_tokens()
        if self.mode == "socket":
            self._socket = AsyncSocketModeHandler(self.app, self._app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]  # Bolt untyped
            self._settled.set()
            return
        server = AsyncSlackAppServer(self.http_port, EVENTS_PATH, self.app, self.http_host)
        # Refuse unsigned requests before Bolt parses them (see adapters.slack.verify).
        server.web_app.middlewares.append(signature_gate(self._signing_secret, EVENTS_PATH))
        self._runner = web.AppRunner(server.web_app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.http_host, self.http_port).start()
        self.http_port = self.bound_port() or self.http_port
        self._settled.set()
        log.info("slack HTTP endpoint on http://%s:%s/slack/events", self.http_host, self.http_port)

    async def _check_tokens(self) -> None:
        """Fail fast on a refused token (Socket Mode would otherwise retry forever)."""
        calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("slack.bot_token (NEWSBOT_SLACK__BOT_TOKEN)", self.client.auth_test)
        ]
        if self.mode == "socket":
            app_token = self._app_token or ""
            calls.append(
                (
                    "slack.app_token (NEWSBOT_SLACK__APP_TOKEN)",
                    lambda: self.client.apps_connections_open(app_token=app_token),
                )
            )
        for what, call in calls:
            try:
                await call()
            except SlackApiError as error:
                reason = error.response.get("error") or f"HTTP {error.response.status_code}"
                raise ConfigError([f"{what}: Slack refused it ({reason})"]) from None

    async def start(self) -> None:
        """Connect and serve until ``stop`` is called."""
        try:
            await self.connect()
        finally:
            self._settled.set()
        await self._stopped.wait()

    async def wait_until_ready(self) -> None:
        """Return once connected, or once connecting has failed (``start`` then raises), so a
        broken Slack setup never holds up the digest catch-up of other platforms."""
        await self._settled.wait()

    async def stop(self) -> None:
        """Close the Socket Mode connection or the HTTP server."""
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]  # Bolt untyped
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.deliverer.aclose()
        self._stopped.set()

    def bound_port(self) -> int | None:
        """The HTTP port actually bound (useful with ``http_port=0``)."""
        if self._runner is None:
            return None
        for address in self._runner.addresses:
            if isinstance(address, tuple) and len(address) >= 2:
                return int(address[1])
        return None

    # -- listeners -------------------------------------------------------------------------

    async def _on_news(
        self, ack: Callable[[], Awaitable[None]], command: dict[str, Any], respond: Respond
    ) -> None:
        await ack()
        try:
            parsed = parse_news_text(str(command.get("text") or ""))
            if parsed.command in (None, "help"):
                answer = usage_answer(parsed.problem)
            else:
                query = command_query(command, parsed, admin_user_ids=self.admin_user_ids)
                answer = await self.core.handle(await self._permitted(query))
            await self._respond(respond, answer)
        except Exception as error:
            text = log_failure(error, "/news")
            await _quietly(respond(text=text, response_type="ephemeral"))

    async def _permitted(self, query: Query) -> Query:
        """``query`` with ``can_manage`` decided, asking Slack only when the core needs it."""
        if query.user.can_manage or not needs_manager(query):
            return query
        allowed = await self.managers.can_manage(query.user.id)
        return replace(query, user=replace(query.user, can_manage=allowed))

    async def _respond(self, respond: Respond, answer: Answer) -> None:
        kind = response_type(answer, self.public_answers)
        for message in render_answer(answer, max_messages=RESPONSE_URL_USES):
            result = await respond(
                response_type=kind, replace_original=False, **message.as_kwargs()
            )
            status = getattr(result, "status_code", 200)
            if status != 200:
                log.warning("slack response_url post failed with HTTP %s", status)
                return

    async def _on_mention(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        await self._answer_event(body, event, context, reply_thread_ts(event))

    async def _on_message(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if event.get("channel_type") != "im":
            return  # only direct messages; channel messages reach us as app_mention
        await self._answer_event(body, event, context, event.get("thread_ts"))

    async def _answer_event(
        self,
        body: Mapping[str, Any],
        event: Mapping[str, Any],
        context: AsyncBoltContext,
        thread_ts: str | None,
    ) -> None:
        if is_from_bot(event, context.bot_user_id):
            return
        if not self._seen_events.first_time(body.get("event_id")):
            log.info("slack event %s already answered (retry)", body.get("event_id"))
            return
        query = event_query(
            event,
            team_id=context.team_id,
            bot_user_id=context.bot_user_id,
            admin_user_ids=self.admin_user_ids,
        )
        try:
            answer = await self.core.handle(query)
            await self.deliverer.post(query.place, render_answer(answer), thread_ts)
        except DeliveryError as error:
            log.warning("slack reply not delivered: %s", error.reason)
        except SlackUnavailable as error:  # the deliverer has logged why; no notice can go out
            log.warning("slack reply not delivered: token refused (%s)", error.reason)
        except Exception as error:
            failure = SlackMessage(log_failure(error, "event"), ())
            await _quietly(self.deliverer.post(query.place, [failure], thread_ts))

    async def _on_link_click(self, ack: Callable[[], Awaitable[None]]) -> None:
        await ack()  # URL buttons still send an interaction; acknowledging avoids a warning icon

    async def _on_error(
        self, error: Exception, body: dict[str, Any], request: AsyncBoltRequest, respond: Respond
    ) -> BoltResponse | None:
        if not bolt_request_verified(self._signing_secret, request):
            # Bolt's verifier raised (e.g. a timestamp of "abc"): the body is the sender's
            # word only, so neither its response_url nor its channel gets anything.
            log.info("slack request refused: unverifiable (%s)", type(error).__name__)
            return BoltResponse(status=401, body={"error": "invalid request"})
        text = log_failure(error, "listener")
        if body.get("response_url"):
            await _quietly(respond(text=text, response_type="ephemeral"))
            return None
        channel = (body.get("event") or {}).get("channel")
        if channel:
            failure = SlackMessage(text, ())
            await _quietly(self.deliverer.post(Place("slack", channel), [failure]))
        return None


async def _quietly(awaitable: Awaitable[Any]) -> None:
    """Await a best-effort error reply; a failure here is only logged."""
    try:
        await awaitable
    except Exception as error:
        log.warning("slack error reply failed too (%s)", type(error).__name__)


def _check_config(
    bot_token: str, app_token: str | None, signing_secret: str | None, mode: str
) -> None:
    problems = []
    if not bot_token:
        problems.append("slack.bot_token is required (NEWSBOT_SLACK__BOT_TOKEN)")
    if mode == "socket" and not app_token:
        problems.append("slack.app_token is required in socket mode (NEWSBOT_SLACK__APP_TOKEN)")
    if mode == "http" and not signing_secret:
        problems.append(
            "slack.signing_secret is required in http mode (NEWSBOT_SLACK__SIGNING_SECRET)"
        )
    if mode not in ("socket", "http"):
        problems.append("slack.mode must be 'socket' or 'http' (NEWSBOT_SLACK__MODE)")
    if problems:
        raise ConfigError(problems)
