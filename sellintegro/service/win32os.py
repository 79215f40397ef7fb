"""The WindowsOS seam with pywin32: one Win32 call per method (Windows only).

Checked on Linux with `mypy --platform win32` against types-pywin32; not run on Linux (the assert below
makes mypy skip this module on other platforms, and an import there fails loudly).
"""

from __future__ import annotations

import sys

assert sys.platform == "win32", "sellintegro.service.win32os runs on Windows only"

import os  # noqa: E402 - after the platform assert, which mypy uses to skip this module elsewhere
import time  # noqa: E402
import winreg  # noqa: E402
from collections.abc import Sequence  # noqa: E402

import pywintypes  # noqa: E402
import win32api  # noqa: E402
import win32con  # noqa: E402
import win32file  # noqa: E402
import win32security  # noqa: E402
import win32service  # noqa: E402
import winerror  # noqa: E402
from win32comext.shell import shell  # noqa: E402

from .seam import LogonError, ServiceInfo  # noqa: E402

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"

_STATES = {
    win32service.SERVICE_STOPPED: "stopped",
    win32service.SERVICE_START_PENDING: "start_pending",
    win32service.SERVICE_STOP_PENDING: "stop_pending",
    win32service.SERVICE_RUNNING: "running",
    win32service.SERVICE_CONTINUE_PENDING: "continue_pending",
    win32service.SERVICE_PAUSE_PENDING: "pause_pending",
    win32service.SERVICE_PAUSED: "paused",
}
_ACTIONS = {
    "none": win32service.SC_ACTION_NONE,
    "restart": win32service.SC_ACTION_RESTART,
    "reboot": win32service.SC_ACTION_REBOOT,
}


