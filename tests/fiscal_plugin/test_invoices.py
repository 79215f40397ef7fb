"""FS invoices of the configured series printed as the printer's own invoices (trfv*), each once."""

from __future__ import annotations

import time
from pathlib import Path

from sellintegro.baselinker.emulator import Emulator
from sellintegro.fiscal.simulator import PrinterSimulator

from .conftest import INVOICE_SERIES, TOKEN, Harness, order

NIP = "526-000-12-46"


def add_invoice_orders(bl: Emulator, first_id: int = 100, nips: tuple[str, ...] = (NIP, "PL 5260001246")) -> list[int]:
    ids = []
    for n, nip in enumerate(nips):
        oid = first_id + n
        bl.account.add_orders([order(oid, [("Chleb", "12.30", 5, 4), ("Kubek", "24.99", 23, 1)], nip=nip,
                                     want_invoice=True, company="Piekarnia Złoty Kłos s.c.")])
        ids.append(bl.account.call("addInvoice", {"order_id": oid, "series_id": INVOICE_SERIES})["invoice_id"])
    return ids


def printed_invoices(sim: PrinterSimulator) -> list[str]:
    return [d.invoice_number for d in sim.documents if d.kind == "invoice"]


def test_invoices_of_the_configured_series_are_printed_once_as_printer_invoices(
        tmp_path: Path, sim: PrinterSimulator, bl: Emulator) -> None:
    harness = Harness(tmp_path / "data", sim, bl, invoice_series=INVOICE_SERIES, invoices_days_back=1)
    add_invoice_orders(bl)
    harness.cycle()
    harness.cycle()
    harness.close()
    numbers = sorted(i["number"] for i in bl.account.invoices.values())
    assert sorted(printed_invoices(sim)) == numbers
    doc = next(d for d in sim.documents if d.kind == "invoice")
    assert doc.buyer_nip == NIP and doc.buyer_name == "Piekarnia Złoty Kłos s.c." and doc.total == 7419
    assert harness.journal("info", "→ printer invoice no.")[0].startswith(f"invoice {numbers[0]} → printer invoice no.")


def test_an_invoice_the_printer_cannot_issue_is_journaled_once_and_the_others_still_print(
        tmp_path: Path, sim: PrinterSimulator, bl: Emulator) -> None:
    harness = Harness(tmp_path / "data", sim, bl, invoice_series=INVOICE_SERIES, invoices_days_back=1)
    add_invoice_orders(bl, nips=("", NIP))
    harness.cycle()
    harness.cycle()
    harness.close()
    assert len(printed_invoices(sim)) == 1
    [refused] = harness.journal("error")
    assert "NIP" in refused and "not-printed" in refused


def test_invoices_issued_before_the_first_run_are_printed_only_within_invoices_days_back(
        tmp_path: Path, sim: PrinterSimulator) -> None:
    with Emulator(token=TOKEN, rate_limit=0, clock=lambda: time.time() - 2 * 3600) as old:
        add_invoice_orders(old)
        fresh = Harness(tmp_path / "a", sim, old, invoice_series=INVOICE_SERIES)
        fresh.cycle()
        fresh.close()
        assert printed_invoices(sim) == []  # turning invoices on does not print the series' history
        back = Harness(tmp_path / "b", sim, old, invoice_series=INVOICE_SERIES, invoices_days_back=1)
        back.cycle()
        back.close()
        assert len(printed_invoices(sim)) == 2


def test_an_invoice_whose_trend_answer_was_lost_is_reconciled_and_never_printed_twice(
        tmp_path: Path, sim: PrinterSimulator, bl: Emulator) -> None:
    harness = Harness(tmp_path / "data", sim, bl, invoice_series=INVOICE_SERIES, invoices_days_back=1)
    add_invoice_orders(bl)
    sim.drop_after("trend")
    harness.cycle()
    harness.cycle()
    harness.close()
    assert sorted(printed_invoices(sim)) == sorted(i["number"] for i in bl.account.invoices.values())
    assert harness.journal("info", "after an interruption")
