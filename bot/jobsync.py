"""APScheduler jobs kept in step with rows in the database, for the digest and feed schedulers.

The database is the truth: a scheduler asks its table for the rows it should fire, and
``SyncedJobs`` keeps exactly one job per row id, replaced when the row's *signature* (what its
trigger depends on: a schedule and zone, an interval) changes and removed when the row goes. A
periodic sweep job calls the scheduler's resync, which also picks up rows another process (the
CLI) changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

# Runs are coalesced and never dropped for being late: the database decides what is due.
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


class SyncedJobs:
    """One APScheduler job per row id (``{prefix}{id}``), each remembered with its signature."""

    def __init__(self, prefix: str, label: str, *, executors: Mapping[str, Any] | None = None
                 ) -> None:
        """``label`` names the jobs (``"digest #3"``); ``executors`` replace APScheduler's."""
        self.prefix = prefix
        self.label = label
        extra = {"executors": dict(executors)} if executors else {}
        self.scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS, **extra)
        self._signatures: dict[int, object] = {}

    def __len__(self) -> int:
        """How many rows have a job."""
        return len(self._signatures)

    def start(self, sweep: Callable[..., Any], seconds: float) -> None:
        """Start firing, with ``sweep`` run every ``seconds`` (its job is ``{label}-sweep``)."""
        self.scheduler.add_job(sweep, IntervalTrigger(seconds=seconds),
                               id=f"{self.label}-sweep", replace_existing=True)
        self.scheduler.start()

    def shutdown(self) -> None:
        """Stop firing (running jobs are cancelled)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def changed(self, row_id: int, signature: object) -> bool:
        """True when the row has no job, or one built from another signature."""
        return self._signatures.get(row_id) != signature

    def schedule(self, row_id: int, signature: object, func: Callable[..., Any], trigger: Any,
                 **options: Any) -> None:
        """Add (or replace) the row's job: ``func(row_id)`` on ``trigger``."""
        self.scheduler.add_job(func, trigger, args=(row_id,), id=f"{self.prefix}{row_id}",
                               name=f"{self.label} #{row_id}", replace_existing=True,
                               **options)
        self._signatures[row_id] = signature

    def unschedule(self, row_id: int) -> None:
        """Remove the row's job, if it has one."""
        if self._signatures.pop(row_id, None) is not None:
            job = self.scheduler.get_job(f"{self.prefix}{row_id}")
            if job is not None:
                job.remove()

    def keep_only(self, row_ids: Collection[int]) -> None:
        """Remove the jobs of rows that are gone (or no longer wanted)."""
        for row_id in set(self._signatures) - set(row_ids):
            self.unschedule(row_id)

    def next_run(self, row_id: int) -> datetime | None:
        """When the row's job fires next (None: no job)."""
        job = self.scheduler.get_job(f"{self.prefix}{row_id}")
        when = getattr(job, "next_run_time", None) if job is not None else None
        return when.astimezone(UTC) if isinstance(when, datetime) else None
