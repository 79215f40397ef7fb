"""One plugin run in this process against the emulator, a sample ERP and real folders."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sellintegro_pdf.cycle import Processor
from sellintegro_pdf.settings import PdfSettings

from ..conftest import wait_for
from .conftest import Recorded, Shop, ctx_for, file_name, make_pdf


class Run:
    """A Processor and its context; `cycle()` runs one cycle that ends once nothing is ready or settling."""

    def __init__(self, tmp: Path, settings: dict[str, Any]) -> None:
        self.ctx, self.journal = ctx_for(tmp, {"watch_seconds": 0.0, **settings})
        self.processor = Processor(PdfSettings.read(self.ctx.settings))

    def cycle(self) -> Recorded:
        self.processor.cycle(self.ctx)
        return self.journal


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Callable[..., Run]]:
    made: list[Run] = []

    def make(settings: dict[str, Any]) -> Run:
        r = Run(tmp_path, settings)
        made.append(r)
        return r

    yield make
    for r in made:
        r.processor.watcher.stop()
        if r.ctx._state is not None:
            r.ctx._state.close()
        if r.ctx._erp is not None:
            r.ctx._erp.close()
        if r.ctx._baselinker is not None:
            r.ctx._baselinker.close()


def drop(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_a_file_named_by_its_erp_number_goes_to_its_orders_invoice_with_that_number(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    shop = world(3)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    order = shop.orders[1]
    pdf = make_pdf("one")
    drop(inbox, file_name(shop.numbers[order]), pdf)
    journal = run(shop.settings([inbox])).cycle()
    [invoice] = shop.invoice_of(order)
    assert shop.file_of(invoice["invoice_id"]) == pdf
    assert invoice["external_invoice_number"] == shop.numbers[order]
    assert not list(inbox.glob("*.pdf")) and (inbox / "sent" / file_name(shop.numbers[order])).read_bytes() == pdf
    assert any(f"order {order} as {shop.numbers[order]}" in m for m in journal.texts("info")), journal.entries


def test_the_same_content_dropped_again_is_not_uploaded_again_but_a_corrected_file_is(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    shop = world(2)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    order = shop.orders[0]
    name = file_name(shop.numbers[order])
    r = run(shop.settings([inbox]))
    first, corrected = make_pdf("first"), make_pdf("corrected")
    drop(inbox, name, first)
    r.cycle()
    drop(inbox, name, first)
    journal = r.cycle()
    assert shop.uploads() == 1
    assert any("not uploaded again" in m for m in journal.texts("info")), journal.entries
    assert not (inbox / name).exists(), "the re-dropped copy is cleared away too"
    drop(inbox, name, corrected)
    r.cycle()
    [invoice] = shop.invoice_of(order)
    assert shop.uploads() == 2 and shop.file_of(invoice["invoice_id"]) == corrected
    assert (inbox / "sent" / name).read_bytes() == first
    assert (inbox / "sent" / name.replace(".pdf", " (2).pdf")).read_bytes() == corrected


def test_record_mode_leaves_files_in_place_and_a_new_worker_does_not_upload_them_again(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    shop = world(2)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for order in shop.orders:
        drop(inbox, file_name(shop.numbers[order]), make_pdf(str(order)))
    settings = shop.settings([inbox], after_upload="record")
    run(settings).cycle()
    assert shop.uploads() == 2 and len(list(inbox.glob("*.pdf"))) == 2
    requests = len(shop.emu.requests)
    journal = run(settings).cycle()  # a new Processor: what a restarted worker has
    assert shop.uploads() == 2
    assert len(shop.emu.requests) == requests, "known uploads cost no BaseLinker request"
    assert journal.entries == [], "files present at start that were uploaded before are not news"


def test_an_order_without_an_invoice_gets_one_in_the_configured_series_first(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    shop = world(2, invoiced=0)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    order = shop.orders[0]
    drop(inbox, file_name(shop.numbers[order]), make_pdf("x"))
    journal = run(shop.settings([inbox], invoice_series=1)).cycle()
    [invoice] = shop.invoice_of(order)
    assert invoice["series_id"] == 1 and invoice["external_invoice_number"] == shop.numbers[order]
    assert shop.emu.count("addInvoice") == 1
    assert any("had no BaseLinker invoice" in m for m in journal.texts("info")), journal.entries


def test_without_a_series_an_order_lacking_an_invoice_is_journaled_once_with_the_fix_hints(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    shop = world(2, invoiced=0)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    order = shop.orders[0]
    drop(inbox, file_name(shop.numbers[order]), make_pdf("x"))
    r = run(shop.settings([inbox], retry_minutes=0.0))
    r.cycle()
    r.cycle()  # tried again (retry_minutes = 0): still no invoice, and no second entry
    [error] = r.journal.texts("error")
    assert "Zamówienie nie posiada faktury w Baselinker" in error and f"order {order}" in error
    assert "by hand in BaseLinker" in error and "invoice_series" in error and "automatic action" in error
    assert '1 "Faktury"' in error, "the hint names the account's invoice series"
    assert shop.emu.count("addInvoice") == 0 and shop.uploads() == 0
    assert (inbox / file_name(shop.numbers[order])).exists(), "the file waits in its folder"
    shop.issue_invoice(order)  # fixed by hand in BaseLinker
    r.cycle()
    assert shop.uploads() == 1


def test_poison_files_are_journaled_and_skipped_while_the_others_go_on(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    shop = world(3)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = shop.orders[2]
    drop(inbox, file_name(shop.numbers[shop.orders[0]]), make_pdf("cut")[:-60])  # cut off while written
    drop(inbox, "FS 999_2026.pdf", make_pdf("nobody"))                           # no such document
    drop(inbox, file_name(shop.numbers[shop.orders[1]]), b"%PDF-1.4\nnot really\n%%EOF\n")
    (inbox / "folder.pdf").mkdir()                                                # a folder named like a PDF
    drop(inbox, file_name(shop.numbers[good]), make_pdf("good"))
    journal = run(shop.settings([inbox])).cycle()
    errors = "\n".join(journal.texts("error"))
    assert "not a valid PDF (it is cut off" in errors
    assert "not a valid PDF (pypdf cannot read it" in errors
    assert "the ERP has no document numbered FS 999/2026" in errors
    assert any("folder.pdf: not a regular file" in m for m in journal.texts("warning")), journal.entries
    assert shop.uploads() == 1 and shop.file_of(shop.invoice_of(good)[0]["invoice_id"]) == make_pdf("good")


def test_a_missing_folder_is_journaled_and_its_files_are_taken_once_it_appears(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    shop = world(1)
    later = tmp_path / "later"
    r = run(shop.settings([later]))
    r.cycle()
    [error] = r.journal.texts("error")
    assert f"folder {later} does not exist or cannot be reached (No such file or directory)" in error
    later.mkdir()
    drop(later, file_name(shop.numbers[shop.orders[0]]), make_pdf("late"))
    time.sleep(0.35)  # poll_seconds: the folder is looked for again at the next check
    r.cycle()
    assert shop.uploads() == 1
    assert any("reachable again" in m for m in r.journal.texts("info")), r.journal.entries


def test_a_file_name_pattern_can_carry_the_order_id_without_an_erp(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    shop = world(2)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    order = shop.orders[1]
    drop(inbox, f"FV 7_2026 - {order}.pdf", make_pdf("p"))
    settings = shop.settings([inbox], link="pattern", pattern=r"(?P<number>.+) - (?P<order>\d+)")
    del settings["erp"]
    run(settings).cycle()
    [invoice] = shop.invoice_of(order)
    assert invoice["external_invoice_number"] == "FV 7/2026"


def test_a_file_released_by_its_writer_that_then_waits_for_a_person_does_not_keep_the_cycle_running(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run]) -> None:
    """Regression: the "writer still busy" mark outlived the lock, so the cycle ran on for OVERRUN seconds."""
    shop = world(1, invoiced=0)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = drop(inbox, file_name(shop.numbers[shop.orders[0]]), make_pdf("held"))
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time\n"
        f"f = open({str(path)!r}, 'rb'); fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True)\n"
        "time.sleep(1.0)")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    started = time.monotonic()
    journal = run(shop.settings([inbox])).cycle()
    holder.communicate(timeout=10)
    assert time.monotonic() - started < 10
    assert any("Zamówienie nie posiada faktury" in m for m in journal.texts("error")), journal.entries


@pytest.mark.parametrize("watch", ["events", "polling"])
def test_a_file_dropped_while_a_cycle_watches_is_taken_through_events_or_polling_and_a_stop_ends_the_cycle(
        tmp_path: Path, world: Callable[..., Shop], run: Callable[..., Run], watch: str) -> None:
    shop = world(1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = run(shop.settings([inbox], watch=watch, watch_seconds=60.0))
    cycle = threading.Thread(target=r.cycle)
    cycle.start()
    wait_for("the folder watched", lambda: r.processor.watcher.how(str(inbox)) == watch and
             str(inbox) in r.processor.watcher._watches)
    drop(inbox, file_name(shop.numbers[shop.orders[0]]), make_pdf("live"))  # only an observer can see it now
    wait_for("the upload", lambda: shop.uploads() == 1, timeout=10)
    r.ctx.cancelled.set()
    cycle.join(timeout=5)
    assert not cycle.is_alive(), "a stop request ends a watching cycle within seconds"
