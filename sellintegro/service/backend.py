"""The platform's service manager behind one interface: the Windows service or the systemd unit."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from ..config import Config
from .plan import Step


@dataclass(frozen=True)
class Installed:
    """What the service manager has installed: its mode, account, whether it runs, and its config."""

    mode: str
    account: str
    running: bool
    config_path: Path | None


class ServiceBackend(Protocol):
    label: str
    log_hint: str

    def check_available(self) -> None:
        """Raise ServiceError (nothing changed) when a service cannot be installed or controlled here."""

    def resolve_account(self, account: str, user: str | None) -> str:
        """The account of `--account system|user [--user NAME]`, checked to exist (PreflightError if not)."""

    def needs_password(self, account: str) -> bool: ...

    def check_password(self, owner: str, password: str | None) -> None:
        """Refuse a password the service manager would not accept (PreflightError), before any change."""

    def protect_steps(self, owner: str) -> list[Step]:
        """Make the machine-wide directory readable only by the service account, admins and the installer,
        before anything secret (the config, the control token) is put there."""

    def data_steps(self, owner: str, data_dir: Path) -> list[Step]:
        """Give the service account the data directory (ownership or ACL)."""

    def install(self, mode: str, owner: str, password: str | None, config_path: Path, config: Config,
                out: TextIO, dry_run: bool) -> None: ...

    def uninstall(self, out: TextIO, dry_run: bool) -> bool: ...

    def start(self, out: TextIO, dry_run: bool, timeout: float) -> None: ...

    def stop(self, out: TextIO, dry_run: bool, timeout: float) -> None: ...

    def installed(self) -> Installed | None: ...


def platform_backend(root: Path | None = None) -> ServiceBackend:
    """The real service manager of this machine (`root`: install a Linux unit into another tree)."""
    if sys.platform == "win32":
        from .win32os import Win32OS
        from .windows import WindowsBackend

        return WindowsBackend(Win32OS())
    from .linuxos import RealLinuxOS
    from .systemd import SystemdBackend

    return SystemdBackend(RealLinuxOS(), root)
