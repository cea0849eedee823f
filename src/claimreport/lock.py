"""One build at a time per output folder.

The lock is an advisory ``flock`` on ``OUT/.claimreport/lock``: the kernel releases it when the
holding process ends, however it ends (kill -9 included), so a stale lock cannot outlive its
holder and the next build simply takes it. The file records the holder's pid and start time for
the "busy" message. Builds into different folders do not share a lock and run in parallel.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .errors import LockBusyError

__all__ = ["build_lock", "POLL_SECONDS"]

POLL_SECONDS = 0.2


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text())
        return f"pid {info['pid']}, started {info['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another build"


@contextmanager
def build_lock(internal: Path, wait: float = 0.0):
    """Hold the output folder's lock for the block; wait up to *wait* seconds for it.

    Raises :class:`LockBusyError` (its own exit status) naming the holder when it stays busy.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; one build at a time
        yield
        return
    internal = Path(internal)
    internal.mkdir(parents=True, exist_ok=True)
    path = internal / "lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + max(0.0, wait)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusyError(
                        f"{internal.parent}: another build is running ({_holder(path)}); "
                        f"waited {wait:g} s. Try again later or pass --wait SECONDS") from None
                time.sleep(POLL_SECONDS)
        stamp = {"pid": os.getpid(),
                 "started": datetime.now(UTC).replace(microsecond=0).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(stamp).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock
