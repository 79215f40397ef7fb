"""The supervisor with real worker processes, pipes and sockets (acceptance of the core)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable

import psutil
import pytest

from .conftest import Endpoint, plugin_toml, wait_for

pytestmark = pytest.mark.slow

EndpointFactory = Callable[..., Endpoint]


def test_three_probes_run_and_their_command_lines_carry_their_codes(endpoint: EndpointFactory) -> None:
    codes = ["PROBE_A_100", "PROBE_B_100", "PROBE_C_100"]
    ep = endpoint("".join(plugin_toml(c, tick_ms=200) for c in codes))
    for c in codes:
        ep.wait_state(c, "RUNNING")
    proc = ep.cli("status", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["supervisor"]["pid"] == ep.proc.pid  # type: ignore[union-attr]
    assert data["supervisor"]["mode"] == "application"
    workers = data["workers"]
    assert [w["code"] for w in workers] == codes
    for w in workers:
        assert w["state"] == "RUNNING"
        assert set(w) >= {"code", "type", "pid", "state", "restarts", "uptime_s", "last_heartbeat_s",
                          "last_error"}
        cmdline = " ".join(psutil.Process(w["pid"]).cmdline())
        assert w["code"] in cmdline
        assert "SellintegroAppWorker" in cmdline
        if sys.platform.startswith("linux"):
            with open(f"/proc/{w['pid']}/comm") as f:  # the process title (ps -o comm)
                assert f.read().startswith("SellintegroAppW")
    human = ep.cli("status")
    assert human.returncode == 0
    assert all(c in human.stdout for c in codes)


def test_kill_9_of_a_worker_restarts_it_with_a_crash_record_and_spares_the_others(
        endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("VICTIM", tick_ms=100) + plugin_toml("BYSTANDER", tick_ms=100))
    victim = ep.wait_state("VICTIM", "RUNNING")
    bystander = ep.wait_state("BYSTANDER", "RUNNING")
    os.kill(victim["pid"], signal.SIGKILL)
    again = ep.wait_state("VICTIM", "RUNNING", not_pid=victim["pid"])
    assert again["restarts"] == 1
    log = ep.log("VICTIM")
    assert "worker exited unexpectedly: signal 9 (SIGKILL)" in log
    assert "restarts so far 0" in log
    assert "next start at" in log
    after = ep.worker("BYSTANDER")
    assert (after["pid"], after["restarts"], after["state"]) == (bystander["pid"], 0, "RUNNING")
    # The new worker logs again.
    wait_for("a tick from the new worker", lambda: ep.log("VICTIM").split("exited unexpectedly")[1]
             .count("plugin.probe: tick") >= 1)


def test_crash_on_start_backs_off_with_growing_delays_then_fatal(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("CRASHER", tick_ms=0, crash_after_s=0),
                  endpoint_extra="backoff_initial = 0.2\nstartretries = 3\nfatal_retry = 120")
    w = ep.wait_state("CRASHER", "FATAL", timeout=20)
    assert w["pid"] is None
    assert 100 < w["next_retry_in_s"] <= 120
    assert w["last_error"] == "exit code 70"
    log = ep.log("CRASHER")
    delays = [float(d) for d in re.findall(r"next start at \S+ \(in ([\d.]+) s\)", log)]
    assert len(delays) == 3
    assert delays[0] < delays[1] < delays[2]  # 0.2, 0.4, 0.8 with +-20 % jitter
    assert log.count("STARTING -> BACKOFF") + log.count("RUNNING -> BACKOFF") == 4
    assert "BACKOFF -> FATAL" in log
    assert "RuntimeError: probe: crashing as configured" in log  # its stderr, in the crash record
    human = ep.cli("status")
    assert re.search(r"CRASHER\s+probe\s+FATAL.*next retry in", human.stdout), human.stdout


def test_hung_worker_gets_a_stack_dump_naming_the_hung_function_and_runs_again(
        endpoint: EndpointFactory) -> None:
    hang_timeout = 3.0
    ep = endpoint(plugin_toml("HANGER", hang_timeout=hang_timeout, tick_ms=100, hang_after_s=1))
    first = ep.wait_state("HANGER", "RUNNING")
    wait_for("the probe to hang", lambda: "hanging as configured" in ep.log("HANGER"))
    hung_at = time.monotonic()
    wait_for("the stack dump", lambda: "probe_hang_forever" in ep.log("HANGER"), timeout=hang_timeout + 2)
    again = ep.wait_state("HANGER", "RUNNING", not_pid=first["pid"],
                          timeout=max(0.1, hung_at + hang_timeout + 2 - time.monotonic()))
    assert again["restarts"] == 1
    log = ep.log("HANGER")
    assert "no progress for" in log
    assert "hang watchdog" in log
    assert log.index("probe_hang_forever") < log.index("no progress for")


def test_kill_9_of_the_supervisor_takes_every_worker_down_within_5_s(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("ORPHAN_A", tick_ms=100) + plugin_toml("ORPHAN_B", tick_ms=0))
    pids = [ep.wait_state(c, "RUNNING")["pid"] for c in ("ORPHAN_A", "ORPHAN_B")]
    assert ep.proc is not None
    ep.proc.send_signal(signal.SIGKILL)
    ep.proc.wait()
    killed_at = time.monotonic()
    wait_for("every worker to exit", lambda: not any(psutil.pid_exists(p) and
                                                     psutil.Process(p).status() != psutil.STATUS_ZOMBIE
                                                     for p in pids), timeout=5.0)
    assert time.monotonic() - killed_at < 5.0


def test_stop_is_graceful_and_kills_a_worker_that_ignores_it_after_the_deadline(
        endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("POLITE", tick_ms=100)
                  + plugin_toml("STUBBORN", tick_ms=0, hang_after_s=0, hang_timeout=300, stop_timeout=1.5))
    ep.wait_state("POLITE", "RUNNING")
    ep.wait_state("STUBBORN", "RUNNING")
    wait_for("the stubborn probe to hang", lambda: "hanging as configured" in ep.log("STUBBORN"))
    started = time.monotonic()
    proc = ep.cli("stop")
    took = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert ep.proc is not None and ep.proc.wait(timeout=5) == 0
    assert "STOPPING -> STOPPED: exit code 0" in ep.log("POLITE")
    stubborn = ep.log("STUBBORN")
    assert "did not stop within 2 s (stop_timeout)" in stubborn
    assert "STOPPING -> STOPPED: signal 9 (SIGKILL)" in stubborn
    assert 1.5 <= took < 10
    assert not (ep.data / "run" / "control.json").exists()


def test_a_second_supervisor_on_the_same_data_directory_is_refused(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("ONLY_ONE", tick_ms=0))
    ep.wait_state("ONLY_ONE", "RUNNING")
    proc = ep.cli("run", "--headless", timeout=30)
    assert proc.returncode == 1
    assert "already runs for data directory" in proc.stderr
    assert str(ep.data) in proc.stderr
    assert f"pid {ep.proc.pid}" in proc.stderr  # type: ignore[union-attr]
    assert ep.worker("ONLY_ONE")["restarts"] == 0


def test_restart_one_and_all(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("R1", tick_ms=0) + plugin_toml("R2", tick_ms=0))
    p1 = ep.wait_state("R1", "RUNNING")["pid"]
    p2 = ep.wait_state("R2", "RUNNING")["pid"]
    proc = ep.cli("restart", "R1")
    assert proc.returncode == 0, proc.stderr
    ep.wait_state("R1", "RUNNING", not_pid=p1)
    assert ep.worker("R2")["pid"] == p2
    assert "STOPPING -> STOPPED: exit code 0" in ep.log("R1")
    proc = ep.cli("restart", "--all")
    assert proc.returncode == 0, proc.stderr
    ep.wait_state("R2", "RUNNING", not_pid=p2)
    unknown = ep.cli("restart", "NOPE")
    assert unknown.returncode == 1
    assert "no plugin with code 'NOPE'" in unknown.stderr


def test_control_api_refuses_a_missing_or_wrong_token(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("GUARDED", tick_ms=0))
    info = ep.client().info
    assert info["host"] == "127.0.0.1"
    if os.name == "posix":
        assert (ep.data / "run" / "control.json").stat().st_mode & 0o077 == 0
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": info["token"]}):
        conn = http.client.HTTPConnection(info["host"], info["port"], timeout=5)
        conn.request("GET", "/v1/status", headers=headers)
        resp = conn.getresponse()
        body = json.loads(resp.read())
        conn.close()
        assert resp.status == 401, headers
        assert "unauthorized" in body["error"]
        assert "workers" not in body
    assert ep.status()["workers"][0]["code"] == "GUARDED"


def test_cli_says_plainly_when_no_supervisor_runs(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("IDLE", tick_ms=0), start=False)
    for args in (["status"], ["stop"], ["restart", "IDLE"]):
        proc = ep.cli(*args)
        assert proc.returncode == 1
        assert "no Sellintegro supervisor is running for data directory" in proc.stderr
        assert str(ep.data) in proc.stderr


def test_pause_survives_a_supervisor_restart_and_resume_starts_it(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("PAUSABLE", tick_ms=0) + plugin_toml("BUSY", tick_ms=0))
    ep.wait_state("PAUSABLE", "RUNNING")
    assert ep.cli("pause", "PAUSABLE").returncode == 0
    w = ep.wait_state("PAUSABLE", "STOPPED")
    assert w["paused"] and w["pid"] is None
    assert "paused" in ep.cli("status").stdout
    assert ep.cli("restart", "--all").returncode == 0  # leaves a paused plugin alone
    assert ep.cli("stop").returncode == 0
    assert ep.proc is not None and ep.proc.wait(timeout=10) == 0
    ep.start()
    ep.wait_state("BUSY", "RUNNING")
    assert ep.worker("PAUSABLE")["state"] == "STOPPED"
    assert ep.cli("resume", "PAUSABLE").returncode == 0
    assert not ep.wait_state("PAUSABLE", "RUNNING")["paused"]
