"""Fixtures that run a real supervisor with real worker processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from sellintegro.control import ControlClient
from sellintegro.errors import ControlError


def wait_for(what: str, check: Callable[[], Any], timeout: float = 15.0, every: float = 0.02) -> Any:
    """Poll `check` until it returns something truthy; fail naming `what` after `timeout`."""
    end = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < end:
        try:
            last = check()
        except (ControlError, OSError, ValueError, KeyError):
            last = None
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}; last seen: {last!r}")


def plugin_toml(code: str, hang_timeout: float = 30, stop_timeout: float | None = None,
                **settings: Any) -> str:
    lines = ["[[plugins]]", f'code = "{code}"', 'type = "probe"', "interval = 60",
             f"hang_timeout = {hang_timeout}"]
    if stop_timeout is not None:
        lines.append(f"stop_timeout = {stop_timeout}")
    lines.append("[plugins.settings]")
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    return "\n".join(lines) + "\n"


class Endpoint:
    """A supervisor run as `sellintegro run --headless` in its own process."""

    def __init__(self, tmp: Path, plugins: str, endpoint_extra: str = "") -> None:
        self.dir = tmp
        self.data = tmp / "data"
        self.config = tmp / "sellintegro.toml"
        self.config.write_text(f'[endpoint]\nname = "test"\ndata_dir = "{self.data}"\n{endpoint_extra}\n'
                               f"{plugins}", encoding="utf-8")
        self.proc: subprocess.Popen[bytes] | None = None
        self.out = tmp / "supervisor.out"

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sellintegro", *args, "--config", str(self.config)],
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "SELLINTEGRO_LANG": "en"})

    def start(self) -> Endpoint:
        with open(self.out, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sellintegro", "run", "--headless", "--config", str(self.config)],
                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "SELLINTEGRO_LANG": "en"})
        wait_for("the control API", lambda: (self.data / "run" / "control.json").exists())
        return self

    def client(self) -> ControlClient:
        return ControlClient(self.data / "run", self.data)

    def status(self) -> dict[str, Any]:
        data: dict[str, Any] = self.client().call("GET", "/v1/status")
        return data

    def worker(self, code: str) -> dict[str, Any]:
        return next(w for w in self.status()["workers"] if w["code"] == code)

    def wait_state(self, code: str, state: str, timeout: float = 15.0, not_pid: int | None = None
                   ) -> dict[str, Any]:
        def check() -> dict[str, Any] | None:
            w = self.worker(code)
            ok = w["state"] == state and (not_pid is None or w["pid"] != not_pid)
            return w if ok else None
        result: dict[str, Any] = wait_for(f"{code} in {state}", check, timeout)
        return result

    def log(self, code: str) -> str:
        path = self.data / "logs" / f"{code}.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def kill_all(self) -> None:
        if self.proc is None:
            return
        try:
            procs = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            procs = []
        for p in procs:
            try:
                p.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        self.proc.wait(timeout=10)
        # Workers run in their own sessions: find any left by command line.
        for p in psutil.process_iter(["cmdline"]):
            if str(self.config) in " ".join(p.info["cmdline"] or []):
                try:
                    p.kill()
                except psutil.NoSuchProcess:
                    pass


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English, whatever the machine's locale (one test asks for Polish itself)."""
    monkeypatch.setenv("SELLINTEGRO_LANG", "en")


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[Callable[..., Endpoint]]:
    made: list[Endpoint] = []

    def make(plugins: str, endpoint_extra: str = "", start: bool = True) -> Endpoint:
        where = tmp_path / f"ep{len(made)}"
        where.mkdir()
        ep = Endpoint(where, plugins, endpoint_extra)
        made.append(ep)
        return ep.start() if start else ep

    yield make
    for ep in made:
        ep.kill_all()
