"""A person's decision on a held receipt: printed (confirmed with that number, never printed) or not (printed once)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sellintegro_fiscal import decide

from sellintegro.fiscal import Line, PosnetPrinter, Receipt
from sellintegro.journal import Journal

from .conftest import (
    CODE,
    FAST,
    Harness,
    assert_each_receipt_fiscalized_once,
    documents_by_order,
    fiscal_toml,
    receipts,
    simple_orders,
)


def hold_receipt_1(harness: Harness, *, fiscalized: bool = True) -> None:
    """Receipt 1's `trend` is lost (after the printer ran it, or before), the printer cannot be asked, and
    someone sells at the printer meanwhile: its counters no longer tell what happened to receipt 1."""
    sim = harness.sim
    harness.bl.account.add_orders(simple_orders(2))
    if fiscalized:
        sim.drop_after("trend")
    else:
        sim.drop_before("trend")
    sim.drop_before("strns")
    sim.drop_before("strns")
    harness.cycle()
    with PosnetPrinter.tcp(*sim.address, timeouts=FAST) as keyboard:
        keyboard.print_receipt(Receipt([Line("Sprzedaż z klawiatury", 500, 23)]))
    harness.cycle()
    assert harness.record("receipt:1").status == "held"
    assert len(documents_by_order(sim).get(1, [])) == (1 if fiscalized else 0)


def config(harness: Harness, tmp_path: Path) -> Path:
    path = tmp_path / "sellintegro.toml"
    path.write_text(f'[endpoint]\ndata_dir = "{harness.data_dir}"\n' + fiscal_toml(CODE, harness.ctx.settings),
                    encoding="utf-8")
    return path


def test_a_held_receipt_decided_printed_is_confirmed_with_that_number_and_never_printed_again(
        harness: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hold_receipt_1(harness)
    number = documents_by_order(harness.sim)[1][0].number  # what the person reads on the paper copy
    path = config(harness, tmp_path)
    assert decide.main(["--config", str(path), CODE, "list"]) == 0
    assert "receipt:1\theld" in capsys.readouterr().out

    assert decide.main(["--config", str(path), CODE, "receipt", "1", "printed", str(number)]) == 0
    harness.cycle()
    assert receipts(harness.bl)[1]["_receipt_nr"] == str(number)
    assert_each_receipt_fiscalized_once(harness.sim, harness.bl)
    journal = Journal(harness.data_dir)
    assert any("a person confirmed" in e.message for e in journal.query(plugin=CODE))
    journal.close()


def test_a_held_receipt_decided_not_printed_is_printed_once_in_the_next_cycle(harness: Harness,
                                                                              tmp_path: Path) -> None:
    hold_receipt_1(harness, fiscalized=False)
    assert decide.main(["--config", str(config(harness, tmp_path)), CODE, "receipt", "1", "not-printed"]) == 0
    harness.cycle()
    assert_each_receipt_fiscalized_once(harness.sim, harness.bl)


def test_only_a_held_receipt_can_be_decided(harness: Harness, tmp_path: Path) -> None:
    harness.bl.account.add_orders(simple_orders(1))
    harness.cycle()
    path = config(harness, tmp_path)
    assert decide.main(["--config", str(path), CODE, "receipt", "1", "not-printed"]) == 1
    assert decide.main(["--config", str(path), CODE, "receipt", "99", "printed", "5"]) == 1
    assert harness.record("receipt:1").status == "done"
