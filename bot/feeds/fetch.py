"""Polite HTTP fetching for feeds and article pages (aiohttp).

An honest User-Agent, total and per-read timeouts, a size cap counted on the *decoded* body (a
gzip bomb stops at the cap too), redirects followed by hand (so a loop is named as a loop and
every hop obeys the per-host rules), conditional GET (ETag, Last-Modified -> 304), a per-host
concurrency limit and minimum delay between requests, and exponential backoff on 429, 5xx,
timeouts and refused connections that honours ``Retry-After``. A ``Retry-After`` holds back the
whole host, not only the request that got it: every request to that host waits it out (one that
would wait longer than ``max_wait`` fails at once, without a request). Unless private hosts are
allowed, every request (each redirect hop, each article page) is refused when its host is or
resolves to a non-public address (``guard.py``). Any URL or client error becomes a
``FetchError`` with a plain reason. The clock and the sleep function are injected so tests
never wait for real.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import aiohttp
from yarl import URL

from bot import __version__ as BOT_VERSION
from bot.catalogue.open import mask_url
from bot.feeds.guard import (
    BlockedAddressError,
    BlockedConnectionError,
    Policy,
    PublicResolver,
    check_literal,
    client_host,
    guarded_socket_factory,
    is_public,
)
from bot.numbers import ascii_int
from bot.safevalues import has_lone_surrogate, without_surrogates

DEFAULT_CONTACT = "https://github.com/newsbot/newsbot"  # override with feeds.contact
MAX_BYTES = 5 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_URL_LENGTH = 2048  # what browsers, CDNs and chat link limits reliably accept
Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]


class FetchError(Exception):
    """A fetch that failed for good; ``reason`` is short, plain and safe to show an admin."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class InvalidURLError(FetchError):
    """A URL no request is made for. ``rule`` names the rule it breaks (``length``,
    ``syntax``, ``scheme``, ``host``, ``credentials``) so callers can word it for their users."""

    def __init__(self, reason: str, rule: str) -> None:
        super().__init__(reason)
        self.rule = rule


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One response: ``not_modified`` for a 304 (then ``body`` is empty)."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        """True for a 304: the validators matched, nothing to parse."""
        return self.status == 304


@dataclass(slots=True)
class FetchPolicy:
    """Limits and manners; the defaults suit a few hundred feeds on a small host."""

    user_agent: str = f"newsbot/{BOT_VERSION} (+{DEFAULT_CONTACT})"
    timeout: float = 20.0  # whole request, seconds
    read_timeout: float = 10.0  # between two reads
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5
    per_host: int = 2  # requests in flight per host
    per_host_delay: float = 1.0  # seconds between two requests to one host
    retries: int = 3  # extra attempts after the first
    backoff: float = 2.0  # first delay; doubled each attempt
    max_wait: float = 120.0  # longest wait (backoff or Retry-After) before giving up
    allow_private: bool = False  # loopback/private addresses (feeds.allow_private_hosts)
    min_retry_after: float = 1.0  # "Retry-After: 0" must not mean retrying in a tight loop
    max_hold: float = 3600.0  # the longest a Retry-After holds back a whole host
    quick_connect_timeout: float = 5.0  # a quick fetch (feeds add) gives up connecting sooner


def user_agent(contact: str | None = None) -> str:
    """``newsbot/<version> (+<contact>)``: who we are and where to complain."""
    return f"newsbot/{BOT_VERSION} (+{contact or DEFAULT_CONTACT})"


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if (seconds := ascii_int(text)) is not None:
        return float(seconds)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class _Retry(Exception):
    """A transient failure: try again after ``wait`` seconds (None: the backoff decides)."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


@dataclass(frozen=True, slots=True)
class _Manner:
    """How one fetch behaves: its aiohttp timeouts, and the longest it waits for a host's
    ``Retry-After`` hold before failing without a request."""

    limits: aiohttp.ClientTimeout
    patience: float


