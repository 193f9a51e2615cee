"""One BLAS thread for the encoder's matrix products.

On this kind of machine (2 cores shared with analysis workers and other services) OpenBLAS's
own threads spin against each other: a question took 94 ms with two BLAS threads under load
against 14.7 ms with one, and a batch of 28 texts 41 s against 0.55 s. Each forward pass is
small, so a second thread buys little even when idle.

The environment variables only count before numpy loads OpenBLAS; numpy has no API to change
the count later, so the OpenBLAS bundled with numpy is told directly through ``ctypes`` (what
threadpoolctl does, without the dependency).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Names of the setter in numpy's bundled OpenBLAS builds (64-bit ints, prefixed) and plain ones.
_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
            "openblas_set_num_threads64_", "openblas_set_num_threads")
_GETTERS = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
            "openblas_get_num_threads64_", "openblas_get_num_threads")


def limit_blas_threads(count: int = 1) -> int | None:
    """Use ``count`` BLAS threads in this process from now on; the count OpenBLAS reports
    afterwards, or None when no OpenBLAS was found (then only the environment applies)."""
    if "numpy" not in sys.modules:
        for name in THREAD_VARIABLES:
            os.environ.setdefault(name, str(count))
    library = _openblas()
    if library is None:
        return None
    for setter in _SETTERS:
        if hasattr(library, setter):
            getattr(library, setter)(ctypes.c_int(count))
            break
    return blas_threads(library)


def blas_threads(library: ctypes.CDLL | None = None) -> int | None:
    """The thread count numpy's OpenBLAS uses now (None if it cannot be asked)."""
    library = library or _openblas()
    for getter in _GETTERS if library is not None else ():
        if hasattr(library, getter):
            return int(getattr(library, getter)())
    return None


def _openblas() -> ctypes.CDLL | None:
    """numpy's bundled OpenBLAS (``numpy.libs/libscipy_openblas*.so``), loaded with numpy."""
    import numpy as np  # the library to tune is the one numpy loads

    folder = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(folder.glob("*openblas*")) if folder.is_dir() else ():
        try:
            return ctypes.CDLL(str(path))
        except OSError:
            log.debug("cannot open %s", path, exc_info=True)
    return None
