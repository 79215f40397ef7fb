"""`sellintegro mode application|service-system|service-user`: switch the run mode cleanly.

1. Preflight, before any change: the service manager is there and we may use it, the account exists,
   its password is right (Windows), the config loads.
2. The old instance stops, and its process is gone before anything else happens: never two endpoints
   over the same orders.
3. Data and config move between the user's places and the machine-wide ones (copied, verified, the
   original kept as `.moved-<time>`): journal, cursors, idempotency records, logs and pauses all go along.
4. The service is installed (or removed), the mode is recorded, the new instance starts and must answer.
5. Autostart at logon follows the mode: the endpoint with its tray, or the tray alone (attached).
6. The plugin checks run as the new account, and the seed's checklist is printed with warnings about
   what that account lacks (printers, mapped drives, shares under SYSTEM).
A failing step undoes the ones before it, newest first, so the machine is back in its old mode.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .. import places
from ..api import PluginType
from ..config import Config
from . import SERVICE_MODES, instance
from .autostart import Autostart, logon_command
from .backend import ServiceBackend
from .checks import account_warnings, render_checklist, runtime_warnings
from .datamove import Moved, MovedConfig, data_dir_of, move_config, move_data
from .errors import ServiceError
from .host import CHECKS_FILE, load_config
from .instance import Launcher
from .plan import Step, chain, self_command
from .seam import LinuxOS
from .texts import text


@dataclass
class ModeRecord:
    """The machine's run mode, and where the application mode keeps its config and data meanwhile."""

    mode: str = "application"
    account: str = ""
    since: float = 0.0
    app_config: str | None = None
    app_data: str | None = None
    app_user: str | None = None


