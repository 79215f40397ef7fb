"""`sellintegro doctor [--json]`: the seed's checklist, run by the machine.

Each finding is one `Check` (ok / warning / error, one line why, one line fix), in the user's language:
  - the config loads;
  - the endpoint runs (its control API answers), one instance of it (the data directory's lock, one
    worker per plugin, no service over other data), in the run mode the machine was switched to;
  - the disk of the data directory has room;
  - per BaseLinker token: the token is accepted, its shared request budget is healthy, and the
    machine's clock agrees with the server's (the `Date` of that answer);
  - per plugin, in the seed's order (orders, fiscal, pdf, then the rest): its type's own checks
    (`PluginType.checks`, run by `service.checks.run_checks` as the account of this process), and
    whether it is processing: its worker's state and backlog, and its journal (last success, errors).
Exit 0 only when no check is an error (1 otherwise; 2 when the config does not load).
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import psutil

from . import places
from .api import Check, PluginType
from .config import Config, PluginConfig, load
from .errors import ConfigError, ControlError
from .journal import JOURNAL_FILE, Entry, Journal
from .messages import msg
from .redact import Redactor

OK, WARNING, ERROR = "ok", "warning", "error"
DAY = 86400.0
# The seed's checklist order: a) orders are processed, b) PA/FS print, c) the PDF plugin reaches its folders.
TYPE_ORDER = ("orders", "fiscal", "pdf")
DISK_ERROR = 200 * 1024 * 1024        # below this the journal and logs fail to write soon
DISK_WARNING = 1024 * 1024 * 1024
SKEW_WARNING = 60.0                   # seconds; BaseLinker dates (date_confirmed, receipts) drive the windows
SKEW_ERROR = 600.0
BUDGET_WARNING = 0.9                  # share of the per-minute budget spent: requests start to wait
BASELINKER_TIMEOUT = 15.0
MARKS = {OK: ("✔", "+"), WARNING: ("⚠", "!"), ERROR: ("✘", "x")}


def _check(name_id: str, status: str, why_id: str, fix_id: str | None = None, /, name: str | None = None,
           **fields: Any) -> Check:
    """A check whose texts come from the catalog ("doctor.*")."""
    return Check(name or msg(f"doctor.name.{name_id}"), status, msg(f"doctor.{why_id}", **fields),
                 msg(f"doctor.{fix_id}", **fields) if fix_id else "")


# -- the endpoint ------------------------------------------------------------------------------------------

def _status(config: Config) -> tuple[dict[str, Any] | None, Check]:
    """The supervisor's status, and the "endpoint" check."""
    from .control import ControlClient

    data_dir = config.endpoint.data_dir
    try:
        status = ControlClient(places.run_dir(data_dir), data_dir, timeout=10.0).call("GET", "/v1/status")
    except ControlError as e:
        return None, _check("endpoint", ERROR, "endpoint.down", "endpoint.down_fix", reason=e, config=config.path)
    except OSError as e:
        # The control file of a service is readable only by its account and the attach group.
        return None, _check("endpoint", WARNING, "endpoint.no_access", "endpoint.no_access_fix",
                            path=places.run_dir(data_dir), reason=e.strerror or e)
    sup = status["supervisor"]
    return status, _check("endpoint", OK, "endpoint.ok", pid=sup["pid"], mode=sup.get("mode", "?"),
                          uptime=_age(sup.get("uptime_s")), version=sup.get("version", "?"))


def _worker_processes(config_path: Path) -> dict[str, list[tuple[int, int]]]:
    """Worker processes started for this config file: code -> [(pid, parent pid)], from their command lines."""
    found: dict[str, list[tuple[int, int]]] = {}
    wanted = str(config_path)
    for p in psutil.process_iter(["pid", "ppid", "cmdline"]):
        try:
            cmdline = p.info["cmdline"] or []
        except (psutil.Error, KeyError):
            continue
        # setproctitle leaves one joined string on Linux: split it again.
        words = " ".join(cmdline).split()
        if "--plugin" not in words or wanted not in " ".join(cmdline):
            continue
        i = words.index("--plugin")
        if i + 1 < len(words) and not words[i + 1].startswith("-"):
            found.setdefault(words[i + 1], []).append((int(p.info["pid"]), int(p.info["ppid"] or 0)))
    return found


