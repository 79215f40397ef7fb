"""The viewer's record buffer: filters, the shown window, export (no display)."""

from __future__ import annotations

from sellintegro.desktop.viewmodel import ALL, ENDPOINT, Filters, LogBuffer, Marker, export_text, line
from sellintegro.loghub import Record, parse_lines


def rec(seq: int, plugin: str | None = "A", level: str = "INFO", message: str = "m") -> Record:
    return Record(seq, 1_800_000_000.0 + seq, plugin, level, "plugin.probe", f"{message} {seq}")


def test_plugin_filter_keeps_one_plugin_or_the_endpoints_own_records() -> None:
    items = [rec(1, "A"), rec(2, "B"), rec(3, None)]
    assert [i.seq for i in items if Filters(plugin="A")(i)] == [1]
    assert [i.seq for i in items if Filters(plugin=ENDPOINT)(i)] == [3]
    assert [i.seq for i in items if Filters(plugin=ALL)(i)] == [1, 2, 3]


def test_level_filter_is_a_minimum() -> None:
    items = [rec(1, level="DEBUG"), rec(2, level="INFO"), rec(3, level="WARNING"), rec(4, level="ERROR")]
    assert [i.seq for i in items if Filters(level="WARNING")(i)] == [3, 4]


def test_markers_pass_every_filter() -> None:
    assert Filters(plugin="B", level="ERROR")(Marker("… 3 records were rotated away"))


def test_visible_is_the_newest_matching_items_oldest_first() -> None:
    buf = LogBuffer(size=100)
    buf.add(rec(i, "A" if i % 2 else "B") for i in range(1, 21))
    assert [i.seq for i in buf.visible(Filters(plugin="A"), limit=3)] == [15, 17, 19]  # type: ignore[union-attr]
    assert buf.last_seq() == 20
    assert buf.plugins == {"A", "B"}


def test_the_buffer_forgets_the_oldest_beyond_its_size() -> None:
    buf = LogBuffer(size=5)
    buf.add(rec(i) for i in range(1, 11))
    assert [i.seq for i in buf.visible(Filters())] == [6, 7, 8, 9, 10]  # type: ignore[union-attr]


def test_export_writes_the_log_files_format_and_leaves_markers_out() -> None:
    items = [rec(1), Marker("viewer note"), rec(2, level="ERROR", message="line one\nline two")]
    text = export_text(items)
    assert "viewer note" not in text
    assert [(r.seq, r.message) for r in parse_lines(text.splitlines(keepends=True))] == [
        (1, "m 1"), (2, "line one\nline two 2")]
    assert line(Marker("x")) == "x\n"
