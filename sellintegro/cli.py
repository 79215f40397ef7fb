"""The `sellintegro` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import psutil

from . import __version__, places
from .config import Config, load, read_toml
from .control import ControlClient
from .errors import ConfigError, SellintegroError
from .journal import JOURNAL_FILE, Journal, parse_since
from .journal import LEVELS as LEVEL_NAMES
from .loghub import LEVELS, Filter, Record, format_record, read_logs
from .messages import msg
from .plugins import load_types


def _load_config(path: Path) -> Config:
    config = load(path, load_types())
    if config.endpoint.language:
        # The configured language wins over the system's, here and in every worker.
        os.environ["SELLINTEGRO_LANG"] = config.endpoint.language
    return config


def _control_dirs(path: Path) -> tuple[Path, Path]:
    """The data and run directories of the config at `path`, found even when the config has since broken."""
    try:
        data_dir = _load_config(path).endpoint.data_dir
    except ConfigError:
        try:
            raw = read_toml(path)
        except ConfigError:
            raise
        dd = raw.get("endpoint", {}).get("data_dir") if isinstance(raw.get("endpoint"), dict) else None
        data_dir = Path(dd) if isinstance(dd, str) else places.default_data_dir()
        if not data_dir.is_absolute():
            data_dir = path.resolve().parent / data_dir
    return data_dir, places.run_dir(data_dir)


def _client(args: argparse.Namespace) -> ControlClient:
    data_dir, run_dir = _control_dirs(args.config)
    return ControlClient(run_dir, data_dir)


def cmd_run(args: argparse.Namespace) -> int:
    from .runner import Runner

    config = _load_config(args.config)
    from .service.modes import second_endpoint

    refusal = second_endpoint(config)  # the machine runs the endpoint as a service over other data
    if refusal:
        print(f"sellintegro run: {refusal}", file=sys.stderr)
        return 1
    if not any(p.enabled for p in config.plugins):
        print(msg("run.no_plugins", path=config.path), file=sys.stderr)
    front = None
    if not args.headless:
        front = _tray(config)
    return Runner(config, echo=sys.stderr).run(front)


def _tray(config: Config) -> Any:
    """The tray for this supervisor, or None (said on stderr) when there is no display or tray."""
    try:
        from .desktop.tray import TrayUnavailable, open_tray
    except ImportError:
        print(msg("run.no_tray", reason="this build has no tray front end"), file=sys.stderr)
        return None
    try:
        return open_tray(config, attached=False)
    except TrayUnavailable as e:
        print(msg("run.no_tray", reason=e), file=sys.stderr)
        return None


def cmd_tray(args: argparse.Namespace) -> int:
    """The tray as its own per-user process, attached to a supervisor that already runs (a service)."""
    from .desktop.tray import TrayUnavailable, open_tray

    config = _load_config(args.config)
    try:
        tray = open_tray(config, attached=True)
    except TrayUnavailable as e:
        print(msg("desktop.tray_only", reason=e), file=sys.stderr)
        return 1
    tray.stop_on_signals()
    tray.run()
    return 0


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 60:
        return f"{seconds:.1f}s" if seconds < 10 else f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def cmd_status(args: argparse.Namespace) -> int:
    data = _client(args).call("GET", "/v1/status")
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    sup = data["supervisor"]
    print(f"{sup['name']}: supervisor pid {sup['pid']}, mode {sup['mode']}, up {_age(sup['uptime_s'])}, "
          f"config {sup['config']}")
    rows = [("CODE", "TYPE", "STATE", "PID", "RESTARTS", "UPTIME", "HEARTBEAT", "NOTE")]
    for w in data["workers"]:
        note = w["last_error"] or ""
        if w["next_retry_in_s"] is not None:
            note = f"next retry in {_age(w['next_retry_in_s'])}; {note}".rstrip("; ")
        if w.get("paused"):
            note = "paused (sellintegro resume CODE)"
        if not w["enabled"]:
            note = "disabled in config"
        rows.append((w["code"], w["type"], w["state"], str(w["pid"] or "-"), str(w["restarts"]),
                     _age(w["uptime_s"]), _age(w["last_heartbeat_s"]), note))
    widths = [max(len(r[i]) for r in rows) for i in range(7)]
    for r in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(r[:7])) + "  " + r[7])
    return 0


def cmd_restart(args: argparse.Namespace) -> int:
    if bool(args.code) == bool(args.all):
        print("sellintegro restart: give one plugin CODE or --all", file=sys.stderr)
        return 2
    body: dict[str, Any] = {"all": True} if args.all else {"code": args.code}
    data = _client(args).call("POST", "/v1/restart", body)
    print(msg("cli.restarted", codes=", ".join(data["restarted"]) or "-"))
    return 0


def cmd_run_now(args: argparse.Namespace) -> int:
    _client(args).call("POST", "/v1/run-now", {"code": args.code})
    return 0


def cmd_pause(args: argparse.Namespace) -> int:
    _client(args).call("POST", "/v1/pause", {"code": args.code})
    print(msg("cli.paused", code=args.code))
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    _client(args).call("POST", "/v1/resume", {"code": args.code})
    print(msg("cli.resumed", code=args.code))
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    client = _client(args)
    data = client.call("POST", "/v1/stop")
    pid = int(data["pid"])
    print(msg("cli.stopping", pid=pid), file=sys.stderr)
    if not _wait_gone(pid, args.timeout):
        print(f"sellintegro stop: the supervisor (pid {pid}) is still running after {args.timeout:g} s",
              file=sys.stderr)
        return 1
    print(msg("cli.stopped"), file=sys.stderr)
    return 0


def _wait_gone(pid: int, timeout: float) -> bool:
    """Wait until process `pid` has exited (a zombie its parent has not reaped counts as exited)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def _print_records(records: list[Record], as_json: bool) -> None:
    out = sys.stdout
    for r in records:
        out.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n" if as_json else format_record(r))
    out.flush()


