"""The worker -> supervisor channel as the supervisor parses it: the one-call path for runs of log
records, and the line-by-line path for everything else, in order and with nothing dropped."""

from __future__ import annotations

import logging
import os
import queue
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import orjson
import pytest

from sellintegro.loghub import LogHub, Record, format_record, read_logs
from sellintegro.oslayer import LOG_HEAD, RealOS, WorkerProc, _read_to_end, _Stream
from sellintegro.redact import Redactor
from sellintegro.worker import Channel, ChannelHandler

T = 1_800_000_000.5


class Proc:
    pid = 4242


def parse(tmp_path: Path, data: bytes) -> tuple[list[Any], list[tuple[Any, ...]]]:
    hub = LogHub(tmp_path, max_bytes=1 << 20, backups=2, redact=Redactor())
    events: queue.Queue[tuple[Any, ...]] = queue.Queue()
    real = RealOS(tmp_path / "endpoint.toml", events, hub)
    proc: Any = Proc()
    real._dispatch("P", proc, data)
    real.close()
    hub.close()
    got = []
    while not events.empty():
        got.append(events.get_nowait())
    return read_logs(tmp_path), got


def log(message: str, level: str = "INFO", exc: str | None = None) -> bytes:
    return orjson.dumps(["log", T, level, "plugin.x", message, exc]) + b"\n"


def test_what_the_worker_writes_starts_with_the_head_the_supervisor_counts() -> None:
    read, write = os.pipe()
    try:
        channel = Channel(write)
        handler = ChannelHandler(channel)
        logger = logging.getLogger("test.channel")
        logger.addHandler(handler)
        logger.propagate = False
        try:
            logger.warning("a \"quoted\" [\"log\", text")  # a warning is written at once
        finally:
            logger.removeHandler(handler)
        line = os.read(read, 65536)
    finally:
        os.close(read)
        os.close(write)
    assert line.startswith(LOG_HEAD) and line.count(LOG_HEAD) == 1 and line.endswith(b"\n")
    assert orjson.loads(line)[2:5] == ["WARNING", "test.channel", 'a "quoted" ["log", text']


def test_a_run_of_records_is_stored_in_order_with_numbers_as_format_record_writes_them(tmp_path: Path) -> None:
    levels = ["INFO", "DEBUG", "Level 5", "WARNING"]
    records, events = parse(tmp_path, b"".join(log(f"r{i}", levels[i % 4]) for i in range(500)))
    assert [r.message for r in records] == [f"r{i}" for i in range(500)]
    assert [r.seq for r in records] == list(range(1, 501)) and events == []
    assert records[2].level == "Level_5"  # a level with a space is one word, or the files could not be read
    # The hub's inline formatting of one-line records is format_record's, to the character.
    assert (tmp_path / "P.log").read_text() == "".join(
        format_record(Record(i + 1, T, "P", levels[i % 4].replace(" ", "_"), "plugin.x", f"r{i}")) for i in range(500))


def test_control_messages_blank_and_broken_lines_between_records_keep_their_order(tmp_path: Path) -> None:
    data = (log("before") + b'{"t":"hb","d":1,"n":2}\n' + b"\n" + b"not json at all\n" + log("middle")
            + b'["log", "not a time", 5]\n' + b'{"t":"cycle","phase":"start"}\n' + log("after"))
    records, events = parse(tmp_path, data)
    assert [(r.level, r.logger, r.message) for r in records] == [
        ("INFO", "plugin.x", "before"), ("ERROR", "stdout", "not json at all"), ("INFO", "plugin.x", "middle"),
        ("ERROR", "channel", 'a record in an unexpected shape: ["log","not a time",5]'), ("INFO", "plugin.x", "after")]
    assert [(e[0], e[1], e[2], e[4]) for e in events] == [
        ("hb", "P", 4242, {"t": "hb", "d": 1, "n": 2}), ("cycle", "P", 4242, {"t": "cycle", "phase": "start"})]


