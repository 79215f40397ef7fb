"""`sellintegro doctor`: the seed's checklist run by the machine, against a real demo endpoint (`demo --keep`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from sellintegro.baselinker.emulator import DEMO_TOKEN
from tests.conftest import wait_for

ORDERS = "BLK_CAI_COM_ORD_SGT_100"
FISCAL = "BLK_CAI_COM_FIS_PSN_100"
PDF = "SGT_CAI_COM_INV_BLK_100"


def doctor(config: Path, *extra: str, lang: str = "en") -> tuple[int, Any]:
    proc = subprocess.run([sys.executable, "-m", "sellintegro", "doctor", "--config", str(config), *extra],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SELLINTEGRO_LANG": lang})
    assert "Traceback" not in proc.stderr, proc.stderr
    if "--json" in extra:
        return proc.returncode, json.loads(proc.stdout)["checks"]
    return proc.returncode, proc.stdout


def by_name(checks: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in checks}


def not_ok(checks: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in checks if c["status"] != "ok"}


def plugin_check(checks: list[dict[str, str]], code: str, about: str) -> dict[str, str]:
    """The plugin's own check whose name mentions `about` (the plugins name their checks themselves)."""
    exact = [c for c in checks if c["name"] == f"{code}: {about}"]
    [found] = exact or [c for c in checks if c["name"].startswith(f"{code}: ") and about in c["name"]]
    return found


@dataclass
class Demo:
    dir: Path
    config: Path
    proc: subprocess.Popen[bytes]
    info: dict[str, Any]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """`sellintegro demo --keep --headless`, once its seeded work is done."""
    where = tmp_path_factory.mktemp("doctor") / "demo"
    out = where.parent / "demo.out"
    with open(out, "wb") as f:
        proc = subprocess.Popen([sys.executable, "-m", "sellintegro", "demo", "--keep", "--headless", "--orders", "10",
                                 "--dir", str(where)], stdout=f, stderr=subprocess.STDOUT,
                                env={**os.environ, "SELLINTEGRO_LANG": "en"})
    try:
        wait_for("the demo's summary", lambda: (where / "summary.json").exists() or proc.poll() is not None,
                 timeout=120, every=0.1)
        assert proc.poll() is None, out.read_text(encoding="utf-8")
        assert json.loads((where / "summary.json").read_text(encoding="utf-8"))["complete"]
        info = json.loads((where / "demo.json").read_text(encoding="utf-8"))
        yield Demo(where, where / "sellintegro.toml", proc, info)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_healthy_demo_passes_every_check(demo: Demo) -> None:
    code, checks = doctor(demo.config, "--json")
    assert not_ok(checks) == {} and code == 0
    names = by_name(checks)
    for name in ("config", "endpoint", "single instance", "run mode", "disk space", "clock",
                 f"{ORDERS}: processing", f"{FISCAL}: processing", f"{PDF}: processing"):
        assert name in names, sorted(names)
    assert any(n.startswith("BaseLinker token (") for n in names)
    assert any(n.startswith("BaseLinker rate limit (") for n in names)
    # The plugins' own checks are there, in the seed's order: orders, then fiscal, then pdf.
    order = [c["name"].split(":")[0] for c in checks if ":" in c["name"]]
    assert order.index(ORDERS) < order.index(FISCAL) < order.index(PDF)
    assert plugin_check(checks, FISCAL, "printer POSNET demo")
    assert plugin_check(checks, PDF, str(demo.dir / "pdf"))
    assert all(c["why"] and "\n" not in c["why"] for c in checks)
    assert "last success" in names[f"{ORDERS}: processing"]["why"]
    assert DEMO_TOKEN not in json.dumps(checks)


def test_the_human_form_has_one_marked_line_per_check_and_says_all_is_well(demo: Demo) -> None:
    code, text = doctor(demo.config)
    lines = text.splitlines()
    assert code == 0 and lines[0] == f"Sellintegro doctor: {demo.config}"
    assert lines[-1].startswith("all ") and lines[-1].endswith(" checks ok")
    assert all(line.startswith(" ✔ ") for line in lines[1:-1]), lines


