"""The pdf plugin in a real endpoint: supervisor, worker process, emulator, sample ERP and real folders."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..conftest import wait_for
from .conftest import PdfEndpoint, Shop, file_name, make_pdf, plugin_toml

CODE = "SGT_CAI_COM_INV_BLK_100"
Factory = Callable[..., PdfEndpoint]


def write_slowly(path: Path, data: bytes, chunks: int, pause: float, lock: bool) -> None:
    """A writer that takes its time, as a print-to-PDF driver does; with `lock` it holds an exclusive lock."""
    step = len(data) // chunks + 1
    with open(path, "wb") as f:
        if lock:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        for i in range(0, len(data), step):
            f.write(data[i:i + step])
            f.flush()
            time.sleep(pause)


def watching(ep: PdfEndpoint, folders: int = 1) -> None:
    wait_for("the folders to be watched", lambda: ep.log(CODE).count("watching folder") >= folders, timeout=20)


def test_fifty_pdfs_dropped_while_running_are_each_uploaded_once_to_their_order_with_the_erp_number(
        tmp_path: Path, world: Callable[..., Shop], pdf_endpoint: Factory) -> None:
    shop = world(50, invoiced=40)
    inboxes = [tmp_path / "faktury", tmp_path / "korekty"]
    for box in inboxes:
        box.mkdir()
    ep = pdf_endpoint(plugin_toml(CODE, shop.settings(inboxes, invoice_series=1, settle_seconds=0.5)))
    ep.wait_state(CODE, "RUNNING")
    watching(ep, 2)
    expected: dict[int, bytes] = {}
    writers = []
    for i, order in enumerate(shop.orders):
        data = make_pdf(f"invoice for order {order}", padding=40_000 if i % 5 == 0 else 0)
        expected[order] = data
        path = inboxes[i % 2] / file_name(shop.numbers[order])
        if i % 5 == 0:
            # Ten slow writers: five hold a lock and pause longer than settle_seconds, five do not lock
            # and pause less.
            locked = i % 10 == 0
            t = threading.Thread(target=write_slowly, args=(path, data, 8, 0.8 if locked else 0.1, locked))
            t.start()
            writers.append(t)
        elif i % 7 == 0:
            part = path.with_suffix(".part")  # written under another name, then renamed
            part.write_bytes(data)
            part.rename(path)
        else:
            path.write_bytes(data)
    for t in writers:
        t.join()

    def all_sent() -> bool:
        return sum(len(list((box / "sent").glob("*.pdf"))) for box in inboxes if (box / "sent").exists()) == 50
    wait_for("all 50 files uploaded and moved to sent", all_sent, timeout=60, every=0.2)
    assert shop.uploads() == 50, "each file is uploaded exactly once"
    for order, data in expected.items():
        [invoice] = shop.invoice_of(order)
        assert shop.file_of(invoice["invoice_id"]) == data, f"order {order} holds the exact bytes"
        assert invoice["external_invoice_number"] == shop.numbers[order]
    assert shop.emu.count("addInvoice") == 10, "an invoice was issued first for the ten orders without one"
    assert not [p for box in inboxes for p in box.glob("*.pdf")]
    assert not [e for e in ep.journal(CODE) if e[0] != "info"], ep.journal(CODE)


def test_poison_inputs_and_missing_invoices_are_journaled_clearly_while_the_others_go_on(
        tmp_path: Path, world: Callable[..., Shop], pdf_endpoint: Factory) -> None:
    """Run without root's file privileges (setpriv), so that a file without read permission is unreadable."""
    shop = world(6, invoiced=5)
    inbox, share, readonly, hidden = tmp_path / "inbox", tmp_path / "share", tmp_path / "readonly", tmp_path / "hidden"
    for folder in (inbox, readonly, hidden):
        folder.mkdir()
    readonly.chmod(0o555)
    good, unreadable, no_invoice, late, unlisted = (shop.orders[0], shop.orders[1], shop.orders[5], shop.orders[2],
                                                    shop.orders[4])
    (hidden / file_name(shop.numbers[unlisted])).write_bytes(make_pdf("unlisted"))
    hidden.chmod(0o333)
    (inbox / file_name(shop.numbers[good])).write_bytes(make_pdf("good"))
    (inbox / "FS 4711_2026.pdf").write_bytes(make_pdf("unknown"))
    (inbox / file_name(shop.numbers[shop.orders[3]])).write_bytes(make_pdf("broken")[:-100])
    locked_out = inbox / file_name(shop.numbers[unreadable])
    locked_out.write_bytes(make_pdf("unreadable"))
    locked_out.chmod(0o000)
    (inbox / file_name(shop.numbers[no_invoice])).write_bytes(make_pdf("no invoice"))
    settings = shop.settings([inbox, share, readonly, hidden], retry_minutes=0.02)
    ep = pdf_endpoint(plugin_toml(CODE, settings), unprivileged=True)

    def has(level: str, *words: str) -> bool:
        return ep.journal_has(CODE, level, *words)
    wait_for("the good file uploaded", lambda: shop.uploads() == 1, timeout=30)
    wait_for("every problem journaled", lambda: all([
        has("error", "FS 4711_2026.pdf: the ERP has no document numbered FS 4711/2026"),
        has("error", file_name(shop.numbers[shop.orders[3]]), "not a valid PDF (it is cut off"),
        has("error", file_name(shop.numbers[unreadable]), "cannot be read by the account the plugin runs as",
            "Permission denied"),
        has("error", "Zamówienie nie posiada faktury w Baselinker", f"order {no_invoice}", "invoice_series",
            "by hand", "automatic action"),
        has("error", f"folder {share} does not exist or cannot be reached"),
        has("warning", f"folder {readonly}", "cannot write a probe file", "Permission denied"),
        has("warning", f"folder {hidden}", "cannot list its files", "Permission denied"),
    ]), timeout=30)
    [invoice] = shop.invoice_of(good)
    assert shop.file_of(invoice["invoice_id"]) == make_pdf("good")
    # The files and folders that wait for a person are tried again (retry_minutes, poll_seconds) without
    # a second entry.
    wait_for("retries", lambda: all(re.search(rf"{re.escape(w)}.*\(journaled before\)", ep.log(CODE))
                                    for w in ("Zamówienie nie posiada faktury", f"{locked_out.name}: cannot be read")),
             timeout=30)
    entries = ep.journal(CODE)
    assert sum(1 for e in entries if "Zamówienie nie posiada faktury" in e[2]) == 1, entries
    assert sum(1 for e in entries if "Permission denied" in e[2] and e[1] == locked_out.name) == 1, entries
    assert sum(1 for e in entries if e[1] == str(hidden)) == 1, entries
    # Fixed by a person: read access given, the share mounted, the folder opened. All go on by themselves.
    locked_out.chmod(0o644)
    hidden.chmod(0o755)
    share.mkdir()
    (share / file_name(shop.numbers[late])).write_bytes(make_pdf("late"))
    wait_for("the fixed files uploaded", lambda: shop.uploads() == 4, timeout=30)
    assert has("info", f"folder {share} is reachable again") and has("info", f"folder {hidden} is reachable again")
    assert shop.file_of(shop.invoice_of(unreadable)[0]["invoice_id"]) == make_pdf("unreadable")
    assert ep.worker(CODE)["restarts"] == 0, "no poison input crashed the worker"


