"""Mode switches on Linux with real supervisors: the application instance is a real `sellintegro run`, the
service is its unit's real ExecStart (run by the fake systemd), and the data is real SQLite and log files."""

from __future__ import annotations

import io
import json
import os
import pwd
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sellintegro import places
from sellintegro.journal import Journal
from sellintegro.service import instance
from sellintegro.service.autostart import XdgAutostart, cli_has
from sellintegro.service.modes import ModeSwitch, read_mode
from sellintegro.service.seam import UserInfo
from sellintegro.service.systemd import SystemdBackend
from sellintegro.state import StateStore

from ..conftest import plugin_toml, wait_for
from .fakes import FakeLauncher, FakeLinux

pytestmark = pytest.mark.slow

CODE = "PROBE_MODE_1"
ME = pwd.getpwuid(os.geteuid()).pw_name


@dataclass
class Machine:
    tmp: Path
    root: Path
    home: Path
    app_config: Path
    app_data: Path
    linux: FakeLinux
    launcher: FakeLauncher
    autostart: XdgAutostart
    out: io.StringIO

    def switch(self, target: str, **kw: object) -> int:
        backend = SystemdBackend(self.linux, root=self.root, offline=False)
        switch = ModeSwitch(backend, self.autostart, self.launcher, self.out, root=self.root, linux=self.linux,
                            timeout=60, app_user=ME, windows=False)
        return switch.run(target, app_config=self.app_config, **kw)  # type: ignore[arg-type]

    @property
    def machine_data(self) -> Path:
        return places.machine_data_dir(self.root)


@pytest.fixture
def machine(tmp_path: Path) -> Iterator[Machine]:
    root, home = tmp_path / "root", tmp_path / "home"
    app_config = home / ".config" / "sellintegro" / "sellintegro.toml"
    app_data = home / ".local" / "share" / "sellintegro"
    app_config.parent.mkdir(parents=True)
    app_config.write_text(f'# my shop\n[endpoint]\nname = "shop"\ndata_dir = "{app_data}"\n\n'
                          + plugin_toml(CODE, tick_ms=200, journal=3), encoding="utf-8")
    me = pwd.getpwuid(os.geteuid())
    linux = FakeLinux(marker=str(tmp_path), unit_root=root,
                      users={me.pw_name: UserInfo(me.pw_name, me.pw_uid, me.pw_gid, me.pw_dir),
                             "kasia": UserInfo("kasia", 4321, 4321, "/home/kasia")})
    m = Machine(tmp_path, root, home, app_config, app_data, linux, FakeLauncher(marker=str(tmp_path)),
                XdgAutostart(home / ".config"), io.StringIO())
    yield m
    m.linux.kill()
    m.launcher.kill()


def _seed_state(data_dir: Path) -> None:
    """A cursor and idempotency records as a plugin leaves them (written before the endpoint starts)."""
    store = StateStore(data_dir, CODE)
    store.set_cursor("orders.date_confirmed", 1_767_000_000)
    store.begin("order:1001")
    store.finish("order:1001", "done", {"document": "ZK 45/2026"})
    store.begin("receipt:77")
    store.finish("receipt:77", "held", None)
    store.close()


def _assert_state(data_dir: Path) -> None:
    store = StateStore(data_dir, CODE)
    try:
        assert store.get_cursor("orders.date_confirmed") == 1_767_000_000
        assert store.effect("order:1001").result == {"document": "ZK 45/2026"}  # type: ignore[union-attr]
        assert store.effect("receipt:77").status == "held"  # type: ignore[union-attr]
    finally:
        store.close()


def _journal(data_dir: Path) -> list[str]:
    journal = Journal(data_dir)
    try:
        return [e.message for e in journal.query(plugin=CODE)]
    finally:
        journal.close()