def cmd_logs(args: argparse.Namespace) -> int:
    data_dir, _ = _control_dirs(args.config)
    logs_dir = places.logs_dir(data_dir)
    match = Filter(plugin=args.plugin, level=LEVELS[args.level], text=args.grep)
    until = None
    client = None
    if args.follow:
        client = _client(args)
        # Every record up to log_seq is in the files; the live stream goes on from there, so nothing
        # is missed and nothing is shown twice.
        until = int(client.call("GET", "/v1/status")["supervisor"]["log_seq"])
    records = [r for r in read_logs(logs_dir, after=args.after, until=until) if match(r)]
    if args.tail is not None:
        records = records[-args.tail:] if args.tail else []
    _print_records(records, args.json)
    if client is None:
        return 0
    query = {"after": until, "follow": 1, "plugin": args.plugin, "level": args.level, "text": args.grep}
    for obj in client.stream("/v1/logs", query):
        if "skipped" in obj:
            print(msg("logs.skipped", count=obj["skipped"]), file=sys.stderr, flush=True)
            continue
        r = Record(obj["seq"], obj["time"], obj["plugin"], obj["level"], obj["logger"], obj["message"],
                   obj.get("exc"))
        _print_records([r], args.json)
    print(msg("logs.ended"), file=sys.stderr)
    return 1


