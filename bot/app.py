"""The composition root and the front door.

``open_newsbot(settings)`` opens everything the bot runs on (the catalogue and its engine, the
digest and feed stores, their services and schedulers) and yields a ``Newsbot``, which is:

- the one inbound call: adapters translate a platform payload into a ``Query`` and call
  ``handle(query) -> Answer``, which applies the per-person rate limit, tracks the work (so a
  stop lets answers in progress finish) and routes by ``query.command``: ``digest`` to
  ``DigestCommands.handle``, ``feeds`` to ``FeedCommands.handle``, ``stories`` to
  ``StoryCommands.handle``, anything else to the engine;
- the owner of the lifecycle: ``attach(adapter)`` for each configured plugin (its
  ``deliverer`` joins the ``deliverers`` registry the digests and feed reports post through),
  ``start()`` (schedulers; the digest catch-up waits for every adapter's
  ``wait_until_ready``), ``serve()`` until a signal, ``stop()``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import signal
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Protocol

from bot.admin import AdminReports, admin_place
from bot.answering import texts
from bot.catalogue.base import Catalogue
from bot.catalogue.open import open_catalogue, open_stores
from bot.digests.commands import MANAGING as DIGEST_MANAGING
from bot.digests.commands import DigestCommands
from bot.digests.scheduler import DigestScheduler
from bot.digests.service import Clock, DigestService, utc_now
from bot.engine import Engine
from bot.feeds.commands import MANAGING as FEED_MANAGING
from bot.feeds.commands import FeedCommands
from bot.feeds.fetch import Fetcher
from bot.feeds.scheduler import FeedScheduler, add_config_feeds, fetch_policy
from bot.feeds.service import FeedService
from bot.ingest.seeds import ensure_seeded
from bot.intents import Intent
from bot.messages import Answer, Place, Query
from bot.nlp.model import MODEL_ENV, WORKERS_ENV
from bot.ports import ChatAdapter, Deliverer
from bot.ratelimit import RateLimit
from bot.semantic.upkeep import (
    VECTOR_UPKEEP_SECONDS,
    embed_new_articles,
    embedding_new_articles,
    semantic_index,
)
from bot.settings import AnswerSettings, Settings
from bot.stories import MANAGING as STORY_MANAGING
from bot.stories import StoryCommands

log = logging.getLogger("newsbot")
STOP_GRACE = 5.0  # seconds answers in progress get to finish when the bot stops
EXEMPT = frozenset({"help"})  # commands the rate limit never refuses


class Answerer(Protocol):
    """The part of ``bot.engine.Engine`` the front door uses (adapter tests stand one in)."""

    async def answer(self, query: Query) -> Answer:
        """Answer one question."""

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """(label, slug) pairs for a partly typed story."""

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Speaker names for a partly typed name."""


def rate_limit(settings: AnswerSettings) -> RateLimit:
    """The per-person question limit from the ``[answers]`` settings."""
    return RateLimit(settings.burst, settings.burst_seconds)


def needs_manager(query: Query) -> bool:
    """True when the core will refuse ``query`` unless ``query.user.can_manage``: adapters
    whose permission check costs a platform call (Slack's ``users.info``) ask only then."""
    action = query.arg("action")
    if query.command == "digest":
        return action in DIGEST_MANAGING
    if query.command == "stories":
        return action in STORY_MANAGING
    return query.command == "feeds" and action in FEED_MANAGING


