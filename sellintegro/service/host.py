"""The headless supervisor a service manager runs (`... service host --mode service-system|service-user`).

systemd runs it in the foreground: SIGTERM reaches the supervisor alone (KillMode=mixed) and it stops its
workers politely. The Windows service (winservice.py) runs the same host on its service thread and asks it
to stop on SERVICE_CONTROL_STOP. Next to the supervisor the host
- lets the attach group read the control file (POSIX; on Windows the directory's ACL decides), and
- runs the plugin checks once, in a child process of the service (so as the service account), into
  run/checks.json, which `sellintegro mode` prints as the seed's checklist.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .. import places
from ..config import Config, load
from ..control import CONTROL_FILE
from ..errors import SellintegroError
from ..plugins import load_types
from .plan import self_command

CHECKS_FILE = "checks.json"


def load_config(path: Path) -> Config:
    config = load(path, load_types())
    if config.endpoint.language:
        os.environ["SELLINTEGRO_LANG"] = config.endpoint.language  # as `sellintegro run` does
    return config


def share_control_file(run_dir: Path) -> bool:
    """Let the run directory's group read the control file, when the install set the directory up for it.

    control.py writes the file owner-only (0600); an installed service's run directory is setgid to the
    attach group (2750), so members of that group (and root) may attach, and nobody else.
    """
    if sys.platform == "win32":
        return False
    try:
        if not run_dir.stat().st_mode & stat.S_ISGID:
            return False
        os.chmod(run_dir / CONTROL_FILE, 0o640)
    except FileNotFoundError:
        return False
    return True


class _Front:
    """The Runner's front end in a service: owns the main thread, shows nothing, waits for a stop."""

    def __init__(self, host: ServiceHost) -> None:
        self.host = host

    def run(self) -> None:
        self.host._on_started()
        self.host._stop.wait()

    def stop(self) -> None:
        self.host._stop.set()


class ServiceHost:
    def __init__(self, config_path: Path, mode: str, echo: TextIO | None = None,
                 on_running: Callable[[], None] | None = None, run_checks: bool = True) -> None:
        self.config_path = config_path
        self.mode = mode
        self.echo = echo if echo is not None else sys.stderr
        self.on_running = on_running
        self.run_checks = run_checks
        self._stop = threading.Event()
        self.checks_proc: subprocess.Popen[bytes] | None = None
        self.failure: str | None = None  # why run() ended with an error, for the Windows event log

    def run(self) -> int:
        """Supervise until stopped; the exit code says why it ended (2: config, 1: other failure)."""
        from ..runner import Runner

        try:
            config = load_config(self.config_path)
            self.runner = Runner(config, mode=self.mode, echo=self.echo)
            return self.runner.run(_Front(self))
        except SellintegroError as e:  # ConfigError (2), AlreadyRunning (1), ...
            self.failure = str(e)
            print(f"sellintegro service host: {e}", file=self.echo)
            return e.exit_code

    def request_stop(self) -> None:
        """Stop the supervisor and its workers (from another thread: the service manager's stop)."""
        self._stop.set()

    def _on_started(self) -> None:
        runner = self.runner
        shared = share_control_file(runner.run_dir)
        runner.hub.emit(None, "INFO", "service",
                        f"running as a service ({self.mode}); control file "
                        + ("readable by the attach group" if shared else "readable by this account"))
        if self.run_checks:
            self._start_checks(runner.run_dir)
        if self.on_running is not None:
            self.on_running()

    def _start_checks(self, run_dir: Path) -> None:
        out = run_dir / CHECKS_FILE
        try:
            out.unlink()
        except FileNotFoundError:
            pass
        argv = self_command("checks", "--config", str(self.config_path), "--out", str(out))
        flags = 0
        if sys.platform == "win32":
            flags = subprocess.CREATE_NO_WINDOW
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, creationflags=flags)
        except OSError as e:
            self.runner.hub.emit(None, "WARNING", "service", f"could not start the plugin checks: {e}")
            return
        self.checks_proc = proc
        threading.Thread(target=proc.wait, name="checks-reaper", daemon=True).start()


def checks_path(data_dir: Path) -> Path:
    return places.run_dir(data_dir) / CHECKS_FILE
