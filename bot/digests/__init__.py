"""Scheduled channel digests: subscriptions, exactly-once runs, composition, commands.

``schedule`` parses schedules into APScheduler triggers, ``store`` keeps subscriptions and runs in
the SQLite file next to the catalogue, ``compose`` picks the stories, ``service`` claims and posts
slots exactly once, ``commands`` answers the chat and CLI commands with neutral ``Answer``s.
"""