def test_application_to_service_system_and_back_keeps_journal_cursors_and_idempotency_records(
        machine: Machine) -> None:
    _seed_state(machine.app_data)
    machine.launcher.start(machine.app_config, ME)
    app = instance.wait_running(machine.app_data, "application", 30)
    wait_for("three journal entries", lambda: len(_journal(machine.app_data)) == 3)
    before = _journal(machine.app_data)
    machine.autostart._write("[Desktop Entry]\nExec=sellintegro run\n")  # the application's autostart

    # application -> service-system
    assert machine.switch("service-system") == 0, machine.out.getvalue()
    service = instance.running(machine.machine_data)
    assert service is not None and service.mode == "service-system"
    assert not instance._alive(app.pid)
    assert _journal(machine.machine_data)[:3] == before  # the probe journals 3 more at each start
    _assert_state(machine.machine_data)
    assert read_mode(machine.root).mode == "service-system"
    # At logon: no application next to the service; the tray, attached to it, once the tray is built.
    logon = machine.autostart.current()
    if cli_has("tray"):
        assert logon is not None and f"tray --config {places.machine_config_path(machine.root)}" in logon
    else:
        assert logon is None
    assert not machine.app_data.exists() and not machine.app_config.exists()  # moved, kept as .moved-*
    assert list(machine.app_data.parent.glob("sellintegro.moved-*"))
    machine_config = places.machine_config_path(machine.root).read_text(encoding="utf-8")
    assert "# my shop" in machine_config and str(machine.machine_data) in machine_config
    out = machine.out.getvalue()
    assert "a) orders are processed" in out and "c) the PDF plugin" in out
    assert "declares no checks" in out  # the probe type has none: said, not hidden

    # service-system -> application
    assert machine.switch("application") == 0, machine.out.getvalue()
    assert machine.linux.proc is not None and machine.linux.proc.poll() is not None  # the service stopped
    back = instance.wait_running(machine.app_data, "application", 30)
    assert back.pid != app.pid
    assert _journal(machine.app_data)[:3] == before
    _assert_state(machine.app_data)
    assert read_mode(machine.root).mode == "application"
    assert f"run --config {machine.app_config}" in (machine.autostart.current() or "")
    assert not machine.machine_data.exists()
    # never two supervisors at once, in either direction
    assert machine.linux.overlaps == [] and machine.launcher.overlaps == []


def test_a_switch_that_fails_rolls_back_to_the_old_mode_with_the_data_in_place(machine: Machine) -> None:
    _seed_state(machine.app_data)
    machine.launcher.start(machine.app_config, ME)
    first = instance.wait_running(machine.app_data, "application", 30)
    machine.linux.fail_start = True

    assert machine.switch("service-system") == 1
    out = machine.out.getvalue()
    assert "failed at" in out and "Rolled back" in out
    assert read_mode(machine.root).mode == "application"
    assert machine.app_config.exists()
    _assert_state(machine.app_data)
    again = instance.wait_running(machine.app_data, "application", 30)  # the old instance is back
    assert again.pid != first.pid
    assert not machine.machine_data.exists()
    assert not SystemdBackend(machine.linux, root=machine.root).unit_path.exists()
    assert machine.launcher.overlaps == []


def test_dry_run_of_a_switch_changes_nothing_and_leaves_the_endpoint_running(machine: Machine) -> None:
    machine.launcher.start(machine.app_config, ME)
    app = instance.wait_running(machine.app_data, "application", 30)
    before = files_of(machine)

    assert machine.switch("service-user", user="kasia", dry_run=True) == 0
    out = machine.out.getvalue()
    assert f"stop the application-mode endpoint (pid {app.pid})" in out
    assert "User=kasia" in out and "ExecStart=" in out and "move the data" in out
    assert "chown -R kasia:sellintegro" in out
    assert instance.running(machine.app_data) == app
    assert files_of(machine) == before


def files_of(machine: Machine) -> list[str]:
    """What a switch could change: every file but those a running endpoint changes by itself (its run and
    log files, and the journal's -wal and -shm, there while a worker has the journal open)."""
    return sorted(str(p) for p in machine.tmp.rglob("*") if "run" not in p.parts and "logs" not in p.parts
                  and not p.name.endswith(("-wal", "-shm")))


