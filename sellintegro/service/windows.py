"""The Windows service: install, uninstall, start and stop, as calls on the WindowsOS seam.

Install, for both accounts: a protected ACL on ProgramData\\sellintegro (SYSTEM, Administrators, the
service account, and the installing person, who may then attach a tray without elevation), then
CreateService (or ChangeServiceConfig when it exists), a description, recovery actions (restart after 5 s,
30 s, then every 60 s; the count resets after a day; also after a non-zero exit) and a delayed automatic
start, so a local SQL Server is up first. With a chosen user, the password is checked with LogonUser
before anything changes, "Log on as a service" is granted, and the password goes to the service manager
only: it is never written anywhere (NSSM and WinSW do the same; Datadog's installer too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import DESCRIPTION, DISPLAY_NAME, SERVICE_NAME
from .backend import Installed
from .errors import PreflightError, ServiceError
from .plan import Step, carry_out
from .seam import LogonError, ServiceInfo, WindowsOS
from .texts import text

LOGON_RIGHT = "SeServiceLogonRight"
RECOVERY_RESET_S = 24 * 3600
# Uninstall waits this long for a running service to stop (the workers' stop_timeout, and more).
STOP_TIMEOUT_S = 120.0
RECOVERY_ACTIONS: tuple[tuple[str, int], ...] = (("restart", 5_000), ("restart", 30_000), ("restart", 60_000))

# Win32 error codes LogonUser reports (winerror.h).
ERROR_LOGON_FAILURE = 1326
ERROR_NONE_MAPPED = 1332
ERROR_LOGON_TYPE_NOT_GRANTED = 1385
KNOWN_REFUSALS = (1311, 1327, 1330, 1331, 1793, 1907, 1909)

# Access masks in the directory ACL: full control, modify, read & execute.
FULL, MODIFY, READ = "FA", "0x1301bf", "0x1200a9"


@dataclass(frozen=True)
class WinAccount:
    """The account a service runs as: LocalSystem, or a named user (.\\NAME, DOMAIN\\NAME, NAME@DOMAIN)."""

    kind: str  # "system" | "user"
    name: str | None = None

    @property
    def shown(self) -> str:
        return "LocalSystem" if self.name is None else self.name

    def logon_parts(self) -> tuple[str, str | None]:
        """User and domain as LogonUser takes them ("." is the local machine; a UPN carries its own)."""
        assert self.name is not None
        if "\\" in self.name:
            domain, user = self.name.split("\\", 1)
            return user, domain
        return self.name, None


def parse_account(kind: str, user: str | None, current: str, computer: str) -> WinAccount:
    """The account of `--account KIND [--user NAME]`; without --user, the account running this command."""
    if kind == "system":
        if user:
            raise PreflightError(text("user_needs_account"))
        return WinAccount("system")
    name = user or current
    if "\\" not in name and "@" not in name:
        name = ".\\" + name
    domain, _, bare = name.partition("\\")
    if bare and domain.upper() == computer.upper():
        name = ".\\" + bare  # a local account, however it was written
    return WinAccount("user", name)


def check_credentials(os: WindowsOS, account: WinAccount, password: str | None) -> None:
    """Refuse, with a message naming the mistake, a password Windows would not accept for the service."""
    if not password:
        raise PreflightError(text("empty_password", account=account.shown) + " " + text("nothing_changed"))
    user, domain = account.logon_parts()
    try:
        os.logon_user(user, domain, password)
    except LogonError as e:
        if e.winerror == ERROR_LOGON_TYPE_NOT_GRANTED:
            return  # the password is right; only a network logon is denied by policy, not a service logon
        if e.winerror == ERROR_LOGON_FAILURE:
            pin = text("pin_hint", n=len(password)) if re.fullmatch(r"\d{4,32}", password) else ""
            why = text("wrong_password", account=account.shown, pin=pin)
        elif e.winerror == ERROR_NONE_MAPPED:
            why = text("no_such_account", account=account.shown)
        else:
            key = f"reason.{e.winerror}" if e.winerror in KNOWN_REFUSALS else "reason.other"
            why = text("logon_refused", account=account.shown, reason=text(key), code=e.winerror)
        raise PreflightError(why + " " + text("nothing_changed")) from None


def machine_dacl(installer_sid: str | None, service_sid: str | None) -> str:
    """The protected DACL of ProgramData\\sellintegro, as SDDL.

    Without it the folder inherits ProgramData's ACL, where every local user may read files: the config
    (BaseLinker tokens) and the control token. Inheritable (OI)(CI) entries reach the config, the data,
    the logs and run\\control.json, which the service writes later. Who may read that file may attach.
    """
    aces = [f"(A;OICI;{FULL};;;SY)", f"(A;OICI;{FULL};;;BA)"]
    if service_sid:
        aces.append(f"(A;OICI;{MODIFY};;;{service_sid})")
    if installer_sid and installer_sid != service_sid:
        aces.append(f"(A;OICI;{READ};;;{installer_sid})")
    return "D:PAI" + "".join(aces)


def dacl_step(os: WindowsOS, base_dir: Path, sddl: str) -> Step:
    return Step(f"SetNamedSecurityInfo({str(base_dir)!r}, SE_FILE_OBJECT, "
                f"DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, {sddl!r})",
                lambda: os.set_directory_dacl(str(base_dir), sddl))


def _quoted(value: str | None) -> str:
    return "None" if value is None else repr(value)


def install(os: WindowsOS, account: WinAccount, password: str | None, command_line: str, base_dir: Path,
            out: TextIO, dry_run: bool) -> None:
    """Install (or reconfigure) the service for `account`; `command_line` runs the headless supervisor."""
    if not os.is_admin():
        raise ServiceError(text("need_admin") + " " + text("nothing_changed"))
    existing = os.query_service(SERVICE_NAME)
    installer_sid, _ = os.lookup_account(os.current_account())
    service_sid: str | None = None
    rights: list[str] = []
    if account.kind == "user":
        assert account.name is not None
        try:
            service_sid, _ = os.lookup_account(account.name)
        except LookupError:
            raise PreflightError(text("no_such_account", account=account.shown) + " "
                                 + text("nothing_changed")) from None
        if not dry_run:
            check_credentials(os, account, password)  # before the first change
        rights = os.account_rights(service_sid)
    steps = install_steps(os, account, password, command_line, base_dir, existing, installer_sid,
                          service_sid, rights)
    carry_out(steps, out, dry_run)


def install_steps(os: WindowsOS, account: WinAccount, password: str | None, command_line: str, base_dir: Path,
                  existing: ServiceInfo | None, installer_sid: str | None, service_sid: str | None,
                  rights: Sequence[str]) -> list[Step]:
    name = SERVICE_NAME
    steps: list[Step] = []
    if account.kind == "user" and service_sid and LOGON_RIGHT not in rights:
        sid = service_sid
        steps.append(Step(f"LsaAddAccountRights(LsaOpenPolicy(None), {sid!r} [{account.shown}], "
                          f"({LOGON_RIGHT!r},))",
                          lambda: os.add_account_rights(sid, (LOGON_RIGHT,)),
                          said=text("logon_right_granted", account=account.shown)))
    steps.append(dacl_step(os, base_dir, machine_dacl(installer_sid, service_sid)))
    # The password is shown masked in a dry run; it goes to the service manager and nowhere else.
    shown_pw = "'***'" if password or account.kind == "user" else "None"
    if existing is None:
        svc_account = account.name  # None: LocalSystem
        steps.append(Step(
            f"CreateService({name!r}, {DISPLAY_NAME!r}, SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, "
            f"SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, {command_line!r}, account={_quoted(svc_account)}, "
            f"password={shown_pw})",
            lambda: os.create_service(name, DISPLAY_NAME, command_line, svc_account, password)))
    else:
        # ChangeServiceConfig keeps the account when given None; SYSTEM is named, with an empty password.
        acct = account.name or "LocalSystem"
        pw = password or ""
        steps.append(Step(
            f"ChangeServiceConfig({name!r}, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, "
            f"SERVICE_ERROR_NORMAL, {command_line!r}, account={acct!r}, password={shown_pw if password else repr('')}, "
            f"display={DISPLAY_NAME!r})",
            lambda: os.change_service(name, DISPLAY_NAME, command_line, acct, pw)))
    steps += [
        Step(f"ChangeServiceConfig2({name!r}, SERVICE_CONFIG_DESCRIPTION, {DESCRIPTION!r})",
             lambda: os.set_description(name, DESCRIPTION)),
        Step(f"ChangeServiceConfig2({name!r}, SERVICE_CONFIG_FAILURE_ACTIONS, "
             f"{{'ResetPeriod': {RECOVERY_RESET_S}, 'Actions': {list(RECOVERY_ACTIONS)}}})",
             lambda: os.set_failure_actions(name, RECOVERY_RESET_S, RECOVERY_ACTIONS)),
        Step(f"ChangeServiceConfig2({name!r}, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, True)",
             lambda: os.set_failure_actions_flag(name, True)),
        Step(f"ChangeServiceConfig2({name!r}, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, True)",
             lambda: os.set_delayed_autostart(name, True)),
    ]
    return steps


def _installed(os: WindowsOS) -> ServiceInfo:
    if not os.is_admin():
        raise ServiceError(text("need_admin"))
    info = os.query_service(SERVICE_NAME)
    if info is None:
        raise ServiceError(text("not_installed", name=SERVICE_NAME))
    return info


def wait_state(os: WindowsOS, want: str, timeout: float, log_hint: str) -> None:
    """Poll the service until it reaches `want` (running / stopped) or `timeout` passes."""
    end = os.monotonic() + timeout
    now = "?"
    while True:
        info = os.query_service(SERVICE_NAME)
        now = info.state if info else "deleted"
        if now == want:
            return
        if os.monotonic() >= end:
            break
        if want == "running" and now == "stopped":
            break  # it started and stopped again: the supervisor refused to run (config, lock)
        os.sleep(0.5)
    raise ServiceError(text("not_started", name=SERVICE_NAME, state=want, secs=timeout, now=now, log=log_hint))


def start(os: WindowsOS, out: TextIO, dry_run: bool, timeout: float, log_hint: str) -> None:
    info = _installed(os)
    if info.state == "running":
        print(text("started", name=SERVICE_NAME), file=out)
        return
    carry_out([Step(f"StartService({SERVICE_NAME!r})", lambda: os.start_service(SERVICE_NAME))], out, dry_run)
    if not dry_run:
        wait_state(os, "running", timeout, log_hint)
        print(text("started", name=SERVICE_NAME), file=out)


def stop(os: WindowsOS, out: TextIO, dry_run: bool, timeout: float, log_hint: str) -> None:
    info = _installed(os)
    if info.state == "stopped":
        print(text("stopped", name=SERVICE_NAME), file=out)
        return
    carry_out([Step(f"ControlService({SERVICE_NAME!r}, SERVICE_CONTROL_STOP)",
                    lambda: os.stop_service(SERVICE_NAME))], out, dry_run)
    if not dry_run:
        wait_state(os, "stopped", timeout, log_hint)
        print(text("stopped", name=SERVICE_NAME), file=out)


def uninstall(os: WindowsOS, out: TextIO, dry_run: bool, timeout: float, log_hint: str) -> bool:
    """Stop (if running) and delete the service; False when it was not installed."""
    if not os.is_admin():
        raise ServiceError(text("need_admin") + " " + text("nothing_changed"))
    info = os.query_service(SERVICE_NAME)
    if info is None:
        print(text("not_installed", name=SERVICE_NAME), file=out)
        return False
    steps: list[Step] = []
    if info.state != "stopped":
        def stop_and_wait() -> None:
            os.stop_service(SERVICE_NAME)
            wait_state(os, "stopped", timeout, log_hint)
        steps.append(Step(f"ControlService({SERVICE_NAME!r}, SERVICE_CONTROL_STOP), then wait until stopped",
                          stop_and_wait))
    steps.append(Step(f"DeleteService({SERVICE_NAME!r})", lambda: os.delete_service(SERVICE_NAME)))
    carry_out(steps, out, dry_run)
    return True


class WindowsBackend:
    """The Windows service behind the ServiceBackend interface (windows.py's functions on a WindowsOS)."""

    label = f"Windows service {SERVICE_NAME}"

    def __init__(self, os: WindowsOS, root: Path | None = None) -> None:
        from .. import places

        self.os = os
        self.base_dir = places.machine_config_dir(root)  # ProgramData\sellintegro: config and data
        self.log_hint = f"{places.logs_dir(places.machine_data_dir(root))} and the Application event log"

    def check_available(self) -> None:
        if not self.os.is_admin():
            raise ServiceError(text("need_admin") + " " + text("nothing_changed"))

    def account(self, kind: str, user: str | None) -> WinAccount:
        return parse_account(kind, user, self.os.current_account(), self.os.computer_name())

    def resolve_account(self, account: str, user: str | None) -> str:
        acct = self.account(account, user)
        if acct.name is not None:
            try:
                self.os.lookup_account(acct.name)
            except LookupError:
                raise PreflightError(text("no_such_account", account=acct.shown) + " "
                                     + text("nothing_changed")) from None
        return acct.shown

    def _parse(self, owner: str) -> WinAccount:
        return WinAccount("system") if owner == "LocalSystem" else WinAccount("user", owner)

    def needs_password(self, account: str) -> bool:
        return account == "user"

    def check_password(self, owner: str, password: str | None) -> None:
        acct = self._parse(owner)
        if acct.kind == "user":
            check_credentials(self.os, acct, password)

    def protect_steps(self, owner: str) -> list[Step]:
        installer_sid, _ = self.os.lookup_account(self.os.current_account())
        service_sid = None if owner == "LocalSystem" else self.os.lookup_account(owner)[0]
        return [dacl_step(self.os, self.base_dir, machine_dacl(installer_sid, service_sid))]

    def data_steps(self, owner: str, data_dir: Path) -> list[Step]:
        return []  # the protected ACL set on ProgramData\sellintegro at install reaches the data

    def install(self, mode: str, owner: str, password: str | None, config_path: Path, config: object,
                out: TextIO, dry_run: bool) -> None:
        from .plan import self_command, windows_command_line

        command_line = windows_command_line(self_command("host", "--mode", mode, "--config", str(config_path)))
        acct = self._parse(owner)
        install(self.os, acct, password, command_line, self.base_dir, out, dry_run)

    def uninstall(self, out: TextIO, dry_run: bool) -> bool:
        return uninstall(self.os, out, dry_run, STOP_TIMEOUT_S, self.log_hint)

    def start(self, out: TextIO, dry_run: bool, timeout: float) -> None:
        start(self.os, out, dry_run, timeout, self.log_hint)

    def stop(self, out: TextIO, dry_run: bool, timeout: float) -> None:
        stop(self.os, out, dry_run, timeout, self.log_hint)

    def installed(self) -> Installed | None:
        import shlex

        info = self.os.query_service(SERVICE_NAME)
        if info is None:
            return None
        # posix=False keeps Windows backslashes; the quotes around a path are stripped by hand.
        argv = [a.strip('"') for a in shlex.split(info.command_line, posix=False)]
        mode = argv[argv.index("--mode") + 1] if "--mode" in argv else "?"
        config = Path(argv[argv.index("--config") + 1]) if "--config" in argv else None
        account = "LocalSystem" if info.account.lower() in ("localsystem", "nt authority\\system") else info.account
        return Installed(mode, account, info.state == "running", config)