def test_a_wrong_token_is_an_error_with_a_fix_and_nothing_else_breaks(demo: Demo, tmp_path: Path) -> None:
    bad = tmp_path / "wrong-token.toml"
    bad.write_text(demo.config.read_text(encoding="utf-8").replace(DEMO_TOKEN, "1000001-1000001-WRONGTOKEN00000000000"),
                   encoding="utf-8")
    code, checks = doctor(bad, "--json")
    assert code == 1
    failed = not_ok(checks)
    token = next(c for n, c in failed.items() if n.startswith("BaseLinker token ("))
    assert token["status"] == "error" and "refuses the token" in token["why"]
    assert "token setting" in token["fix"] and str(bad) in token["fix"]
    assert all(c["fix"] for c in failed.values() if c["status"] == "error")
    # Only what needs BaseLinker fails: the ERP, the printer and the folder are still fine.
    names = by_name(checks)
    for check in (plugin_check(checks, ORDERS, "Subiekt"), plugin_check(checks, FISCAL, "printer POSNET demo"),
                  plugin_check(checks, PDF, str(demo.dir / "pdf")), names["endpoint"], names["disk space"]):
        assert check["status"] == "ok", check
    code, text = doctor(bad)
    assert code == 1 and " ✘ BaseLinker token (" in text and "     fix: copy the API token" in text


def test_a_pdf_folder_replaced_by_a_file_is_an_error_with_a_fix(demo: Demo) -> None:
    """As root no permission bit stops us, so the folder is made unusable by putting a file in its place."""
    folder = demo.dir / "pdf"
    away = demo.dir / "pdf.away"
    folder.rename(away)
    folder.write_text("not a folder", encoding="utf-8")
    try:
        code, checks = doctor(demo.config, "--json")
    finally:
        folder.unlink()
        away.rename(folder)
    assert code == 1
    failed = not_ok(checks)
    check = plugin_check(checks, PDF, str(folder))
    assert check["status"] == "error" and "not a folder" in check["why"] and check["fix"]
    assert not any(n.startswith((ORDERS, FISCAL)) or n.startswith("BaseLinker") for n in failed), failed


def test_a_stopped_printer_simulator_is_an_error_with_a_fix(demo: Demo) -> None:
    """Runs last in this module: the demo's printer stays stopped."""
    printer = psutil.Process(demo.info["printer_pid"])
    printer.terminate()
    printer.wait(timeout=30)
    code, checks = doctor(demo.config, "--json")
    assert code == 1
    failed = not_ok(checks)
    check = plugin_check(checks, FISCAL, "printer POSNET demo")
    assert check["status"] == "error" and check["fix"]
    assert demo.info["printer"] in check["fix"] or demo.info["printer"] in check["why"]
    assert not any(n.startswith((ORDERS, PDF)) or n.startswith("BaseLinker") for n in failed), failed
    assert demo.proc.poll() is None, "the demo runs on without its printer"


# -- without a demo ------------------------------------------------------------------------------------------

def _config(tmp_path: Path, plugins: str = "") -> Path:
    path = tmp_path / "sellintegro.toml"
    path.write_text(f'[endpoint]\ndata_dir = "{tmp_path / "data"}"\n{plugins}', encoding="utf-8")
    return path


def test_a_stopped_endpoint_is_an_error_and_a_type_without_checks_says_so(tmp_path: Path) -> None:
    config = _config(tmp_path, '[[plugins]]\ncode = "PROBE_1"\ntype = "probe"\n[plugins.settings]\ntick_ms = 0\n')
    started = time.monotonic()
    code, checks = doctor(config, "--json")
    assert code == 1 and time.monotonic() - started < 60
    names = by_name(checks)
    assert names["endpoint"]["status"] == "error" and "sellintegro run --config" in names["endpoint"]["fix"]
    assert names["PROBE_1: checks"]["status"] == "warning"
    assert "declares no checks" in names["PROBE_1: checks"]["why"]
    assert names["PROBE_1: processing"]["status"] == "warning"
    assert names["clock"] == {"name": "clock", "status": "ok",
                              "why": "not checked: no enabled plugin talks to BaseLinker", "fix": ""}
    assert names["single instance"]["status"] == "ok"


def test_a_config_that_does_not_load_is_one_error_and_exit_2(tmp_path: Path) -> None:
    config = _config(tmp_path, '[[plugins]]\ncode = "X"\ntype = "no-such-type"\n')
    code, checks = doctor(config, "--json")
    assert code == 2
    assert [c["name"] for c in checks] == ["config"]
    assert checks[0]["status"] == "error" and "no-such-type" in checks[0]["why"] and checks[0]["fix"]


def test_the_checks_speak_polish_on_request(tmp_path: Path) -> None:
    code, checks = doctor(_config(tmp_path), "--json", lang="pl")
    names = by_name(checks)
    assert code == 1
    assert names["endpoint"]["why"].startswith("endpoint nie działa")
    assert names["miejsce na dysku"]["status"] == "ok"
