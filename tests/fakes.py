"""Hand-written fakes for the seams: a recording OS layer and a config builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sellintegro.config import Config, EndpointConfig, PluginConfig
from sellintegro.schedule import Schedule


@dataclass
class FakeHandle:
    pid: int


@dataclass
class FakeOS:
    """Records every effect; `rand` is the jitter source (0.5 = no jitter), `clock` the wall time."""

    rand: float = 0.5
    clock: float = 1_800_000_000.0
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    next_pid: int = 100
    fail_spawn: bool = False

    def spawn(self, plugin: PluginConfig) -> FakeHandle:
        if self.fail_spawn:
            self.calls.append(("spawn-failed", plugin.code))
            raise OSError("no such file: SellintegroAppWorker")
        self.next_pid += 1
        self.calls.append(("spawn", plugin.code, self.next_pid))
        return FakeHandle(self.next_pid)

    def send(self, handle: FakeHandle, message: dict[str, Any]) -> None:
        self.calls.append(("send", handle.pid, message["cmd"]))

    def kill_tree(self, handle: FakeHandle) -> None:
        self.calls.append(("kill", handle.pid))

    def random(self) -> float:
        return self.rand

    def wall(self) -> float:
        return self.clock

    def named(self, kind: str) -> list[tuple[Any, ...]]:
        return [c for c in self.calls if c[0] == kind]


def make_config(*codes: str, hang_timeout: float = 30.0, stop_timeout: float = 10.0,
                **endpoint: Any) -> Config:
    ep = dict(name="t", data_dir=Path("/nonexistent"), language=None, log_max_bytes=1 << 20,
              log_backups=3, control_host="127.0.0.1", control_port=0, startsecs=1.0, startretries=3,
              backoff_initial=1.0, backoff_max=60.0, backoff_reset=30.0, fatal_retry=300.0,
              restart_budget=30, stop_timeout=stop_timeout, journal_days=90.0,
              journal_max_entries=1000)
    ep.update(endpoint)
    plugins = tuple(PluginConfig(code=c, type="probe", enabled=True, schedule=Schedule(),
                                 hang_timeout=hang_timeout, stop_timeout=stop_timeout, settings={})
                    for c in codes)
    return Config(path=Path("/nonexistent/sellintegro.toml"), endpoint=EndpointConfig(**ep), plugins=plugins)


class LogSink:
    def __init__(self) -> None:
        self.records: list[tuple[str | None, str, str, str]] = []

    def __call__(self, plugin: str | None, level: str, logger: str, message: str) -> None:
        self.records.append((plugin, level, logger, message))

    def text(self, plugin: str | None = None) -> str:
        return "\n".join(r[3] for r in self.records if plugin is None or r[0] == plugin)
