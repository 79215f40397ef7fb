"""Two OS processes writing to one ERP database at once, on every backend."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sellintegro.erp import DocType

from .conftest import Backend, count, counters, rows
from .samples import small_order

WRITER = Path(__file__).with_name("_writer.py")
OWN = 12       # orders each process writes alone
SHARED = 4     # orders both processes write


def _run_two_writers(target: str) -> list[dict[str, Any]]:
    procs = [subprocess.Popen([sys.executable, str(WRITER), target, prefix, str(OWN), str(SHARED)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for prefix in ("P1", "P2")]
    try:
        for p in procs:
            assert p.stdout is not None
            line = p.stdout.readline()
            assert line.strip() == "ready", f"writer did not start: {line!r} {p.stderr.read() if p.stderr else ''}"
        for p in procs:   # both go at once: each has connected and read what it needs
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, f"writer failed:\n{err}"
            results += [json.loads(line) for line in out.splitlines() if line.strip()]
        return results
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()


@pytest.mark.slow
def test_two_processes_writing_at_once_get_distinct_ids_and_numbers(backend: Backend) -> None:
    results = _run_two_writers(backend.target)
    created = [r for r in results if r["created"]]
    total = 2 * OWN + SHARED
    assert len(created) == total
    assert len({r["id"] for r in created}) == total
    assert len({ln for r in created for ln in r["lines"]}) == 2 * total
    assert sorted(r["number"] for r in created) == sorted(f"ZK {n}/{_year(created)}" for n in range(1, total + 1))
    erp = backend.open()
    assert count(erp, "SELECT COUNT(DISTINCT dok_Id) FROM dok__Dokument") == total
    assert count(erp, "SELECT COUNT(DISTINCT ob_Id) FROM dok_Pozycja") == 2 * total
    # The counters moved past every id handed out, exactly as spIdentyfikator leaves them.
    c = counters(erp)
    assert c["dok__Dokument"] == count(erp, "SELECT MAX(dok_Id) FROM dok__Dokument") + 1
    assert c["dok_Pozycja"] == count(erp, "SELECT MAX(ob_Id) FROM dok_Pozycja") + 1
    assert c["kh__Kontrahent"] == count(erp, "SELECT MAX(kh_Id) FROM kh__Kontrahent") + 1


@pytest.mark.slow
def test_two_processes_writing_the_same_order_at_once_make_one_document(backend: Backend) -> None:
    results = _run_two_writers(backend.target)
    erp = backend.open()
    for j in range(SHARED):
        key = f"SHARED-{j}"
        seen = [r for r in results if r["key"] == key]
        assert len(seen) == 2 and sum(r["created"] for r in seen) == 1, seen
        assert seen[0]["id"] == seen[1]["id"]
        assert count(erp, "SELECT COUNT(*) FROM dok__Dokument WHERE dok_NrPelnyOryg = ?", key) == 1
        # ...and one buyer card, though both processes met the new buyer at the same moment.
        assert count(erp, "SELECT COUNT(*) FROM kh__Kontrahent WHERE kh_EMail = ?", f"{key.lower()}@example.pl") == 1
    assert rows(erp, "SELECT COUNT(*) FROM dok_Pozycja")[0][0] == 2 * (2 * OWN + SHARED)


def _year(results: list[dict[str, Any]]) -> str:
    return str(results[0]["number"]).rsplit("/", 1)[1]


def test_a_read_on_an_open_connection_does_not_block_another_writer(backend: Backend) -> None:
    """Regression guard: with the SQLite ODBC driver's autocommit off, a read held a transaction that
    blocked every writer until commit; here a reader that stays connected must not delay a writer."""
    reader = backend.open()
    assert reader.product_by_symbol("KUB-CER-300") is not None      # a read, connection kept open
    assert reader.find_document(DocType.ZK, "R-1") is None
    writer = backend.open()
    started = time.monotonic()
    assert writer.write_document(small_order(writer, "R-1")).created
    assert time.monotonic() - started < 5, "the writer waited for the reader's lock"
    assert reader.find_document(DocType.ZK, "R-1") is not None       # and the reader sees the commit
