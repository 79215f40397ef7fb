"""The endpoint's TOML config: loaded and validated as a whole before anything starts."""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import places
from .api import PluginType
from .errors import ConfigError, Problem
from .messages import msg
from .schedule import Schedule, check_hours, check_weekdays
from .schema import Setting, validate

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _check_loopback(value: str) -> str | None:
    if value == "localhost":
        return None
    try:
        if ipaddress.ip_address(value).is_loopback:
            return None
    except ValueError:
        pass
    return (f'"{value}" is not a loopback address; the control API listens only on this machine '
            '(127.0.0.1, ::1 or localhost)')


ENDPOINT_SETTINGS = [
    Setting("name", str, "Sellintegro", help="a name shown in the tray and in status"),
    Setting("data_dir", str, None, help="state, logs, journal and control token; default from platformdirs"),
    Setting("language", str, None, choices=("pl", "en"), help="language of messages; default: the system's"),
    Setting("log_max_bytes", int, 10 * 1024 * 1024, min=64 * 1024, help="rotate a log file at this size"),
    Setting("log_backups", int, 5, min=1, max=100, help="rotated files kept per log"),
    Setting("control_host", str, "127.0.0.1", check=_check_loopback, help="loopback only"),
    Setting("control_port", int, 0, min=0, max=65535, help="0 picks a free port"),
    Setting("startsecs", float, 1.0, min=0, max=600, help="a worker that dies sooner failed to start"),
    Setting("startretries", int, 5, min=0, max=1000, help="failed starts in a row before FATAL"),
    Setting("backoff_initial", float, 1.0, min=0.05, max=3600, help="first restart delay after a failure"),
    Setting("backoff_max", float, 60.0, min=0.05, max=86400, help="cap of the exponential restart delay"),
    Setting("backoff_reset", float, 30.0, min=0, max=86400,
            help="seconds of running that forgive earlier crashes"),
    Setting("fatal_retry", float, 300.0, min=1, max=86400, help="a FATAL worker is retried after this"),
    Setting("restart_budget", int, 30, min=1, max=10000,
            help="automatic restarts per minute for all workers together"),
    Setting("stop_timeout", float, 10.0, min=0.1, max=3600, help="seconds a worker gets to stop politely"),
    Setting("journal_days", float, 90.0, min=1, max=3650, help="journal entries older than this are pruned"),
    Setting("journal_max_entries", int, 1_000_000, min=1000, help="the journal keeps at most this many entries"),
]

PLUGIN_SETTINGS = [
    Setting("code", str, required=True, help="unique; letters, digits, _ and -",
            check=lambda v: None if CODE_RE.match(v) else
            f'"{v}" may hold only letters, digits, _ and - (1 to 64 characters)'),
    Setting("type", str, required=True, help="the plugin type (entry-point name)"),
    Setting("enabled", bool, True),
    Setting("interval", float, 60.0, min=0, max=7 * 86400,
            help="seconds between the end of one cycle and the next"),
    Setting("weekdays", list, None, item_type=str, check=check_weekdays, help='e.g. ["mon", "fri"]'),
    Setting("hours", str, None, check=check_hours, help='e.g. "07-15"'),
    Setting("start", str, "auto", choices=("auto", "manual"), help="manual: only on a run-now request"),
    Setting("hang_timeout", float, 300.0, min=1, max=86400,
            help="seconds without progress before the watchdog acts"),
    Setting("stop_timeout", float, None, min=0.1, max=3600, help="overrides [endpoint].stop_timeout"),
    Setting("settings", dict, None, help="the plugin type's own settings"),
]


@dataclass(frozen=True)
class EndpointConfig:
    name: str
    data_dir: Path
    language: str | None
    log_max_bytes: int
    log_backups: int
    control_host: str
    control_port: int
    startsecs: float
    startretries: int
    backoff_initial: float
    backoff_max: float
    backoff_reset: float
    fatal_retry: float
    restart_budget: int
    stop_timeout: float
    journal_days: float
    journal_max_entries: int


