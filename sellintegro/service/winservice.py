"""The Windows service: a pywin32 ServiceFramework that runs the ServiceHost (Windows only).

The service's command line is `"<python.exe>" -m sellintegro.service host --mode M --config C` (in the
PyInstaller build `"<dir>\\Sellintegro.exe" service host ...`), with absolute paths only, since a service
starts in C:\\Windows\\System32. `host` calls dispatch(), which hands the process to the service control
manager; ServiceMain then runs on a thread of the dispatcher, and so does the supervisor's front.
"""

from __future__ import annotations

import sys

assert sys.platform == "win32", "sellintegro.service.winservice runs on Windows only"

import threading  # noqa: E402 - after the platform assert, which mypy uses to skip this module elsewhere
from collections.abc import Iterable  # noqa: E402
from pathlib import Path  # noqa: E402

import pywintypes  # noqa: E402
import servicemanager  # noqa: E402
import win32service  # noqa: E402
import win32serviceutil  # noqa: E402
import winerror  # noqa: E402

from . import DESCRIPTION, DISPLAY_NAME, SERVICE_NAME  # noqa: E402
from .host import ServiceHost  # noqa: E402

# How long the service manager should wait between our reports while the workers stop.
STOP_WAIT_HINT_MS = 30_000
START_WAIT_HINT_MS = 60_000

# The config and the mode the process was started with; set by dispatch() before the SCM calls us.
_ARGS: tuple[Path, str] | None = None


class ServiceFailed(Exception):
    """The supervisor ended with a failure; pywin32 reports the service stopped with an error code."""


class SellintegroService(win32serviceutil.ServiceFramework):
    _svc_name_ = SERVICE_NAME
    _svc_display_name_ = DISPLAY_NAME
    _svc_description_ = DESCRIPTION

    def __init__(self, args: Iterable[str]) -> None:
        super().__init__(args)
        assert _ARGS is not None, "dispatch() sets the config before the service starts"
        config, mode = _ARGS
        self.done = threading.Event()
        # No console in session 0: the supervisor's records go to its log files only.
        self.host = ServiceHost(config, mode, echo=None, on_running=self._running)

    def _running(self) -> None:
        self.ReportServiceStatus(win32service.SERVICE_RUNNING)

    def SvcRun(self) -> None:  # noqa: N802 - pywin32's name
        # Replaces the base class's SvcRun, which reports RUNNING before anything ran: here RUNNING comes
        # from the supervisor itself, once its control API answers and its workers are starting.
        self.ReportServiceStatus(win32service.SERVICE_START_PENDING, waitHint=START_WAIT_HINT_MS)
        try:
            code = self.host.run()
        finally:
            self.done.set()
        if code != 0:
            why = self.host.failure or "see its log files"
            servicemanager.LogErrorMsg(f"{SERVICE_NAME}: the supervisor ended with exit code {code}: {why}")
            # pywin32 reports SERVICE_STOPPED with an error for an exception; with
            # FailureActionsOnNonCrashFailures set at install, the recovery actions restart the service.
            raise ServiceFailed(f"exit code {code}")
        self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)

    def SvcStop(self) -> None:  # noqa: N802 - pywin32's name
        self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING, waitHint=STOP_WAIT_HINT_MS)
        threading.Thread(target=self._stop_pending, name="stop-pending", daemon=True).start()
        self.host.request_stop()

    def SvcShutdown(self) -> None:  # noqa: N802 - pywin32's name
        self.SvcStop()

    def _stop_pending(self) -> None:
        # Each worker gets its stop_timeout: keep telling the service manager the stop is progressing.
        while not self.done.wait(5.0):
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING, waitHint=STOP_WAIT_HINT_MS)


def dispatch(config: Path, mode: str) -> bool:
    """Hand this process to the service control manager; False when it was not started by it (a console)."""
    global _ARGS
    _ARGS = (config, mode)
    servicemanager.Initialize()
    servicemanager.PrepareToHostSingle(SellintegroService)
    try:
        servicemanager.StartServiceCtrlDispatcher()
    except pywintypes.error as e:
        if e.winerror == winerror.ERROR_FAILED_SERVICE_CONTROLLER_CONNECT:
            return False
        raise
    return True
