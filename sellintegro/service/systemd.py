"""The systemd unit (Linux): install, uninstall, start and stop, through the LinuxOS seam.

One system unit, `sellintegro.service`, for both accounts: root (service-system) or `User=NAME`
(service-user; a system unit, so it runs at boot without anyone logged in, like the Windows service).

- KillMode=mixed: on stop, systemd sends SIGTERM to the supervisor alone, which asks each worker to stop,
  gives it its stop_timeout and then kills its process tree; whatever is left when TimeoutStopSec ends
  (computed from the config) gets SIGKILL. The default (control-group) would signal every worker at once,
  behind the supervisor's back.
- Restart=on-failure, but not after exit code 2 (the configuration was refused: restarting cannot help).
- Config in /etc/sellintegro, data in /var/lib/sellintegro, both group `sellintegro` with the setgid bit
  and UMask=0027: members of that group (and root) may read the control token (attach a tray, follow the
  logs) and the logs; nobody else may.
"""

from __future__ import annotations

import math
import re
import shlex
import time
from pathlib import Path
from typing import TextIO

from .. import places
from ..config import Config
from . import ATTACH_GROUP, UNIT_NAME
from .backend import Installed
from .errors import PreflightError, ServiceError
from .plan import Step, carry_out, chain, self_command
from .seam import LinuxOS
from .texts import text

UNIT_DIR = Path("/etc/systemd/system")
DIR_MODE = 0o2750  # setgid: files made inside belong to the attach group
STOP_MARGIN_S = 20


def systemd_quote(arg: str) -> str:
    """One ExecStart argument: % and $ escaped (specifiers, variables), quoted when it has specials."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def exec_argv(unit_text: str) -> list[str]:
    """The ExecStart command of a unit written by render_unit, as an argv."""
    line = next(x for x in unit_text.splitlines() if x.startswith("ExecStart="))
    value = line.split("=", 1)[1]
    return [a.replace("%%", "%").replace("$$", "$") for a in shlex.split(value)]


def stop_timeout_s(config: Config) -> int:
    """TimeoutStopSec: the longest stop_timeout of a worker, plus a margin for the supervisor's own exit."""
    longest = max([config.endpoint.stop_timeout, *(p.stop_timeout for p in config.plugins)])
    return math.ceil(longest) + STOP_MARGIN_S


def render_unit(mode: str, user: str | None, argv: list[str], timeout_stop_s: int) -> str:
    account = f"User={user}\n" if user else ""
    return (
        f"# Written by `sellintegro service install`; `sellintegro service uninstall` removes it.\n"
        f"[Unit]\n"
        f"Description=Sellintegro endpoint ({mode})\n"
        f"Wants=network-online.target\n"
        f"After=network-online.target\n"
        f"\n"
        f"[Service]\n"
        f"Type=exec\n"
        f"ExecStart={' '.join(systemd_quote(a) for a in argv)}\n"
        f"{account}"
        f"SupplementaryGroups={ATTACH_GROUP}\n"
        f"WorkingDirectory=/\n"
        f"UMask=0027\n"
        f"Environment=PYTHONUNBUFFERED=1\n"
        f"# SIGTERM to the supervisor alone: it stops its workers politely (stop_timeout each, then kills\n"
        f"# their process trees); what is left after TimeoutStopSec gets SIGKILL.\n"
        f"KillMode=mixed\n"
        f"KillSignal=SIGTERM\n"
        f"TimeoutStopSec={timeout_stop_s}\n"
        f"Restart=on-failure\n"
        f"RestartSec=5\n"
        f"# Exit code 2: the configuration was refused; a restart cannot fix it.\n"
        f"RestartPreventExitStatus=2\n"
        f"\n"
        f"[Install]\n"
        f"WantedBy=multi-user.target\n"
    )


