"""Semantic matching: questions and stories compared as sentence-embedding vectors.

The engine depends only on ``SemanticIndex``; the model, its vectors and where they are kept
live behind it, so answering works (lexically) when no index is configured.
"""

from __future__ import annotations

from typing import Protocol


class SemanticIndex(Protocol):
    """Nearest stored stories to a piece of text, by cosine of their embedding vectors."""

    async def nearest(self, text: str, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (article row id, cosine similarity) pairs, most similar first."""
        ...
