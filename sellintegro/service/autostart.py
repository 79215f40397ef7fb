"""Start at logon: the application-mode endpoint (with its tray), or in a service mode the tray alone,
attached to the service.

Windows: the per-user Run key (HKCU\\...\\CurrentVersion\\Run, value "Sellintegro"), which needs no
shortcut file and is what Task Manager's Startup tab lists. Linux: an XDG autostart entry
(~/.config/autostart/sellintegro.desktop), honoured by GNOME, KDE, Xfce, LXQt and others.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Protocol

from .plan import Step, endpoint_command, windows_command_line
from .seam import WindowsOS

RUN_VALUE = "Sellintegro"
RUN_KEY_SHOWN = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
DESKTOP_FILE = "sellintegro.desktop"
_RESERVED = re.compile(r"[\s\"'\\><~|&;$*?#()`]")


def cli_has(command: str) -> bool:
    """Whether `sellintegro COMMAND` exists in this installation (the tray is built separately)."""
    from .. import cli

    for action in cli.build_parser()._actions:  # argparse has no public list of subcommands
        if isinstance(action, argparse._SubParsersAction):
            return command in action.choices
    return False


def logon_command(mode: str, config_path: Path) -> list[str] | None:
    """What starts at logon in `mode`: the endpoint and tray, or the tray attached to the service (if built)."""
    if mode == "application":
        return endpoint_command("run", "--config", str(config_path), gui=True)
    if cli_has("tray"):
        return endpoint_command("tray", "--config", str(config_path), gui=True)
    return None


def desktop_exec(argv: list[str]) -> str:
    """The Exec= value of a desktop entry (Desktop Entry Specification: quoting, then string escapes)."""
    parts = []
    for arg in argv:
        arg = arg.replace("%", "%%")
        if _RESERVED.search(arg):
            arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
        parts.append(arg)
    return " ".join(parts).replace("\\", "\\\\")


def desktop_entry(argv: list[str], mode: str) -> str:
    what = "endpoint and tray" if mode == "application" else "tray, attached to the service"
    return ("[Desktop Entry]\n"
            "Type=Application\n"
            "Name=Sellintegro\n"
            f"Comment=Sellintegro {what} ({mode}); `sellintegro autostart off` removes this\n"
            f"Exec={desktop_exec(argv)}\n"
            "Terminal=false\n"
            "NoDisplay=true\n"
            "X-GNOME-Autostart-enabled=true\n")


class Autostart(Protocol):
    where: str

    def current(self) -> str | None:
        """The command that starts at logon now, or None."""

    def enable_steps(self, argv: list[str], mode: str) -> list[Step]: ...

    def disable_steps(self) -> list[Step]: ...


class XdgAutostart:
    """~/.config/autostart/sellintegro.desktop of one user (`owner`: uid and gid when written as root)."""

    def __init__(self, config_home: Path, owner: tuple[int, int] | None = None) -> None:
        self.path = config_home / "autostart" / DESKTOP_FILE
        self.where = str(self.path)
        self.owner = owner

    def current(self) -> str | None:
        try:
            content = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        found = re.search(r"^Exec=(.*)$", content, re.MULTILINE)
        return found.group(1) if found else None

    def _write(self, content: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(content, encoding="utf-8")
        if self.owner is not None and sys.platform != "win32":
            os.chown(self.path.parent, *self.owner)
            os.chown(tmp, *self.owner)
        os.replace(tmp, self.path)

    def enable_steps(self, argv: list[str], mode: str) -> list[Step]:
        content = desktop_entry(argv, mode)
        return [Step(f"write {self.path}", lambda: self._write(content), detail=content)]

    def disable_steps(self) -> list[Step]:
        if not self.path.exists():
            return []
        return [Step(f"rm {self.path}", lambda: self.path.unlink(missing_ok=True))]


class RunKeyAutostart:
    """The per-user Run key value "Sellintegro" (Windows)."""

    where = f"{RUN_KEY_SHOWN}\\{RUN_VALUE}"

    def __init__(self, os: WindowsOS) -> None:
        self.os = os

    def current(self) -> str | None:
        return self.os.run_value(RUN_VALUE)

    def enable_steps(self, argv: list[str], mode: str) -> list[Step]:
        command = windows_command_line(argv)
        return [Step(f"RegSetValueEx({RUN_KEY_SHOWN}, {RUN_VALUE!r}, REG_SZ, {command!r})",
                     lambda: self.os.set_run_value(RUN_VALUE, command))]

    def disable_steps(self) -> list[Step]:
        if self.current() is None:
            return []
        return [Step(f"RegDeleteValue({RUN_KEY_SHOWN}, {RUN_VALUE!r})", lambda: self.os.delete_run_value(RUN_VALUE))]


def platform_autostart(home: Path | None = None, owner: tuple[int, int] | None = None) -> Autostart:
    """This user's autostart (`home`: another user's, e.g. the one behind sudo)."""
    if sys.platform == "win32":
        from .win32os import Win32OS

        return RunKeyAutostart(Win32OS())
    if home is None:
        config_home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    else:
        config_home = home / ".config"
    return XdgAutostart(config_home, owner)