class SystemdBackend:
    """The systemd unit. `root` installs into another tree (an image, a test); such an install is offline
    (`systemctl --root`, no daemon-reload, no start) unless `offline=False` says a systemd manages it."""

    def __init__(self, os: LinuxOS, root: Path | None = None, offline: bool | None = None) -> None:
        self.os = os
        self.root = root if root is not None and root != Path("/") else None
        self.offline = self.root is not None if offline is None else offline
        self.unit_path = places.under_root(UNIT_DIR / UNIT_NAME, self.root)
        self.label = f"systemd unit {UNIT_NAME}"
        self.log_hint = f"journalctl -u {UNIT_NAME}"

    def _systemctl(self, *args: str) -> list[str]:
        return [*(["--root", str(self.root)] if self.offline and self.root else []), *args]

    # -- preflight ----------------------------------------------------------------------------------------------
    def check_available(self) -> None:
        """Refuse (nothing changed) where a unit could not be installed or started."""
        if not self.os.which("systemctl"):
            raise ServiceError(text("no_systemctl") + " " + text("nothing_changed"))
        if not self.offline:
            if not self.os.systemd_running():
                raise ServiceError(text("systemd_not_running", pid1=self.os.pid1()) + " " + text("nothing_changed"))
            if not self.os.is_root():
                raise ServiceError(text("need_root") + " " + text("nothing_changed"))

    def resolve_account(self, account: str, user: str | None) -> str:
        """The Linux account of `--account KIND [--user NAME]` (default: the person behind sudo)."""
        if account == "system":
            if user:
                raise PreflightError(text("user_needs_account"))
            return "root"
        import os

        name = user or os.environ.get("SUDO_USER") or ""
        if not name or self.os.user(name) is None:
            raise PreflightError(text("no_such_user", user=name or "?") + " " + text("nothing_changed"))
        if name == "root":
            raise PreflightError(text("user_is_root"))
        return name

    def needs_password(self, account: str) -> bool:
        return False  # systemd starts User= services without the account's password

    # -- changes -------------------------------------------------------------------------------------------------
    def data_steps(self, owner: str, data_dir: Path) -> list[Step]:
        """Make `data_dir` the service account's, in the attach group, with a shared run directory."""
        run_dir = places.run_dir(data_dir)
        return [
            Step(f"install -d -m 2750 -o {owner} -g {ATTACH_GROUP} {data_dir} {run_dir}",
                 chain(lambda: self.os.make_dir(str(data_dir), DIR_MODE, owner, ATTACH_GROUP),
                       lambda: self.os.make_dir(str(run_dir), DIR_MODE, owner, ATTACH_GROUP))),
            Step(f"chown -R {owner}:{ATTACH_GROUP} {data_dir}",
                 lambda: self.os.chown_tree(str(data_dir), owner, ATTACH_GROUP)),
        ]

    def protect_steps(self, owner: str) -> list[Step]:
        steps: list[Step] = []
        if not self.os.group_exists(ATTACH_GROUP):
            steps.append(Step(f"groupadd --system {ATTACH_GROUP}", lambda: self.os.add_group(ATTACH_GROUP)))
        # The machine-wide config: root's, readable by the service (SupplementaryGroups) and the group.
        conf_dir = places.machine_config_dir(self.root)
        steps.append(Step(f"install -d -m 2750 -o root -g {ATTACH_GROUP} {conf_dir}",
                          lambda: self.os.make_dir(str(conf_dir), DIR_MODE, "root", ATTACH_GROUP)))
        return steps

    def install_steps(self, mode: str, owner: str, config_path: Path, config: Config) -> list[Step]:
        steps = self.protect_steps(owner)
        if config_path.parent == places.machine_config_dir(self.root):
            steps.append(Step(f"chown root:{ATTACH_GROUP} {config_path} && chmod 0640 {config_path}",
                              lambda: self.os.write_file(str(config_path),
                                                         config_path.read_text(encoding="utf-8"),
                                                         0o640, "root", ATTACH_GROUP)))
        steps += self.data_steps(owner, config.endpoint.data_dir)
        argv = self_command("host", "--mode", mode, "--config", str(config_path))
        unit = render_unit(mode, None if owner == "root" else owner, argv, stop_timeout_s(config))
        unit_path = self.unit_path
        steps.append(Step(f"write {unit_path} (mode 0644)",
                          chain(lambda: self.os.make_dir(str(unit_path.parent), 0o755, "root", "root"),
                                lambda: self.os.write_file(str(unit_path), unit, 0o644, "root", "root")),
                          detail=unit))
        if not self.offline:
            steps.append(Step("systemctl daemon-reload", lambda: self.os.systemctl("daemon-reload")))
        args = self._systemctl("enable", UNIT_NAME)
        steps.append(Step("systemctl " + " ".join(args), lambda: self.os.systemctl(*args)))
        return steps

    def install(self, mode: str, owner: str, password: str | None, config_path: Path, config: Config,
                out: TextIO, dry_run: bool) -> None:
        carry_out(self.install_steps(mode, owner, config_path, config), out, dry_run)

    def uninstall(self, out: TextIO, dry_run: bool) -> bool:
        if not self.unit_path.exists():
            print(text("not_installed", name=UNIT_NAME), file=out)
            return False
        steps: list[Step] = []
        if not self.offline:
            steps.append(Step(f"systemctl stop {UNIT_NAME}", lambda: self.os.systemctl("stop", UNIT_NAME)))
        args = self._systemctl("disable", UNIT_NAME)
        steps.append(Step("systemctl " + " ".join(args), lambda: self.os.systemctl(*args)))
        steps.append(Step(f"rm {self.unit_path}", lambda: self.os.remove_file(str(self.unit_path))))
        if not self.offline:
            steps.append(Step("systemctl daemon-reload", lambda: self.os.systemctl("daemon-reload")))
        carry_out(steps, out, dry_run)
        return True

    def _need_live(self) -> None:
        if not self.unit_path.exists():
            raise ServiceError(text("not_installed", name=UNIT_NAME))
        if self.offline:
            raise ServiceError(text("systemd_not_running", pid1=f"(--root {self.root})"))

    def start(self, out: TextIO, dry_run: bool, timeout: float) -> None:
        self._need_live()
        carry_out([Step(f"systemctl start {UNIT_NAME}", lambda: self.os.systemctl("start", UNIT_NAME))], out, dry_run)
        if dry_run:
            return
        end = time.monotonic() + timeout
        while not self.is_active():
            if time.monotonic() > end:
                raise ServiceError(text("not_started", name=UNIT_NAME, state="active", secs=timeout,
                                        now="inactive", log=self.log_hint))
            time.sleep(0.2)
        print(text("started", name=UNIT_NAME), file=out)

    def stop(self, out: TextIO, dry_run: bool, timeout: float) -> None:
        self._need_live()
        # systemctl stop waits until the unit is down (at most TimeoutStopSec).
        carry_out([Step(f"systemctl stop {UNIT_NAME}", lambda: self.os.systemctl("stop", UNIT_NAME))], out, dry_run)
        if not dry_run:
            print(text("stopped", name=UNIT_NAME), file=out)

    # -- reads ------------------------------------------------------------------------------------------------------
    def is_active(self) -> bool:
        if self.offline:
            return False
        try:
            return self.os.systemctl("is-active", UNIT_NAME).strip() == "active"
        except ServiceError:
            return False  # is-active exits 3 for an inactive unit

    def installed(self) -> Installed | None:
        try:
            unit = self.unit_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        argv = exec_argv(unit)
        mode = argv[argv.index("--mode") + 1] if "--mode" in argv else "?"
        config = Path(argv[argv.index("--config") + 1]) if "--config" in argv else None
        user = re.search(r"^User=(.+)$", unit, re.MULTILINE)
        return Installed(mode, user.group(1) if user else "root", self.is_active(), config)

    def check_password(self, owner: str, password: str | None) -> None:
        return None  # no password on Linux
