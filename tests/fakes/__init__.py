"""Loopback fakes of chat platforms, reusable as pytest fixtures."""
