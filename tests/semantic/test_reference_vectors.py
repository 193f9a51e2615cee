"""The numpy encoder is the model: its vectors match sentence-transformers' own.

The reference vectors were made once by ``bench/reference_vectors.py`` with
sentence-transformers (PyTorch) in a throwaway venv; the sentences cover punctuation, numbers,
accents, other scripts, emoji, empty text and one text past the 256 word-piece limit.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.semantic.encoder import Encoder
from bot.semantic.files import ModelFilesError, ModelSource, model_source

DATA = Path(__file__).resolve().parent / "data"


def _reference() -> tuple[list[str], np.ndarray]:
    sentences = json.loads((DATA / "reference_sentences.json").read_text(encoding="utf-8"))
    vectors = np.load(DATA / "reference_vectors.npy").astype(np.float32)
    return sentences, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_vectors_match_sentence_transformers(encoder: Encoder) -> None:
    sentences, reference = _reference()
    assert len(sentences) == len(reference) >= 20
    assert len(encoder.tokenizer.encode(sentences[-2]).ids) == 256  # truncation exercised
    vectors = encoder.encode(sentences)
    cosines = (vectors * reference).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= 0.9999, (sentences[worst], float(cosines[worst]))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_one_at_a_time_equals_batched(encoder: Encoder) -> None:
    """Padding in a batch changes nothing: a question alone gets its batched vector."""
    sentences, reference = _reference()
    for index in (0, 4, 12, len(sentences) - 2):
        alone = encoder.encode([sentences[index]])[0]
        assert float(alone @ reference[index]) >= 0.9999


def test_a_folder_model_and_a_zip_model_agree(encoder: Encoder, tmp_path: Path) -> None:
    """``search.model`` may name a folder with the same files: same vectors."""
    import zipfile

    source = model_source(None)
    with zipfile.ZipFile(source.path) as archive:
        archive.extractall(tmp_path / "unzipped")
    folder = Encoder(model_source(str(tmp_path / "unzipped")))
    assert folder.name == "unzipped"
    text = ["Harvest falls as drought hits farmers."]
    assert float(folder.encode(text)[0] @ encoder.encode(text)[0]) >= 0.99999


def test_a_bad_model_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFilesError, match="no such file"):
        model_source(str(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelFilesError, match=r"config\.json"):
        Encoder(ModelSource(tmp_path / "empty", "empty"))
