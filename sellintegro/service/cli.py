"""The run modes' commands: `sellintegro service ...`, `sellintegro mode ...`, `sellintegro autostart ...`.

`add_parsers(sub, common)` adds them to the `sellintegro` command line; `python -m sellintegro.service`
offers the same commands (and the service host) without it.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import places
from . import MODES, SERVICE_MODES, instance, mode_of
from .errors import PreflightError, ServiceError
from .texts import text


def _own_common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dry-run", action="store_true",
                        help="print what would be done (service-manager calls, unit file) and change nothing")
    common.add_argument("--root", type=Path, metavar="DIR",
                        help="Linux: install into DIR instead of / (an image being built, a test); "
                        "systemd need not run there")
    return common


def _account_args(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--account", choices=("system", "user"), required=required,
                   help="system: LocalSystem / root; user: a chosen account (--user)")
    p.add_argument("--user", metavar="NAME",
                   help="the account for --account user: .\\NAME or DOMAIN\\NAME on Windows, a login on Linux "
                   "(default: the person running the command)")
    p.add_argument("--password-stdin", action="store_true",
                   help="Windows, --account user: read the password from the first line of standard input "
                   "(otherwise it is asked for; it is never an argument, so never in shell history)")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `service`, `mode` and `autostart` to the `sellintegro` subcommands."""
    own = _own_common()
    config_help = f"the machine-wide config the service reads (default: {places.machine_config_path()})"

    svc = sub.add_parser("service", help="install, uninstall, start or stop the endpoint as a Windows service "
                         "or a systemd unit")
    ssub = svc.add_subparsers(dest="service_command", required=True, metavar="{install,uninstall,start,stop}")
    p = ssub.add_parser("install", parents=[own], help="install the service (it starts at boot)")
    _account_args(p, required=True)
    p.add_argument("--config", type=Path, metavar="PATH", help=config_help)
    p.set_defaults(fn=cmd_install)
    p = ssub.add_parser("uninstall", parents=[own], help="stop and remove the service; config and data stay")
    _account_args(p, required=False)
    p.set_defaults(fn=cmd_uninstall)
    for name, fn, what in (("start", cmd_start, "start the installed service"),
                           ("stop", cmd_stop, "stop the service; the workers stop politely first")):
        p = ssub.add_parser(name, parents=[own], help=what)
        _account_args(p, required=False)
        p.add_argument("--timeout", type=float, default=120.0, metavar="S",
                       help="how long to wait (default %(default)s s)")
        p.set_defaults(fn=fn)
    internal_parsers(ssub)

    p = sub.add_parser("mode", parents=[own], help="show the run mode, or switch it: application, service-system, "
                       "service-user (stops the old instance, moves the data, runs the plugin checks)")
    p.add_argument("target", nargs="?", choices=MODES, metavar="MODE",
                   help="application | service-system | service-user; without it, show the current mode")
    p.add_argument("--user", metavar="NAME", help="service-user: the account (default: the person running this)")
    p.add_argument("--password-stdin", action="store_true",
                   help="Windows service-user: read the password from standard input instead of asking")
    p.add_argument("--config", type=Path, metavar="PATH",
                   help="the application mode's config (default: the one remembered, else the per-user one)")
    p.add_argument("--timeout", type=float, default=90.0, metavar="S",
                   help="how long the new instance may take to answer (default %(default)s s)")
    p.set_defaults(fn=cmd_mode)

    p = sub.add_parser("autostart", parents=[own], help="start at logon: the endpoint and tray (application mode) "
                       "or the tray attached to the service")
    p.add_argument("action", choices=("on", "off", "show"))
    p.add_argument("--config", type=Path, metavar="PATH",
                   help="the config to start with (default: the current mode's)")
    p.set_defaults(fn=cmd_autostart)


