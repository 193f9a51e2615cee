"""Adapter-side names for the core's ports (defined in ``bot.ports`` so the core can use them
without importing any adapter)."""

from bot.ports import AdapterPlugin, ChatAdapter, Deliverer, DeliveryError

__all__ = ["AdapterPlugin", "ChatAdapter", "Deliverer", "DeliveryError"]
