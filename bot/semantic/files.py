"""Where the embedding model's files come from: the installed weights package (default), or a
directory or ``.zip`` with the same files (``search.model`` / ``NEWSBOT_SEARCH__MODEL``).

The weights package (``all_minilm_l6_v2``) is located with ``find_spec`` and never imported: its
``__init__`` prints and its declared dependencies (PyTorch) are not installed.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

log = logging.getLogger(__name__)

PACKAGE = "all_minilm_l6_v2"
DEFAULT_NAME = "all-MiniLM-L6-v2"
# The files a sentence-transformers BERT folder holds that the numpy forward pass reads.
REQUIRED = ("config.json", "model.safetensors", "tokenizer.json")


class ModelFilesError(Exception):
    """The configured model cannot be read; the message says which file and why."""


@dataclass(frozen=True, slots=True)
class ModelSource:
    """A model's files: ``path`` is a directory or a zip; ``name`` keys its stored vectors."""

    path: Path
    name: str

    def read(self, member: str) -> bytes:
        """The bytes of one file of the model (``config.json``, ``model.safetensors``...)."""
        try:
            if self.path.is_dir():
                return (self.path / member).read_bytes()
            with zipfile.ZipFile(self.path) as archive:
                return archive.read(_member(archive, member))
        except (OSError, KeyError, zipfile.BadZipFile) as exc:
            raise ModelFilesError(f"cannot read {member} of the model at {self.path}: "
                                  f"{exc}") from exc

    def weights_file(self, cache_dir: Path | None = None) -> Path | None:
        """An uncompressed ``model.safetensors`` on disk, so it can be memory-mapped: the
        folder's own, or for a zip a copy extracted once into ``cache_dir`` (inflating 90 MB
        costs every process 0.5-2 s; a mapped file costs milliseconds). None when the copy
        cannot be written (read from the zip then)."""
        if self.path.is_dir():
            return self.path / "model.safetensors"
        try:
            with zipfile.ZipFile(self.path) as archive:
                info = archive.getinfo(_member(archive, "model.safetensors"))
                folder = cache_dir or Path(user_cache_dir("newsbot")) / "models"
                target = folder / f"{self.name}-{info.CRC:08x}-{info.file_size}.safetensors"
                if not (target.is_file() and target.stat().st_size == info.file_size):
                    _extract(archive, info, target)
                return target
        except (OSError, KeyError, zipfile.BadZipFile):
            log.warning("cannot keep an unpacked copy of %s; reading it from the zip",
                        self.path, exc_info=True)
            return None

    def optional(self, member: str) -> bytes | None:
        """Like ``read``, None when the model has no such file."""
        try:
            return self.read(member)
        except ModelFilesError:
            return None


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    """Write the member next to ``target`` and rename it into place, so a process reading
    the cache never sees half a file (two processes extracting at once both succeed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out, archive.open(info) as member:
            shutil.copyfileobj(member, out, 1 << 20)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _member(archive: zipfile.ZipFile, member: str) -> str:
    """The archive's name for ``member``, also when the files sit in one top folder."""
    names = archive.namelist()
    if member in names:
        return member
    nested = [n for n in names if n.endswith("/" + member) and n.count("/") == 1]
    if len(nested) == 1:
        return nested[0]
    raise KeyError(f"no {member} in the archive")


def default_model_path() -> Path:
    """``model.zip`` of the installed weights package, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in locations:
        candidate = Path(folder) / "model.zip"
        if candidate.is_file():
            return candidate
    raise ModelFilesError(f"the embedding weights package {PACKAGE!r} is not installed "
                          "(scripts/install.sh installs it), and no search.model is set")


def model_source(setting: str | None) -> ModelSource:
    """The configured model: a path (directory or zip), or None for the installed default.
    A custom model's vectors are stored under its file or folder name."""
    if not setting:
        return ModelSource(default_model_path(), DEFAULT_NAME)
    path = Path(setting).expanduser()
    if not path.exists():
        raise ModelFilesError(f"search.model: no such file or directory: {path}")
    name = path.stem if path.suffix.lower() == ".zip" else path.name
    return ModelSource(path, name or DEFAULT_NAME)