def read_mode(root: Path | None = None) -> ModeRecord:
    try:
        raw = json.loads(places.machine_mode_file(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # Absent: application mode. Unreadable (not in the attach group): this person cannot attach to a
        # service anyway, so their own application-mode places are the right default.
        return ModeRecord()
    fields = {f.name for f in dataclasses.fields(ModeRecord)}
    return ModeRecord(**{k: v for k, v in raw.items() if k in fields})


def write_mode(record: ModeRecord, root: Path | None = None) -> None:
    path = places.machine_mode_file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(dataclasses.asdict(record), indent=1), encoding="utf-8")
    os.replace(tmp, path)


def service_config(root: Path | None = None) -> Path | None:
    """The machine-wide config when this machine runs the endpoint as a service, else None.

    For `places.default_config_path()`: in a service mode, `sellintegro status`, `logs -f` and `tray`
    without --config should find the service, not the (moved away) per-user config.
    """
    if read_mode(root).mode not in SERVICE_MODES:
        return None
    path = places.machine_config_path(root)
    return path if path.exists() else None


def second_endpoint(config: Config, root: Path | None = None) -> str | None:
    """Why `sellintegro run` must not start for `config`: the machine runs the endpoint as a service
    over other data (a second endpoint would create every document twice); None when it may start."""
    record = read_mode(root)
    if record.mode not in SERVICE_MODES or config.endpoint.data_dir == places.machine_data_dir(root):
        return None
    return text("second_endpoint", mode=record.mode, config=places.machine_config_path(root))


@dataclass
class Change:
    """One change of a switch, and how to take it back (None: it needs nothing, or cannot be undone)."""

    shown: str
    do: Callable[[], object]
    undo: Callable[[], object] | None = None
    dry: Callable[[], object] | None = None  # a dry run prints more (the service manager's calls)
    # Its undo also applies when it failed halfway (an install that wrote the unit but could not enable it).
    partial: bool = False


class _Nested(io.StringIO):
    """A dry run inside a dry run: indented, without a second "Dry run" header."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self.target = out

    def write(self, s: str) -> int:
        super().write(s)
        while "\n" in self.getvalue():
            line, rest = self.getvalue().split("\n", 1)
            self.seek(0)
            self.truncate()
            super().write(rest)
            if line.strip() != text("dry_run_header"):
                self.target.write("  " + line + "\n")
        return len(s)


def _run_steps(steps: list[Step]) -> Callable[[], None]:
    def run() -> None:
        for s in steps:
            s.do()
    return run


class ModeSwitch:
    def __init__(self, backend: ServiceBackend, autostart: Autostart, launcher: Launcher, out: TextIO, *,
                 root: Path | None = None, linux: LinuxOS | None = None, timeout: float = 60.0,
                 app_user: str | None = None, app_home: Path | None = None,
                 windows: bool = sys.platform == "win32", remote_drives: frozenset[str] = frozenset(),
                 types: Mapping[str, PluginType] | None = None) -> None:
        self.backend = backend
        self.autostart = autostart
        self.launcher = launcher
        self.out = out
        self.root = root
        self.linux = linux
        self.timeout = timeout
        self.app_user = app_user
        self.app_home = app_home
        self.windows = windows
        self.remote_drives = remote_drives
        self.types = types

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    # -- the application mode's places (another user's when run through sudo) ------------------------------------
    def default_app_config(self) -> Path:
        if self.app_home is not None:
            return self.app_home / ".config" / places.APP / places.CONFIG_NAME
        return places.default_config_path()

    def default_app_data(self) -> Path:
        if self.app_home is not None:
            return self.app_home / ".local" / "share" / places.APP
        return places.default_data_dir()

    def _load(self, path: Path) -> Config:
        if self.types is None:
            return load_config(path)
        from ..config import load

        return load(path, self.types)

    # -- the switch ---------------------------------------------------------------------------------------------------
    def run(self, target: str, user: str | None = None, password: Callable[[str], str | None] = lambda _: None,
            app_config: Path | None = None, dry_run: bool = False) -> int:
        record = read_mode(self.root)
        current = record.mode
        app_cfg = app_config or (Path(record.app_config) if record.app_config else self.default_app_config())
        machine_cfg = places.machine_config_path(self.root)
        machine_data = places.machine_data_dir(self.root)
        kind = target.removeprefix("service-")
        owner = self.backend.resolve_account(kind, user) if target in SERVICE_MODES else (self.app_user or "")
        if target == current and (target == "application" or owner == record.account):
            self.say(text("mode_same", mode=target))
            return 0

        # -- preflight: nothing has changed yet ---------------------------------------------------------------------
        if target in SERVICE_MODES or current in SERVICE_MODES:
            try:
                self.backend.check_available()
            except ServiceError as e:
                if not dry_run:
                    raise
                self.say(f"(note: {e})")  # a dry run still shows what a real one would do
        source_cfg = app_cfg if current == "application" else machine_cfg
        config = self._load(source_cfg)
        if current == "application":
            app_data = data_dir_of(app_cfg, self.default_app_data())
        else:
            app_data = Path(record.app_data) if record.app_data else self.default_app_data()
        secret: str | None = None
        if target in SERVICE_MODES and self.backend.needs_password(kind) and not dry_run:
            secret = password(owner)
            self.backend.check_password(owner, secret)
        new_cfg = machine_cfg if target in SERVICE_MODES else app_cfg
        new_data = machine_data if target in SERVICE_MODES else app_data
        warnings = account_warnings(config, target, owner, windows=self.windows, remote_drives=self.remote_drives,
                                    new_config_dir=new_cfg.parent)
        warnings += runtime_warnings(target, windows=self.windows, executable=sys.executable,
                                     venv=sys.prefix != sys.base_prefix, frozen=bool(getattr(sys, "frozen", False)))
        # The config the new mode will read (known before the files move, for a dry run's unit file).
        moved_config = dataclasses.replace(config, path=new_cfg,
                                           endpoint=dataclasses.replace(config.endpoint, data_dir=new_data))

        changes = self._plan(current, target, owner, secret, record, config, moved_config, app_cfg, app_data,
                             machine_cfg, machine_data)
        if dry_run:
            self.say(text("dry_run_header"))
            for c in changes:
                self.say(f"- {c.shown}")
                if c.dry is not None:
                    c.dry()  # prints the service manager's calls through self.out (see _plan)
            self._print_warnings(warnings)
            return 0

        started = time.time()
        done: list[Change] = []
        for c in changes:
            self.say(f"- {c.shown}")
            try:
                c.do()
            except Exception as e:  # noqa: BLE001 - any failure rolls the switch back, then is reported
                self.say(text("mode_failed", old=current, new=target, step=c.shown, reason=e))
                self._roll_back(done + [c] if c.partial else done, current)
                return 1
            done.append(c)

        report, why = self._checks(target, new_cfg, new_data, started)
        for line in render_checklist(self._load(new_cfg), report, why):
            self.say(line)
        self._print_warnings(warnings)
        found = instance.running(new_data)
        self.say(text("mode_switched", old=current, new=target, account=owner or "?",
                      pid=found.pid if found else "-", config=new_cfg, data=new_data))
        return 0

    def _print_warnings(self, warnings: list[str]) -> None:
        if warnings:
            self.say(text("warn.header"))
            for w in warnings:
                self.say(f"  ! {w}")

    def _roll_back(self, done: list[Change], old: str) -> None:
        for c in reversed(done):
            if c.undo is None:
                continue
            try:
                c.undo()
            except Exception as e:  # noqa: BLE001 - reported with the step; the person finishes by hand
                self.say(text("mode_rollback_failed", step=c.shown, reason=e, old=old))
                return
        self.say(text("mode_rolled_back", old=old))

    # -- the plan -------------------------------------------------------------------------------------------------
    def _plan(self, current: str, target: str, owner: str, secret: str | None, record: ModeRecord,
              config: Config, moved_config: Config, app_cfg: Path, app_data: Path, machine_cfg: Path,
              machine_data: Path) -> list[Change]:
        out, backend = self.out, self.backend
        stamp = time.strftime("%Y%m%d-%H%M%S")
        stop_wait = max([config.endpoint.stop_timeout, *(p.stop_timeout for p in config.plugins)]) + 30
        changes: list[Change] = []

        # 1. The old instance stops, and its process is gone.
        installed = backend.installed()
        if current == "application" and installed is not None and installed.running:
            # A service installed by hand (`sellintegro service install`) next to the application mode.
            changes.append(Change(f"stop the running {backend.label} ({installed.mode}, {installed.account})",
                                  do=lambda: backend.stop(out, False, stop_wait),
                                  undo=lambda: backend.start(out, False, self.timeout)))
        if current == "application":
            found = instance.running(app_data)
            if found is not None:
                changes.append(Change(
                    f"stop the application-mode endpoint (pid {found.pid}) and wait until it has exited",
                    do=lambda: instance.stop(app_data, stop_wait),
                    undo=lambda: self.launcher.start(app_cfg, self.app_user)))
            steps = self.autostart.disable_steps()
            if steps:
                previous = logon_command("application", app_cfg)
                changes.append(Change(
                    f"remove the application autostart ({self.autostart.where})", do=_run_steps(steps),
                    undo=(_run_steps(self.autostart.enable_steps(previous, "application")) if previous else None)))
        else:
            if installed is not None and installed.running:
                changes.append(Change(f"stop the {backend.label} and wait until it has stopped",
                                      do=lambda: backend.stop(out, False, stop_wait),
                                      undo=lambda: backend.start(out, False, self.timeout)))

        # 2. Data and config move with the mode, into a machine directory protected first.
        if target in SERVICE_MODES:
            protect = backend.protect_steps(owner)
            if protect:
                changes.append(Change("; ".join(s.shown for s in protect), do=_run_steps(protect)))
        moves: dict[str, Moved | MovedConfig] = {}
        src_data, dst_data, src_cfg, dst_cfg = None, None, None, None
        if current == "application" and target in SERVICE_MODES:
            src_data, dst_data, src_cfg, dst_cfg = app_data, machine_data, app_cfg, machine_cfg
        elif current in SERVICE_MODES and target == "application":
            src_data, dst_data, src_cfg, dst_cfg = machine_data, app_data, machine_cfg, app_cfg
        if src_data is not None and dst_data is not None and src_cfg is not None and dst_cfg is not None:
            sd, dd, sc, dc = src_data, dst_data, src_cfg, dst_cfg
            changes.append(Change(
                f"move the data {sd} -> {dd} (copied and verified file by file; the original is kept as "
                f"{sd.name}.moved-{stamp})",
                do=lambda: moves.__setitem__("data", move_data(sd, dd, stamp)),
                undo=lambda: moves["data"].undo()))
            changes.append(Change(
                f"write {dc} from {sc} with [endpoint].data_dir = {dd} (the original kept as {sc.name}.moved-{stamp})",
                do=lambda: moves.__setitem__("config", move_config(sc, dc, dd, stamp)),
                undo=lambda: moves["config"].undo()))
            linux = self.linux
            if (target == "application" and linux is not None and linux.is_root() and self.app_user
                    and self.app_user != "root"):
                user = self.app_user
                changes.append(Change(f"chown -R {user}: {dd} {dc}",
                                      do=chain(lambda: linux.chown_tree(str(dd), user, ""),
                                               lambda: linux.chown_tree(str(dc), user, ""))))

        # 3. The service manager.
        if target in SERVICE_MODES:
            def install() -> None:
                backend.install(target, owner, secret, machine_cfg, self._load(machine_cfg), out, False)
            def reinstall_old() -> None:
                old_kind = current.removeprefix("service-")
                if backend.needs_password(old_kind):
                    raise ServiceError(f"the service is configured for {owner} now; going back to "
                                       f"{record.account} needs its password: `sellintegro mode {current} "
                                       f"--user {record.account}`")
                backend.install(current, record.account, None, machine_cfg, self._load(machine_cfg), out, False)
            changes.append(Change(
                f"install the {backend.label}: {target}, account {owner}",
                do=install,
                undo=(lambda: backend.uninstall(out, False)) if current == "application" else reinstall_old,
                partial=current == "application",
                dry=lambda: backend.install(target, owner, None, machine_cfg, moved_config, _Nested(out), True)))
        else:
            changes.append(Change(f"remove the {backend.label} (the data and config moved above)",
                                  do=lambda: backend.uninstall(out, False),
                                  dry=lambda: backend.uninstall(_Nested(out), True)))

        # 4. The mode is recorded: where the application mode's places are, for the way back.
        new_record = ModeRecord(mode=target, account=owner, since=time.time(),
                                app_config=str(app_cfg), app_data=str(app_data), app_user=self.app_user)
        changes.append(Change(f"record mode {target} in {places.machine_mode_file(self.root)}",
                              do=lambda: write_mode(new_record, self.root),
                              undo=lambda: write_mode(record, self.root)))

        # 5. The new instance starts and must answer.
        if target in SERVICE_MODES:
            def start_service() -> None:
                backend.start(out, False, self.timeout)
                instance.wait_running(machine_data, target, self.timeout)
            changes.append(Change(f"start the {backend.label} and wait until its supervisor answers",
                                  do=start_service, undo=lambda: backend.stop(out, False, stop_wait),
                                  partial=True))
        else:
            def start_app() -> None:
                if self.launcher.start(app_cfg, self.app_user):
                    instance.wait_running(app_data, "application", self.timeout)
                else:
                    self.say("  " + text("app_start_later", command=self.launcher.command(app_cfg)))
            changes.append(Change("start the application-mode endpoint", do=start_app,
                                  undo=lambda: instance.stop(app_data, stop_wait)))

        # 6. What starts at logon follows the mode.
        logon = logon_command(target, machine_cfg if target in SERVICE_MODES else app_cfg)
        if logon is not None:
            steps = self.autostart.enable_steps(logon, target)
            changes.append(Change(f"start at logon: {steps[0].shown}",
                                  do=_run_steps(steps), undo=lambda: _run_steps(self.autostart.disable_steps())()))
        return changes

    # -- the checks, as the new account ---------------------------------------------------------------------------
    def _checks(self, target: str, config_path: Path, data_dir: Path, since: float
                ) -> tuple[dict[str, Any] | None, str | None]:
        if target in SERVICE_MODES:
            # The service host runs them in its own process tree, so as the service's account.
            path = places.run_dir(data_dir) / CHECKS_FILE
            end = time.monotonic() + self.timeout
            while time.monotonic() < end:
                try:
                    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
                    if report.get("time", 0) >= since:
                        return report, None
                except (FileNotFoundError, ValueError):
                    pass
                time.sleep(0.2)
            return None, f"the service wrote no {path} within {self.timeout:g} s"
        argv = self_command("checks", "--config", str(config_path))
        kwargs: dict[str, Any] = {}
        if sys.platform != "win32" and self.app_user and os.geteuid() == 0 and self.app_user != "root":
            kwargs["user"] = self.app_user  # the application mode's account, not root behind sudo
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout + 30, **kwargs)
            return json.loads(proc.stdout), None
        except (OSError, ValueError, subprocess.SubprocessError) as e:
            return None, str(e)
