"""SellintegroAppWorker: schedule, run-now, failing cycles, and never outliving its supervisor."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Endpoint, plugin_toml, wait_for

pytestmark = pytest.mark.slow

EndpointFactory = Callable[..., Endpoint]


def test_cycles_repeat_on_the_interval(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("EVERY", tick_ms=0).replace("interval = 60", "interval = 0.3"))
    ep.wait_state("EVERY", "RUNNING")
    wait_for("four cycles", lambda: ep.log("EVERY").count("cycle finished") >= 4, timeout=10)


def test_manual_plugin_runs_only_on_run_now(endpoint: EndpointFactory) -> None:
    toml = plugin_toml("MANUAL", tick_ms=0, burst=5).replace('type = "probe"', 'type = "probe"\nstart = "manual"')
    ep = endpoint(toml)
    ep.wait_state("MANUAL", "RUNNING")
    time.sleep(0.5)
    assert "burst" not in ep.log("MANUAL")
    proc = ep.cli("run-now", "MANUAL")
    assert proc.returncode == 0, proc.stderr
    wait_for("the burst after run-now", lambda: "burst 5/5" in ep.log("MANUAL"))


def test_a_failing_cycle_is_logged_and_the_worker_lives_on(endpoint: EndpointFactory) -> None:
    toml = plugin_toml("FAILING", tick_ms=0, fail_cycles=True).replace("interval = 60", "interval = 0.2")
    ep = endpoint(toml)
    ep.wait_state("FAILING", "RUNNING")
    wait_for("two failed cycles", lambda: ep.log("FAILING").count("cycle failed") >= 2)
    w = ep.worker("FAILING")
    assert w["state"] == "RUNNING" and w["restarts"] == 0
    assert w["last_error"] == "ValueError: probe: this cycle fails as configured (fail_cycles = true)"
    assert "Traceback" in ep.log("FAILING")


def test_worker_without_a_supervisor_exits_by_itself(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[endpoint]\ndata_dir = "{tmp_path}"\n' + plugin_toml("ALONE", tick_ms=50))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "sellintegro.worker", "--plugin", "ALONE", "--config",
                           str(config)], stdin=subprocess.DEVNULL, capture_output=True, timeout=10)
    assert time.monotonic() - started < 5.0
    assert proc.returncode == 0
    assert b'"t":"ready"' in proc.stdout


def test_worker_for_an_unknown_code_says_so(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[endpoint]\ndata_dir = "{tmp_path}"\n' + plugin_toml("KNOWN", tick_ms=0))
    proc = subprocess.run([sys.executable, "-m", "sellintegro.worker", "--plugin", "UNKNOWN", "--config",
                           str(config)], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
    assert proc.returncode == 2
    assert "no plugin with code UNKNOWN" in proc.stderr
