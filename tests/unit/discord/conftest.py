"""Pure Discord adapter tests: import discord.py without its ``audioop`` deprecation warning."""

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord  # noqa: F401
