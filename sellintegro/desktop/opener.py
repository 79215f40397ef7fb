"""Open a folder or a file with the desktop's default program, and start the log viewer process.

The OS calls come in as parameters (defaults: the real ones), so the choice per platform is tested
with a recording fake.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Spawn = Callable[..., Any]


class OpenFailed(Exception):
    """The desktop could not open the path; the message says why in one line."""


def _startfile(path: str, verb: str | None = None) -> None:
    if verb:
        os.startfile(path, verb)  # type: ignore[attr-defined]  # Windows only
    else:
        os.startfile(path)  # type: ignore[attr-defined]  # Windows only


def open_path(path: Path, platform: str = sys.platform, spawn: Spawn = subprocess.Popen,
              startfile: Callable[..., None] = _startfile, edit: bool = False) -> None:
    """Show `path` (a folder in the file manager; with `edit`, a text file in an editor)."""
    target = str(path)
    try:
        if platform == "win32":
            try:
                startfile(target, "edit" if edit else None)
            except OSError:
                if not edit:
                    raise
                # .toml has no "edit" verb unless an editor claimed it: Notepad is always there.
                _reap(spawn(["notepad.exe", target]))
            return
        command = ["open", "-t", target] if platform == "darwin" and edit else \
            ["open", target] if platform == "darwin" else ["xdg-open", target]
        _reap(spawn(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True))
    except FileNotFoundError as e:
        raise OpenFailed(f"{e.filename or e}: not found") from None
    except OSError as e:
        raise OpenFailed(str(e)) from None


def _reap(proc: Any) -> None:
    """Wait for a short-lived opener on a thread of its own, so it leaves no zombie behind."""
    wait = getattr(proc, "wait", None)
    if wait is not None:
        threading.Thread(target=wait, name="opener-reaper", daemon=True).start()


def viewer_command(config: Path, data_dir: Path, executable: str = sys.executable,
                   platform: str = sys.platform) -> list[str]:
    """The viewer's command line; on Windows pythonw.exe, so no console window opens beside it."""
    if platform == "win32":
        gui = Path(executable).with_name("pythonw.exe")
        if gui.exists():
            executable = str(gui)
    return [executable, "-m", "sellintegro.desktop.viewer", "--config", str(config), "--data-dir", str(data_dir)]


def start_viewer(command: Sequence[str], spawn: Spawn = subprocess.Popen, platform: str = sys.platform) -> Any:
    """Start the viewer detached from the tray's console: a Ctrl-C meant for `sellintegro run` spares it."""
    extra: dict[str, Any] = {}
    if platform == "win32":
        extra["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    else:
        extra["start_new_session"] = True
    return spawn(list(command), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, **extra)
