"""Analysis workers end with the process that started them, even when it is killed with SIGKILL.

A ``ProcessPoolExecutor`` worker only notices its parent is gone when it next talks to it, and
an idle one (holding a ~190 MB spaCy model) waits forever; the pool's resource tracker stays
until the last worker holding its pipe ends. Two guards: on Linux the kernel sends SIGKILL when
the parent ends (``PR_SET_PDEATHSIG``), and everywhere a daemon thread polls the parent's pid
and exits when the worker has been handed to another parent. The kernel signal follows the
*thread* that started the worker; the pool starts workers from the thread that submits work
(the event loop's, which lives as long as the process), and the poll covers the rest.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0


def _kernel_guard() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)  # orphaned: nothing can collect our results any more


def die_with_parent(parent: int) -> None:
    """Make this (worker) process end when ``parent`` does. Called first thing in the worker;
    if the parent is already gone, exit now (the kernel guard only covers later deaths)."""
    _kernel_guard()
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="newsbot-orphan-watch",
                     daemon=True).start()
