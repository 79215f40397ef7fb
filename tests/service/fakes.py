"""Hand-written fakes of the service modes' seams: a recording Windows, a Linux whose systemd runs real
processes, and a launcher of the application mode. Each records every call; none patches anything."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from sellintegro.service import UNIT_NAME
from sellintegro.service.errors import ServiceError
from sellintegro.service.seam import LogonError, ServiceInfo, UserInfo
from sellintegro.service.systemd import exec_argv

# The calls that change something; the rest only read.
WINDOWS_CHANGES = ("LsaAddAccountRights", "SetNamedSecurityInfo", "CreateService", "ChangeServiceConfig",
                   "ChangeServiceConfig2", "StartService", "ControlService", "DeleteService", "RegSetValueEx",
                   "RegDeleteValue")


@dataclass
class FakeWindows:
    """A recording WindowsOS: accounts, passwords, rights, services and the Run key live in dicts."""

    admin: bool = True
    computer: str = "DESK"
    current: str = "DESK\\jan"
    sids: dict[str, str] = field(default_factory=lambda: {"DESK\\jan": "S-1-5-21-7-1001",
                                                          "DESK\\kasia": "S-1-5-21-7-1002",
                                                          "CORP\\svc-sell": "S-1-5-21-9-2001"})
    passwords: dict[str, str] = field(default_factory=lambda: {"kasia": "Pa55word!", "svc-sell": "Corp-pw1"})
    logon_errors: dict[str, int] = field(default_factory=dict)  # user -> a Win32 error LogonUser reports
    rights: dict[str, list[str]] = field(default_factory=dict)
    services: dict[str, ServiceInfo] = field(default_factory=dict)
    run_values: dict[str, str] = field(default_factory=dict)
    remote: list[str] = field(default_factory=list)
    start_ends: str = "running"  # where a started service ends up ("stopped": it failed at once)
    clock: float = 0.0
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def changes(self) -> list[tuple[Any, ...]]:
        return [c for c in self.calls if c[0] in WINDOWS_CHANGES]

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]

    # -- who is asking ---------------------------------------------------------------------------------------
    def is_admin(self) -> bool:
        self.calls.append(("IsUserAnAdmin",))
        return self.admin

    def current_account(self) -> str:
        return self.current

    def computer_name(self) -> str:
        return self.computer

    # -- accounts ---------------------------------------------------------------------------------------------
    def _canonical(self, account: str) -> str:
        if account.startswith(".\\"):
            return f"{self.computer}\\{account[2:]}"
        if "\\" not in account:
            return f"{self.computer}\\{account}"
        return account

    def lookup_account(self, account: str) -> tuple[str, str]:
        self.calls.append(("LookupAccountName", account))
        name = self._canonical(account)
        for known, sid in self.sids.items():
            if known.lower() == name.lower():
                return sid, known
        raise LookupError(account)

    def logon_user(self, user: str, domain: str | None, password: str) -> None:
        self.calls.append(("LogonUser", user, domain))
        if user in self.logon_errors:
            raise LogonError(self.logon_errors[user], "refused")
        if self.passwords.get(user) != password:
            raise LogonError(1326, "The user name or password is incorrect.")

    def account_rights(self, sid: str) -> list[str]:
        self.calls.append(("LsaEnumerateAccountRights", sid))
        return list(self.rights.get(sid, []))

    def add_account_rights(self, sid: str, rights: Sequence[str]) -> None:
        self.calls.append(("LsaAddAccountRights", sid, tuple(rights)))
        self.rights.setdefault(sid, []).extend(rights)

    # -- the service control manager ----------------------------------------------------------------------------
    def query_service(self, name: str) -> ServiceInfo | None:
        self.calls.append(("QueryService", name))
        info = self.services.get(name)
        if info is not None and info.state.endswith("_pending"):
            # The next look finds it where it was going.
            final = {"start_pending": self.start_ends, "stop_pending": "stopped"}[info.state]
            self.services[name] = ServiceInfo(info.name, info.command_line, info.account, final)
        return info

    def create_service(self, name: str, display_name: str, command_line: str, account: str | None,
                       password: str | None) -> None:
        self.calls.append(("CreateService", name, display_name, command_line, account, password))
        self.services[name] = ServiceInfo(name, command_line, account or "LocalSystem", "stopped")

    def change_service(self, name: str, display_name: str, command_line: str, account: str,
                       password: str) -> None:
        self.calls.append(("ChangeServiceConfig", name, display_name, command_line, account, password))
        old = self.services[name]
        self.services[name] = ServiceInfo(name, command_line, account, old.state)

    def set_description(self, name: str, description: str) -> None:
        self.calls.append(("ChangeServiceConfig2", name, "SERVICE_CONFIG_DESCRIPTION", description))

    def set_failure_actions(self, name: str, reset_period_s: int, actions: Sequence[tuple[str, int]]) -> None:
        self.calls.append(("ChangeServiceConfig2", name, "SERVICE_CONFIG_FAILURE_ACTIONS", reset_period_s,
                           tuple(actions)))

    def set_failure_actions_flag(self, name: str, on: bool) -> None:
        self.calls.append(("ChangeServiceConfig2", name, "SERVICE_CONFIG_FAILURE_ACTIONS_FLAG", on))

    def set_delayed_autostart(self, name: str, on: bool) -> None:
        self.calls.append(("ChangeServiceConfig2", name, "SERVICE_CONFIG_DELAYED_AUTO_START_INFO", on))

    def _set_state(self, name: str, state: str) -> None:
        info = self.services[name]
        self.services[name] = ServiceInfo(name, info.command_line, info.account, state)

    def start_service(self, name: str) -> None:
        self.calls.append(("StartService", name))
        self._set_state(name, "start_pending")

    def stop_service(self, name: str) -> None:
        self.calls.append(("ControlService", name, "SERVICE_CONTROL_STOP"))
        self._set_state(name, "stop_pending")

    def delete_service(self, name: str) -> None:
        self.calls.append(("DeleteService", name))
        del self.services[name]

    def remote_drives(self) -> list[str]:
        return list(self.remote)

    # -- files and registry ----------------------------------------------------------------------------------
    def set_directory_dacl(self, path: str, sddl: str) -> None:
        self.calls.append(("SetNamedSecurityInfo", path, sddl))

    def run_value(self, name: str) -> str | None:
        return self.run_values.get(name)

    def set_run_value(self, name: str, command_line: str) -> None:
        self.calls.append(("RegSetValueEx", name, command_line))
        self.run_values[name] = command_line

    def delete_run_value(self, name: str) -> None:
        self.calls.append(("RegDeleteValue", name))
        self.run_values.pop(name, None)

    def sleep(self, seconds: float) -> None:
        self.clock += seconds

    def monotonic(self) -> float:
        return self.clock


def supervisors_alive(marker: str) -> list[tuple[int, str]]:
    """Live supervisor processes (not workers) whose command line mentions `marker` (a test's tmp dir)."""
    found = []
    for p in psutil.process_iter(["pid", "cmdline", "status"]):
        cmd = p.info["cmdline"] or []
        line = " ".join(cmd)
        if marker not in line or p.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        if "sellintegro.worker" in line or "SellintegroAppWorker" in line or "checks" in cmd:
            continue
        if "run" in cmd or "host" in cmd:
            found.append((p.info["pid"], line))
    return found


@dataclass
class FakeLinux:
    """A recording LinuxOS over a temporary root. File changes happen for real (inside the test's root);
    accounts and ownership are recorded, not applied. Its systemd runs the unit's ExecStart as a real
    process and stops it as KillMode=mixed does: SIGTERM to the main process, SIGKILL to what is left."""

    marker: str  # a path every process of this test carries on its command line
    systemd: bool = True
    has_systemctl: bool = True
    root: bool = True
    unit_root: Path | None = None  # where the unit files are (the backend's root)
    users: dict[str, UserInfo] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)
    fail_start: bool = False
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    proc: subprocess.Popen[bytes] | None = None
    overlaps: list[str] = field(default_factory=list)  # a supervisor found alive when another started

    def is_root(self) -> bool:
        return self.root

    def user(self, name: str) -> UserInfo | None:
        return self.users.get(name)

    def group_exists(self, name: str) -> bool:
        return name in self.groups

    def add_group(self, name: str) -> None:
        self.calls.append(("groupadd", name))
        self.groups.add(name)

    def make_dir(self, path: str, mode: int, user: str, group: str) -> None:
        self.calls.append(("install -d", path, oct(mode), user, group))
        Path(path).mkdir(parents=True, exist_ok=True)
        os.chmod(path, mode)

    def chown_tree(self, path: str, user: str, group: str) -> None:
        self.calls.append(("chown -R", path, user, group))

    def write_file(self, path: str, content: str, mode: int, user: str, group: str) -> None:
        self.calls.append(("write", path, oct(mode), user, group))
        Path(path).write_text(content, encoding="utf-8")
        os.chmod(path, mode)

    def remove_file(self, path: str) -> None:
        self.calls.append(("rm", path))
        Path(path).unlink(missing_ok=True)

    def which(self, command: str) -> str | None:
        return f"/usr/bin/{command}" if self.has_systemctl else None

    def systemd_running(self) -> bool:
        return self.systemd

    def pid1(self) -> str:
        return "init-of-the-test"

    # -- systemctl -------------------------------------------------------------------------------------------
    def systemctl(self, *args: str) -> str:
        self.calls.append(("systemctl", *args))
        if args[0] == "--root":
            if shutil.which("systemctl") is None:
                return ""  # an offline enable only makes a symlink; without systemctl it is recorded only
            proc = subprocess.run(["systemctl", *args], capture_output=True, text=True)
            if proc.returncode:
                raise ServiceError(proc.stderr)
            return proc.stdout
        if args[0] == "start":
            self._start()
        elif args[0] == "stop":
            self._stop()
        elif args[0] == "is-active":
            if self.proc is None or self.proc.poll() is not None:
                raise ServiceError("inactive")
            return "active\n"
        return ""

    def unit_text(self) -> str:
        root = self.unit_root or Path("/")
        return (root / "etc" / "systemd" / "system" / UNIT_NAME).read_text(encoding="utf-8")

    def _start(self) -> None:
        if self.fail_start:
            raise ServiceError("Job for sellintegro.service failed (the test asked for it)")
        if self.proc is not None and self.proc.poll() is None:
            return
        alive = supervisors_alive(self.marker)
        if alive:
            self.overlaps.append(f"service started while {alive} ran")
        argv = exec_argv(self.unit_text())
        log = open(Path(self.marker) / "service.out", "ab")  # noqa: SIM115 - closed by the child's exit
        self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd="/",
                                     env={**os.environ, "SELLINTEGRO_LANG": "en"})
        log.close()

    def _stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        try:
            tree = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            tree = []
        proc.send_signal(signal.SIGTERM)  # KillMode=mixed: the main process alone
        try:
            proc.wait(timeout=60)
        finally:
            for p in tree:  # then SIGKILL to the rest of the "cgroup"
                try:
                    p.kill()
                except psutil.NoSuchProcess:
                    pass

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@dataclass
class FakeLauncher:
    """Starts the application-mode endpoint headless, as a real process, and notes any overlap."""

    marker: str
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    started: list[Path] = field(default_factory=list)

    def command(self, config_path: Path) -> str:
        return f"sellintegro run --config {config_path}"

    def start(self, config_path: Path, user: str | None) -> bool:
        alive = supervisors_alive(self.marker)
        if alive:
            self.overlaps.append(f"application started while {alive} ran")
        self.started.append(config_path)
        log = open(Path(self.marker) / "app.out", "ab")  # noqa: SIM115 - closed by the child's exit
        self.procs.append(subprocess.Popen(
            [sys.executable, "-m", "sellintegro", "run", "--headless", "--config", str(config_path)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "SELLINTEGRO_LANG": "en"}))
        log.close()
        return True

    def kill(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait(10)
