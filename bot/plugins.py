"""Finding adapters by name through the ``newsbot.adapters`` entry-point group.

This is how the core starts adapters without importing them: a third adapter (Teams, Matrix)
plugs in by declaring an entry point in its own package.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

from bot.ports import ENTRY_POINT_GROUP, AdapterPlugin

log = logging.getLogger(__name__)


def available() -> list[str]:
    """Names of the installed adapters."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def load(name: str) -> AdapterPlugin:
    """The plugin object an entry point names; ``LookupError`` if none is installed."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            plugin = ep.load()
            if not isinstance(plugin, AdapterPlugin):
                raise LookupError(f"entry point {name!r} is not a newsbot adapter plugin")
            return plugin
    raise LookupError(f"no adapter named {name!r} is installed (have: {', '.join(available())})")


def load_all() -> list[AdapterPlugin]:
    """Every installed adapter that loads; one that fails to import is logged and skipped."""
    plugins = []
    for name in available():
        try:
            plugins.append(load(name))
        except Exception:  # an optional adapter's missing dependency must not stop the rest
            log.exception("adapter %s failed to load", name)
    return plugins