def _lock_held(config: Config) -> bool | None:
    """Whether the data directory's single-instance lock is held (None: it cannot be told from here)."""
    import filelock

    run_dir = places.run_dir(config.endpoint.data_dir)
    if not run_dir.is_dir():
        return None
    lock = filelock.FileLock(str(run_dir / "supervisor.lock"), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        return True
    except OSError:
        return None
    lock.release()
    return False


def _single_instance(config: Config, status: dict[str, Any] | None) -> Check:
    from .service.modes import second_endpoint

    problems: list[str] = []
    refusal = second_endpoint(config)
    if refusal:
        problems.append(refusal)
    supervisor = int(status["supervisor"]["pid"]) if status else None
    for code, procs in sorted(_worker_processes(config.path).items()):
        if len(procs) > 1:
            problems.append(msg("doctor.instance.twice", code=code, pids=", ".join(str(p) for p, _ in procs)))
        strays = [pid for pid, parent in procs if parent != supervisor]
        if strays:
            problems.append(msg("doctor.instance.stray", code=code, pids=", ".join(map(str, strays)),
                                supervisor=supervisor or "-"))
    if supervisor is not None and _lock_held(config) is False:
        problems.append(msg("doctor.instance.no_lock", pid=supervisor, data_dir=config.endpoint.data_dir))
    if problems:
        return _check("instance", ERROR, "instance.bad", "instance.bad_fix", problems="; ".join(problems),
                      config=config.path)
    if supervisor is None:
        return _check("instance", OK, "instance.none_running", data_dir=config.endpoint.data_dir)
    return _check("instance", OK, "instance.ok", pid=supervisor, data_dir=config.endpoint.data_dir)


def _run_mode(config: Config, status: dict[str, Any] | None) -> Check:
    from .service import SERVICE_MODES
    from .service.checks import account_name
    from .service.modes import read_mode

    record = read_mode()
    chosen = record.mode
    running = str(status["supervisor"].get("mode")) if status else None
    if running is not None and running != chosen:
        return _check("mode", ERROR, "mode.other", "mode.other_fix", running=running, chosen=chosen,
                      config=config.path)
    me = account_name()
    if chosen in SERVICE_MODES and record.account and record.account.lower() != me.lower():
        return _check("mode", WARNING, "mode.other_account", "mode.other_account_fix", mode=chosen,
                      account=record.account, me=me)
    if running is None:
        return _check("mode", OK, "mode.ok_stopped", mode=chosen)
    return _check("mode", OK, "mode.ok", mode=chosen, account=me)


def _disk(config: Config) -> Check:
    path = config.endpoint.data_dir
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        usage = shutil.disk_usage(path)
    except OSError as e:
        return _check("disk", WARNING, "disk.unknown", "disk.unknown_fix", path=path, reason=e.strerror or e)
    free, share = usage.free, usage.free / max(usage.total, 1)
    fields: dict[str, Any] = {"path": config.endpoint.data_dir, "free": _size(free), "share": f"{share:.0%}"}
    if free < DISK_ERROR:
        return _check("disk", ERROR, "disk.low", "disk.fix", **fields)
    if free < DISK_WARNING or share < 0.05:
        return _check("disk", WARNING, "disk.low", "disk.fix", **fields)
    return _check("disk", OK, "disk.ok", **fields)


# -- BaseLinker: token, budget, clock ---------------------------------------------------------------------

@dataclass
class _Account:
    """One BaseLinker token as the plugins use it."""

    token: str
    url: str
    rate_limit: int
    codes: list[str]


def _accounts(config: Config, types: Mapping[str, PluginType]) -> list[_Account]:
    from .api import BASELINKER_SETTINGS

    found: dict[tuple[str, str], _Account] = {}
    for p in config.plugins:
        ptype = types.get(p.type)
        names = {s.name for s in ptype.settings} if ptype else set()
        if not p.enabled or "token" not in names or not p.settings.get("token"):
            continue
        url = str(p.settings.get("baselinker_url") or BASELINKER_SETTINGS[1].default)
        key = (str(p.settings["token"]), url)
        account = found.setdefault(key, _Account(key[0], url, int(p.settings.get("rate_limit") or 100), []))
        account.rate_limit = min(account.rate_limit, int(p.settings.get("rate_limit") or 100))
        account.codes.append(p.code)
    return list(found.values())


def _baselinker(config: Config, account: _Account) -> tuple[list[Check], float | None]:
    """The token and budget checks of one account, and the server's clock minus ours (None: unknown)."""
    import httpx

    from .backoff import Backoff
    from .baselinker import AccountBlocked, BadToken, BaseLinkerClient, BaseLinkerError, RetryPolicy, ratelimit

    codes = ", ".join(account.codes)
    token_name = msg("doctor.name.token", codes=codes)
    budget_name = msg("doctor.name.budget", codes=codes)
    limiter = ratelimit.RateLimiter(account.token, account.rate_limit,
                                    folder=ratelimit.state_dir(config.endpoint.data_dir))
    blocked = limiter.blocked_for()
    used = limiter.used()
    out: list[Check] = []
    skew: float | None = None
    if blocked > 0:
        out.append(_check("token", ERROR, "token.blocked", "token.blocked_fix", name=token_name, codes=codes,
                          secs=f"{blocked:.0f}"))
    elif used >= account.rate_limit:
        # Asking now would wait for the budget: say so instead of waiting.
        out.append(_check("token", WARNING, "token.not_asked", "budget.fix", name=token_name, used=used,
                          limit=account.rate_limit, codes=codes, config=config.path))
    else:
        dates: list[tuple[float, str]] = []

        def seen(response: httpx.Response) -> None:
            if "date" in response.headers:
                dates.append((time.time(), response.headers["date"]))

        http = httpx.Client(timeout=BASELINKER_TIMEOUT, event_hooks={"response": [seen]})
        client = BaseLinkerClient(account.token, url=account.url, http=http, limiter=limiter,
                                  retry=RetryPolicy(attempts=2, backoff=Backoff(initial=0.5, cap=1.0, jitter=0.2)),
                                  blocked_pause=60.0)
        try:
            statuses = client.get_order_status_list()
        except BadToken:
            out.append(_check("token", ERROR, "token.bad", "token.bad_fix", name=token_name, url=account.url,
                              codes=codes, config=config.path))
        except AccountBlocked:
            out.append(_check("token", ERROR, "token.blocked", "token.blocked_fix", name=token_name, codes=codes,
                              secs="?"))
        except BaseLinkerError as e:
            out.append(_check("token", ERROR, "token.down", "token.down_fix", name=token_name, url=account.url,
                              reason=e, codes=codes, config=config.path))
        else:
            out.append(_check("token", OK, "token.ok", name=token_name, url=account.url, count=len(statuses)))
        finally:
            client.close()
            http.close()
        if dates:
            local, header = dates[-1]
            try:
                # The header has whole seconds: the server's time was up to a second later than it says.
                skew = parsedate_to_datetime(header).timestamp() + 0.5 - local
            except (TypeError, ValueError):
                skew = None
    used = limiter.used()
    blocked = limiter.blocked_for()
    if blocked > 0:
        out.append(_check("budget", ERROR, "budget.blocked", "token.blocked_fix", name=budget_name,
                          secs=f"{blocked:.0f}", codes=codes))
    elif used >= BUDGET_WARNING * account.rate_limit:
        out.append(_check("budget", WARNING, "budget.high", "budget.fix", name=budget_name, used=used,
                          limit=account.rate_limit, codes=codes, config=config.path))
    else:
        out.append(_check("budget", OK, "budget.ok", name=budget_name, used=used, limit=account.rate_limit))
    return out, skew


def _clock(accounts: list[_Account], skews: list[float | None]) -> Check:
    if not accounts:
        return _check("clock", OK, "clock.no_baselinker")
    known = [s for s in skews if s is not None]
    if not known:
        return _check("clock", WARNING, "clock.unknown", "clock.unknown_fix")
    skew = max(known, key=abs)
    way = msg("doctor.clock.behind" if skew > 0 else "doctor.clock.ahead")
    fields: dict[str, Any] = {"secs": f"{abs(skew):.0f}", "way": way}
    if abs(skew) >= SKEW_ERROR:
        return _check("clock", ERROR, "clock.off", "clock.fix", **fields)
    if abs(skew) >= SKEW_WARNING:
        return _check("clock", WARNING, "clock.off", "clock.fix", **fields)
    return _check("clock", OK, "clock.ok", **fields)


# -- the plugins ------------------------------------------------------------------------------------------

def _plugin_checks(config: Config, types: Mapping[str, PluginType], timeout: float) -> dict[str, list[Check]]:
    """Each enabled plugin's own checks (code -> checks); a type without checks says so as a warning."""
    from .service.checks import run_checks

    report = run_checks(config, types, timeout)
    out: dict[str, list[Check]] = {}
    for entry in report["plugins"]:
        code = entry["code"]
        if not entry["declared"]:
            out[code] = [_check("checks", WARNING, "plugin.no_checks", "plugin.no_checks_fix",
                                name=msg("doctor.name.plugin", code=code, what=msg("doctor.name.checks")),
                                type=entry["type"], code=code)]
            continue
        out[code] = [Check(msg("doctor.name.plugin", code=code, what=c["name"]), c["status"], c["why"],
                           c["fix"] or (msg("doctor.plugin.generic_fix", code=code, config=config.path)
                                        if c["status"] != OK else ""))
                     for c in entry["checks"]]
    return out


def _recent(config: Config, code: str, now: float) -> tuple[list[Entry], Entry | None] | None:
    """The plugin's journal entries of the last day (newest last) and its newest success at all; None when
    there is no journal yet."""
    if not (config.endpoint.data_dir / JOURNAL_FILE).exists():
        return None
    journal = Journal(config.endpoint.data_dir)
    try:
        recent = journal.query(plugin=code, since=now - DAY, limit=500)
        success = next((e for e in reversed(recent) if e.level == "info"), None)
        if success is None:
            older = journal.query(plugin=code, limit=200)
            success = next((e for e in reversed(older) if e.level == "info"), None)
        return recent, success
    finally:
        journal.close()


def _processing(config: Config, plugin: PluginConfig, status: dict[str, Any] | None, now: float) -> Check:
    """Is the plugin at work: its worker's state and backlog (the supervisor) and its journal."""
    name = msg("doctor.name.plugin", code=plugin.code, what=msg("doctor.name.processing"))
    code = plugin.code
    try:
        journal = _recent(config, code, now)
    except sqlite3.Error as e:
        return _check("processing", WARNING, "processing.journal_bad", "processing.journal_fix", name=name,
                      path=config.endpoint.data_dir / JOURNAL_FILE, reason=e)
    parts: list[str] = []
    last_error: Entry | None = None
    if journal is None:
        parts.append(msg("doctor.processing.no_journal"))
    else:
        recent, success = journal
        if success is None:
            parts.append(msg("doctor.processing.no_success"))
        else:
            parts.append(msg("doctor.processing.success", age=_age(now - success.time), what=_short(success)))
        errors = [e for e in recent if e.level == "error"]
        if errors:
            parts.append(msg("doctor.processing.errors", count=len(errors)))
        if recent and recent[-1].level == "error":
            last_error = recent[-1]
    if status is None:
        return _check("processing", WARNING, "processing.no_supervisor", "endpoint.down_fix", name=name,
                      details="; ".join(parts), config=config.path)
    worker = next((w for w in status["workers"] if w["code"] == code), None)
    if worker is None:
        return _check("processing", WARNING, "processing.unknown", "processing.restart_fix", name=name, code=code,
                      config=config.path)
    state = str(worker["state"])
    progress = worker.get("progress")
    if progress and progress.get("total"):
        parts.insert(0, msg("doctor.processing.backlog", done=progress["done"], total=progress["total"]))
    details = "; ".join(parts)
    if worker.get("paused"):
        return _check("processing", WARNING, "processing.paused", "processing.paused_fix", name=name, code=code,
                      details=details)
    if state in ("FATAL", "BACKOFF", "EXITED"):
        return _check("processing", ERROR, "processing.failing", "processing.failing_fix", name=name, code=code,
                      state=state, error=worker.get("last_error") or "-", restarts=worker.get("restarts", 0),
                      details=details)
    if state not in ("RUNNING", "STARTING"):
        return _check("processing", WARNING, "processing.stopped", "processing.restart_fix", name=name, code=code,
                      state=state, details=details, config=config.path)
    if last_error is not None:
        return _check("processing", WARNING, "processing.last_error", "processing.last_error_fix", name=name,
                      code=code, state=state, what=_short(last_error), details=details)
    return _check("processing", OK, "processing.ok", name=name, state=state, uptime=_age(worker.get("uptime_s")),
                  details=details)


def _order(config: Config) -> list[PluginConfig]:
    """Enabled plugins in the seed's checklist order."""
    def rank(p: PluginConfig) -> int:
        return TYPE_ORDER.index(p.type) if p.type in TYPE_ORDER else len(TYPE_ORDER)
    return sorted((p for p in config.plugins if p.enabled), key=rank)


# -- the whole checklist ----------------------------------------------------------------------------------

def diagnose(config_path: Path, types: Mapping[str, PluginType] | None = None,
             timeout: float = 30.0) -> tuple[list[Check], bool]:
    """Every check of the endpoint of `config_path`; the flag is False when the config did not load."""
    from .plugins import load_types

    if types is None:
        types = load_types()
    try:
        config = load(config_path, types)
    except ConfigError as e:
        return [_check("config", ERROR, "config.bad", "config.bad_fix", reason=e, config=config_path)], False
    if config.endpoint.language:
        os.environ["SELLINTEGRO_LANG"] = config.endpoint.language  # as every other command does
    redact = Redactor(config.secrets)
    enabled = [p for p in config.plugins if p.enabled]
    checks = [_check("config", OK, "config.ok", config=config.path, count=len(config.plugins),
                     enabled=len(enabled))]
    status, endpoint = _status(config)
    checks.append(endpoint)

    def guarded(name: str, run: Callable[[], Check]) -> Check:
        # A check that breaks (a folder this account may not read, a library's surprise) is a finding too.
        try:
            return run()
        except Exception as e:  # noqa: BLE001 - reported as the check's error, never as a traceback
            return Check(name, ERROR, f"{type(e).__name__}: {e}", msg("doctor.broken_fix", config=config.path))

    checks.append(guarded(msg("doctor.name.instance"), lambda: _single_instance(config, status)))
    checks.append(guarded(msg("doctor.name.mode"), lambda: _run_mode(config, status)))
    checks.append(guarded(msg("doctor.name.disk"), lambda: _disk(config)))
    accounts = _accounts(config, types)
    skews: list[float | None] = []
    for account in accounts:
        try:
            found, skew = _baselinker(config, account)
        except Exception as e:  # noqa: BLE001 - as in guarded()
            found, skew = [Check(msg("doctor.name.token", codes=", ".join(account.codes)), ERROR,
                                 f"{type(e).__name__}: {e}", msg("doctor.broken_fix", config=config.path))], None
        checks += found
        skews.append(skew)
    checks.append(_clock(accounts, skews))
    if not enabled:
        checks.append(_check("plugins", WARNING, "plugins.none", "plugins.none_fix", config=config.path))
    own = _plugin_checks(config, types, timeout)
    now = time.time()
    for plugin in _order(config):
        checks += own.get(plugin.code, [])
        name = msg("doctor.name.plugin", code=plugin.code, what=msg("doctor.name.processing"))
        checks.append(guarded(name, functools.partial(_processing, config, plugin, status, now)))
    return [Check(redact(c.name), c.status, redact(c.why), redact(c.fix)) for c in checks], True


def render(checks: list[Check], config_path: Path, out: Any = None) -> None:
    """The human form: one line per check with a mark, then its fix."""
    out = out or sys.stdout
    encoding = getattr(out, "encoding", None) or "ascii"
    try:
        "✔⚠✘".encode(encoding)
        fancy = True
    except (UnicodeEncodeError, LookupError):
        fancy = False
    print(msg("doctor.header", config=config_path), file=out)
    for c in checks:
        mark = MARKS.get(c.status, ("?", "?"))[0 if fancy else 1]
        print(f" {mark} {c.name}: {c.why}", file=out)
        if c.fix and c.status != OK:
            print(f"     {msg('doctor.fix')}: {c.fix}", file=out)
    errors = sum(c.status == ERROR for c in checks)
    warnings = sum(c.status == WARNING for c in checks)
    if errors or warnings:
        print(msg("doctor.summary", errors=errors, warnings=warnings, count=len(checks)), file=out)
    else:
        print(msg("doctor.summary_ok", count=len(checks)), file=out)


def main(args: argparse.Namespace) -> int:
    """`sellintegro doctor`; exit 0 only when no check is an error."""
    # What the clients log on the way (a refused token, a retry) is in the checks already: keep it off stderr.
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    checks, loaded = diagnose(args.config)
    if args.json:
        print(json.dumps({"checks": [asdict(c) for c in checks]}, ensure_ascii=False, indent=2))
    else:
        render(checks, args.config)
    if not loaded:
        return 2
    return 1 if any(c.status == ERROR for c in checks) else 0


# -- small helpers ----------------------------------------------------------------------------------------

def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    if s < 2 * 86400:
        return f"{s // 3600} h {s % 3600 // 60} min"
    return f"{s // 86400} d"


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit in ("B", "KB") else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover - the loop returns at GB


def _short(entry: Entry, width: int = 120) -> str:
    text = f"{entry.subject}: {entry.message}" if entry.subject and entry.subject not in entry.message else \
        entry.message
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
