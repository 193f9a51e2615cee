"""Make the reference vectors that prove newsbot's numpy encoder is the model.

Run once, with sentence-transformers (and so PyTorch) installed in a throwaway venv outside the
repository; newsbot itself never needs them::

    python3 -m venv /tmp/st-venv && /tmp/st-venv/bin/pip install sentence-transformers
    /tmp/st-venv/bin/python bench/reference_vectors.py \
        .venv/lib/python3.11/site-packages/all_minilm_l6_v2/model.zip

It reads ``tests/semantic/data/reference_sentences.json`` and writes
``tests/semantic/data/reference_vectors.npy``: one float16 row per sentence (float16 keeps the
file small; its rounding moves a cosine by ~1e-7, far below the test's 1e-4 tolerance).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from sentence_transformers import SentenceTransformer  # only in the throwaway venv

DATA = Path(__file__).resolve().parents[1] / "tests" / "semantic" / "data"


def main() -> None:
    """Encode the reference sentences with sentence-transformers and save them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("model", type=Path, help="the model's zip or folder")
    args = parser.parse_args()
    sentences = json.loads((DATA / "reference_sentences.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.model
        if folder.suffix == ".zip":
            with zipfile.ZipFile(folder) as archive:
                archive.extractall(tmp)
            folder = Path(tmp)
        model = SentenceTransformer(str(folder), device="cpu")
        print(f"max_seq_length {model.max_seq_length}")
        vectors = model.encode(sentences, normalize_embeddings=True, batch_size=8)
    np.save(DATA / "reference_vectors.npy", np.asarray(vectors, dtype=np.float16))
    print(f"wrote {len(sentences)} vectors of {vectors.shape[1]} to {DATA}")


if __name__ == "__main__":
    main()
