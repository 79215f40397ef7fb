"""The Windows service's install policy against the recording Windows fake (no pywin32 needed)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sellintegro.service import DESCRIPTION, DISPLAY_NAME, SERVICE_NAME
from sellintegro.service.errors import PreflightError, ServiceError
from sellintegro.service.seam import ServiceInfo
from sellintegro.service.windows import (
    LOGON_RIGHT,
    RECOVERY_ACTIONS,
    WinAccount,
    WindowsBackend,
    install,
    parse_account,
    start,
    uninstall,
)

from .fakes import FakeWindows

CMD = r'"C:\Python311\python.exe" -m sellintegro.service host --mode service-system --config ' \
      r'C:\ProgramData\sellintegro\sellintegro.toml'
BASE = Path(r"C:\ProgramData\sellintegro")
JAN = "S-1-5-21-7-1001"
KASIA = "S-1-5-21-7-1002"

AFTER_CREATE = [
    ("ChangeServiceConfig2", SERVICE_NAME, "SERVICE_CONFIG_DESCRIPTION", DESCRIPTION),
    ("ChangeServiceConfig2", SERVICE_NAME, "SERVICE_CONFIG_FAILURE_ACTIONS", 86400,
     (("restart", 5000), ("restart", 30000), ("restart", 60000))),
    ("ChangeServiceConfig2", SERVICE_NAME, "SERVICE_CONFIG_FAILURE_ACTIONS_FLAG", True),
    ("ChangeServiceConfig2", SERVICE_NAME, "SERVICE_CONFIG_DELAYED_AUTO_START_INFO", True),
]


def _install(win: FakeWindows, account: WinAccount, password: str | None = None, dry_run: bool = False) -> str:
    out = io.StringIO()
    install(win, account, password, CMD, BASE, out, dry_run)
    return out.getvalue()


def test_install_as_system_makes_exactly_these_service_manager_calls() -> None:
    win = FakeWindows()
    _install(win, WinAccount("system"))
    assert win.changes() == [
        ("SetNamedSecurityInfo", str(BASE), f"D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;{JAN})"),
        ("CreateService", SERVICE_NAME, DISPLAY_NAME, CMD, None, None),
        *AFTER_CREATE,
    ]
    assert "LogonUser" not in win.names()  # LocalSystem has no password to check


def test_install_as_user_checks_password_grants_logon_right_and_hands_password_to_the_scm() -> None:
    win = FakeWindows()
    _install(win, WinAccount("user", ".\\kasia"), "Pa55word!")
    assert win.changes() == [
        ("LsaAddAccountRights", KASIA, (LOGON_RIGHT,)),
        ("SetNamedSecurityInfo", str(BASE),
         f"D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;{KASIA})(A;OICI;0x1200a9;;;{JAN})"),
        ("CreateService", SERVICE_NAME, DISPLAY_NAME, CMD, ".\\kasia", "Pa55word!"),
        *AFTER_CREATE,
    ]
    names = win.names()
    assert names.index("LogonUser") < names.index("LsaAddAccountRights")
    assert ("LogonUser", "kasia", ".") in win.calls


def test_install_as_domain_user_logs_on_against_the_domain() -> None:
    win = FakeWindows()
    _install(win, WinAccount("user", "CORP\\svc-sell"), "Corp-pw1")
    assert ("LogonUser", "svc-sell", "CORP") in win.calls
    assert ("CreateService", SERVICE_NAME, DISPLAY_NAME, CMD, "CORP\\svc-sell", "Corp-pw1") in win.changes()


def test_wrong_password_is_refused_before_any_install_call() -> None:
    win = FakeWindows()
    with pytest.raises(PreflightError) as e:
        _install(win, WinAccount("user", ".\\kasia"), "wrong")
    assert win.changes() == []
    assert "error 1326" in str(e.value)
    assert "not the Windows Hello PIN" in str(e.value)
    assert "Nothing was changed" in str(e.value)
    assert e.value.exit_code == 2


def test_a_windows_hello_pin_typed_instead_of_the_password_is_named() -> None:
    win = FakeWindows()
    with pytest.raises(PreflightError) as e:
        _install(win, WinAccount("user", ".\\kasia"), "482913")
    assert "looks like a PIN" in str(e.value)
    assert win.changes() == []


def test_the_pin_message_is_in_polish_on_a_polish_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLINTEGRO_LANG", "pl")
    win = FakeWindows()
    with pytest.raises(PreflightError) as e:
        _install(win, WinAccount("user", ".\\kasia"), "1234")
    assert "nie PIN Windows Hello" in str(e.value)
    assert "wygląda na PIN" in str(e.value)


def test_an_empty_password_is_refused_without_asking_windows() -> None:
    win = FakeWindows()
    with pytest.raises(PreflightError) as e:
        _install(win, WinAccount("user", ".\\kasia"), "")
    assert "cannot log on to an account without a password" in str(e.value)
    assert "LogonUser" not in win.names()
    assert win.changes() == []


@pytest.mark.parametrize(("code", "words"), [(1909, "locked out"), (1331, "disabled"), (1330, "expired"),
                                             (1327, "blank passwords")])
def test_other_logon_refusals_say_why(code: int, words: str) -> None:
    win = FakeWindows(logon_errors={"kasia": code})
    with pytest.raises(PreflightError) as e:
        _install(win, WinAccount("user", ".\\kasia"), "Pa55word!")
    assert words in str(e.value)
    assert f"error {code}" in str(e.value)
    assert win.changes() == []


def test_logon_type_not_granted_means_the_password_was_right() -> None:
    """Windows checks the password before the logon type: 1385 proves the password, so install goes on."""
    win = FakeWindows(logon_errors={"kasia": 1385})
    _install(win, WinAccount("user", ".\\kasia"), "anything")
    assert win.changes()[0] == ("LsaAddAccountRights", KASIA, (LOGON_RIGHT,))


def test_unknown_account_is_refused_before_any_change() -> None:
    win = FakeWindows()
    with pytest.raises(PreflightError) as e:
        _install(win, WinAccount("user", ".\\nobody-here"), "x")
    assert "knows no account .\\nobody-here" in str(e.value)
    assert win.changes() == []


def test_logon_right_already_held_is_not_granted_again() -> None:
    win = FakeWindows(rights={KASIA: ["SeBatchLogonRight", LOGON_RIGHT]})
    _install(win, WinAccount("user", ".\\kasia"), "Pa55word!")
    assert [c for c in win.changes() if c[0] == "LsaAddAccountRights"] == []


def test_recovery_actions_restart_on_failure_also_after_a_non_zero_exit() -> None:
    win = FakeWindows()
    _install(win, WinAccount("system"))
    actions = [c for c in win.changes() if c[2] == "SERVICE_CONFIG_FAILURE_ACTIONS"]
    assert actions == [("ChangeServiceConfig2", SERVICE_NAME, "SERVICE_CONFIG_FAILURE_ACTIONS", 86400,
                        RECOVERY_ACTIONS)]
    assert all(kind == "restart" for kind, _ in RECOVERY_ACTIONS)
    assert ("ChangeServiceConfig2", SERVICE_NAME, "SERVICE_CONFIG_FAILURE_ACTIONS_FLAG", True) in win.changes()


def test_reinstall_reconfigures_and_names_localsystem_with_an_empty_password() -> None:
    win = FakeWindows(services={SERVICE_NAME: ServiceInfo(SERVICE_NAME, "old", ".\\kasia", "stopped")})
    _install(win, WinAccount("system"))
    names = [c[0] for c in win.changes()]
    assert "CreateService" not in names
    assert ("ChangeServiceConfig", SERVICE_NAME, DISPLAY_NAME, CMD, "LocalSystem", "") in win.changes()


def test_dry_run_prints_the_calls_masks_the_password_and_changes_nothing() -> None:
    win = FakeWindows()
    shown = _install(win, WinAccount("user", ".\\kasia"), "Pa55word!", dry_run=True)
    assert win.changes() == []
    assert "LogonUser" not in win.names()  # a dry run does not try the password either
    assert "Pa55word!" not in shown
    for call in ("LsaAddAccountRights", "SetNamedSecurityInfo", "CreateService", "password='***'",
                 "SERVICE_CONFIG_FAILURE_ACTIONS", "SERVICE_CONFIG_DELAYED_AUTO_START_INFO", "nothing was changed"):
        assert call in shown


def test_a_prompt_that_is_not_elevated_is_refused_before_any_change() -> None:
    win = FakeWindows(admin=False)
    with pytest.raises(ServiceError) as e:
        _install(win, WinAccount("system"))
    assert "Run as administrator" in str(e.value)
    assert win.changes() == []


def test_the_password_reaches_only_the_service_manager() -> None:
    win = FakeWindows()
    shown = _install(win, WinAccount("user", ".\\kasia"), "Pa55word!")
    holders = [c for c in win.calls if "Pa55word!" in c]
    assert [c[0] for c in holders] == ["CreateService"]
    assert "Pa55word!" not in shown


def test_start_waits_until_the_service_runs() -> None:
    win = FakeWindows(services={SERVICE_NAME: ServiceInfo(SERVICE_NAME, CMD, "LocalSystem", "stopped")})
    out = io.StringIO()
    start(win, out, False, 30, "the logs")
    assert ("StartService", SERVICE_NAME) in win.calls
    assert win.services[SERVICE_NAME].state == "running"
    assert "is running" in out.getvalue()


def test_start_of_a_service_that_stops_at_once_fails_naming_its_log() -> None:
    win = FakeWindows(services={SERVICE_NAME: ServiceInfo(SERVICE_NAME, CMD, "LocalSystem", "stopped")},
                      start_ends="stopped")
    with pytest.raises(ServiceError) as e:
        start(win, io.StringIO(), False, 30, r"C:\ProgramData\sellintegro\data\logs")
    assert r"C:\ProgramData\sellintegro\data\logs" in str(e.value)


def test_uninstall_stops_a_running_service_before_deleting_it() -> None:
    win = FakeWindows(services={SERVICE_NAME: ServiceInfo(SERVICE_NAME, CMD, "LocalSystem", "running")})
    assert uninstall(win, io.StringIO(), False, 30, "logs")
    assert win.changes() == [("ControlService", SERVICE_NAME, "SERVICE_CONTROL_STOP"),
                             ("DeleteService", SERVICE_NAME)]


def test_uninstall_of_nothing_says_so() -> None:
    win = FakeWindows()
    out = io.StringIO()
    assert not uninstall(win, out, False, 30, "logs")
    assert "not installed" in out.getvalue()
    assert win.changes() == []


@pytest.mark.parametrize(("user", "expected"), [(None, ".\\jan"), ("kasia", ".\\kasia"), (".\\kasia", ".\\kasia"),
                                                ("DESK\\kasia", ".\\kasia"), ("CORP\\svc", "CORP\\svc"),
                                                ("svc@corp.example", "svc@corp.example")])
def test_account_names_are_normalised_and_default_to_the_person_running_the_command(user: str | None,
                                                                                     expected: str) -> None:
    assert parse_account("user", user, "DESK\\jan", "DESK").name == expected


def test_system_account_takes_no_user_name() -> None:
    with pytest.raises(PreflightError):
        parse_account("system", "kasia", "DESK\\jan", "DESK")


def test_backend_reads_mode_account_and_config_from_the_installed_command_line() -> None:
    cmd = (r'"C:\Program Files\Python311\python.exe" -m sellintegro.service host --mode service-user '
           r'--config "C:\ProgramData\sellintegro\sellintegro.toml"')
    win = FakeWindows(services={SERVICE_NAME: ServiceInfo(SERVICE_NAME, cmd, ".\\kasia", "running")})
    found = WindowsBackend(win).installed()
    assert found is not None
    assert (found.mode, found.account, found.running) == ("service-user", ".\\kasia", True)
    assert str(found.config_path) == r"C:\ProgramData\sellintegro\sellintegro.toml"


def test_the_service_command_line_names_python_and_the_config_by_absolute_paths() -> None:
    """A service starts in C:\\Windows\\System32: nothing on its command line may be relative."""
    import sys

    win = FakeWindows()
    WindowsBackend(win).install("service-system", "LocalSystem", None, Path("/srv/sell/sellintegro.toml"),
                                object(), io.StringIO(), False)
    create = next(c for c in win.changes() if c[0] == "CreateService")
    command_line = create[3]
    assert command_line.startswith(sys.executable) or command_line.startswith(f'"{sys.executable}"')
    assert command_line.endswith("-m sellintegro.service host --mode service-system --config "
                                 "/srv/sell/sellintegro.toml")