def test_switching_to_the_mode_already_in_use_does_nothing(machine: Machine) -> None:
    assert machine.switch("application") == 0
    assert "already in mode application" in machine.out.getvalue()
    assert machine.launcher.started == []


def test_a_refused_config_stops_the_switch_before_anything_changes(machine: Machine) -> None:
    from sellintegro.errors import ConfigError

    machine.app_config.write_text(machine.app_config.read_text() + "\nbogus = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        machine.switch("service-system")
    assert read_mode(machine.root).mode == "application"
    assert not places.machine_config_dir(machine.root).exists()


def test_the_mode_record_remembers_where_the_application_mode_lives(machine: Machine) -> None:
    assert machine.switch("service-system") == 0, machine.out.getvalue()
    record = json.loads(places.machine_mode_file(machine.root).read_text())
    assert record["app_config"] == str(machine.app_config)
    assert record["app_data"] == str(machine.app_data)
    assert record["account"] == "root"


def test_a_wrong_windows_password_stops_the_switch_before_the_running_endpoint_is_touched(
        machine: Machine) -> None:
    from sellintegro.service.errors import PreflightError
    from sellintegro.service.windows import WindowsBackend

    from .fakes import FakeWindows

    machine.launcher.start(machine.app_config, ME)
    app = instance.wait_running(machine.app_data, "application", 30)
    win = FakeWindows()
    switch = ModeSwitch(WindowsBackend(win, machine.root), machine.autostart, machine.launcher, machine.out,
                        root=machine.root, timeout=30, app_user="jan", windows=True)
    asked: list[str] = []

    def pin(account: str) -> str:
        asked.append(account)
        return "4321"

    with pytest.raises(PreflightError) as e:
        switch.run("service-user", user="kasia", password=pin, app_config=machine.app_config)
    assert asked == [".\\kasia"]
    assert "looks like a PIN" in str(e.value)
    assert win.changes() == []
    assert instance.running(machine.app_data) == app
    assert read_mode(machine.root).mode == "application"


def test_in_a_service_mode_a_second_endpoint_is_refused_and_the_cli_finds_the_service(machine: Machine) -> None:
    from sellintegro.service.host import load_config
    from sellintegro.service.modes import ModeRecord, second_endpoint, service_config, write_mode

    app = load_config(machine.app_config)
    assert second_endpoint(app, machine.root) is None and service_config(machine.root) is None
    places.machine_config_path(machine.root).parent.mkdir(parents=True)
    places.machine_config_path(machine.root).write_text(
        f'[endpoint]\ndata_dir = "{machine.machine_data}"\n', encoding="utf-8")
    write_mode(ModeRecord(mode="service-user", account="kasia"), machine.root)
    assert "would process the same orders twice" in (second_endpoint(app, machine.root) or "")
    assert second_endpoint(load_config(places.machine_config_path(machine.root)), machine.root) is None
    assert service_config(machine.root) == places.machine_config_path(machine.root)


def test_service_system_to_service_user_keeps_the_data_in_place_and_hands_it_to_the_account(
        machine: Machine) -> None:
    _seed_state(machine.app_data)
    assert machine.switch("service-system") == 0, machine.out.getvalue()
    first = instance.running(machine.machine_data)
    assert first is not None

    assert machine.switch("service-user", user="kasia") == 0, machine.out.getvalue()
    second = instance.wait_running(machine.machine_data, "service-user", 30)
    assert second.pid != first.pid and not instance._alive(first.pid)
    assert "User=kasia" in machine.linux.unit_text()
    assert ("chown -R", str(machine.machine_data), "kasia", "sellintegro") in machine.linux.calls
    _assert_state(machine.machine_data)
    assert read_mode(machine.root).account == "kasia"
    assert machine.linux.overlaps == [] and machine.launcher.overlaps == []
