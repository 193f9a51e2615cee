"""The real embedding model, loaded once per test session (its unpacked weights in the
session's folder, so tests never write to the user's cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.semantic.encoder import Encoder
from bot.semantic.files import model_source
from bot.semantic.model import SemanticModel


@pytest.fixture(scope="session")
def semantic_model(model_cache: Path) -> SemanticModel:
    """all-MiniLM-L6-v2 from the installed weights package (loaded on first use)."""
    return SemanticModel(model_source(None), model_cache)


@pytest.fixture(scope="session")
def encoder(semantic_model: SemanticModel) -> Encoder:
    """The loaded encoder (one BLAS thread, as the bot runs it)."""
    return semantic_model.encoder_now()