def test_a_worker_killed_during_an_upload_neither_uploads_twice_nor_loses_the_file_after_restart(
        tmp_path: Path, world: Callable[..., Shop], pdf_endpoint: Factory) -> None:
    shop = world(3)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # BaseLinker takes the first upload, then holds its answer back: the kill lands mid-upload.
    shop.emu.inject("timeout", count=1, method="addOrderInvoiceFile", delay=30)
    ep = pdf_endpoint(plugin_toml(CODE, shop.settings([inbox])))
    first = ep.wait_state(CODE, "RUNNING")
    watching(ep)
    data = {order: make_pdf(f"kill {order}") for order in shop.orders}
    for order, pdf in data.items():
        (inbox / file_name(shop.numbers[order])).write_bytes(pdf)
    wait_for("an upload under way", lambda: shop.emu.count("addOrderInvoiceFile") == 1, timeout=20)
    time.sleep(0.3)
    assert shop.uploads() == 1 and sum(1 for o in shop.orders if shop.file_of(shop.invoice_of(o)[0]["invoice_id"])) \
        == 1, "the upload reached BaseLinker; its answer had not come back"
    os.kill(first["pid"], signal.SIGKILL)
    ep.wait_state(CODE, "RUNNING", not_pid=first["pid"], timeout=20)
    wait_for("every file moved to sent", lambda: len(list((inbox / "sent").glob("*.pdf"))) == 3, timeout=30)
    assert shop.uploads() == 3, "the interrupted upload was not sent again"
    for order, pdf in data.items():
        [invoice] = shop.invoice_of(order)
        assert shop.file_of(invoice["invoice_id"]) == pdf and invoice["external_invoice_number"] == \
            shop.numbers[order]
    assert ep.journal_has(CODE, "info", "interrupted by a restart had reached BaseLinker intact")