def internal_parsers(sub: Any) -> None:
    """`host` and `checks`: run by the service manager and by the service host, not by people."""
    p = sub.add_parser("host")
    p.add_argument("--mode", choices=SERVICE_MODES, required=True)
    p.add_argument("--config", type=Path, required=True)
    p.set_defaults(fn=cmd_host)
    p = sub.add_parser("checks")
    p.add_argument("--config", type=Path, required=True)
    p.add_argument("--out", type=Path, help="write the JSON report here (else print it)")
    p.set_defaults(fn=cmd_checks)


# -- helpers -----------------------------------------------------------------------------------------------------

def read_password(from_stdin: bool) -> Callable[[str], str | None]:
    """The password, asked for on the terminal or read as one line of standard input; never an argument."""
    def read(account: str) -> str | None:
        if from_stdin or not sys.stdin.isatty():
            line = sys.stdin.readline()
            if not line:
                raise PreflightError(text("password_stdin_empty"))
            return line.rstrip("\r\n")
        return getpass.getpass(text("password_prompt", account=account))
    return read


def _invoker() -> tuple[str | None, Path | None, tuple[int, int] | None]:
    """Whose application mode this is: the person behind sudo on Linux, else this process's user."""
    if sys.platform == "win32":
        return os.environ.get("USERNAME"), None, None
    import pwd

    sudo_user = os.environ.get("SUDO_USER")
    if os.geteuid() == 0 and sudo_user and sudo_user != "root":
        try:
            pw = pwd.getpwnam(sudo_user)
        except KeyError:
            return sudo_user, None, None
        return sudo_user, Path(pw.pw_dir), (pw.pw_uid, pw.pw_gid)
    return pwd.getpwuid(os.geteuid()).pw_name, None, None


def _config_path(args: argparse.Namespace) -> Path:
    return Path(os.path.abspath(args.config or places.machine_config_path(args.root)))


def _check(backend: Any, dry_run: bool) -> None:
    """Refuse where the service manager cannot be used; a dry run says so and goes on printing."""
    try:
        backend.check_available()
    except ServiceError as e:
        if not dry_run:
            raise
        print(f"(note: {e})", file=sys.stdout)


def _stop_wait(args: argparse.Namespace) -> float:
    from .systemd import stop_timeout_s

    try:
        from .host import load_config

        return float(stop_timeout_s(load_config(_config_path(args)))) + 10
    except Exception:  # noqa: BLE001 - an unreadable config must not keep a service from stopping
        return float(args.timeout)


# -- commands ----------------------------------------------------------------------------------------------------

def cmd_install(args: argparse.Namespace) -> int:
    from .backend import platform_backend
    from .datamove import explicit_data_dir
    from .host import load_config

    backend = platform_backend(args.root)
    mode = mode_of(args.account)
    config_path = _config_path(args)
    if not config_path.exists():
        raise PreflightError(text("no_machine_config", path=config_path, mode=mode))
    config = load_config(config_path)
    if not explicit_data_dir(config_path):
        raise PreflightError(text("data_dir_implicit", path=config_path, mode=mode,
                                  suggest=places.machine_data_dir(args.root)))
    _check(backend, args.dry_run)
    owner = backend.resolve_account(args.account, args.user)
    _, home, _ = _invoker()
    app_data = home / ".local" / "share" / places.APP if home else places.default_data_dir()
    found = instance.running(app_data) if app_data != config.endpoint.data_dir else None
    if found is not None and not args.dry_run:
        raise ServiceError(text("app_running", pid=found.pid, config=places.default_config_path(), mode=mode)
                           + " " + text("nothing_changed"))
    password = None
    if backend.needs_password(args.account) and not args.dry_run:
        password = read_password(args.password_stdin)(owner)
    backend.install(mode, owner, password, config_path, config, sys.stdout, args.dry_run)
    if not args.dry_run:
        print(text("installed", name=backend.label, mode=mode, account=owner))
        if sys.platform != "win32":
            from . import ATTACH_GROUP

            print(text("attach_group", group=ATTACH_GROUP))
    return 0


