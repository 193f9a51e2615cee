"""The SQLite digest store: subscriptions, runs and sent stories in the catalogue's file.

It has its own aiosqlite connection and its own schema version table
(``digest_schema_version``), so it never touches the catalogue's migrations. Claims are made in
``BEGIN IMMEDIATE`` transactions: SQLite then lets one writer at a time decide, which is what makes
a slot exactly-once across coroutines, restarts and several processes sharing the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.digests.model import (
    FINAL,
    Claim,
    NewSubscription,
    RunInfo,
    RunStatus,
    Style,
    Subscription,
)
from bot.digests.store import TooManySubscriptions
from bot.sqlite_store import Schema, SqliteStore
from bot.timestamps import from_iso, from_iso_or_none, to_iso

_TABLES: Schema = ((1, (
    """CREATE TABLE IF NOT EXISTS digest_subscriptions (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL, workspace TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL,
        schedule TEXT NOT NULL, timezone TEXT NOT NULL,
        max_stories INTEGER NOT NULL CHECK (max_stories BETWEEN 1 AND 20),
        topic TEXT, style TEXT NOT NULL, notify_empty INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL, created_at TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0, paused_reason TEXT,
        last_error TEXT, last_error_at TEXT)""",
    """CREATE INDEX IF NOT EXISTS digest_subscriptions_place
        ON digest_subscriptions (platform, workspace, channel)""",
    """CREATE TABLE IF NOT EXISTS digest_runs (
        id INTEGER PRIMARY KEY,
        subscription_id INTEGER NOT NULL
            REFERENCES digest_subscriptions (id) ON DELETE CASCADE,
        slot TEXT NOT NULL,            -- local wall-clock minute in the subscription's zone
        slot_at TEXT NOT NULL,         -- the fire time, UTC
        status TEXT NOT NULL,
        catch_up INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT, lease_until TEXT, next_attempt_at TEXT,
        deadline TEXT NOT NULL, last_error TEXT, finished_at TEXT,
        article_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (subscription_id, slot))""",
    """CREATE INDEX IF NOT EXISTS digest_runs_pending ON digest_runs (status, next_attempt_at)""",
    """CREATE TABLE IF NOT EXISTS digest_sent (
        channel_key TEXT NOT NULL, article_id INTEGER NOT NULL,
        run_id INTEGER, sent_at TEXT NOT NULL,
        PRIMARY KEY (channel_key, article_id)) WITHOUT ROWID""",
)),)

_SUB_COLUMNS = (
    "id, platform, workspace, channel, schedule, timezone, max_stories, topic, style, "
    "notify_empty, created_by, created_at, paused, paused_reason, last_error, last_error_at"
)
_RUN_COLUMNS = (
    "id, subscription_id, slot, slot_at, status, attempts, deadline, catch_up, last_error, "
    "finished_at"
)


def _subscription(row: Any) -> Subscription:
    created = from_iso(row["created_at"])
    return Subscription(
        id=row["id"], platform=row["platform"], workspace=row["workspace"],
        channel=row["channel"], schedule=row["schedule"], timezone=row["timezone"],
        max_stories=row["max_stories"], topic=row["topic"], style=Style(row["style"]),
        notify_empty=bool(row["notify_empty"]), created_by=row["created_by"],
        created_at=created, paused=bool(row["paused"]), paused_reason=row["paused_reason"],
        last_error=row["last_error"], last_error_at=from_iso_or_none(row["last_error_at"]))


def _run(row: Any) -> RunInfo:
    slot_at, deadline = from_iso(row["slot_at"]), from_iso(row["deadline"])
    return RunInfo(
        run_id=row["id"], subscription_id=row["subscription_id"], slot=row["slot"],
        slot_at=slot_at, status=RunStatus(row["status"]), attempts=row["attempts"],
        deadline=deadline, catch_up=bool(row["catch_up"]), last_error=row["last_error"],
        finished_at=from_iso_or_none(row["finished_at"]))


class SqliteDigestStore(SqliteStore):
    """``DigestStore`` on SQLite: digest tables on one aiosqlite connection, one transaction
    at a time per store."""

    SCHEMA = _TABLES
    VERSION_TABLE = "digest_schema_version"

    # -- subscriptions ---------------------------------------------------------------------------

    async def add(self, new: NewSubscription, now: datetime, max_per_channel: int) -> Subscription:
        """Store a subscription; ``TooManySubscriptions`` when the channel is full."""
        async with self._tx() as db:
            cursor = await db.execute(
                "SELECT count(*) FROM digest_subscriptions"
                " WHERE platform = ? AND workspace = ? AND channel = ?",
                (new.platform, new.workspace, new.channel))
            row = await cursor.fetchone()
            if row is not None and row[0] >= max_per_channel:
                raise TooManySubscriptions
            cursor = await db.execute(
                "INSERT INTO digest_subscriptions (platform, workspace, channel, schedule,"
                " timezone, max_stories, topic, style, notify_empty, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new.platform, new.workspace, new.channel, new.schedule, new.timezone,
                 new.max_stories, new.topic, new.style.value, int(new.notify_empty),
                 new.created_by, to_iso(now)))
            new_id = cursor.lastrowid
        found = await self.get(int(new_id or 0))
        assert found is not None
        return found

    async def get(self, subscription_id: int) -> Subscription | None:
        """One subscription."""
        rows = await self._all(
            f"SELECT {_SUB_COLUMNS} FROM digest_subscriptions WHERE id = ?",  # noqa: S608
            (subscription_id,))
        return _subscription(rows[0]) if rows else None

    async def find(self, platform: str | None = None, workspace: str | None = None,
                   channel: str | None = None) -> list[Subscription]:
        """Subscriptions, optionally of one platform, workspace and channel, by id."""
        where, params = [], []
        for column, value in (("platform", platform), ("workspace", workspace),
                              ("channel", channel)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = await self._all(
            f"SELECT {_SUB_COLUMNS} FROM digest_subscriptions{clause} ORDER BY id",  # noqa: S608
            params)
        return [_subscription(r) for r in rows]

    async def delete(self, subscription_id: int) -> bool:
        """Remove a subscription and its runs (the channel's sent stories stay remembered)."""
        async with self._tx() as db:
            cursor = await db.execute("DELETE FROM digest_subscriptions WHERE id = ?",
                                      (subscription_id,))
            return cursor.rowcount > 0

    async def set_paused(self, subscription_id: int, reason: str | None) -> None:
        """Pause with a reason, or resume with None."""
        async with self._tx() as db:
            await db.execute(
                "UPDATE digest_subscriptions SET paused = ?, paused_reason = ? WHERE id = ?",
                (int(reason is not None), reason, subscription_id))

    async def set_error(self, subscription_id: int, error: str | None, now: datetime) -> None:
        """Record (or clear, with None) the last failure shown in ``digest list``."""
        async with self._tx() as db:
            await db.execute(
                "UPDATE digest_subscriptions SET last_error = ?, last_error_at = ? WHERE id = ?",
                (error, to_iso(now) if error else None, subscription_id))

    # -- runs ------------------------------------------------------------------------------------

    async def claim(self, sub: Subscription, slot: str, slot_at: datetime, *, now: datetime,
                    lease: timedelta, grace: timedelta, worker: str,
                    catch_up: bool = False) -> Claim | None:
        """Take the (subscription, slot) run, or None when it is final or held by a live lease
        or waiting for its retry time. A claim whose lease ran out (a crashed worker) is taken
        over."""
        async with self._tx() as db:
            cursor = await db.execute(
                "SELECT id, status, attempts, lease_until, next_attempt_at, deadline, catch_up"
                " FROM digest_runs WHERE subscription_id = ? AND slot = ?", (sub.id, slot))
            row = await cursor.fetchone()
            lease_until = to_iso(now + lease)
            if row is None:
                deadline = now + grace
                cursor = await db.execute(
                    "INSERT INTO digest_runs (subscription_id, slot, slot_at, status, catch_up,"
                    " attempts, claimed_by, lease_until, deadline) VALUES (?,?,?,?,?,1,?,?,?)",
                    (sub.id, slot, to_iso(slot_at), RunStatus.CLAIMED.value, int(catch_up),
                     worker, lease_until, to_iso(deadline)))
                return Claim(int(cursor.lastrowid or 0), sub.id, slot, slot_at, 1, deadline,
                             catch_up)
            if not _claimable(row, now):
                return None
            attempts = row["attempts"] + 1
            deadline_at = from_iso(row["deadline"])
            if catch_up:  # taken over at start after downtime: a fresh grace period
                deadline_at = max(deadline_at, now + grace)
            await db.execute(
                "UPDATE digest_runs SET status = ?, attempts = ?, claimed_by = ?,"
                " lease_until = ?, next_attempt_at = NULL, deadline = ?, catch_up = ?"
                " WHERE id = ?",
                (RunStatus.CLAIMED.value, attempts, worker, lease_until, to_iso(deadline_at),
                 int(catch_up or row["catch_up"]), row["id"]))
            return Claim(row["id"], sub.id, slot, slot_at, attempts, deadline_at,
                         catch_up or bool(row["catch_up"]))

    async def renew(self, run_id: int, worker: str, lease_until: datetime) -> bool:
        """Extend a claim this worker still holds; False when it is no longer ours."""
        async with self._tx() as db:
            cursor = await db.execute(
                "UPDATE digest_runs SET lease_until = ? WHERE id = ? AND status = ?"
                " AND claimed_by = ?",
                (to_iso(lease_until), run_id, RunStatus.CLAIMED.value, worker))
            return cursor.rowcount > 0

    async def retry_later(self, run_id: int, error: str, next_attempt_at: datetime) -> None:
        """Release the claim; the sweep tries again at ``next_attempt_at``."""
        async with self._tx() as db:
            await db.execute(
                "UPDATE digest_runs SET status = ?, last_error = ?, next_attempt_at = ?,"
                " lease_until = NULL WHERE id = ?",
                (RunStatus.RETRYING.value, error, to_iso(next_attempt_at), run_id))

    async def finish(self, run_id: int, status: RunStatus, now: datetime, *,
                     error: str | None = None, channel_key: str | None = None,
                     article_ids: Iterable[int] = ()) -> None:
        """Make a run final; a posted run records its stories as sent in the same transaction."""
        ids = list(article_ids)
        async with self._tx() as db:
            await db.execute(
                "UPDATE digest_runs SET status = ?, last_error = ?, finished_at = ?,"
                " lease_until = NULL, next_attempt_at = NULL, article_count = ? WHERE id = ?",
                (status.value, error, to_iso(now), len(ids), run_id))
            if channel_key is not None and ids:
                await db.executemany(
                    "INSERT OR IGNORE INTO digest_sent (channel_key, article_id, run_id, sent_at)"
                    " VALUES (?, ?, ?, ?)",
                    [(channel_key, i, run_id, to_iso(now)) for i in ids])

    async def supersede(self, subscription_id: int, before: datetime, now: datetime) -> int:
        """After a catch-up digest: older runs left unfinished (a dead claim, a pending retry)
        are closed, since the catch-up carried their stories; a live claim is left alone."""
        async with self._tx() as db:
            cursor = await db.execute(
                "UPDATE digest_runs SET status = ?, finished_at = ?, next_attempt_at = NULL,"
                " last_error = 'superseded by the catch-up digest', lease_until = NULL"
                " WHERE subscription_id = ? AND slot_at < ? AND (status = ?"
                " OR (status = ? AND lease_until <= ?))",
                (RunStatus.FAILED.value, to_iso(now), subscription_id, to_iso(before),
                 RunStatus.RETRYING.value, RunStatus.CLAIMED.value, to_iso(now)))
            return cursor.rowcount

    async def window_start(self, subscription_id: int) -> datetime | None:
        """The slot of the last digest that went out (or was empty): the next one starts here."""
        rows = await self._all(
            "SELECT max(slot_at) FROM digest_runs WHERE subscription_id = ? AND status IN (?, ?)",
            (subscription_id, RunStatus.POSTED.value, RunStatus.EMPTY.value))
        return from_iso_or_none(rows[0][0]) if rows else None

    async def sent_ids(self, channel_key: str, except_run: int | None = None) -> set[int]:
        """Articles posted in this channel, or held by another run of it that is in flight."""
        rows = await self._all(
            "SELECT article_id FROM digest_sent WHERE channel_key = ? AND run_id IS NOT ?",
            (channel_key, except_run))
        return {int(r[0]) for r in rows}

    async def reserve(self, channel_key: str, run_id: int, article_ids: Iterable[int],
                      now: datetime) -> set[int]:
        """Hold these stories for one run; returns those it now holds. A story that another
        run of the same channel holds (posted, or in flight in any process) is refused, so
        digests of one channel firing together never share a story. What this run held
        before and no longer wants is let go."""
        ids = list(article_ids)
        async with self._tx() as db:
            marks = ",".join("?" * len(ids))
            await db.execute(
                f"DELETE FROM digest_sent WHERE run_id = ? AND article_id NOT IN ({marks})",  # noqa: S608
                (run_id, *ids))
            await db.executemany(
                "INSERT OR IGNORE INTO digest_sent (channel_key, article_id, run_id, sent_at)"
                " VALUES (?, ?, ?, ?)", [(channel_key, i, run_id, to_iso(now)) for i in ids])
            rows = await db.execute_fetchall(
                "SELECT article_id FROM digest_sent WHERE channel_key = ? AND run_id = ?",
                (channel_key, run_id))
        return {int(r[0]) for r in rows}

    async def release_unfinished(self, subscription_id: int, except_run: int) -> None:
        """Before a catch-up digest: stories held by this subscription's earlier runs that
        never posted go back to the pool, since the catch-up supersedes those runs."""
        async with self._tx() as db:
            await db.execute(
                "DELETE FROM digest_sent WHERE run_id IN (SELECT id FROM digest_runs"
                " WHERE subscription_id = ? AND id != ? AND status != ?)",
                (subscription_id, except_run, RunStatus.POSTED.value))

    async def release(self, run_id: int) -> None:
        """Let go of the stories a run held: it did not post them."""
        async with self._tx() as db:
            await db.execute("DELETE FROM digest_sent WHERE run_id = ?", (run_id,))

    async def pending(self, now: datetime) -> list[RunInfo]:
        """Runs waiting for a retry that is due, and claims whose lease ran out."""
        rows = await self._all(
            f"SELECT {_RUN_COLUMNS} FROM digest_runs WHERE"  # noqa: S608
            " (status = ? AND next_attempt_at <= ?) OR (status = ? AND lease_until <= ?)"
            " ORDER BY slot_at",
            (RunStatus.RETRYING.value, to_iso(now), RunStatus.CLAIMED.value, to_iso(now)))
        return [_run(r) for r in rows]

    async def last_run(self, subscription_id: int) -> RunInfo | None:
        """The newest run of a subscription, for ``digest list``."""
        rows = await self._all(
            f"SELECT {_RUN_COLUMNS} FROM digest_runs WHERE subscription_id = ?"  # noqa: S608
            " ORDER BY slot_at DESC LIMIT 1", (subscription_id,))
        return _run(rows[0]) if rows else None

    async def runs(self, subscription_id: int) -> list[RunInfo]:
        """All runs of a subscription, oldest first."""
        rows = await self._all(
            f"SELECT {_RUN_COLUMNS} FROM digest_runs WHERE subscription_id = ?"  # noqa: S608
            " ORDER BY slot_at", (subscription_id,))
        return [_run(r) for r in rows]


def _claimable(row: Any, now: datetime) -> bool:
    status = RunStatus(row["status"])
    if status in FINAL:
        return False
    if status is RunStatus.CLAIMED:
        lease_until = from_iso_or_none(row["lease_until"])
        return lease_until is None or lease_until <= now
    next_at = from_iso_or_none(row["next_attempt_at"])
    return next_at is None or next_at <= now
