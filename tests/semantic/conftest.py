"""The real embedding model, loaded once per test session (its unpacked weights in a session
folder, so tests never write to the user's cache)."""

from __future__ import annotations

import pytest

from bot.semantic.blas import limit_blas_threads
from bot.semantic.encoder import Encoder
from bot.semantic.files import model_source


@pytest.fixture(scope="session")
def encoder(tmp_path_factory: pytest.TempPathFactory) -> Encoder:
    """all-MiniLM-L6-v2 from the installed weights package."""
    limit_blas_threads(1)
    return Encoder(model_source(None), cache_dir=tmp_path_factory.mktemp("model-cache"))
