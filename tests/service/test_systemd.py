"""The systemd unit: written into a temporary root, verified by systemd-analyze, and its ExecStart run."""

from __future__ import annotations

import io
import os
import pwd
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from sellintegro import places
from sellintegro.control import ControlClient
from sellintegro.service import UNIT_NAME
from sellintegro.service.errors import PreflightError, ServiceError
from sellintegro.service.host import load_config
from sellintegro.service.seam import UserInfo
from sellintegro.service.systemd import SystemdBackend, exec_argv, render_unit, systemd_quote

from ..conftest import plugin_toml, wait_for
from .fakes import FakeLinux


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _some_user() -> UserInfo:
    """An ordinary account of this machine for User= (systemd-analyze warns about root and nobody)."""
    if os.geteuid() != 0:
        pw = pwd.getpwuid(os.geteuid())
    else:
        pw = next((p for p in pwd.getpwall() if 1000 <= p.pw_uid < 65534), pwd.getpwnam("daemon"))
    return UserInfo(pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir)


def _machine_config(root: Path, plugins: str) -> Path:
    path = places.machine_config_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[endpoint]\nname = "svc"\ndata_dir = "{places.machine_data_dir(root)}"\n{plugins}',
                    encoding="utf-8")
    return path


def _install(tmp_path: Path, user: UserInfo, plugins: str) -> tuple[FakeLinux, SystemdBackend, Path]:
    linux = FakeLinux(marker=str(tmp_path), users={user.name: user}, unit_root=tmp_path)
    backend = SystemdBackend(linux, root=tmp_path)
    config_path = _machine_config(tmp_path, plugins)
    backend.install("service-user", user.name, None, config_path, load_config(config_path), io.StringIO(), False)
    return linux, backend, config_path


@pytest.mark.skipif(shutil.which("systemd-analyze") is None or shutil.which("systemctl") is None,
                    reason="systemd-analyze is not installed here")
def test_unit_of_an_install_as_user_in_a_temporary_root_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    user = _some_user()
    linux, backend, _ = _install(tmp_path, user, plugin_toml("PROBE_SVC_1", tick_ms=200))
    unit = tmp_path / "etc" / "systemd" / "system" / UNIT_NAME
    assert unit.exists()
    assert (tmp_path / "etc/systemd/system/multi-user.target.wants" / UNIT_NAME).is_symlink()  # enabled
    proc = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    # verify only warns (exit 0) about a bad KillMode or the like: any line naming the unit is a finding.
    assert [x for x in (proc.stdout + proc.stderr).splitlines() if UNIT_NAME in x] == []
    assert ("systemctl", "--root", str(tmp_path), "enable", UNIT_NAME) in linux.calls


def test_exec_start_starts_the_supervisor_and_sigterm_stops_the_workers_gracefully(tmp_path: Path) -> None:
    user = _some_user()
    linux, backend, _ = _install(tmp_path, user, plugin_toml("PROBE_SVC_1", tick_ms=100, stop_timeout=20)
                                 + plugin_toml("PROBE_SVC_2", tick_ms=100, stop_timeout=20))
    argv = exec_argv(linux.unit_text())
    assert os.path.isabs(argv[0]) and argv[argv.index("--config") + 1].startswith("/")
    data = places.machine_data_dir(tmp_path)
    # Run as this test's account: the unit's User= cannot start the Python under /root here. The working
    # directory is the unit's (/), so nothing may depend on where it starts.
    proc = subprocess.Popen(argv, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "SELLINTEGRO_LANG": "en"})
    try:
        client = wait_for("the control API", lambda: ControlClient(places.run_dir(data), data)
                          if (places.run_dir(data) / "control.json").exists() else None)

        def both_running() -> dict[str, object] | None:
            status = client.call("GET", "/v1/status")
            ok = [w["state"] for w in status["workers"]] == ["RUNNING", "RUNNING"]
            return status if ok else None
        status = wait_for("both workers RUNNING", both_running)
        assert status["supervisor"]["mode"] == "service-user"
        # The install made the run directory setgid for the attach group: its members may read the token.
        assert (places.run_dir(data) / "control.json").stat().st_mode & 0o777 == 0o640
        pids = [w["pid"] for w in status["workers"]]
        proc.send_signal(signal.SIGTERM)  # KillMode=mixed: systemd signals the main process alone
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    for pid in pids:
        assert not _alive(pid), f"worker {pid} outlived its supervisor"
    for code in ("PROBE_SVC_1", "PROBE_SVC_2"):
        log = (data / "logs" / f"{code}.log").read_text(encoding="utf-8")
        assert "STOPPING -> STOPPED" in log
        assert "killed" not in log


