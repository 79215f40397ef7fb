"""A running endpoint, found through its data directory, and how to stop or start one.

Two endpoints over the same orders would create every document twice, so a mode switch stops the old
instance and waits until its process is gone before the new one starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import psutil

from .. import places
from ..control import ControlClient, read_control_file
from ..errors import ControlError
from .errors import ServiceError
from .plan import endpoint_command, shell_line, windows_command_line


@dataclass(frozen=True)
class Running:
    pid: int
    mode: str


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def running(data_dir: Path) -> Running | None:
    """The supervisor that answers for `data_dir`, or None (a stale control file counts as none)."""
    run_dir = places.run_dir(data_dir)
    info = read_control_file(run_dir)
    if info is None or not _alive(int(info.get("pid", 0))):
        return None
    try:
        status = ControlClient(run_dir, data_dir, timeout=5.0).call("GET", "/v1/status")
    except ControlError:
        return None
    return Running(int(status["supervisor"]["pid"]), str(status["supervisor"].get("mode", "?")))


def stop(data_dir: Path, timeout: float) -> int | None:
    """Ask the supervisor of `data_dir` to stop its workers and itself; wait until its process is gone."""
    found = running(data_dir)
    if found is None:
        return None
    try:
        ControlClient(places.run_dir(data_dir), data_dir).call("POST", "/v1/stop")
    except ControlError:
        pass  # it may have stopped in between; the wait below decides
    end = time.monotonic() + timeout
    while _alive(found.pid):
        if time.monotonic() > end:
            raise ServiceError(f"the supervisor (pid {found.pid}) for {data_dir} is still running after "
                               f"{timeout:g} s; stop it (`sellintegro stop --config ...`) and try again")
        time.sleep(0.05)
    return found.pid


def wait_running(data_dir: Path, mode: str, timeout: float) -> Running:
    """Wait until a supervisor in `mode` answers for `data_dir`."""
    end = time.monotonic() + timeout
    while True:
        found = running(data_dir)
        if found is not None and found.mode == mode:
            return found
        if time.monotonic() > end:
            raise ServiceError(f"no supervisor in mode {mode} answered for {data_dir} within {timeout:g} s")
        time.sleep(0.1)


class Launcher(Protocol):
    def start(self, config_path: Path, user: str | None) -> bool:
        """Start the application-mode endpoint for `config_path` in the background; False: left to the user."""

    def command(self, config_path: Path) -> str:
        """The command a person runs to start it."""


class DesktopLauncher:
    """Starts `sellintegro run` (with its tray) detached from this command, as the user running it."""

    def command(self, config_path: Path) -> str:
        argv = endpoint_command("run", "--config", str(config_path), gui=True)
        return windows_command_line(argv) if sys.platform == "win32" else shell_line(argv)

    def start(self, config_path: Path, user: str | None) -> bool:
        if sys.platform != "win32" and os.geteuid() == 0 and user not in (None, "root"):
            # Under sudo this is root, outside the user's desktop session: their autostart starts it.
            return False
        argv = endpoint_command("run", "--config", str(config_path), gui=True)
        if sys.platform == "win32":
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL,
                             creationflags=subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP)
        else:
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        return True