class Newsbot:
    """The front door (``handle``) and the lifecycle (``attach``/``start``/``serve``/
    ``stop``). ``digests``/``feeds``/``stories`` None: this process does not run them, and
    their commands answer so."""

    def __init__(self, engine: Answerer, *, limit: RateLimit | None = None,
                 digests: DigestCommands | None = None,
                 digest_scheduler: DigestScheduler | None = None,
                 feeds: FeedCommands | None = None,
                 feed_scheduler: FeedScheduler | None = None,
                 stories: StoryCommands | None = None,
                 deliverers: dict[str, Deliverer] | None = None,
                 admins: AdminReports | None = None) -> None:
        """``deliverers`` is the registry the digest and feed services were built with
        (``attach`` adds each adapter's); ``admins`` the admin channel they report to."""
        self.engine = engine
        self.limit = limit or rate_limit(AnswerSettings())
        self.digests = digests
        self.digest_scheduler = digest_scheduler
        self.feeds = feeds
        self.feed_scheduler = feed_scheduler
        self.stories = stories
        self.deliverers: dict[str, Deliverer] = deliverers if deliverers is not None else {}
        self.admins = admins or AdminReports(None, self.deliverers)
        self.adapters: list[ChatAdapter] = []
        self._inflight: set[asyncio.Task[object]] = set()
        self._catching_up: asyncio.Task[None] | None = None
        self._started = False
        self._stopped = False

    # -- the front door ---------------------------------------------------------------------

    async def handle(self, query: Query) -> Answer:
        """Answer one interaction from any platform: rate-limited per person (``help`` is
        exempt), tracked until the calling task ends, routed by ``query.command``."""
        self._track()
        if query.command not in EXEMPT:
            wait = self.limit.take(f"{query.place.platform}:{query.user.id}")
            if wait > 0:
                slow = texts.SLOW_DOWN.format(seconds=math.ceil(wait))
                return Answer.note(Intent.HELP, slow, error=False)
        match query.command:
            case "digest":
                if self.digests is None:
                    return Answer.note(Intent.DIGEST, texts.NOT_RUNNING.format(what="Digests"))
                return await self.digests.handle(query)
            case "feeds":
                if self.feeds is None:
                    return Answer.note(Intent.FEEDS, texts.NOT_RUNNING.format(what="Feeds"))
                return await self.feeds.handle(query)
            case "stories":
                if self.stories is None:
                    return Answer.note(Intent.STORIES,
                                       texts.NOT_RUNNING.format(what="Story commands"))
                return await self.stories.handle(query)
            case _:
                return await self.engine.answer(query)

    def _track(self) -> None:
        """Remember the calling task until it ends (its reply is sent in the same task), so
        ``stop`` lets it finish."""
        task = asyncio.current_task()
        if task is not None and task not in self._inflight:
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)

    async def suggest_stories(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete for a story: (label, slug) pairs."""
        return await self.engine.suggest_stories(prefix, limit)

    async def suggest_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Autocomplete for a speaker name."""
        return await self.engine.suggest_speakers(prefix, limit)

    async def digest_choices(self, place: Place, typed: str = "") -> list[tuple[str, int]]:
        """Autocomplete for a digest id: this channel's digests as (label, id) pairs."""
        if self.digests is None or place.is_direct or not place.channel:
            return []
        return await self.digests.choices(place, typed)

    async def warn_admins(self, text: str) -> bool:
        """Report ``text`` to the admin channel (``[admin]`` settings); with none configured,
        log it. False when the delivery failed; never raises."""
        return await self.admins.warn(text)

    # -- the lifecycle ----------------------------------------------------------------------

    def add_deliverer(self, platform: str, deliverer: Deliverer) -> None:
        """Let digests and reports reach ``platform`` through ``deliverer``."""
        if self._started:
            raise RuntimeError("deliverers are added before start()")
        self.deliverers[platform] = deliverer

    def attach(self, adapter: ChatAdapter) -> None:
        """Serve ``adapter`` (started by ``serve``) and deliver to its platform."""
        self.add_deliverer(adapter.name, adapter.deliverer)
        self.adapters.append(adapter)

    async def start(self) -> None:
        """Start the schedulers. Their first sync already sees every attached adapter's
        deliverer; the digest catch-up of missed slots waits until every adapter is ready, so
        it never posts into a client that cannot deliver yet."""
        self._started = True
        if self.digest_scheduler is not None:
            await self.digest_scheduler.start(catch_up=False)
            self._catching_up = asyncio.create_task(self._catch_up(self.digest_scheduler),
                                                    name="digest-catch-up")
        if self.feed_scheduler is not None:
            await self.feed_scheduler.start()

    async def _catch_up(self, scheduler: DigestScheduler) -> None:
        await asyncio.gather(*(adapter.wait_until_ready() for adapter in self.adapters))
        try:
            caught_up = await scheduler.catch_up()
        except Exception:
            log.exception("digest catch-up failed")
            return
        if caught_up:
            log.info("digest catch-up: %s", {k: v.value for k, v in caught_up.items()})

    async def serve(self) -> None:
        """Run every attached adapter until SIGINT/SIGTERM, or until one of them ends (the
        console at end of input, a platform that failed), then ``stop``."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        tasks = [asyncio.create_task(a.start(), name=a.name) for a in self.adapters]
        log.info("started: %s", ", ".join(a.name for a in self.adapters))
        waiter = asyncio.create_task(stop.wait())
        try:
            done, _ = await asyncio.wait([*tasks, waiter], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not waiter and task.exception() is not None:
                    log.error("adapter %s stopped", task.get_name(), exc_info=task.exception())
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
            await self.stop()
            for task in [*tasks, waiter]:
                task.cancel()
            await asyncio.gather(*tasks, waiter, return_exceptions=True)

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Stop the schedulers, let answers in progress finish (up to ``grace`` seconds), then
        stop the adapters. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        if self._catching_up is not None:
            self._catching_up.cancel()
            await asyncio.gather(self._catching_up, return_exceptions=True)
        for scheduler in (self.digest_scheduler, self.feed_scheduler):
            if scheduler is not None:
                scheduler.shutdown()
        busy = self._inflight - {asyncio.current_task()}
        if busy:
            await asyncio.wait(busy, timeout=grace)
        for adapter in self.adapters:
            await adapter.stop()


def apply_nlp_settings(settings: Settings) -> None:
    """Analysis reads the model name and pool size from the environment (workers are other
    processes), so the configured values are exported before any analysis starts."""
    os.environ[MODEL_ENV] = settings.nlp.model
    os.environ[WORKERS_ENV] = str(settings.nlp.workers)


@asynccontextmanager
async def open_engine(settings: Settings, *, seed: bool = True, warm: bool = False,
                      catalogue: Catalogue | None = None) -> AsyncIterator[Engine]:
    """The engine over the configured catalogue; a new, empty catalogue gets the demo seeds
    (and their vectors) unless ``catalogue.seed_demo`` is off. With ``search.semantic`` on,
    the engine also finds stories by meaning; ``warm`` (long-running commands) loads the
    vectors and the model in the background now rather than at the first question.
    ``catalogue``: one already open (``open_newsbot``'s), which its opener closes."""
    apply_nlp_settings(settings)
    opened = catalogue is None
    if catalogue is None:
        catalogue = await open_catalogue(settings.database_url)
    index, warming = None, None
    try:
        if seed and settings.catalogue.seed_demo:
            report = await ensure_seeded(catalogue, settings.seeds_dir)
            if report is not None and report.added:  # said once: the next run finds them
                log.info("first run: stored the demo seed articles (%s added; "
                         "[catalogue] seed_demo = false starts empty)", report.added)
                await embed_new_articles(settings)
        index = semantic_index(settings)
        if index is not None and warm:
            warming = asyncio.get_running_loop().create_task(index.warm())
        yield Engine(catalogue, settings.answers, semantic=index)
    finally:
        if warming is not None:  # its thread finishes anyway: wait rather than orphan it
            await asyncio.gather(warming, return_exceptions=True)
        if index is not None:
            index.close()
        if opened:
            await catalogue.close()


@asynccontextmanager
async def open_questions(settings: Settings) -> AsyncIterator[Newsbot]:
    """The front door over the engine alone, for the interactive prompt (``newsbot chat``):
    questions are answered; digest and feed commands answer that they are not running here
    (they run under ``newsbot run``)."""
    async with open_engine(settings, warm=True) as engine:
        app = Newsbot(engine, limit=rate_limit(settings.answers))
        try:
            yield app
        finally:
            await app.stop()


@asynccontextmanager
async def open_newsbot(settings: Settings, *, clock: Clock = utc_now,
                       seed: bool = True) -> AsyncIterator[Newsbot]:
    """Open every store from the database URL (``open_stores``), the engine and the digest
    and feed features from ``settings``; close everything (after ``stop``) on exit. Nothing
    runs until ``start``."""
    async with AsyncExitStack() as stack:
        stores = await stack.enter_async_context(open_stores(settings.database_url))
        engine = await stack.enter_async_context(
            open_engine(settings, seed=seed, warm=True, catalogue=stores.catalogue))
        # Feeds store articles at any time: their vectors are added in the background.
        await stack.enter_async_context(
            embedding_new_articles(settings, every=VECTOR_UPKEEP_SECONDS))
        deliverers: dict[str, Deliverer] = {}
        admins = AdminReports(admin_place(settings), deliverers)
        digest_service = DigestService(stores.digests, engine.catalogue, deliverers,
                                       clock=clock, admins=admins)
        digest_scheduler = DigestScheduler(digest_service)
        fetcher = await stack.enter_async_context(Fetcher(fetch_policy(settings.feeds)))
        await add_config_feeds(stores.feeds, settings.feeds, clock())
        feed_service = FeedService(stores.feeds, engine.catalogue, fetcher, clock=clock,
                                   admins=admins)
        feed_scheduler = FeedScheduler(feed_service)
        app = Newsbot(
            engine, limit=rate_limit(settings.answers), deliverers=deliverers, admins=admins,
            digests=DigestCommands(digest_service, settings.digests,
                                   on_change=digest_scheduler.on_change,
                                   max_per_channel=settings.digests.max_per_channel),
            digest_scheduler=digest_scheduler,
            feeds=FeedCommands(feed_service, settings.feeds, on_change=feed_scheduler.on_change),
            feed_scheduler=feed_scheduler, stories=StoryCommands(engine.catalogue))
        try:
            yield app
        finally:
            await app.stop()
