"""CPU work of the feeds (feedparser, JSON, trafilatura) run off the event loop.

A 10,000-entry feed takes seconds to parse; on the loop that stalls everything else the bot
does (gateway heartbeats, Discord's 3-second interaction deadline, Slack acks). A thread is
used, not a process: the parsed feed is a large tree of small objects that a process would
have to pickle back, and a worker process costs memory and start-up for work that comes in
short bursts. The loop stays responsive because CPython hands the GIL over every few
milliseconds (``sys.getswitchinterval``); the pool is kept to two threads so a burst of feeds
cannot crowd the loop thread out of the GIL.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
WORKERS = 2
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="newsbot-feeds")


async def off_loop(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """``func(*args, **kwargs)`` in the feeds' worker threads (context variables kept, as
    ``asyncio.to_thread`` does)."""
    call = functools.partial(contextvars.copy_context().run, func, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_pool, call)