def cmd_journal(args: argparse.Namespace) -> int:
    data_dir, _ = _control_dirs(args.config)
    if not (data_dir / JOURNAL_FILE).exists():
        print(msg("journal.empty", path=data_dir / JOURNAL_FILE), file=sys.stderr)
        return 0
    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as e:
        print(f"sellintegro journal: {e}", file=sys.stderr)
        return 2
    journal = Journal(data_dir)
    try:
        entries = journal.query(plugin=args.plugin, since=since, level=args.level, subject=args.subject,
                                limit=args.limit)
    finally:
        journal.close()
    for entry in entries:
        if args.json:
            print(json.dumps(entry.to_json(), ensure_ascii=False))
        else:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.time))
            subject = f"{entry.subject}: " if entry.subject else ""
            print(f"{stamp}  {entry.level.upper():<7}  {entry.plugin}  {subject}{entry.message}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import main as doctor_main

    return doctor_main(args)


def cmd_init(args: argparse.Namespace) -> int:
    from .init import main as init_main

    return init_main(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import main as demo_main

    return demo_main(args)


# The simulators, each a module with main(argv) -> exit code; listed here once they exist.
SIMULATORS: dict[str, str] = {
    "baselinker": "sellintegro.baselinker.emulator",
    "erp": "sellintegro.erp.sim",
    "printer": "sellintegro.fiscal.simulator",
}


def cmd_sim(args: argparse.Namespace) -> int:
    import importlib

    module = importlib.import_module(SIMULATORS[args.target])
    return int(module.main(args.args))


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=places.default_config_path(), metavar="PATH",
                        help="the endpoint config (default: %(default)s, or $SELLINTEGRO_CONFIG)")
    parser = argparse.ArgumentParser(
        prog="sellintegro", parents=[common],
        description="Sellintegro endpoint: runs each configured plugin in its own worker process.")
    parser.add_argument("--version", action="version", version=f"sellintegro {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", parents=[common], help="start the supervisor and its workers (foreground)")
    p.add_argument("--headless", action="store_true", help="no tray icon, even where a display and a tray exist")
    p.set_defaults(fn=cmd_run)

    p = sub.add_parser("tray", parents=[common], help="show the tray icon for a supervisor that already runs "
                       "(a service); it shows the state, opens the log viewer and restarts plugins")
    p.set_defaults(fn=cmd_tray)

    p = sub.add_parser("status", parents=[common], help="workers: code, type, pid, state, restarts, uptime")
    p.add_argument("--json", action="store_true", help="one JSON object (the documented shape)")
    p.set_defaults(fn=cmd_status)

    p = sub.add_parser("restart", parents=[common], help="restart one plugin's worker, or all")
    p.add_argument("code", nargs="?", metavar="CODE", help="the plugin code")
    p.add_argument("--all", action="store_true", help="restart every enabled plugin")
    p.set_defaults(fn=cmd_restart)

    p = sub.add_parser("run-now", parents=[common], help="start one plugin's cycle now, outside its schedule")
    p.add_argument("code", metavar="CODE", help="the plugin code")
    p.set_defaults(fn=cmd_run_now)

    p = sub.add_parser("pause", parents=[common], help="stop one plugin's worker and keep it stopped (survives "
                       "restarts) until resume")
    p.add_argument("code", metavar="CODE", help="the plugin code")
    p.set_defaults(fn=cmd_pause)

    p = sub.add_parser("resume", parents=[common], help="start a paused plugin again")
    p.add_argument("code", metavar="CODE", help="the plugin code")
    p.set_defaults(fn=cmd_resume)

    p = sub.add_parser("logs", parents=[common], help="print the logs the files retain; -f follows live")
    p.add_argument("-f", "--follow", action="store_true", help="then follow new records live (needs a running "
                   "supervisor)")
    p.add_argument("--plugin", metavar="CODE", help="only this plugin's records")
    p.add_argument("--level", type=str.upper, choices=list(LEVELS), default="DEBUG",
                   help="minimum level (default: everything)")
    p.add_argument("--grep", metavar="TEXT", help="only records whose text contains TEXT (any case)")
    p.add_argument("--after", type=int, default=0, metavar="SEQ", help="only records after sequence number SEQ")
    p.add_argument("-n", "--tail", type=int, metavar="N", help="only the last N matching records from the files")
    p.add_argument("--json", action="store_true", help="one JSON object per line: seq, time, plugin, level, "
                   "logger, message (and exc)")
    p.set_defaults(fn=cmd_logs)

    p = sub.add_parser("journal", parents=[common], help="the plugins' journal: business events, newest last")
    p.add_argument("--plugin", metavar="CODE", help="only this plugin's entries")
    p.add_argument("--since", metavar="WHEN", help="a duration (30m, 2h, 3d) or a date (2026-12-01[T08:00])")
    p.add_argument("--level", choices=LEVEL_NAMES, help="minimum level")
    p.add_argument("--subject", metavar="S", help="only entries about this subject (an order id, a file)")
    p.add_argument("--limit", type=int, metavar="N", help="only the newest N entries")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(fn=cmd_journal)

    p = sub.add_parser("doctor", parents=[common], help="the seed's checklist, run by the machine: endpoint, "
                       "instance, run mode, BaseLinker, ERP, printer, PDF folders, disk, clock")
    p.add_argument("--json", action="store_true",
                   help='one JSON object: {"checks": [{"name", "status", "why", "fix"}]}')
    p.set_defaults(fn=cmd_doctor)

    from .init import add_arguments as add_init_arguments

    p = sub.add_parser("init", parents=[common], help="write a config: a wizard with live tests, or from flags "
                       "(--non-interactive)")
    add_init_arguments(p)
    p.set_defaults(fn=cmd_init)

    p = sub.add_parser("demo", help="everything local, end to end: BaseLinker emulator, sample ERP, printer "
                       "simulator, PDF folder, the supervisor")
    p.add_argument("--dir", type=Path, default=Path("sellintegro-demo"), metavar="DIR",
                   help="where all its state goes (default: ./%(default)s)")
    p.add_argument("--headless", action="store_true", help="no tray icon")
    p.add_argument("--keep", action="store_true", help="keep running after the seeded work is done (Ctrl-C stops)")
    p.add_argument("--orders", type=int, default=20, metavar="N", help="seeded orders (default %(default)s)")
    p.set_defaults(fn=cmd_demo)

    if SIMULATORS:
        p = sub.add_parser("sim", help="run a simulator as a standalone server (" + ", ".join(SIMULATORS) + ")")
        p.add_argument("target", choices=sorted(SIMULATORS), help="which simulator")
        p.add_argument("args", nargs=argparse.REMAINDER, help="its own options (see sellintegro sim NAME --help)")
        p.set_defaults(fn=cmd_sim)

    p = sub.add_parser("stop", parents=[common], help="stop the supervisor and its workers gracefully")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S",
                   help="how long to wait for the supervisor to exit (default %(default)s s)")
    p.set_defaults(fn=cmd_stop)
    from .service.cli import add_parsers as add_service_parsers

    add_service_parsers(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    return run_command(build_parser(), argv)


def run_command(parser: argparse.ArgumentParser, argv: list[str] | None) -> int:
    """Parse `argv` and run its command: an error of ours becomes one line and its exit code."""
    args = parser.parse_args(argv)
    try:
        return int(args.fn(args))
    except SellintegroError as e:
        print(f"sellintegro {args.command}: {e}", file=sys.stderr)
        return e.exit_code
    except tomllib.TOMLDecodeError as e:  # pragma: no cover - read_toml converts these
        print(f"sellintegro: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
