"""The Windows seam: every call the service modes make into the service manager, LSA, ACLs and the registry.

`win32os.Win32OS` implements it with pywin32, one Win32 function per method (its name says which), so the
install policy in `windows.py` is tested on any machine against a recording fake
(tests/service/fakes.py), and `mypy --platform win32` checks each real call against the pywin32 stubs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# Service states as QueryServiceStatus reports them, by name.
STATES = ("stopped", "start_pending", "stop_pending", "running", "continue_pending", "pause_pending", "paused")


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    command_line: str
    account: str  # "LocalSystem" or ".\\NAME" / "DOMAIN\\NAME"
    state: str  # one of STATES


class LogonError(Exception):
    """LogonUser refused the credentials; `winerror` says why (1326: wrong user name or password)."""

    def __init__(self, winerror: int, strerror: str) -> None:
        super().__init__(f"{strerror} ({winerror})")
        self.winerror = winerror
        self.strerror = strerror


class WindowsOS(Protocol):
    # -- who is asking ----------------------------------------------------------------------------------------
    def is_admin(self) -> bool:
        """IsUserAnAdmin: this process runs elevated."""

    def current_account(self) -> str:
        """The DOMAIN\\NAME this process runs as (GetUserNameEx)."""

    def computer_name(self) -> str:
        """GetComputerName: the domain part of local accounts."""

    # -- accounts -------------------------------------------------------------------------------------------
    def lookup_account(self, account: str) -> tuple[str, str]:
        """LookupAccountName: (SID as a string, DOMAIN\\NAME); LookupError when there is no such account."""

    def logon_user(self, user: str, domain: str | None, password: str) -> None:
        """LogonUser with a network logon, closing the token at once; raises LogonError when refused."""

    def account_rights(self, sid: str) -> list[str]:
        """LsaEnumerateAccountRights (an empty list when the account has none)."""

    def add_account_rights(self, sid: str, rights: Sequence[str]) -> None:
        """LsaAddAccountRights."""

    # -- the service control manager --------------------------------------------------------------------------
    def query_service(self, name: str) -> ServiceInfo | None:
        """QueryServiceConfig and QueryServiceStatus; None when the service does not exist."""

    def create_service(self, name: str, display_name: str, command_line: str, account: str | None,
                       password: str | None) -> None:
        """CreateService: own process, automatic start; account None is LocalSystem."""

    def change_service(self, name: str, display_name: str, command_line: str, account: str,
                       password: str) -> None:
        """ChangeServiceConfig of an existing service ("LocalSystem" with "" as password for SYSTEM)."""

    def set_description(self, name: str, description: str) -> None:
        """ChangeServiceConfig2(SERVICE_CONFIG_DESCRIPTION)."""

    def set_failure_actions(self, name: str, reset_period_s: int, actions: Sequence[tuple[str, int]]) -> None:
        """ChangeServiceConfig2(SERVICE_CONFIG_FAILURE_ACTIONS): (kind, delay in ms), kind restart/none."""

    def set_failure_actions_flag(self, name: str, on: bool) -> None:
        """ChangeServiceConfig2(SERVICE_CONFIG_FAILURE_ACTIONS_FLAG): also act on a non-zero exit."""

    def set_delayed_autostart(self, name: str, on: bool) -> None:
        """ChangeServiceConfig2(SERVICE_CONFIG_DELAYED_AUTO_START_INFO)."""

    def start_service(self, name: str) -> None:
        """StartService."""

    def stop_service(self, name: str) -> None:
        """ControlService(SERVICE_CONTROL_STOP)."""

    def delete_service(self, name: str) -> None:
        """DeleteService."""

    def remote_drives(self) -> list[str]:
        """Letters of the drives mapped to network shares in this session (GetDriveType: DRIVE_REMOTE)."""

    # -- files and registry -------------------------------------------------------------------------------------
    def set_directory_dacl(self, path: str, sddl: str) -> None:
        """Create `path` if needed and give it the protected DACL of `sddl` (SetNamedSecurityInfo),
        which also reaches every file and folder already inside."""

    def run_value(self, name: str) -> str | None:
        """The HKCU ...\\CurrentVersion\\Run value `name` (application autostart), or None."""

    def set_run_value(self, name: str, command_line: str) -> None:
        """RegSetValueEx under HKCU ...\\CurrentVersion\\Run."""

    def delete_run_value(self, name: str) -> None:
        """RegDeleteValue under HKCU ...\\CurrentVersion\\Run (no error when it is absent)."""

    # -- time ------------------------------------------------------------------------------------------------------
    def sleep(self, seconds: float) -> None: ...

    def monotonic(self) -> float: ...


# -- Linux -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserInfo:
    name: str
    uid: int
    gid: int
    home: str


class LinuxOS(Protocol):
    """Every effect of the systemd install on the machine: accounts, owned directories, systemctl."""

    def is_root(self) -> bool: ...

    def user(self, name: str) -> UserInfo | None:
        """The account `name` (getpwnam), or None."""

    def group_exists(self, name: str) -> bool: ...

    def add_group(self, name: str) -> None:
        """groupadd --system NAME."""

    def make_dir(self, path: str, mode: int, user: str, group: str) -> None:
        """install -d -m MODE -o USER -g GROUP PATH (parents as needed, owned by root)."""

    def chown_tree(self, path: str, user: str, group: str) -> None:
        """chown -R USER:GROUP PATH."""

    def write_file(self, path: str, content: str, mode: int, user: str, group: str) -> None: ...

    def remove_file(self, path: str) -> None: ...

    def which(self, command: str) -> str | None: ...

    def systemd_running(self) -> bool:
        """sd_booted(): /run/systemd/system exists."""

    def pid1(self) -> str:
        """The name of PID 1, to say what runs instead of systemd."""

    def systemctl(self, *args: str) -> str:
        """Run systemctl ARGS; its stdout, or ServiceError with its stderr."""