def test_unit_stops_through_the_supervisor_and_restarts_on_failure_but_not_on_a_config_error() -> None:
    unit = render_unit("service-user", "kasia", ["/usr/bin/python3", "-m", "sellintegro.service", "host"], 42)
    lines = unit.splitlines()
    for line in ("KillMode=mixed", "KillSignal=SIGTERM", "TimeoutStopSec=42", "Restart=on-failure",
                 "RestartPreventExitStatus=2", "User=kasia", "WorkingDirectory=/", "UMask=0027",
                 "SupplementaryGroups=sellintegro", "WantedBy=multi-user.target"):
        assert line in lines
    assert "User=" not in render_unit("service-system", None, ["/x"], 42)


def test_stop_timeout_covers_the_slowest_worker(tmp_path: Path) -> None:
    from sellintegro.service.systemd import stop_timeout_s

    config_path = _machine_config(tmp_path, plugin_toml("A", stop_timeout=95.5) + plugin_toml("B"))
    assert stop_timeout_s(load_config(config_path)) == 96 + 20


def test_exec_start_quotes_spaces_percent_and_dollar() -> None:
    argv = ["/opt/my tools/python", "--config", "/etc/100%/$HOME.toml"]
    line = "ExecStart=" + " ".join(systemd_quote(a) for a in argv)
    assert "%%" in line and "$$" in line
    assert exec_argv(line) == argv


def test_without_systemd_running_install_says_so_and_changes_nothing(tmp_path: Path) -> None:
    linux = FakeLinux(marker=str(tmp_path), systemd=False)
    backend = SystemdBackend(linux)
    with pytest.raises(ServiceError) as e:
        backend.check_available()
    assert "systemd is not running here (PID 1 is init-of-the-test)" in str(e.value)
    assert "Nothing was changed" in str(e.value)
    assert linux.calls == []


def test_without_systemctl_install_says_so(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as e:
        SystemdBackend(FakeLinux(marker=str(tmp_path), has_systemctl=False), root=tmp_path).check_available()
    assert "no systemd" in str(e.value)


def test_install_needs_root_on_the_real_system(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as e:
        SystemdBackend(FakeLinux(marker=str(tmp_path), root=False)).check_available()
    assert "sudo" in str(e.value)


def test_user_account_must_exist_and_not_be_root(tmp_path: Path) -> None:
    backend = SystemdBackend(FakeLinux(marker=str(tmp_path), users={"root": UserInfo("root", 0, 0, "/root")}))
    with pytest.raises(PreflightError):
        backend.resolve_account("user", "ghost")
    with pytest.raises(PreflightError):
        backend.resolve_account("user", "root")
    assert backend.resolve_account("system", None) == "root"


@pytest.mark.skipif(shutil.which("systemctl") is None, reason="systemctl is not installed here")
def test_uninstall_disables_and_removes_the_unit_and_keeps_config_and_data(tmp_path: Path) -> None:
    user = _some_user()
    linux, backend, config_path = _install(tmp_path, user, plugin_toml("P"))
    assert backend.uninstall(io.StringIO(), False)
    assert not backend.unit_path.exists()
    assert not (tmp_path / "etc/systemd/system/multi-user.target.wants" / UNIT_NAME).exists()
    assert config_path.exists() and places.machine_data_dir(tmp_path).exists()


def test_installed_unit_reads_back_its_mode_account_and_config(tmp_path: Path) -> None:
    user = _some_user()
    _, backend, config_path = _install(tmp_path, user, plugin_toml("P"))
    found = backend.installed()
    assert found is not None
    assert (found.mode, found.account, found.config_path) == ("service-user", user.name, config_path)


def test_cli_dry_run_prints_the_unit_and_changes_nothing(tmp_path: Path) -> None:
    config_path = _machine_config(tmp_path, plugin_toml("P"))
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    proc = subprocess.run([sys.executable, "-m", "sellintegro.service", "service", "install", "--account",
                           "system", "--root", str(tmp_path), "--dry-run"],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "SELLINTEGRO_LANG": "en"})
    assert proc.returncode == 0, proc.stderr
    assert "KillMode=mixed" in proc.stdout and f"--config {config_path}" in proc.stdout
    assert "systemctl --root" in proc.stdout and "nothing was changed" in proc.stdout
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_cli_install_refuses_a_config_without_an_explicit_data_dir(tmp_path: Path) -> None:
    path = places.machine_config_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('[endpoint]\nname = "x"\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "sellintegro.service", "service", "install", "--account",
                           "system", "--root", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "SELLINTEGRO_LANG": "en"})
    assert proc.returncode == 2
    assert "does not set [endpoint].data_dir" in proc.stderr
