"""A plan: the changes a command makes, as steps that are either printed (--dry-run) or carried out.

Reads (is the service installed? does the account exist?) happen before the plan is made, so a dry run
shows exactly the calls a real run would make, and a refusal comes before the first change.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from .texts import text


@dataclass(frozen=True)
class Step:
    """One change: `shown` is what a person reads (a shell command or an API call), `detail` a file body."""

    shown: str
    do: Callable[[], object] = field(repr=False)
    detail: str = ""
    # What the step prints after it ran (e.g. "granted Log on as a service"); empty: nothing.
    said: str = ""


def chain(*calls: Callable[[], object]) -> Callable[[], None]:
    """One step's action made of several calls, in order."""
    def run() -> None:
        for call in calls:
            call()
    return run


def carry_out(steps: Iterable[Step], out: TextIO, dry_run: bool) -> None:
    """Print the steps (dry run) or run them in order; a failing step raises and stops the rest."""
    steps = list(steps)
    if dry_run:
        print(text("dry_run_header"), file=out)
        for s in steps:
            print(f"  {s.shown}", file=out)
            if s.detail:
                for line in s.detail.rstrip("\n").split("\n"):
                    print(f"    | {line}", file=out)
        return
    for s in steps:
        s.do()
        if s.said:
            print(s.said, file=out)


def self_command(*args: str) -> list[str]:
    """The command line that runs this installation's service commands, with absolute paths.

    A PyInstaller build has no `-m`: its Sellintegro executable takes `service ...` like the CLI does.
    """
    exe = os.path.abspath(sys.executable)
    if getattr(sys, "frozen", False):
        return [exe, "service", *args]
    return [exe, "-m", "sellintegro.service", *args]


def endpoint_command(*args: str, gui: bool = False) -> list[str]:
    """The command line of `sellintegro ARGS` in this installation; `gui`: no console window on Windows."""
    exe = os.path.abspath(sys.executable)
    if getattr(sys, "frozen", False):
        return [exe, *args]
    if gui and sys.platform == "win32":
        pythonw = os.path.join(os.path.dirname(exe), "pythonw.exe")
        if os.path.exists(pythonw):
            exe = pythonw
    return [exe, "-m", "sellintegro", *args]


def windows_command_line(argv: list[str]) -> str:
    """One Windows command line (the quoting CreateProcess and the service manager expect)."""
    return subprocess.list2cmdline(argv)


def shell_line(argv: list[str]) -> str:
    return shlex.join(argv)
