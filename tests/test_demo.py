"""`sellintegro demo`: the whole flow on one machine, from seeded BaseLinker orders to fiscal receipts and PDFs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest

from sellintegro.baselinker import loose
from sellintegro.journal import Journal
from tests.conftest import wait_for

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "SELLINTEGRO_LANG": "en"}


def demo(folder: Path, *extra: str, python: str = sys.executable, timeout: float = 240,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "sellintegro", "demo", "--headless", "--dir", str(folder), *extra],
                          capture_output=True, text=True, timeout=timeout, env=env or ENV, cwd=folder.parent)


def erp_documents(folder: Path) -> list[tuple[str, int, str]]:
    """(dok_NrPelnyOryg, dok_Typ, dok_NrPelny) of every document in the demo's ERP."""
    db = sqlite3.connect(f"file:{folder / 'erp.sqlite'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT dok_NrPelnyOryg, dok_Typ, dok_NrPelny FROM dok__Dokument").fetchall()
    finally:
        db.close()
    return [(str(key).strip(), int(kind), str(number).strip()) for key, kind, number in rows]


def assert_seeded_work_done(folder: Path) -> dict[str, Any]:
    """Every confirmed seeded order has one ERP document; every receipt was fiscalized once and its number sent
    to BaseLinker; every FS document's PDF was uploaded to its order's invoice. Returns summary.json."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] is True
    orders = json.loads((folder / "orders.json").read_text(encoding="utf-8"))
    confirmed = [o for o in orders if loose.as_bool(o["confirmed"])]
    # Orders: one document each, FS when the buyer wants an invoice, PA otherwise.
    docs = erp_documents(folder)
    assert sorted(key for key, _, _ in docs) == sorted(str(o["order_id"]) for o in confirmed)
    kinds = {key: kind for key, kind, _ in docs}
    for o in confirmed:
        assert kinds[str(o["order_id"])] == (2 if loose.as_bool(o["want_invoice"]) else 21), o["order_id"]
    assert all(o["status_id"] == 1003 for o in summary["orders"] if o["confirmed"])
    # Receipts: one per receipt order, each printed once as a fiscal receipt, its number confirmed in BaseLinker.
    receipts = summary["receipts"]
    assert sorted(r["order_id"] for r in receipts) == sorted(
        o["order_id"] for o in confirmed if not loose.as_bool(o["want_invoice"]))
    assert all(not r["pending"] and not r["printer_error"] and r["receipt_nr"] for r in receipts)
    assert len({r["receipt_nr"] for r in receipts}) == len(receipts)
    printed = [p for p in summary["printed"] if p["kind"] == "receipt"]
    assert len(printed) == len(receipts) and all(p["fiscal"] for p in printed)
    assert sorted(str(p["number"]) for p in printed) == sorted(r["receipt_nr"] for r in receipts)
    images = sorted(p.name for p in (folder / "receipts").glob("*.png"))
    assert len(images) == len(receipts) and not any(n.startswith("cancelled-") for n in images)
    # PDFs: each FS document's PDF is on its order's BaseLinker invoice under the ERP number, and filed as sent.
    fs = [(key, number) for key, kind, number in docs if kind == 2]
    assert fs, "the seed has orders that want an invoice"
    uploaded = {(str(i["order_id"]), i["external_invoice_number"]) for i in summary["invoices"] if i["has_file"]}
    assert uploaded == set(fs)
    assert sorted(p.name for p in (folder / "pdf" / "sent").glob("*.pdf")) == sorted(
        number.replace("/", "_") + ".pdf" for _, number in fs)
    # Nothing went wrong on the way.
    journal = Journal(folder / "data")
    try:
        assert journal.query(level="warning") == []
        assert len(journal.query()) >= len(confirmed) + len(receipts) + len(fs)
    finally:
        journal.close()
    return summary


def workers_of(folder: Path) -> list[int]:
    config = str(folder / "sellintegro.toml")
    found = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        if config in " ".join(p.info["cmdline"] or []):
            found.append(p.info["pid"])
    return found


def test_the_demo_finishes_the_seeded_work_prints_the_summary_and_exits_0(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    proc = demo(folder, "--orders", "12")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = assert_seeded_work_done(folder)
    out = proc.stdout
    # The backlog is drawn (a line per change when not on a terminal), then the summary.
    assert "] orders " in out and "Done in " in out
    receipts = len(summary["receipts"])
    assert f"receipts: {receipts} of {receipts} fiscalized once" in out
    assert f"Receipt images: {folder / 'receipts'} ({receipts} PNG)" in out
    assert f"Logs: {folder / 'data' / 'logs'}" in out and "Demo stopped; every worker has exited." in out
    assert workers_of(folder) == []
    assert (folder / "data" / "logs" / "sellintegro.log").exists()

    # Run again in the same folder: it starts afresh.
    again = demo(folder, "--orders", "5")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(json.loads((folder / "orders.json").read_text(encoding="utf-8"))) == 5
    assert_seeded_work_done(folder)


def test_a_folder_that_is_not_the_demos_is_refused_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    proc = demo(folder)
    assert proc.returncode == 2
    assert "is not empty and not a demo folder" in proc.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    bad = demo(tmp_path / "other", "--orders", "0")
    assert bad.returncode == 2 and "--orders must be 1 to" in bad.stderr


def test_ctrl_c_stops_a_kept_demo_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    out = tmp_path / "demo.out"
    with open(out, "wb") as f:
        proc = subprocess.Popen([sys.executable, "-m", "sellintegro", "demo", "--headless", "--keep", "--orders", "6",
                                 "--dir", str(folder)], stdout=f, stderr=subprocess.STDOUT, env=ENV)
    try:
        wait_for("the summary", lambda: (folder / "summary.json").exists() or proc.poll() is not None, timeout=120)
        assert proc.poll() is None, "--keep keeps it running after the summary"
        info = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
        status = subprocess.run([sys.executable, "-m", "sellintegro", "status", "--json", "--config",
                                 str(folder / "sellintegro.toml")], capture_output=True, text=True, timeout=60,
                                env=ENV)
        states = {w["code"]: w["state"] for w in json.loads(status.stdout)["workers"]}
        assert set(states.values()) == {"RUNNING"} and len(states) == 3
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = out.read_text(encoding="utf-8")
    assert "Still running (Ctrl-C stops it)" in text and text.rstrip().endswith("every worker has exited.")
    assert workers_of(folder) == [] and not psutil.pid_exists(info["printer_pid"])
    assert_seeded_work_done(folder)


def _checkout_copy(target: Path) -> Path:
    """The checkout's files (tracked, and new ones not ignored: what a commit would hold) copied to `target`."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                            check=True, timeout=60).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.slow
@pytest.mark.timeout(1500)
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the checkout's files")
def test_the_demo_runs_in_a_fresh_virtualenv_built_from_the_checkout(tmp_path: Path) -> None:
    """After `pip install <checkout>` into a new virtualenv (dependencies from PyPI, no system packages), one
    command runs the whole flow and exits 0."""
    source = _checkout_copy(tmp_path / "src")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / ("Scripts" if sys.platform == "win32" else "bin") / "python")
    env = {k: v for k, v in ENV.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    install = subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", "-q", str(source)],
                             capture_output=True, text=True, timeout=1200, env=env)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    where = subprocess.run([python, "-c", "import sellintegro, sellintegro_orders; print(sellintegro.__file__)"],
                           capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    folder = tmp_path / "demo"
    proc = demo(folder, python=python, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Done in " in proc.stdout
    assert_seeded_work_done(folder)
    assert workers_of(folder) == []
