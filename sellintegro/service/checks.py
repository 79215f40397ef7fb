"""The plugin checks, run as the account of this process, the seed's checklist, and what an account lacks.

`sellintegro doctor` does not exist yet; until it does, a mode switch runs what exists: the config loads,
and each plugin type's own `checks` (PluginType.checks) run with the plugin's settings, as the new mode's
account (the service host starts them in its own process tree). What could not be checked is said too.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from ..api import Check, PluginContext, PluginJournal, PluginType
from ..config import Config
from ..redact import Redactor
from .texts import text

# The seed's checklist after every change of run mode: a) orders, b) PA/FS printing, c) PDF folders.
CHECKLIST = (("checklist.a", "orders"), ("checklist.b", "fiscal"), ("checklist.c", "pdf"))
CHECK_TIMEOUT = 30.0
STATUS_WORDS = {"ok": "OK", "warning": "WARNING", "error": "ERROR", None: "NOT CHECKED"}


def account_name() -> str:
    """The account this process runs as: DOMAIN\\NAME on Windows (SYSTEM for LocalSystem), NAME on POSIX."""
    if sys.platform == "win32":
        return f"{os.environ.get('USERDOMAIN', '.')}\\{os.environ.get('USERNAME', '?')}"
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def _one(ptype: PluginType, ctx: PluginContext, timeout: float) -> list[dict[str, str]]:
    """The checks of one plugin, bounded by `timeout` (a check stuck on a network share must not hang us)."""
    assert ptype.checks is not None
    result: list[Check] = []
    failure: list[BaseException] = []

    def call() -> None:
        try:
            assert ptype.checks is not None
            result.extend(ptype.checks(ctx))
        except Exception as e:  # noqa: BLE001 - a failing check is a finding, reported like one
            failure.append(e)

    t = threading.Thread(target=call, name=f"checks-{ctx.code}", daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        ctx.cancelled.set()
        return [{"name": "checks", "status": "error", "why": f"the checks did not finish within {timeout:g} s",
                 "fix": ""}]
    if failure:
        e = failure[0]
        return [{"name": "checks", "status": "error", "why": f"{type(e).__name__}: {e}", "fix": ""}]
    return [{"name": c.name, "status": c.status, "why": c.why, "fix": c.fix} for c in result]


def run_checks(config: Config, types: Mapping[str, PluginType], timeout: float = CHECK_TIMEOUT) -> dict[str, Any]:
    """Every enabled plugin's checks, as the account of this process; secrets are masked in the result."""
    redact = Redactor(config.secrets)
    plugins: list[dict[str, Any]] = []
    for p in config.plugins:
        if not p.enabled:
            continue
        ptype = types.get(p.type)
        entry: dict[str, Any] = {"code": p.code, "type": p.type, "declared": bool(ptype and ptype.checks),
                                 "checks": []}
        if ptype is not None and ptype.checks is not None:
            ctx = PluginContext(code=p.code, type=p.type, settings=p.settings, data_dir=config.endpoint.data_dir,
                                log=logging.getLogger(f"checks.{p.code}"), cancelled=threading.Event(),
                                journal=PluginJournal(lambda level, subject, message: None),
                                _progress=lambda done, total: None)
            entry["checks"] = [{k: redact(v) for k, v in c.items()} for c in _one(ptype, ctx, timeout)]
        plugins.append(entry)
    return {"account": account_name(), "pid": os.getpid(), "time": time.time(), "config": str(config.path),
            "plugins": plugins}