def cmd_uninstall(args: argparse.Namespace) -> int:
    from .backend import platform_backend

    backend = platform_backend(args.root)
    _check(backend, args.dry_run)
    if backend.uninstall(sys.stdout, args.dry_run) and not args.dry_run:
        print(text("uninstalled", name=backend.label, config=places.machine_config_path(args.root),
                   data=places.machine_data_dir(args.root)))
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    from .backend import platform_backend

    backend = platform_backend(args.root)
    _check(backend, args.dry_run)
    backend.start(sys.stdout, args.dry_run, args.timeout)
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    from .backend import platform_backend

    backend = platform_backend(args.root)
    _check(backend, args.dry_run)
    backend.stop(sys.stdout, args.dry_run, max(args.timeout, _stop_wait(args)))
    return 0


def cmd_host(args: argparse.Namespace) -> int:
    config = Path(os.path.abspath(args.config))
    if sys.platform == "win32":
        from .winservice import dispatch

        if dispatch(config, args.mode):
            return 0
        # Not started by the service manager (a console, for a look): run in the foreground.
    from .host import ServiceHost

    return ServiceHost(config, args.mode).run()


def cmd_checks(args: argparse.Namespace) -> int:
    from ..config import load
    from ..plugins import load_types
    from .checks import account_name, run_checks, write_report

    try:
        types = load_types()
        config = load(args.config, types)
        if config.endpoint.language:
            os.environ["SELLINTEGRO_LANG"] = config.endpoint.language
        report = run_checks(config, types)
        code = 0
    except Exception as e:  # noqa: BLE001 - the report says what failed; the mode switch prints it
        report = {"account": account_name(), "pid": os.getpid(), "time": time.time(), "error": str(e),
                  "plugins": []}
        code = 2
    if args.out:
        write_report(report, args.out)
    else:
        print(json.dumps(report, ensure_ascii=False))
    return code


def cmd_mode(args: argparse.Namespace) -> int:
    from .autostart import platform_autostart
    from .backend import platform_backend
    from .instance import DesktopLauncher
    from .modes import ModeSwitch, read_mode

    if args.target is None:
        record = read_mode(args.root)
        print(f"mode: {record.mode}" + (f" (account {record.account})" if record.account else ""))
        if record.mode in SERVICE_MODES:
            print(f"config: {places.machine_config_path(args.root)}")
            print(f"data: {places.machine_data_dir(args.root)}")
        if record.app_config:
            print(f"application mode's config: {record.app_config}; data: {record.app_data}")
        return 0
    user, home, owner = _invoker()
    backend = platform_backend(args.root)
    remote: frozenset[str] = frozenset()
    linux = None
    if sys.platform == "win32":
        from .win32os import Win32OS

        remote = frozenset(Win32OS().remote_drives())
    else:
        from .linuxos import RealLinuxOS

        linux = RealLinuxOS()
    switch = ModeSwitch(backend, platform_autostart(home, owner), DesktopLauncher(), sys.stdout, root=args.root,
                        linux=linux, timeout=args.timeout, app_user=user, app_home=home, remote_drives=remote)
    config = Path(os.path.abspath(args.config)) if args.config else None
    return switch.run(args.target, args.user, read_password(args.password_stdin), config, args.dry_run)


def cmd_autostart(args: argparse.Namespace) -> int:
    from .autostart import logon_command, platform_autostart
    from .modes import read_mode
    from .plan import carry_out

    record = read_mode(args.root)
    autostart = platform_autostart()
    if args.action == "show":
        print(f"{autostart.where}: {autostart.current() or 'off'} (mode {record.mode})")
        return 0
    if args.action == "off":
        carry_out(autostart.disable_steps(), sys.stdout, args.dry_run)
        return 0
    if args.config:
        config = Path(os.path.abspath(args.config))
    elif record.mode in SERVICE_MODES:
        config = places.machine_config_path(args.root)
    else:
        config = places.default_config_path()
    argv = logon_command(record.mode, config)
    if argv is None:
        print("sellintegro autostart: in a service mode the tray starts at logon, and this build has no "
              "`sellintegro tray` yet", file=sys.stderr)
        return 1
    carry_out(autostart.enable_steps(argv, record.mode), sys.stdout, args.dry_run)
    return 0
