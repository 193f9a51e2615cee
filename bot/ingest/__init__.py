"""Ingestion: read article files (plain text, Markdown, JSON Lines), analyse them once, store them.

``readers`` turns files into drafts, ``pipeline.ingest_paths`` analyses and stores them, and
``seeds.ensure_seeded`` fills an empty catalogue with the bundled seed articles.
"""
