"""One supervisor per data directory: an OS file lock the kernel releases when the holder dies."""

from __future__ import annotations

from pathlib import Path

import filelock

from .errors import AlreadyRunning
from .messages import msg


class InstanceLock:
    def __init__(self, run_dir: Path, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.lock = filelock.FileLock(str(run_dir / "supervisor.lock"), timeout=0)

    def acquire(self, holder_pid: int | None = None) -> None:
        """Take the lock or raise AlreadyRunning naming the data directory (and the holder's pid if known)."""
        try:
            self.lock.acquire()
        except filelock.Timeout:
            pid = f" (pid {holder_pid})" if holder_pid else ""
            raise AlreadyRunning(msg("run.already", pid=pid, data_dir=self.data_dir)) from None

    def release(self) -> None:
        self.lock.release()
