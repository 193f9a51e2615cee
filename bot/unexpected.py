"""The one way an unexpected failure is reported, by the CLI and every adapter alike: the
traceback goes to the log under a short reference, and the user sees only that reference
(``texts.UNEXPECTED``), never the exception's text, which may hold paths or secrets."""

from __future__ import annotations

import logging
import secrets

from bot.answering import texts


def report_unexpected(log: logging.Logger, error: BaseException, where: str) -> str:
    """Log ``error`` with its traceback under a new reference; the text to show the user."""
    ref = secrets.token_hex(3)  # short enough for a user to quote when reporting it
    log.error("unexpected failure (ref %s) in %s", ref, where, exc_info=error)
    return texts.UNEXPECTED.format(ref=ref)
