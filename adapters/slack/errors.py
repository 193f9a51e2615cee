"""Unexpected-failure reporting for the Slack adapter: a short reference id, traceback in the log.

Users only ever see what ``log_failure`` returns (a reference); the exception text stays in the
log, and tokens never reach it (slack_sdk does not log them and neither do we).
"""

from __future__ import annotations

import logging

from bot.api import report_unexpected

log = logging.getLogger("adapters.slack")

#: Errors about one channel that retrying will not fix: the digest core pauses that channel's
#: subscription (``DeliveryError``).
PERMANENT_DELIVERY_ERRORS: frozenset[str] = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        "cannot_reply_to_message",
    }
)

#: Errors about the bot token itself: every channel of the workspace fails alike, so they must
#: not pause subscriptions one by one (each would need a manual resume once the token is
#: fixed). They raise ``SlackUnavailable`` instead, which the digest core retries.
CREDENTIAL_ERRORS: frozenset[str] = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "missing_scope",
        "no_permission",
        "not_allowed_token_type",
        "ekm_access_denied",
        "org_login_required",
    }
)


class SlackUnavailable(RuntimeError):
    """Slack refuses the bot's credentials (revoked or invalid token, missing scope): nothing
    can be posted until an operator fixes the token, so retry later.

    Deliberately not a ``DeliveryError``: the channels are fine, so their subscriptions stay on.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"Slack refused the bot token: {reason}")
        self.reason = reason


def log_failure(error: BaseException, where: str) -> str:
    """Log ``error`` with its traceback under a new ref; returns the only thing the user sees
    about it (the ref, never the exception text)."""
    return report_unexpected(log, error, f"slack {where}")
