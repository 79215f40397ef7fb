"""`sellintegro sim erp --create PATH|CONNSTR`: the sample ERP database, and never over an existing one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sellintegro.erp import SqlErp, sim

from .conftest import pyodbc_or_skip


def test_create_makes_a_sample_sqlite_database_the_embedded_backend_reads(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "erp.sqlite"
    assert sim.main(["--create", str(path)]) == 0
    assert "11 products, 7 VAT rates, 1 warehouse, 4 series" in capsys.readouterr().out
    with SqlErp.open(path) as erp:
        assert len(erp.vat_rates()) == 7 and len(erp.warehouses()) == 1
        assert erp.product_by_symbol("LAD-USBC-65") is not None
        assert all(len(p.ean) == 13 for s in ("KUB-CER-300", "KS-PAN-TAD") if (p := erp.product_by_symbol(s)))


def test_sample_eans_carry_valid_check_digits() -> None:
    assert sim.ean13("590123412345") == "5901234123457"
    assert sim.ean13("978837327123") == "9788373271234"
    for p in sim.SAMPLE_PRODUCTS:
        code = sim.ean13(p.ean12)
        if code:
            digits = [int(d) for d in code]
            assert sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0, p.symbol


def test_create_refuses_an_existing_file_unless_replace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "erp.sqlite"
    assert sim.main(["--create", str(path)]) == 0
    assert sim.main(["--create", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert sim.main(["--create", str(path), "--replace"]) == 0


def test_create_never_touches_a_database_that_already_holds_documents(pg_database: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert sim.main(["--create", pg_database]) == 0
    assert sim.main(["--create", pg_database, "--replace"]) == 1
    assert "refusing to touch an existing ERP database" in capsys.readouterr().err


def test_create_through_the_sqlite_odbc_driver(tmp_path: Path) -> None:
    pyodbc_or_skip("SQLite3")
    target = f"DRIVER={{SQLite3}};Database={tmp_path / 'erp.sqlite'}"
    assert sim.main(["--create", target]) == 0
    # The same file opens with the embedded backend: one schema, one SQL.
    with SqlErp.open(tmp_path / "erp.sqlite") as erp:
        assert erp.product_by_symbol("TRANSPORT") is not None


def test_sim_runs_as_its_own_process(tmp_path: Path) -> None:
    path = tmp_path / "erp.sqlite"
    done = subprocess.run([sys.executable, "-m", "sellintegro.erp.sim", "--create", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "created a sample ERP database" in done.stdout and path.exists()
    usage = subprocess.run([sys.executable, "-m", "sellintegro.erp.sim"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "--create" in usage.stderr


def test_the_embedded_backend_never_imports_pyodbc(tmp_path: Path) -> None:
    """pyodbc's wheel needs the system's libodbc.so.2: the demo must run without it."""
    code = ("import sys; from sellintegro.erp import SqlErp, sim; sim.create(sys.argv[1]); "
            "erp = SqlErp.open(sys.argv[1]); erp.vat_rates(); erp.close(); print('pyodbc' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "erp.sqlite")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
