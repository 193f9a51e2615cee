"""Analysis workers die with the ingest that started them, even when it is killed with SIGKILL:
a real process starts the real pool, is killed, and its workers (and the pool's resource
tracker) must be gone within a bounded wait."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# The pool of bot.nlp.analyse, warmed with a cheap function instead of the spaCy model.
SCRIPT = """
import os, sys, time
from bot.nlp.analyse import new_worker_pool
pool = new_worker_pool(2, warm=os.getpid)
futures = [pool.submit(time.sleep, 0.2) for _ in range(4)]
for future in futures:
    future.result()
print("ready", flush=True)
time.sleep(600)
"""


def children_of(parent: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's reaper is missing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.timeout(120)
def test_workers_and_tracker_end_when_the_ingest_is_killed() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=REPO, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        try:
            assert proc.stdout is not None
            ready, _, _ = select.select([proc.stdout], [], [], 90)
            assert ready, "the pool never started"
            assert proc.stdout.readline().strip() == b"ready"
            helpers = children_of(proc.pid)
            assert len(helpers) >= 2  # two workers (and the resource tracker)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    survivors = [pid for pid in helpers if alive(pid)]
    for pid in survivors:  # do not leave them behind for the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert not survivors, "workers outlived the killed ingest"