@dataclass(frozen=True)
class PluginConfig:
    code: str
    type: str
    enabled: bool
    schedule: Schedule
    hang_timeout: float
    stop_timeout: float
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: Path
    endpoint: EndpointConfig
    plugins: tuple[PluginConfig, ...]
    # Values of every setting declared secret: masked wherever text is stored or shown.
    secrets: tuple[str, ...] = ()

    def plugin(self, code: str) -> PluginConfig | None:
        return next((p for p in self.plugins if p.code == code), None)


def read_toml(path: Path) -> dict[str, Any]:
    """Parse the file; a missing, unreadable or malformed file is a ConfigError naming it."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), "(file)", msg("config.missing", path=path))]) from None
    except OSError as e:
        raise ConfigError([Problem(str(path), "(file)", msg("config.unreadable", path=path,
                                                            reason=e.strerror))]) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError([Problem(str(path), "(syntax)", str(e))]) from None


def load(path: Path, types: Mapping[str, PluginType], only: str | None = None) -> Config:
    """Load and validate the whole config; raise ConfigError listing every problem.

    `types` are the plugin types whose settings can be checked. With `only` (a worker), plugins other
    than that code are not checked against their types, since the worker loads just its own.
    """
    path = path.resolve()
    raw = read_toml(path)
    where = str(path)
    problems: list[Problem] = []

    for key in raw:
        if key not in ("endpoint", "plugins"):
            problems.append(Problem(where, key, "unknown top-level key (known: [endpoint], [[plugins]])"))

    ep_raw = raw.get("endpoint", {})
    if not isinstance(ep_raw, dict):
        problems.append(Problem(where, "endpoint", "must be a table: [endpoint]"))
        ep_raw = {}
    ep = validate(ep_raw, ENDPOINT_SETTINGS, where, "endpoint", problems)
    if ep["backoff_initial"] and ep["backoff_max"] and ep["backoff_max"] < ep["backoff_initial"]:
        problems.append(Problem(where, "endpoint.backoff_max", "must not be smaller than backoff_initial"))
    data_dir = Path(ep["data_dir"]) if ep["data_dir"] else places.default_data_dir()
    if not data_dir.is_absolute():
        data_dir = path.parent / data_dir
    endpoint = EndpointConfig(**{**ep, "data_dir": data_dir})

    plugins_raw = raw.get("plugins", [])
    if not isinstance(plugins_raw, list):
        problems.append(Problem(where, "plugins", "must be an array of tables: [[plugins]]"))
        plugins_raw = []
    plugins: list[PluginConfig] = []
    secrets: list[str] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(plugins_raw):
        label = f"plugins[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(where, label, "must be a table: [[plugins]]"))
            continue
        code = item.get("code")
        if isinstance(code, str) and code:
            label = f"plugins[{code}]"
        values = validate(item, PLUGIN_SETTINGS, where, label, problems)
        code = values["code"]
        if code is not None:
            if code in seen:
                problems.append(Problem(where, f"{label}.code",
                                        f'duplicate code "{code}" (also plugins[{seen[code]}]); '
                                        "codes must be unique"))
            seen.setdefault(code, i)
        checked = only is None or code == only
        ptype = types.get(values["type"]) if values["type"] else None
        settings = values["settings"] or {}
        if values["type"] is not None and checked and ptype is None:
            known = ", ".join(sorted(types)) or "none installed"
            problems.append(Problem(where, f"{label}.type",
                                    f'unknown plugin type "{values["type"]}" (installed: {known})'))
        if ptype is not None and checked:
            settings = validate(settings, list(ptype.settings), where, f"{label}.settings", problems)
            secrets += [str(settings[s.name]) for s in ptype.settings if s.secret and settings.get(s.name)]
        if code is None or values["type"] is None:
            continue
        schedule = Schedule.build(values["interval"], values["weekdays"], values["hours"], values["start"])
        plugins.append(PluginConfig(
            code=code, type=values["type"], enabled=values["enabled"], schedule=schedule,
            hang_timeout=values["hang_timeout"],
            stop_timeout=values["stop_timeout"] or endpoint.stop_timeout,
            settings=settings,
        ))

    if problems:
        raise ConfigError(problems)
    return Config(path=path, endpoint=endpoint, plugins=tuple(plugins), secrets=tuple(secrets))
