"""The source folders: are they there, what do they hold, and what may the plugin's account do in them.

The access check is what the plugin itself does, done as the account the plugin runs under (the
service's account in service modes): reach the folder, list it, write a probe file, read it back,
remove it, and, when files move after upload, the same in the `sent` subfolder. Mode bits are not
consulted: ACLs, share permissions and root's privileges make them lie.
"""

from __future__ import annotations

import getpass
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from .names import is_pdf_name

PROBE_PREFIX = ".sellintegro-probe-"  # starts with a dot and ends in .tmp: never taken for a PDF


def account() -> str:
    """The account the plugin runs as, for messages."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment or the password database
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "?"


def reason(e: OSError) -> str:
    return e.strerror or str(e) or type(e).__name__


@dataclass(frozen=True)
class AccessProblem:
    what: str    # reach | list | write | read | remove | sent
    reason: str


def check_access(folder: str, sent: str | None = None) -> list[AccessProblem]:
    """What the plugin's account cannot do in `folder` (and its `sent` subfolder); [] when it can do it all."""
    path = Path(folder)
    try:
        if not stat.S_ISDIR(os.stat(path).st_mode):
            return [AccessProblem("reach", "not a folder")]
    except OSError as e:
        return [AccessProblem("reach", reason(e))]
    problems = []
    try:
        with os.scandir(path) as entries:
            next(entries, None)
    except OSError as e:
        problems.append(AccessProblem("list", reason(e)))
    problems += _probe(path)
    if sent is not None and not problems:
        try:
            (path / sent).mkdir(exist_ok=True)
        except OSError as e:
            return [AccessProblem("sent", reason(e))]
        problems += [AccessProblem("sent", f"{p.what}: {p.reason}") for p in _probe(path / sent)]
    return problems


def _probe(folder: Path) -> list[AccessProblem]:
    probe = folder / f"{PROBE_PREFIX}{os.getpid()}-{secrets.token_hex(4)}.tmp"
    payload = b"sellintegro access check\n"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            os.write(fd, payload)
        finally:
            os.close(fd)
    except OSError as e:
        return [AccessProblem("write", reason(e))]
    problems = []
    try:
        if probe.read_bytes() != payload:
            problems.append(AccessProblem("read", "the probe file read back differs"))
    except OSError as e:
        problems.append(AccessProblem("read", reason(e)))
    try:
        probe.unlink()
    except OSError as e:
        problems.append(AccessProblem("remove", reason(e)))
    return problems


def list_pdfs(folder: str) -> list[Path]:
    """The PDF names directly in `folder` (not in subfolders); raises OSError when it cannot be listed."""
    with os.scandir(folder) as entries:
        return [Path(e.path) for e in entries if is_pdf_name(e.name)]


@dataclass
class _Seen:
    available: bool
    identity: tuple[int, int] | None
    reason: str


@dataclass(frozen=True)
class Change:
    folder: str
    kind: str      # "first" (seen for the first time), "back", "replaced", "missing"
    reason: str = ""


class Folders:
    """Whether each source folder is there, and whether it is still the same folder (a folder removed and
    made again needs a new watch)."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        self.names = folders
        self._seen: dict[str, _Seen] = {}

    def available(self, folder: str) -> bool:
        seen = self._seen.get(folder)
        return seen is not None and seen.available

    def unusable(self, folder: str, why: str) -> None:
        """It is there but cannot be used: the next check reports it "back" once it can be."""
        self._seen[folder] = _Seen(False, None, why)

    def check(self) -> list[Change]:
        changes = []
        for folder in self.names:
            try:
                st = os.stat(folder)
                if not stat.S_ISDIR(st.st_mode):
                    raise NotADirectoryError(20, "not a folder")
                now = _Seen(True, (st.st_dev, st.st_ino), "")
            except OSError as e:
                now = _Seen(False, None, reason(e))
            before = self._seen.get(folder)
            self._seen[folder] = now
            if before is None:
                changes.append(Change(folder, "first" if now.available else "missing", now.reason))
            elif before.available and not now.available:
                changes.append(Change(folder, "missing", now.reason))
            elif not before.available and now.available:
                changes.append(Change(folder, "back"))
            elif now.available and before.identity != now.identity:
                changes.append(Change(folder, "replaced"))
        return changes
