"""Unexpected failures: the CLI and every adapter report them through one function."""

from __future__ import annotations

import logging

import pytest

from bot.unexpected import report_unexpected


def test_the_user_sees_a_reference_and_the_log_holds_the_traceback_under_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    try:
        raise RuntimeError("secret detail /home/op/.token")
    except RuntimeError as error:
        with caplog.at_level(logging.ERROR):
            text = report_unexpected(logging.getLogger("newsbot.test"), error, "/news summary")
    assert "secret detail" not in text
    assert "RuntimeError" not in text
    ref = text.split("(ref ", 1)[1].split(")", 1)[0]
    assert len(ref) == 6
    record = caplog.records[-1]
    assert record.getMessage() == f"unexpected failure (ref {ref}) in /news summary"
    assert record.exc_info is not None
    assert "secret detail" in str(record.exc_info[1])


def test_each_failure_gets_its_own_reference() -> None:
    log = logging.getLogger("newsbot.test")
    texts = {report_unexpected(log, ValueError("x"), "here") for _ in range(20)}
    assert len(texts) == 20
