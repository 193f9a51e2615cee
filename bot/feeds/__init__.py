"""Live sources: RSS/Atom/JSON feeds and article pages keep the catalogue fresh.

``fetch`` (polite HTTP), ``parse`` (feed documents -> entries), ``pages`` (article main text),
``store`` (feeds, health, delivered entries; ``sqlite_store`` on SQLite), ``service``
(poll -> analyse -> store), ``entries`` (entry -> article draft), ``report`` (what a poll did),
``failures`` (failed polls and the admin report), ``commands`` (``feeds add|remove|list`` as
neutral answers), ``scheduler`` (APScheduler jobs), ``cli`` (``newsbot feeds ...``). See
``bot/feeds/README.md``.
"""
