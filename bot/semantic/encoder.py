"""A sentence-transformers BERT encoder (all-MiniLM-L6-v2) run in numpy: no PyTorch.

Word pieces from ``tokenizers`` (the model's own ``tokenizer.json``), the BERT forward pass over
the ``model.safetensors`` weights, mean pooling over the real tokens, L2 normalisation: the
same steps and limits as sentence-transformers (at most 256 word pieces per text), checked
against its vectors by ``tests/semantic/test_reference_vectors.py``.

Loading reads ~90 MB and is CPU work: callers load and encode off the event loop.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load as load_safetensors
from tokenizers import Tokenizer

from bot.semantic.files import ModelFilesError, ModelSource

Matrix = npt.NDArray[np.float32]
MAX_WORD_PIECES = 256  # sentence_bert_config.json's max_seq_length for all-MiniLM-L6-v2
BATCH = 16  # texts per forward pass at ingestion: enough for BLAS, little padding


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv: Matrix  # (hidden, 3 * hidden): query, key and value projections side by side
    qkv_bias: Matrix
    out: Matrix
    out_bias: Matrix
    norm1: tuple[Matrix, Matrix]
    up: Matrix
    up_bias: Matrix
    down: Matrix
    down_bias: Matrix
    norm2: tuple[Matrix, Matrix]


class Encoder:
    """Text -> unit-length sentence vectors (float32, ``dim`` wide)."""

    def __init__(self, source: ModelSource, cache_dir: Path | None = None) -> None:
        """Read the configuration, tokenizer and weights (slow: do it off the event loop).
        A zipped model's weights are unpacked once into ``cache_dir`` and memory-mapped."""
        self.name = source.name
        config = json.loads(source.read("config.json"))
        if config.get("model_type", "bert") != "bert":
            raise ModelFilesError(f"{source.path}: a BERT model is needed, not "
                                  f"{config.get('model_type')!r}")
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_pieces = min(_max_pieces(source), int(config["max_position_embeddings"]))
        self.tokenizer = Tokenizer.from_str(source.read("tokenizer.json").decode("utf-8"))
        self.tokenizer.enable_truncation(max_length=self.max_pieces)
        self.tokenizer.no_padding()
        mapped = source.weights_file(cache_dir)
        weights = (_mapped(mapped) if mapped is not None
                   else load_safetensors(source.read("model.safetensors")))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self._load(weights, prefix, int(config["num_hidden_layers"]))

    def _load(self, w: dict[str, Any], prefix: str, layers: int) -> None:
        def get(key: str) -> Matrix:
            try:
                return np.ascontiguousarray(w[prefix + key], dtype=np.float32)
            except KeyError:
                raise ModelFilesError(f"the weights have no {prefix + key}") from None

        self.words = get("embeddings.word_embeddings.weight")
        self.positions = get("embeddings.position_embeddings.weight")
        self.token_type = get("embeddings.token_type_embeddings.weight")[0]
        self.norm0 = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.dim = int(self.words.shape[1])
        self.layers = [_layer(get, f"encoder.layer.{i}.") for i in range(layers)]

    def encode(self, texts: Sequence[str], batch: int = BATCH) -> Matrix:
        """One unit vector per text, in order (an empty text gets the vector of no words)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        # Similar lengths together, so a batch pads little.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        result = np.empty((len(ids), self.dim), dtype=np.float32)
        for start in range(0, len(order), max(1, batch)):
            chosen = order[start : start + max(1, batch)]
            result[chosen] = self._forward([ids[i] for i in chosen])
        return result

    def _forward(self, pieces: list[npt.NDArray[np.int64]]) -> Matrix:
        """The forward pass for one padded batch, then mean pooling and normalisation."""
        size, length = len(pieces), max(len(p) for p in pieces)
        ids = np.zeros((size, length), dtype=np.int64)
        mask = np.zeros((size, length), dtype=np.float32)
        for row, p in enumerate(pieces):
            ids[row, : len(p)] = p
            mask[row, : len(p)] = 1.0
        x = self.words[ids] + self.positions[:length] + self.token_type
        x = _layer_norm(x, *self.norm0, self.eps)
        # Padding gets a large negative score, so softmax gives it no weight (as BERT does).
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            x = self._block(x, layer, bias)
        summed = np.einsum("bld,bl->bd", x, mask)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Matrix = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    def _block(self, x: Matrix, layer: _Layer, bias: Matrix) -> Matrix:
        """One encoder layer. The dense products run on (batch * length, hidden): one large
        matrix product is faster than one per text."""
        size, length, hidden = x.shape
        head = hidden // self.heads
        flat = x.reshape(size * length, hidden)
        qkv = flat @ layer.qkv + layer.qkv_bias
        qkv = qkv.reshape(size, length, 3, self.heads, head).transpose(2, 0, 3, 1, 4)
        scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2)
        scores *= np.float32(1.0 / math.sqrt(head))
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(size * length, hidden)
        flat = _layer_norm(context @ layer.out + layer.out_bias + flat, *layer.norm1, self.eps)
        inner = _gelu(flat @ layer.up + layer.up_bias)
        out = _layer_norm(inner @ layer.down + layer.down_bias + flat, *layer.norm2, self.eps)
        return out.reshape(size, length, hidden)


_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def _mapped(path: Path) -> dict[str, Any]:
    """The tensors of a safetensors file as read-only views of one memory map: nothing is
    read until used (the 47 MB word table is touched only at the rows a text needs)."""
    try:
        data = np.memmap(path, dtype=np.uint8, mode="r")
        (size,) = struct.unpack("<Q", bytes(data[:8]))
        header = json.loads(bytes(data[8 : 8 + size]))
    except (OSError, ValueError, struct.error) as exc:
        raise ModelFilesError(f"{path} is not a safetensors file ({exc})") from exc
    tensors: dict[str, Any] = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry.get("dtype") not in _DTYPES:
            continue
        begin, end = (8 + size + offset for offset in entry["data_offsets"])
        tensors[name] = data[begin:end].view(_DTYPES[entry["dtype"]]).reshape(entry["shape"])
    return tensors


def _max_pieces(source: ModelSource) -> int:
    raw = source.optional("sentence_bert_config.json")
    if raw is None:
        return MAX_WORD_PIECES
    return int(json.loads(raw).get("max_seq_length", MAX_WORD_PIECES))


def _layer(get: Any, at: str) -> _Layer:
    """One encoder layer's weights as x @ W operands, transposed once into memory (faster per
    question than transposed views of the mapped file), query, key and value side by side."""
    attention = at + "attention."
    qkv = [get(f"{attention}self.{part}.weight") for part in ("query", "key", "value")]
    qkv_bias = [get(f"{attention}self.{part}.bias") for part in ("query", "key", "value")]
    return _Layer(
        qkv=np.ascontiguousarray(np.concatenate(qkv, axis=0).T),
        qkv_bias=np.concatenate(qkv_bias),
        out=np.ascontiguousarray(get(f"{attention}output.dense.weight").T),
        out_bias=get(f"{attention}output.dense.bias"),
        norm1=(get(f"{attention}output.LayerNorm.weight"),
               get(f"{attention}output.LayerNorm.bias")),
        up=np.ascontiguousarray(get(f"{at}intermediate.dense.weight").T),
        up_bias=get(f"{at}intermediate.dense.bias"),
        down=np.ascontiguousarray(get(f"{at}output.dense.weight").T),
        down_bias=get(f"{at}output.dense.bias"),
        norm2=(get(f"{at}output.LayerNorm.weight"), get(f"{at}output.LayerNorm.bias")),
    )


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    normed: Matrix = centred / np.sqrt(variance + np.float32(eps)) * weight + bias
    return normed


# Abramowitz & Stegun 7.1.26: erf to within 1.5e-7, enough for BERT's exact (erf) GELU; numpy
# has no erf and scipy is not a dependency.
_P = np.float32(0.3275911 / math.sqrt(2.0))  # applied to |x|, so z = |x| / sqrt(2) folds in
_A = tuple(np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027,
                                   1.061405429))


def _gelu(x: Matrix) -> Matrix:
    """x * Phi(x) = relu(x) - |x| * erfc(|x| / sqrt 2) / 2, in place where possible: at
    ingestion this runs over millions of values per batch, and temporaries cost more than
    the arithmetic."""
    a = np.abs(x)
    t = a * _P
    t += 1.0
    np.reciprocal(t, out=t)
    poly = _A[4] * t
    for coefficient in (_A[3], _A[2], _A[1], _A[0]):
        poly += coefficient
        poly *= t
    gauss = np.square(a, out=t)  # t is spent: reuse it for exp(-x^2 / 2)
    gauss *= np.float32(-0.5)
    np.exp(gauss, out=gauss)
    poly *= gauss
    poly *= np.float32(0.5)
    poly *= a
    out: Matrix = np.maximum(x, np.float32(0.0))
    out -= poly
    return out
