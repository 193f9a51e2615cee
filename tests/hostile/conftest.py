"""The hostile corpus runs against the real Slack adapter (Bolt's HTTP app) and the fake Slack
of the contract tests; discord.py is imported without its ``audioop`` deprecation warning."""

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord  # noqa: F401

from tests.contract.slack.conftest import (  # noqa: F401  # fixtures, shared as they are
    _no_proxies,
    fake_slack,
    http_adapter,
    stub_engine,
)
