"""Logs and journal with real workers (acceptance of the log hub, followers, journal and redaction)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sellintegro.loghub import read_logs

from .conftest import Endpoint, plugin_toml, wait_for

pytestmark = pytest.mark.slow

EndpointFactory = Callable[..., Endpoint]
BURST = 50_000


class Follower(threading.Thread):
    """Streams /v1/logs from `after` until it has seen `until` (or the stream ends)."""

    def __init__(self, ep: Endpoint, after: int, **query: Any) -> None:
        super().__init__(daemon=True)
        self.client = ep.client()
        self.after = after
        self.query = query
        self.seqs: list[int] = []
        self.skipped: list[int] = []
        self.until: int | None = None
        self.reached = threading.Event()

    def run(self) -> None:
        for obj in self.client.stream("/v1/logs", {"after": self.after, "follow": 1, **self.query}):
            if "skipped" in obj:
                self.skipped.append(obj["skipped"])
                continue
            self.seqs.append(obj["seq"])
            if self.until is not None and obj["seq"] >= self.until:
                self.reached.set()
                return


def test_burst_of_4_workers_loses_nothing_across_rotation_and_a_follower_from_n_gets_exactly_the_rest(
        endpoint: EndpointFactory) -> None:
    codes = [f"BURST_{i}" for i in range(4)]
    ep = endpoint("".join(plugin_toml(c, tick_ms=0, burst=BURST) for c in codes),
                  endpoint_extra="log_max_bytes = 1048576\nlog_backups = 100")
    # Start following mid-burst, from whatever number the hub has reached.
    n = wait_for("the burst to be under way", lambda: (s := ep.status()["supervisor"]["log_seq"]) > 20_000 and s)
    follower = Follower(ep, after=n)
    follower.start()
    for c in codes:
        wait_for(f"{c}'s burst to end", lambda c=c: f"burst {BURST}/{BURST}" in _tail(ep, c), timeout=120)
    records = read_logs(ep.data / "logs")
    seqs = [r.seq for r in records]
    assert seqs == list(range(1, seqs[-1] + 1)), "a sequence number is missing from the files"
    bursts = Counter((r.plugin, r.message) for r in records if r.message.startswith("burst "))
    assert len(bursts) == 4 * BURST, "a burst record is missing"
    assert max(bursts.values()) == 1, "a burst record is duplicated"
    for c in codes:
        assert (ep.data / "logs" / f"{c}.log.1").exists(), f"{c}'s log did not rotate during the burst"
    follower.until = seqs[-1]
    if not (follower.seqs and follower.seqs[-1] >= seqs[-1]):
        assert follower.reached.wait(60), f"the follower stopped at {follower.seqs[-1:]}"
    assert follower.skipped == []
    assert follower.seqs[: seqs[-1] - n] == list(range(n + 1, seqs[-1] + 1))


def _tail(ep: Endpoint, code: str) -> str:
    path = ep.data / "logs" / f"{code}.log"
    with open(path, "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 4096))
        return f.read().decode("utf-8", "replace")


def test_a_follower_that_reconnects_after_a_worker_restart_misses_nothing(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("TICKER", tick_ms=20) + plugin_toml("OTHER", tick_ms=30))
    first = ep.wait_state("TICKER", "RUNNING")
    ep.wait_state("OTHER", "RUNNING")
    f1 = Follower(ep, after=0)
    f1.start()
    last = wait_for("some records", lambda: len(f1.seqs) > 30 and f1.seqs[-1])
    f1.until = last
    f1.reached.wait(10)
    seen = f1.seqs[: f1.seqs.index(last) + 1]
    os.kill(first["pid"], signal.SIGKILL)
    ep.wait_state("TICKER", "RUNNING", not_pid=first["pid"])
    wait_for("ticks from the new worker", lambda: _tail(ep, "TICKER").count("tick 3") >= 1)
    f2 = Follower(ep, after=seen[-1])
    f2.start()
    target = ep.status()["supervisor"]["log_seq"]
    f2.until = target
    assert f2.reached.wait(20)
    combined = seen + [s for s in f2.seqs if s <= target]
    assert combined == list(range(1, target + 1))


def test_a_token_in_messages_exceptions_stderr_and_journal_is_stored_redacted(endpoint: EndpointFactory,
                                                                                 tmp_path: Path) -> None:
    token = "4001234-4005678-QWERTYUIOPASDFGHJKLZXCVBNM1234"
    ep = endpoint(plugin_toml("LEAKY", tick_ms=100, token=token))
    ep.wait_state("LEAKY", "RUNNING")
    wait_for("the leaks to be logged", lambda: "cycle failed" in ep.log("LEAKY")
             and "raw stderr line" in ep.log("LEAKY"))
    w = ep.worker("LEAKY")
    assert w["last_error"] is not None and "cycle failed with token" in w["last_error"]
    assert token not in json.dumps(ep.status())
    offenders = [p for p in ep.data.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
    assert offenders == []
    log = ep.log("LEAKY")
    assert "X-BLToken: ***" in log and "PermissionError: BaseLinker refused token ***" in log
    journal = ep.cli("journal", "--json")
    assert "login failed for token ***" in journal.stdout


def test_journal_survives_a_supervisor_restart_and_filters_work(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("JOURNALED", tick_ms=0, journal=6) + plugin_toml("QUIET", tick_ms=0))
    ep.wait_state("JOURNALED", "RUNNING")
    wait_for("six journal entries", lambda: ep.log("JOURNALED").count("probe entry") == 6)
    assert ep.cli("stop").returncode == 0
    assert ep.proc is not None
    ep.proc.wait(timeout=10)
    ep.start()
    ep.wait_state("JOURNALED", "RUNNING")

    def entries(*args: str) -> list[dict[str, Any]]:
        proc = ep.cli("journal", "--json", *args)
        assert proc.returncode == 0, proc.stderr
        return [json.loads(line) for line in proc.stdout.splitlines()]

    # The restarted worker wrote six more; the first six are still there.
    wait_for("twelve entries", lambda: len(entries()) == 12)
    assert {e["plugin"] for e in entries()} == {"JOURNALED"}
    assert entries("--plugin", "QUIET") == []
    assert [e["level"] for e in entries("--level", "warning")] == ["warning", "error"] * 4
    assert len(entries("--level", "error", "--limit", "1")) == 1
    assert len(entries("--since", "1h")) == 12
    assert entries("--since", "2999-01-01") == []
    assert [e["subject"] for e in entries("--subject", "probe 2")] == ["probe 2", "probe 2"]
    text = ep.cli("journal", "--plugin", "JOURNALED", "--level", "error").stdout
    assert re.search(r"ERROR\s+JOURNALED\s+probe 3: probe entry 3/6 \(error\)", text), text
    bad = ep.cli("journal", "--since", "yesterday")
    assert bad.returncode == 2 and "neither a duration" in bad.stderr


def test_a_worker_killed_while_writing_a_long_line_does_not_corrupt_the_next_record(
        endpoint: EndpointFactory) -> None:
    kb = 512
    ep = endpoint(plugin_toml("LONG", tick_ms=10, long_line_kb=kb), endpoint_extra="log_max_bytes = 104857600")
    first = ep.wait_state("LONG", "RUNNING")
    wait_for("long records", lambda: "probe: tick 3 x" in ep.log("LONG"), every=0.2)
    os.kill(first["pid"], signal.SIGKILL)
    ep.wait_state("LONG", "RUNNING", not_pid=first["pid"])
    wait_for("long records from the new worker",
             lambda: "probe: tick 2 x" in ep.log("LONG").split("exited unexpectedly")[-1], every=0.2)
    records = read_logs(ep.data / "logs", names=["LONG"])
    ticks = [r for r in records if r.logger == "plugin.probe"]
    assert all(len(r.message) == len(f"tick {r.message.split()[1]} ") + kb * 1024 for r in ticks)
    after_kill = [r for r in records if r.seq > next(r.seq for r in records if "exited unexpectedly" in r.message)]
    assert any(r.message.startswith("tick 1 x") for r in after_kill)
    assert not any(r.logger == "stdout" for r in records), "a torn record was stored as text"


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_records_of_a_plugins_child_processes_reach_its_log(endpoint: EndpointFactory, start: str) -> None:
    ep = endpoint(plugin_toml("PARENT", tick_ms=0, children=2, children_start=start))
    ep.wait_state("PARENT", "RUNNING")
    wait_for("the children's records", lambda: "probe: 2 children done" in ep.log("PARENT"), timeout=30)
    log = ep.log("PARENT")
    for i in (1, 2):
        assert log.count(f"plugin.probe.child: child {i}: record") == 100


def test_logs_command_prints_filters_and_follows(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("LOUD", tick_ms=50) + plugin_toml("SILENT", tick_ms=0))
    ep.wait_state("LOUD", "RUNNING")
    wait_for("ticks", lambda: ep.log("LOUD").count("tick") >= 3)
    proc = ep.cli("logs", "--plugin", "LOUD", "--grep", "TICK", "--json")
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert lines and all(x["plugin"] == "LOUD" and "tick" in x["message"] for x in lines)
    assert set(lines[0]) >= {"seq", "time", "plugin", "level", "logger", "message"}
    warn = ep.cli("logs", "--level", "warning")
    assert "tick" not in warn.stdout
    follow = subprocess.Popen([sys.executable, "-m", "sellintegro", "logs", "-f", "--plugin", "LOUD", "--grep",
                               "TICK", "--json", "--config", str(ep.config)], stdout=subprocess.PIPE, text=True)
    try:
        assert follow.stdout is not None
        seen = [json.loads(follow.stdout.readline())["seq"] for _ in range(len(lines) + 10)]
    finally:
        follow.kill()
        follow.wait()
        if follow.stdout is not None:
            follow.stdout.close()
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert seen[: len(lines)] == [x["seq"] for x in lines]  # the files first, as `logs` printed them
    assert seen[-1] > lines[-1]["seq"], "the follower did not go on live"
