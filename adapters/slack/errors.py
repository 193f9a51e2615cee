"""Unexpected-failure reporting for the Slack adapter: a short reference id, traceback in the log.

Users only ever see ``failure_text(ref)``; the exception text stays in the log, and tokens never
reach it (slack_sdk does not log them and neither do we).
"""

from __future__ import annotations

import logging
import secrets

log = logging.getLogger("adapters.slack")

#: Slack Web API errors that retrying will not fix: the digest core pauses the subscription.
PERMANENT_DELIVERY_ERRORS: frozenset[str] = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "restricted_action",
        "restricted_action_read_only_channel",
        "cannot_reply_to_message",
        "account_inactive",
        "invalid_auth",
        "token_revoked",
        "missing_scope",
    }
)


def new_ref() -> str:
    """A short random reference id users can quote when reporting a failure."""
    return secrets.token_hex(3)


def failure_text(ref: str) -> str:
    """The only thing a user sees about an unexpected failure."""
    return f"Something went wrong (ref {ref}). It has been logged."


def log_failure(error: BaseException, where: str) -> str:
    """Log ``error`` with its traceback under a new ref id and return that ref."""
    ref = new_ref()
    log.error("slack %s failed (ref %s)", where, ref, exc_info=error)
    return ref