def test_multiline_messages_exceptions_and_secrets_in_a_run(tmp_path: Path) -> None:
    data = (log("one") + log("two\nlines") + log("failed", "ERROR", "Traceback\nValueError: token=abcdef123\n")
            + log("plain"))
    records, _ = parse(tmp_path, data)
    assert [r.message for r in records] == ["one", "two\nlines", "failed", "plain"]
    assert records[2].exc is not None and "abcdef123" not in records[2].exc and "token=***" in records[2].exc
    assert "abcdef123" not in (tmp_path / "P.log").read_text()


@pytest.mark.parametrize("reader", ["selector", "thread per pipe (Windows)"])
def test_both_readers_take_records_stderr_and_a_torn_end_then_close_the_pipes(tmp_path: Path, reader: str) -> None:
    hub = LogHub(tmp_path, max_bytes=1 << 20, backups=2, redact=Redactor())
    events: queue.Queue[tuple[Any, ...]] = queue.Queue()
    real = RealOS(tmp_path / "endpoint.toml", events, hub)
    proc = WorkerProc(cast(Any, SimpleNamespace(pid=4343)))  # the readers use only its pid of the Popen
    pipes = []
    for channel in (True, False):
        r, w = os.pipe()
        pipe = os.fdopen(r, "rb")
        stream = _Stream(real, "P", proc, pipe, channel)
        if reader == "selector":
            assert real.pipes is not None
            real.pipes.add(stream)
        else:
            threading.Thread(target=_read_to_end, args=(stream,), daemon=True).start()
        pipes.append((pipe, w))
    (out, out_w), (err, err_w) = pipes
    os.write(out_w, b"".join(log(f"r{i}") for i in range(3000)) + b'{"t":"hb","d":1,"n":1}\n' + log("last")[:20])
    os.write(err_w, b"Traceback (most recent call last):\n  boom\nno newline at the end")
    os.close(out_w)
    os.close(err_w)
    assert proc.drained.wait(10), "the readers did not reach the end of both pipes"
    real.close()
    hub.close()
    assert out.closed and err.closed
    records = read_logs(tmp_path)
    plugin = [r.message for r in records if r.logger == "plugin.x"]
    assert plugin == [f"r{i}" for i in range(3000)]
    assert [r.message for r in records if r.logger == "stderr"] == [
        "Traceback (most recent call last):", "  boom", "no newline at the end"]
    assert [r.message for r in records if r.logger == "channel"] == [
        "an incomplete record (20 bytes) was cut off when the worker exited"]
    kinds = []
    while not events.empty():
        kinds.append(events.get_nowait()[0])
    assert kinds.count("hb") == 1 and kinds.count("stderr") == 3


def test_a_full_disk_does_not_stop_the_reader(tmp_path: Path) -> None:
    """Writes to /dev/full fail with ENOSPC: the records stay in the ring, and the one reader of every
    worker's pipes reads on (a stopped reader would block every worker on its next write)."""
    hub = LogHub(tmp_path, max_bytes=1 << 30, backups=2, redact=Redactor())
    (tmp_path / "P.log").symlink_to("/dev/full")  # after the hub has read its files' sequence numbers
    real = RealOS(tmp_path / "endpoint.toml", queue.Queue(), hub)
    assert real.pipes is not None
    proc = WorkerProc(cast(Any, SimpleNamespace(pid=4444)))
    ends = []
    for channel in (True, False):
        r, w = os.pipe()
        pipe = os.fdopen(r, "rb")
        real.pipes.add(_Stream(real, "P", proc, pipe, channel))
        ends.append(w)
    for i in range(50):
        os.write(ends[0], log(f"r{i}"))
        os.write(ends[1], f"stderr {i}\n".encode())
    for w in ends:
        os.close(w)
    assert proc.drained.wait(10), "the reader stopped"
    real.close()
    hub.close()
    assert [r.message for r in hub.ring if r.logger == "plugin.x"] == [f"r{i}" for i in range(50)]
