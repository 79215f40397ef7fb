"""`sellintegro doctor` for the fiscal plugin: printer, VAT table, series, held documents; read-only."""

from __future__ import annotations

from pathlib import Path

from sellintegro_fiscal.checks import checks

from sellintegro.api import Check
from sellintegro.baselinker.emulator import Emulator
from sellintegro.fiscal import PosnetPrinter
from sellintegro.fiscal.simulator import PrinterSimulator

from .conftest import FAST, Harness


def run_checks(harness: Harness) -> dict[str, Check]:
    with PosnetPrinter.tcp(*harness.sim.address, timeouts=FAST) as printer:
        return {c.name: c for c in checks(harness.ctx, printer=printer)}


def test_a_ready_printer_with_the_right_series_passes_every_check(harness: Harness) -> None:
    found = run_checks(harness)
    assert {c.status for c in found.values()} == {"ok"}, found
    assert "POSNET THERMAL HD ONLINE" in found["fiscal printer POSNET Kasa 1"].why
    assert "A=23%" in found["fiscal printer VAT rates"].why
    assert "Paragony" in found["BaseLinker receipt series 3"].why


def test_paper_out_is_an_error_with_what_to_do(harness: Harness) -> None:
    harness.sim.paper_out()
    check = run_checks(harness)["fiscal printer POSNET Kasa 1"]
    assert check.status == "error" and "out of paper" in check.why and check.fix


def test_an_unreachable_printer_is_an_error_naming_the_address(harness: Harness) -> None:
    harness.ctx.settings["printer"] = "tcp://127.0.0.1:1"
    found = {c.name: c for c in checks(harness.ctx)}
    check = found["fiscal printer POSNET Kasa 1"]
    assert check.status == "error" and "tcp://127.0.0.1:1" in check.fix


def test_a_series_of_the_wrong_type_is_an_error_naming_the_setting(tmp_path: Path, sim: PrinterSimulator,
                                                                   bl: Emulator) -> None:
    harness = Harness(tmp_path / "data", sim, bl, receipt_series=1, invoice_series=3)
    found = run_checks(harness)
    harness.close()
    assert found["BaseLinker receipt series 1"].status == "error"
    assert "receipt_series" in found["BaseLinker receipt series 1"].fix
    assert found["BaseLinker invoice series 3"].status == "error"


def test_checks_only_ask_and_never_cancel_or_print(harness: Harness) -> None:
    with PosnetPrinter.tcp(*harness.sim.address, timeouts=FAST) as other:
        other.link.call("trinit", [("bm", "0")])
    found = run_checks(harness)
    assert found["fiscal printer POSNET Kasa 1"].status == "warning"
    assert harness.sim.transaction_open and harness.sim.cancelled == [] and harness.sim.documents == []


def test_held_documents_are_a_warning(harness: Harness) -> None:
    harness.ctx.state.begin("receipt:9")
    harness.ctx.state.finish("receipt:9", "held", {"label": "9/1/2026/P", "reason": "?"})
    check = run_checks(harness)["fiscal documents waiting for a person"]
    assert check.status == "warning" and "9/1/2026/P" in check.why and "sellintegro_fiscal.decide" in check.fix
