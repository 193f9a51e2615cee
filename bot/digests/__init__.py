"""Scheduled channel digests: subscriptions, exactly-once runs, composition, commands.

``schedule`` parses schedules into APScheduler triggers, ``store`` is what digests need from
storage (``sqlite_store`` keeps subscriptions and runs in the catalogue's SQLite file),
``compose`` picks the stories, ``service`` claims and posts slots exactly once, ``scheduler``
fires them, ``commands`` answers the chat and CLI commands with neutral ``Answer``s.
"""
