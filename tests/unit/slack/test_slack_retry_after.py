"""How long a 429 from Slack holds a send: whole seconds from ``Retry-After``, bounded
(``float()`` read ``nan``, ``inf`` and ``1e9`` and slept on them, holding the channel's lock)."""

from __future__ import annotations

import math

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.deliver import MAX_RETRY_AFTER, _retry_after


def refused(retry_after: str | None) -> SlackApiError:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    response = AsyncSlackResponse(
        client=AsyncWebClient(token="xoxb-test"), http_verb="POST",
        api_url="http://127.0.0.1/api/chat.postMessage", req_args={},
        data={"ok": False, "error": "ratelimited"}, headers=headers, status_code=429)
    return SlackApiError("ratelimited", response)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e9", "²", "", "soon"])
def test_a_retry_after_that_is_not_whole_seconds_waits_the_default(value: str) -> None:
    wait = _retry_after(refused(value))
    assert math.isfinite(wait)
    assert wait == 1.0


def test_a_huge_retry_after_is_bounded_and_a_normal_one_kept() -> None:
    assert _retry_after(refused("9" * 5000)) == MAX_RETRY_AFTER
    assert _retry_after(refused("30")) == 30.0
    assert _retry_after(refused(None)) == 1.0
