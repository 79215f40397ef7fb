"""Reading a file only once it is complete: a regular file, not locked by its writer, unchanged while read."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path


class NotRegular(Exception):
    """A folder, a pipe or a device named like a PDF: never opened for reading (a pipe would block)."""


class Locked(Exception):
    """Its writer still holds it (a lock on POSIX, a sharing mode on Windows): wait."""


class Changed(Exception):
    """It changed while it was read: its writer is not done."""


def read_complete(path: Path) -> bytes:
    """The whole file, read once it is safe to; raises NotRegular, Locked, Changed or OSError
    (PermissionError when the account cannot read it, FileNotFoundError when it went away)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegular(str(path))
    # O_NONBLOCK: should the name have become a pipe since the stat above, open() returns at once.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise NotRegular(str(path))
        if _locked(fd, path):
            raise Locked(str(path))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        data = b"".join(chunks)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (len(data), after.st_size, after.st_mtime_ns) != (before.st_size, before.st_size, before.st_mtime_ns):
        raise Changed(str(path))
    return data


if sys.platform == "win32":  # pragma: no cover - written for Windows, not verified there
    def _locked(fd: int, path: Path) -> bool:
        # A writer that did not share writing makes an open for writing fail with a sharing violation.
        # Opening for writing changes nothing; a read-only file cannot be told apart, so it counts as free.
        if not os.access(path, os.W_OK):
            return False
        try:
            os.close(os.open(path, os.O_RDWR | os.O_BINARY))
        except PermissionError:
            return True
        return False
else:
    import fcntl

    def _locked(fd: int, path: Path) -> bool:
        # Writers that lock their file take flock or POSIX record locks (NFS and Samba map flock to the
        # latter); a shared lock that cannot be had means somebody holds an exclusive one.
        for take, release in ((lambda: fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB),
                               lambda: fcntl.flock(fd, fcntl.LOCK_UN)),
                              (lambda: fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB),
                               lambda: fcntl.lockf(fd, fcntl.LOCK_UN))):
            try:
                take()
            except (BlockingIOError, PermissionError):  # EAGAIN, or EACCES from some systems' lockf
                return True
            except OSError:
                continue  # a file system without locks: nothing to learn from it
            release()
        return False
