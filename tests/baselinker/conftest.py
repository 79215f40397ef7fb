"""Fixtures: emulators on 127.0.0.1 (port 0) and clients with fast retries, both cleaned up after the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sellintegro.backoff import Backoff
from sellintegro.baselinker.client import BaseLinkerClient, RetryPolicy
from sellintegro.baselinker.emulator import Emulator

# Shaped like a real BaseLinker token, so it is also what the endpoint's Redactor looks for.
TOKEN = "3001234-3005678-TESTTOKENABCDEFGHIJKLMNO"
FAST_RETRY = RetryPolicy(attempts=4, backoff=Backoff(initial=0.01, cap=0.05, jitter=0.2))


@pytest.fixture
def emulator() -> Iterator[Callable[..., Emulator]]:
    started: list[Emulator] = []

    def make(orders: Any = (), **options: Any) -> Emulator:
        options.setdefault("token", TOKEN)
        emu = Emulator(orders=orders, **options).start()
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Callable[..., BaseLinkerClient]]:
    made: list[BaseLinkerClient] = []

    def make(emu: Emulator | None = None, **options: Any) -> BaseLinkerClient:
        if emu is not None:
            options.setdefault("url", emu.url)
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("state_dir", tmp_path / "ratelimit")
        c = BaseLinkerClient(options.pop("token", TOKEN), **options)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


# A worker process using the client: `python -c CHILD <json args>`; prints one JSON line with its tally.
CHILD = textwrap.dedent("""
    import json, sys, threading, time
    from pathlib import Path
    from sellintegro.baselinker import AccountBlocked, BaseLinkerClient, Cancelled, RateLimiter

    a = json.loads(sys.argv[1])
    limiter = RateLimiter(a["token"], a["per_minute"], folder=Path(a["state"]), window=a["window"])
    stop = threading.Event()
    client = BaseLinkerClient(a["token"], url=a["url"], limiter=limiter, cancelled=stop,
                              blocked_pause=a.get("blocked_pause", 300.0))
    tally = {"ok": 0, "blocked": 0, "first_ok_at": None}
    start = a.get("start") or time.time()
    while time.time() < start:  # a start line shared by every child process (no event crosses processes)
        time.sleep(0.01)
    timer = threading.Timer(start + a["duration"] - time.time() if a.get("duration") else 1e6, stop.set)
    timer.start()
    try:
        for _ in range(a.get("calls") or 10**9):
            try:
                client.get_order_status_list()
            except AccountBlocked:
                tally["blocked"] += 1
                break
            tally["ok"] += 1
            if tally["first_ok_at"] is None:
                tally["first_ok_at"] = time.monotonic()
    except Cancelled:
        pass
    timer.cancel()
    client.close()
    print(json.dumps(tally), flush=True)
""")


def spawn_child(**args: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONWARNINGS": "error"})


def child_result(proc: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"child failed ({proc.returncode}):\n{err}"
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["stderr"] = err
    return result