@dataclass(slots=True)
class _Host:
    gate: asyncio.Semaphore
    next_at: float = 0.0  # monotonic time of the next request slot (per-host delay)
    hold_until: float = 0.0  # monotonic time the host's last Retry-After runs out
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Fetcher:
    """A shared client session with per-host manners; use as ``async with Fetcher(...)``."""

    def __init__(self, policy: FetchPolicy | None = None, *, sleep: Sleep = asyncio.sleep,
                 monotonic: Monotonic = time.monotonic,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 public: Policy = is_public) -> None:
        """``sleep``, ``monotonic`` and ``clock`` are injectable for tests; so is ``public``,
        which says which addresses a checked fetch may reach."""
        self.policy = policy or FetchPolicy()
        self._public = public
        self._sleep = sleep
        self._monotonic = monotonic
        self._clock = clock
        self._hosts: dict[str, _Host] = {}
        # Two sessions, so a connection (or DNS cache entry) made for a trusted fetch of a
        # private host is never reused by a checked one.
        self._sessions: dict[bool, aiohttp.ClientSession] = {}

    async def __aenter__(self) -> Fetcher:
        await self.open()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    async def open(self) -> None:
        """Create the sessions (idempotent): one checking addresses, one trusting them."""
        for private in (False, True):
            if private not in self._sessions:
                self._sessions[private] = self._new_session(private=private)

    def _manner(self, *, quick: bool) -> _Manner:
        quick_wait = min(self.policy.quick_connect_timeout, self.policy.timeout)
        limits = aiohttp.ClientTimeout(total=self.policy.timeout,
                                       connect=quick_wait if quick else None,
                                       sock_read=self.policy.read_timeout)
        return _Manner(limits, quick_wait if quick else self.policy.max_wait)

    def _new_session(self, *, private: bool) -> aiohttp.ClientSession:
        timeout = self._manner(quick=False).limits
        connector = aiohttp.TCPConnector() if private else aiohttp.TCPConnector(
            resolver=PublicResolver(allowed=self._public),
            socket_factory=guarded_socket_factory(self._public))
        # trust_env=False: proxies are not configured for feeds (a proxy would also resolve
        # names where the address check cannot see), and tests stay on loopback.
        return aiohttp.ClientSession(
            connector=connector, timeout=timeout,
            headers={"User-Agent": self.policy.user_agent}, trust_env=False,
            auto_decompress=True)

    async def close(self) -> None:
        """Close the sessions."""
        sessions, self._sessions = self._sessions, {}
        for session in sessions.values():
            await session.close()

    async def fetch(self, url: str, *, etag: str | None = None,
                    last_modified: str | None = None, accept: str = "*/*",
                    allow_private: bool | None = None, quick: bool = False) -> FetchResult:
        """GET ``url`` following redirects, retrying transient failures; raises ``FetchError``.
        ``allow_private``: reach non-public addresses (None: the policy decides). ``quick``:
        someone is waiting for the answer (``feeds add``), so one attempt with a short connect
        timeout, no backoff chain."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        private = self.policy.allow_private if allow_private is None else allow_private
        retries = 0 if quick else self.policy.retries
        manner = self._manner(quick=quick)
        attempt = 0
        while True:
            attempt += 1
            try:
                result = await self._follow(url, headers, private=private, manner=manner)
            except _Retry as retry:
                wait = self._wait(retry, attempt)
                if attempt > retries or wait > self.policy.max_wait:
                    raise FetchError(retry.reason + (f" (gave up after {attempt} attempt(s))"
                                                     if attempt > 1 else "")) from None
                await self._sleep(wait)
                continue
            return replace(result, attempts=attempt)

    def _wait(self, retry: _Retry, attempt: int) -> float:
        if retry.wait is not None:
            return max(retry.wait, self.policy.min_retry_after)
        return float(self.policy.backoff * 2 ** (attempt - 1))

    async def _follow(self, url: str, headers: Mapping[str, str], *, private: bool,
                      manner: _Manner) -> FetchResult:
        """``url`` and its redirects, each hop checked (``check_url``, address rules)."""
        seen: list[str] = []
        current = url
        while True:
            check_url(current)
            if current in seen:
                raise FetchError(f"redirect loop ({' -> '.join([*seen, current])[:300]})")
            seen.append(current)
            if len(seen) > self.policy.max_redirects + 1:
                raise FetchError(f"too many redirects (more than {self.policy.max_redirects})")
            result, location = await self._once(current, headers,
                                                private=self._hop_trust(url, current, private),
                                                manner=manner)
            if location is None:
                return result
            current = urljoin(current, location)

    def _hop_trust(self, first: str, hop: str, private: bool) -> bool:
        """A trusted fetch (private addresses allowed) trusts the host it was asked for; a
        redirect elsewhere is the other server's word, so the policy decides there."""
        if not private or self.policy.allow_private:
            return private
        try:
            return client_host(hop) == client_host(first)
        except ValueError:
            return False  # _once refuses the URL with its reason

    async def _once(self, url: str, headers: Mapping[str, str], *, private: bool,
                    manner: _Manner) -> tuple[FetchResult, str | None]:
        """One request under the host's limits; returns the result or a redirect target.
        The URL is parsed once, and that very object is both checked and requested, so the
        host judged is the host connected to (yarl's IDNA/UTS-46 form, not the typed one)."""
        try:
            target = URL(url)
            where = f"{client_host(target)}:{target.port}"
        except ValueError:  # a host yarl cannot use (a soft hyphen, a zero-width space...)
            raise FetchError(_invalid(url, "")) from None
        host = self._host(where)  # per host as connected to, however it was spelled
        self._check_hold(where, host, manner.patience)
        async with host.gate:
            await self._pace(host)
            try:
                if not private:
                    check_literal(client_host(target), self._public)
                return await self._attempt(url, target, headers, private=private,
                                           manner=manner)
            except _Retry as retry:
                if retry.wait is not None:
                    self._hold(host, retry.wait)
                raise
            except BlockedAddressError as exc:
                raise FetchError(exc.reason) from None

    async def _attempt(self, url: str, target: URL, headers: Mapping[str, str], *,
                       private: bool, manner: _Manner) -> tuple[FetchResult, str | None]:
        """``_request``, with every client error turned into a ``FetchError`` or ``_Retry``."""
        try:
            return await self._request(url, target, headers, private=private, manner=manner)
        except (TimeoutError, aiohttp.ServerTimeoutError):
            raise _Retry("timed out") from None
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, BlockedConnectionError):  # the socket-level gate
                raise FetchError(exc.os_error.blocked.reason) from None
            raise _Retry(_connect_failure(exc)) from None
        except aiohttp.ClientConnectionError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__})") from None
        except aiohttp.ClientPayloadError:
            raise FetchError("the response body was damaged (bad compression or "
                             "truncated transfer)") from None
        except aiohttp.InvalidURL as exc:
            raise FetchError(_invalid(url, str(exc.description or ""))) from None
        except aiohttp.ClientError as exc:  # a bad response line, headers, or the like
            raise FetchError(f"the request failed ({type(exc).__name__})") from None
        except ValueError:  # URL parts aiohttp or yarl cannot use
            raise FetchError(_invalid(url, "")) from None

    async def _request(self, url: str, target: URL, headers: Mapping[str, str], *,
                       private: bool, manner: _Manner) -> tuple[FetchResult, str | None]:
        """GET ``target`` (``url`` parsed: the object checked is the object requested)."""
        session = self._sessions.get(private)
        assert session is not None, "Fetcher used outside 'async with'"
        async with session.get(target, headers=dict(headers), allow_redirects=False,
                               timeout=manner.limits) as resp:
            if resp.status in REDIRECT_STATUSES:
                location = resp.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {resp.status} redirect without a Location")
                return FetchResult(url=url, status=resp.status), location
            if resp.status in RETRY_STATUSES:
                wait = retry_after(resp.headers.get("Retry-After"), self._clock())
                raise _Retry(f"HTTP {resp.status}", wait)
            if resp.status == 304:
                return self._result(url, resp, b""), None
            if resp.status >= 400:
                raise FetchError(f"HTTP {resp.status} {resp.reason or ''}".strip(),
                                 status=resp.status)
            return self._result(url, resp, await self._read(resp)), None

    async def _read(self, resp: aiohttp.ClientResponse) -> bytes:
        cap = self.policy.max_bytes
        declared = resp.content_length
        # Content-Length is the compressed size when gzipped; the loop below checks the rest.
        if declared is not None and declared > cap and "Content-Encoding" not in resp.headers:
            raise FetchError(f"response too large ({declared} bytes; the limit is {cap})")
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > cap:
                raise FetchError(f"response too large (over the {cap}-byte limit)")
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _result(url: str, resp: aiohttp.ClientResponse, body: bytes) -> FetchResult:
        return FetchResult(
            url=url, status=resp.status, body=body, content_type=resp.content_type or "",
            charset=resp.charset, etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"))

    def _host(self, netloc: str) -> _Host:
        host = self._hosts.get(netloc)
        if host is None:
            host = self._hosts[netloc] = _Host(asyncio.Semaphore(max(1, self.policy.per_host)))
        return host

    def _hold(self, host: _Host, wait: float) -> None:
        """The host said ``Retry-After``: no request to it before then (capped at max_hold)."""
        seconds = min(max(wait, self.policy.min_retry_after), self.policy.max_hold)
        host.hold_until = max(host.hold_until, self._monotonic() + seconds)

    def _check_hold(self, netloc: str, host: _Host, patience: float) -> None:
        """Fail at once, sending nothing, when the host's hold outlasts ``patience``."""
        left = host.hold_until - self._monotonic()
        if left > patience:
            raise FetchError(f"{netloc} asked newsbot to wait (Retry-After): {left:.0f} s left")

    async def _pace(self, host: _Host) -> None:
        """Keep ``per_host_delay`` between the starts of two requests to one host, and wait
        out the host's ``Retry-After`` hold."""
        async with host.lock:
            ready = max(host.next_at, host.hold_until)
            wait = ready - self._monotonic()
            if wait > 0:
                await self._sleep(wait)
            host.next_at = max(self._monotonic(), ready) + self.policy.per_host_delay


def check_url(url: str) -> None:
    """Raise ``InvalidURLError`` unless ``url`` is an http(s) URL this fetcher will request:
    at most ``MAX_URL_LENGTH`` characters, a host without spaces or control characters, a
    valid port and no user name or password. The one home of these rules: the ``feeds add``
    command and the config file build their checks on this one."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURLError(f"URL longer than {MAX_URL_LENGTH} characters: {_shown(url)}...",
                              "length")
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError when out of range or not a number
    except ValueError as exc:
        raise InvalidURLError(_invalid(url, str(exc)), "syntax") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidURLError(f"not an http(s) URL: {_shown(url)}", "scheme")
    if not parts.hostname:
        raise InvalidURLError(_invalid(url, "no host"), "host")
    if any(c.isspace() or not c.isprintable() for c in parts.hostname):
        raise InvalidURLError(_invalid(url, "spaces or control characters in the host"),
                              "syntax")
    # Anywhere in the URL: a lone surrogate cannot be encoded (stored, logged or sent), and a
    # control character has no business in an address.
    if has_lone_surrogate(url) or any(ord(c) < 32 or c == "\x7f" for c in url):
        raise InvalidURLError(_invalid(url, "control characters or invalid Unicode"), "syntax")
    # A password in a feed URL would be stored, listed to chat and sent on every redirect.
    if parts.username is not None or parts.password is not None:
        raise InvalidURLError(_invalid(url, "a user name or password in the URL"),
                              "credentials")


def _connect_failure(exc: aiohttp.ClientConnectorError) -> str:
    """A plain reason for a connection that never opened (host and port only: no URL)."""
    where = f"{exc.host}:{exc.port}"
    if isinstance(exc, aiohttp.ClientSSLError):
        return f"the TLS handshake with {where} failed"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"could not resolve the host {exc.host}"
    if isinstance(exc.os_error, ConnectionRefusedError):
        return f"connection refused by {where}"
    return f"could not connect to {where} ({type(exc.os_error).__name__})"


def _invalid(url: str, why: str) -> str:
    return f"invalid URL {_shown(url)!r}" + (f" ({why[:120]})" if why.strip() else "")


def _shown(url: str) -> str:
    """The first 200 characters of ``url`` with any user name and password masked, and
    anything that cannot be shown safely (controls, lone surrogates) replaced."""
    shown = without_surrogates(mask_url(url)[:200])
    return "".join("\ufffd" if ord(c) < 32 or c == "\x7f" else c for c in shown)