def write_report(report: dict[str, Any], path: Path) -> None:
    """Write atomically, readable by the owner and the directory's group (who may attach may read it)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def _worst(checks: list[dict[str, str]]) -> str | None:
    for status in ("error", "warning", "ok"):
        if any(c.get("status") == status for c in checks):
            return status
    return None


def render_checklist(config: Config, report: dict[str, Any] | None, unavailable: str | None = None) -> list[str]:
    """The seed's checklist: each line with what was checked, as whom, and what could not be."""
    account = report["account"] if report else "?"
    lines = [text("checklist.header", account=account)]
    if report is None:
        lines.append("  " + text("checklist.unavailable", reason=unavailable or "?"))
    found = {p["code"]: p for p in (report or {}).get("plugins", [])}
    enabled = [p for p in config.plugins if p.enabled]

    def plugin_lines(code: str, type_name: str) -> Iterator[str]:
        entry = found.get(code)
        if entry is None:
            yield f"     {code}: NOT CHECKED"
            return
        if not entry["declared"]:
            yield f"     {code}: NOT CHECKED: " + text("checklist.no_checks", type=type_name, code=code)
            return
        yield f"     {code}: {STATUS_WORDS[_worst(entry['checks'])]}"
        for c in entry["checks"]:
            fix = f" -> {c['fix']}" if c.get("fix") else ""
            yield f"       [{STATUS_WORDS.get(c.get('status'), '?')}] {c['name']}: {c['why']}{fix}"

    for key, type_name in CHECKLIST:
        mine = [p for p in enabled if p.type == type_name]
        if not mine:
            lines.append(f"  {text(key)}: NOT CHECKED: " + text("checklist.none", type=type_name))
            continue
        lines.append(f"  {text(key)}:")
        for p in mine:
            lines += plugin_lines(p.code, p.type)
    others = [p for p in enabled if p.type not in {t for _, t in CHECKLIST}]
    if others:
        lines.append(f"  {text('checklist.other')}:")
        for p in others:
            lines += plugin_lines(p.code, p.type)
    lines.append(text("checklist.limits"))
    return lines


# -- what the new account lacks -------------------------------------------------------------------------------

_DRIVE = re.compile(r"^([A-Za-z]):[\\/]")
_UNC = re.compile(r"^(\\\\|//)[^\\/]+[\\/]")
_DSN = re.compile(r"\bDSN\s*=\s*([^;]+)", re.IGNORECASE)
_PRINTER_NOT_WINDOWS = re.compile(r"^(COM\d+|/dev/|tcp://|\d{1,3}(\.\d{1,3}){3}(:\d+)?$|[\w.-]+:\d+$)",
                                  re.IGNORECASE)
USER_CONTEXT_TYPES = ("fiscal", "pdf")


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


def account_warnings(config: Config, mode: str, account: str, *, windows: bool,
                     remote_drives: frozenset[str] = frozenset(), new_config_dir: Path | None = None) -> list[str]:
    """What plugins need that `account` (in `mode`) lacks: mapped drives, shares and printers under SYSTEM,
    user DSNs, other people's home folders, and paths that were relative to a config file that moves."""
    warnings: list[str] = []
    system = mode == "service-system"
    old_dir = config.path.parent
    for p in config.plugins:
        if not p.enabled:
            continue
        if windows and system and p.type in USER_CONTEXT_TYPES:
            warnings.append(text("warn.kind_needs_user", code=p.code, type=p.type))
        for where, value in _strings(p.settings, f"plugins[{p.code}].settings"):
            key = where.rsplit(".", 1)[-1].lower()
            drive = _DRIVE.match(value)
            if windows and mode != "application" and drive and drive.group(1).upper() in remote_drives:
                warnings.append(text("warn.mapped_drive", where=where, value=value, drive=f"{drive.group(1)}:"))
            if windows and system and _UNC.match(value):
                warnings.append(text("warn.share_system", where=where, value=value))
            if (windows and system and "printer" in key and not _PRINTER_NOT_WINDOWS.match(value)
                    and not _UNC.match(value)):
                warnings.append(text("warn.printer_system", where=where, value=value))
            dsn = _DSN.search(value) if windows and mode != "application" else None
            if dsn:
                warnings.append(text("warn.user_dsn", where=where, dsn=dsn.group(1).strip()))
            home = re.match(r"^/home/([^/]+)/", value)
            if not windows and home and mode == "service-user" and home.group(1) != account:
                warnings.append(text("warn.home_path", where=where, value=value, owner=home.group(1),
                                     account=account))
            if new_config_dir is not None and new_config_dir != old_dir and _relative_existing(value, old_dir):
                warnings.append(text("warn.relative_path", where=where, value=value, new=new_config_dir))
    return warnings


def _relative_existing(value: str, base: Path) -> bool:
    if not value or "\n" in value or len(value) > 260 or "://" in value:
        return False
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() or PureWindowsPath(value).drive:
        return False
    try:
        return (base / value).exists()
    except OSError:
        return False


def runtime_warnings(mode: str, *, windows: bool, executable: str, venv: bool, frozen: bool) -> list[str]:
    """What about this installation a Windows service account may trip over (not the plugins)."""
    if not windows or mode == "application" or frozen:
        return []
    warnings = []
    if re.match(r"^[A-Za-z]:\\Users\\", executable):
        warnings.append(text("warn.python_in_profile", python=executable))
    if venv:
        warnings.append(text("warn.python_venv", python=executable))
    return warnings
