"""Ingestion: read article files (plain text, Markdown, JSON Lines, HTML pages, feed files),
analyse them once, store them.

``readers`` turns files into drafts (``markup`` for pages and feeds), ``pipeline.ingest_paths``
analyses and stores them, and ``seeds.ensure_seeded`` fills a new catalogue with the bundled
demo seed articles.
"""