def test_the_worker_runs_headless_and_never_imports_a_gui_toolkit(
        tmp_path: Path, world: Callable[..., Shop], pdf_endpoint: Factory) -> None:
    shop = world(1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # Every import of the worker process goes to its stderr, which lands in its log.
    ep = pdf_endpoint(plugin_toml(CODE, shop.settings([inbox])),
                      env={"PYTHONPROFILEIMPORTTIME": "1", "DISPLAY": None, "WAYLAND_DISPLAY": None})
    worker = ep.wait_state(CODE, "RUNNING")
    watching(ep)
    (inbox / file_name(shop.numbers[shop.orders[0]])).write_bytes(make_pdf("headless"))
    wait_for("the upload", lambda: shop.uploads() == 1, timeout=20)
    maps = Path(f"/proc/{worker['pid']}/maps").read_text()
    assert "libc.so" in maps, "the worker's memory map was read"
    # Pillow (which pypdf imports) links its own libxcb for ImageGrab; it opens no display unless asked to.
    assert not re.search(r"lib(tk|tcl|X11|gtk|gdk|Qt)", maps), "no GUI toolkit is mapped into the worker"
    assert ep.cli("stop").returncode == 0  # the worker exits: everything it wrote to stderr is in its log
    imported = set(re.findall(r"import time:\s+\d+ \|\s+\d+ \|\s*(\S+)", ep.log(CODE)))
    assert {"sellintegro_pdf.cycle", "watchdog.observers", "pypdf", "sellintegro.childlog"} <= imported, \
        "the import record covers the plugin's own imports, lazy ones included"
    gui = {m for m in imported if m.split(".")[0] in ("tkinter", "_tkinter", "pystray", "gi", "Xlib", "PyQt5",
                                                       "PyQt6", "PySide6", "wx") or m == "PIL.ImageTk"}
    assert gui == set()


def test_an_idle_pdf_worker_loads_no_http_stack_and_the_client_no_cli_libraries() -> None:
    """Memory: a worker watching empty folders needs no BaseLinker client (httpx is ~10 MB of RSS); the
    client, once loaded, leaves out httpx's command-line libraries (click, pygments: ~2 MB)."""
    probe = ("import sys, sellintegro_pdf.cycle, sellintegro_pdf.checks; print(sorted(set(sys.modules) & {0}))\n"
             "import sellintegro.baselinker.client; print(sorted(set(sys.modules) & {1}))")
    code = probe.format({"httpx"}, {"click", "pygments"})
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "[]"]
