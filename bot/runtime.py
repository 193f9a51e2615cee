"""Kept for callers of the old path: opening the engine lives in ``bot.app`` now."""

from bot.app import apply_nlp_settings, open_engine

__all__ = ["apply_nlp_settings", "open_engine"]
