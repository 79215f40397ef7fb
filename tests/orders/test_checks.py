"""`sellintegro doctor` for an orders plugin: what works says ok, what does not names the setting and the fix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sellintegro_orders.checks import checks

from .conftest import statuses

Make = Callable[..., Any]


def test_doctor_passes_a_working_setup_and_lists_the_statuses_and_vat_rates(emulator: Make, erp_on: Make,
                                                                            harness: Make) -> None:
    emu = emulator()
    ids = statuses(emu)
    h = harness(emu, erp_on("sqlite3"), statuses=["Nowe zamówienia"], status_ok=ids["Przeniesione do ERP"],
                status_error="Błąd integracji")
    found = {c.name: c for c in checks(h.context())}
    assert {name: c.status for name, c in found.items()} == {
        "BaseLinker": "ok", "BaseLinker statuses": "ok", "Subiekt": "ok", "Subiekt setup": "ok", "VAT rates": "ok"}
    assert "Nowe zamówienia, → Przeniesione do ERP, → Błąd integracji" in found["BaseLinker statuses"].why
    assert "ZW → zw, NP → np, OO → oo" in found["VAT rates"].why


def test_doctor_names_a_wrong_status_a_missing_warehouse_and_an_unreachable_erp(emulator: Make, erp_on: Make,
                                                                                harness: Make, tmp_path: Any) -> None:
    emu = emulator()
    h = harness(emu, erp_on("sqlite3"), status_ok="Wysłano", warehouse="XYZ")
    found = {c.name: c for c in checks(h.context())}
    assert found["BaseLinker statuses"].status == "error"
    assert 'status "Wysłano" (setting status_ok) does not exist in BaseLinker' in found["BaseLinker statuses"].why
    assert found["Subiekt setup"].status == "error" and "warehouse XYZ (setting warehouse)" in found[
        "Subiekt setup"].why
    broken = harness(emu, "DRIVER={No Such Driver};Database=x")
    found = {c.name: c for c in checks(broken.context())}
    assert found["Subiekt"].status == "error" and "cannot connect to the ERP database" in found["Subiekt"].why