class Win32OS:
    # -- who is asking ----------------------------------------------------------------------------------------
    def is_admin(self) -> bool:
        return bool(shell.IsUserAnAdmin())

    def current_account(self) -> str:
        return win32api.GetUserNameEx(win32con.NameSamCompatible)

    def computer_name(self) -> str:
        return win32api.GetComputerName()

    # -- accounts -------------------------------------------------------------------------------------------
    def lookup_account(self, account: str) -> tuple[str, str]:
        name = account
        if name.startswith(".\\"):
            name = self.computer_name() + name[1:]
        try:
            sid, _domain, _kind = win32security.LookupAccountName(None, name)
        except pywintypes.error as e:
            if e.winerror == winerror.ERROR_NONE_MAPPED:
                raise LookupError(account) from None
            raise
        user, domain, _kind = win32security.LookupAccountSid(None, sid)
        return win32security.ConvertSidToStringSid(sid), f"{domain}\\{user}"

    def logon_user(self, user: str, domain: str | None, password: str) -> None:
        # A network logon checks the password without loading a profile or opening a session.
        try:
            token = win32security.LogonUser(user, domain, password, win32con.LOGON32_LOGON_NETWORK,
                                            win32con.LOGON32_PROVIDER_DEFAULT)
        except pywintypes.error as e:
            raise LogonError(e.winerror, e.strerror) from None
        token.Close()

    def account_rights(self, sid: str) -> list[str]:
        # "" is the local machine (as in pywin32's own demo; the stub does not allow None).
        policy = win32security.LsaOpenPolicy("", win32security.POLICY_LOOKUP_NAMES)
        try:
            return list(win32security.LsaEnumerateAccountRights(policy, win32security.ConvertStringSidToSid(sid)))
        except pywintypes.error as e:
            if e.winerror == winerror.ERROR_FILE_NOT_FOUND:
                return []  # the account holds no rights at all
            raise
        finally:
            win32security.LsaClose(policy)  # type: ignore[arg-type]  # the stub says int; pywin32 takes the handle

    def add_account_rights(self, sid: str, rights: Sequence[str]) -> None:
        policy = win32security.LsaOpenPolicy("", win32security.POLICY_LOOKUP_NAMES
                                             | win32security.POLICY_CREATE_ACCOUNT)
        try:
            win32security.LsaAddAccountRights(policy, win32security.ConvertStringSidToSid(sid), tuple(rights))
        finally:
            win32security.LsaClose(policy)  # type: ignore[arg-type]  # the stub says int; pywin32 takes the handle

    # -- the service control manager --------------------------------------------------------------------------
    def query_service(self, name: str) -> ServiceInfo | None:
        scm = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_CONNECT)
        try:
            try:
                svc = win32service.OpenService(scm, name, win32service.SERVICE_QUERY_CONFIG
                                               | win32service.SERVICE_QUERY_STATUS)
            except pywintypes.error as e:
                if e.winerror == winerror.ERROR_SERVICE_DOES_NOT_EXIST:
                    return None
                raise
            try:
                cfg = win32service.QueryServiceConfig(svc)
                status = win32service.QueryServiceStatus(svc)
            finally:
                win32service.CloseServiceHandle(svc)
        finally:
            win32service.CloseServiceHandle(scm)
        # QueryServiceConfig: (type, start, error control, binary path, group, tag, deps, account, display)
        return ServiceInfo(name=name, command_line=str(cfg[3]), account=str(cfg[7]),
                           state=_STATES.get(status[1], f"state {status[1]}"))

    def create_service(self, name: str, display_name: str, command_line: str, account: str | None,
                       password: str | None) -> None:
        scm = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_CREATE_SERVICE)
        try:
            svc = win32service.CreateService(
                scm, name, display_name, win32service.SERVICE_ALL_ACCESS, win32service.SERVICE_WIN32_OWN_PROCESS,
                win32service.SERVICE_AUTO_START, win32service.SERVICE_ERROR_NORMAL, command_line, None, False,
                None, account, password)
            win32service.CloseServiceHandle(svc)
        finally:
            win32service.CloseServiceHandle(scm)

    def change_service(self, name: str, display_name: str, command_line: str, account: str,
                       password: str) -> None:
        scm = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_CONNECT)
        try:
            svc = win32service.OpenService(scm, name, win32service.SERVICE_CHANGE_CONFIG)
            try:
                win32service.ChangeServiceConfig(
                    svc, win32service.SERVICE_WIN32_OWN_PROCESS, win32service.SERVICE_AUTO_START,
                    win32service.SERVICE_ERROR_NORMAL, command_line, None, False, None, account, password,
                    display_name)
            finally:
                win32service.CloseServiceHandle(svc)
        finally:
            win32service.CloseServiceHandle(scm)

    def _config2(self, name: str, level: int, info: object) -> None:
        # SERVICE_START as well: a failure action that restarts the service needs it.
        scm = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_CONNECT)
        try:
            svc = win32service.OpenService(scm, name, win32service.SERVICE_CHANGE_CONFIG
                                           | win32service.SERVICE_START)
            try:
                win32service.ChangeServiceConfig2(svc, level, info)
            finally:
                win32service.CloseServiceHandle(svc)
        finally:
            win32service.CloseServiceHandle(scm)

    def set_description(self, name: str, description: str) -> None:
        self._config2(name, win32service.SERVICE_CONFIG_DESCRIPTION, description)

    def set_failure_actions(self, name: str, reset_period_s: int, actions: Sequence[tuple[str, int]]) -> None:
        info = {"ResetPeriod": reset_period_s, "RebootMsg": None, "Command": None,
                "Actions": [(_ACTIONS[kind], delay_ms) for kind, delay_ms in actions]}
        self._config2(name, win32service.SERVICE_CONFIG_FAILURE_ACTIONS, info)

    def set_failure_actions_flag(self, name: str, on: bool) -> None:
        self._config2(name, win32service.SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, on)

    def set_delayed_autostart(self, name: str, on: bool) -> None:
        self._config2(name, win32service.SERVICE_CONFIG_DELAYED_AUTO_START_INFO, on)

    def start_service(self, name: str) -> None:
        scm = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_CONNECT)
        try:
            svc = win32service.OpenService(scm, name, win32service.SERVICE_START)
            try:
                win32service.StartService(svc, None)
            except pywintypes.error as e:
                if e.winerror != winerror.ERROR_SERVICE_ALREADY_RUNNING:
                    raise
            finally:
                win32service.CloseServiceHandle(svc)
        finally:
            win32service.CloseServiceHandle(scm)

    def stop_service(self, name: str) -> None:
        scm = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_CONNECT)
        try:
            svc = win32service.OpenService(scm, name, win32service.SERVICE_STOP)
            try:
                win32service.ControlService(svc, win32service.SERVICE_CONTROL_STOP)
            except pywintypes.error as e:
                if e.winerror != winerror.ERROR_SERVICE_NOT_ACTIVE:
                    raise
            finally:
                win32service.CloseServiceHandle(svc)
        finally:
            win32service.CloseServiceHandle(scm)

    def delete_service(self, name: str) -> None:
        scm = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_CONNECT)
        try:
            svc = win32service.OpenService(scm, name, win32con.DELETE)
            try:
                win32service.DeleteService(svc)
            finally:
                win32service.CloseServiceHandle(svc)
        finally:
            win32service.CloseServiceHandle(scm)

    def remote_drives(self) -> list[str]:
        roots = [d for d in win32api.GetLogicalDriveStrings().split("\0") if d]
        return [d[0].upper() for d in roots if win32file.GetDriveType(d) == win32file.DRIVE_REMOTE]

    # -- files and registry -------------------------------------------------------------------------------------
    def set_directory_dacl(self, path: str, sddl: str) -> None:
        os.makedirs(path, exist_ok=True)
        sd = win32security.ConvertStringSecurityDescriptorToSecurityDescriptor(sddl, win32security.SDDL_REVISION_1)
        # SetNamedSecurityInfo (unlike SetFileSecurity) also pushes the inheritable entries down to what
        # the directory already holds.
        win32security.SetNamedSecurityInfo(
            path, win32security.SE_FILE_OBJECT,
            win32security.DACL_SECURITY_INFORMATION | win32security.PROTECTED_DACL_SECURITY_INFORMATION,
            None, None, sd.GetSecurityDescriptorDacl(), None)

    def run_value(self, name: str) -> str | None:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set_run_value(self, name: str, command_line: str) -> None:
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, command_line)

    def delete_run_value(self, name: str) -> None:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass

    # -- time ------------------------------------------------------------------------------------------------------
    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def monotonic(self) -> float:
        return time.monotonic()
