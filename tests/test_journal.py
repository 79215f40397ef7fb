"""The journal store: durable entries, filters, pruning, redaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from sellintegro.journal import Journal, parse_since
from sellintegro.redact import Redactor


def test_entries_survive_reopening_and_filter_by_plugin_level_since(tmp_path: Path) -> None:
    j = Journal(tmp_path)
    j.write("ORD", "info", "order 1", "order 1 -> ZK 1/2026", when=1000.0)
    j.write("ORD", "error", "order 2", "order 2 skipped: SKU X unknown", when=2000.0)
    j.write("PDF", "warning", "FV 3.pdf", "file not complete yet", when=3000.0)
    j.close()
    j = Journal(tmp_path)
    assert [e.subject for e in j.query()] == ["order 1", "order 2", "FV 3.pdf"]
    assert [e.subject for e in j.query(plugin="ORD")] == ["order 1", "order 2"]
    assert [e.level for e in j.query(level="warning")] == ["error", "warning"]
    assert [e.subject for e in j.query(since=1500.0)] == ["order 2", "FV 3.pdf"]
    assert [e.subject for e in j.query(limit=1)] == ["FV 3.pdf"]


def test_prune_by_age_and_by_count(tmp_path: Path) -> None:
    j = Journal(tmp_path)
    day = 86400.0
    for i in range(10):
        j.write("A", "info", None, f"entry {i}", when=100 * day + i * day)
    assert j.prune(max_age_days=5, max_entries=1000, now=110 * day) == 5
    assert j.prune(max_age_days=100, max_entries=2, now=110 * day) == 3
    assert [e.message for e in j.query()] == ["entry 8", "entry 9"]


def test_unknown_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="journal level"):
        Journal(tmp_path).write("A", "fatal", None, "x")


def test_entries_are_redacted(tmp_path: Path) -> None:
    j = Journal(tmp_path, Redactor(["Tajne-haslo-1"]))
    j.write("A", "error", "order 7", "login failed with password=Tajne-haslo-1 and X-BLToken: abc123def")
    (e,) = j.query()
    assert "Tajne-haslo-1" not in e.message and "abc123def" not in e.message


def test_parse_since() -> None:
    assert parse_since("2h", now=10_000.0) == 10_000.0 - 7200
    assert parse_since("3d", now=1e6) == 1e6 - 3 * 86400
    with pytest.raises(ValueError, match="neither a duration"):
        parse_since("yesterday")
