"""The log hub: numbers every record, writes rotating per-plugin files and the endpoint file, keeps a ring
and serves followers.

Sequence numbers are global to the data directory and go on across restarts (the hub resumes from the
highest number in its files), so "every record after N" means the same thing to every reader.
A follower reads the ring; when it falls behind the ring it reads the files; only records rotated out
of every file are skipped, and the follower is told how many.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any, NamedTuple

import orjson

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
ENDPOINT_LOG = "sellintegro"
FOLLOW_BATCH = 2000
_QUIET = frozenset({"DEBUG", "INFO"})
# Pieces of the record line, made once (formatting them per record was a tenth of the supervisor's CPU).
_MS = [f".{ms:03d} " for ms in range(1000)]
_PADDED = {name: f"{name:<8}" for name in LEVELS}


class Record(NamedTuple):
    # A tuple, not a dataclass: the hub makes one for every record, and a frozen dataclass costs
    # twenty times more to build.
    seq: int
    time: float
    plugin: str | None
    level: str
    logger: str
    message: str
    exc: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"seq": self.seq, "time": self.time, "plugin": self.plugin,
                               "level": self.level, "logger": self.logger, "message": self.message}
        if self.exc:
            out["exc"] = self.exc
        return out


# -- the file format: one header line, then continuation lines ("\t" message, "\t| " exception) ---------
_HEADER = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3}) (\S+)\s+#(\d+) \[([^\]]*)\] (\S*): (.*)$")
_stamp_cache: tuple[int, str] = (-1, "")


def _stamp(t: float) -> str:
    global _stamp_cache
    sec = int(t)
    cached_sec, text = _stamp_cache
    if sec != cached_sec:
        text = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(sec))
        _stamp_cache = (sec, text)
    return f"{text}.{int((t - sec) * 1000):03d}"


def _one_line(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _unchanged(text: str) -> str:
    return text


def _readable(r: Any) -> list[Any]:
    """A channel record as the hub stores it; one in an unexpected shape becomes an error record that
    quotes it whole (a broken channel loses nothing)."""
    if (isinstance(r, list) and len(r) == 6 and isinstance(r[1], int | float) and 0 <= r[1] < 1e10
            and isinstance(r[2], str) and isinstance(r[3], str) and isinstance(r[4], str)
            and (r[5] is None or isinstance(r[5], str))):
        return r
    text = orjson.dumps(r, default=repr).decode("utf-8", "replace")
    return ["log", time.time(), "ERROR", "channel", f"a record in an unexpected shape: {text}", None]


def format_record(r: Record) -> str:
    """One record as text: a header line, then continuation lines led by a tab."""
    body = _one_line(r.message).replace("\n", "\n\t")
    line = f"{_stamp(r.time)} {r.level:<8} #{r.seq} [{r.plugin or '-'}] {r.logger}: {body}\n"
    if r.exc:
        line += "".join(f"\t| {x}\n" for x in _one_line(r.exc).rstrip("\n").split("\n"))
    return line


@functools.lru_cache(maxsize=4096)
def _parse_stamp(stamp: str) -> float:
    return time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S"))


def parse_lines(lines: Iterable[str], after: int = 0, until: int | None = None) -> Iterator[Record]:
    """Records back from the text of a log file (the inverse of format_record, to the millisecond).

    Only records with after < seq <= until are built; the others are skipped at the header line. A line
    without its newline is a record still being written (or torn by a crash): it and what follows are left out.
    """
    head: re.Match[str] | None = None
    msg: list[str] = []
    exc: list[str] = []

    def build() -> Record:
        assert head is not None
        stamp, ms, level, seq, plugin, logger, first = head.groups()
        return Record(int(seq), _parse_stamp(stamp) + int(ms) / 1000, None if plugin == "-" else plugin, level,
                      logger, "\n".join([first, *msg]), "\n".join(exc) + "\n" if exc else None)

    for line in lines:
        if not line.endswith("\n"):
            # A record still being written. Stop here: a file object reads on past a short line, and the
            # writer may have added the rest of it meanwhile, which would end that record short.
            if line.startswith("\t"):
                head = None  # its record is the one still being written
            break
        if line.startswith("\t"):
            if head is None:
                continue  # continuation of a record outside the range
            if line.startswith("\t| "):
                exc.append(line[3:].rstrip("\n"))
            else:
                msg.append(line[1:].rstrip("\n"))
            continue
        if head is not None:
            yield build()
            head = None
        m = _HEADER.match(line.rstrip("\n"))
        if m is None:
            continue  # a torn line (a crash mid-write of an earlier version); skip it
        seq = int(m.group(4))
        if seq <= after or (until is not None and seq > until):
            continue
        head, msg, exc = m, [], []
    if head is not None:
        yield build()


def _first_seq(f: IO[str]) -> int | None:
    f.seek(0)
    try:
        for line in f:
            m = _HEADER.match(line.rstrip("\n"))
            if m is not None:
                return int(m.group(4))
        return None
    finally:
        f.seek(0)


def log_files(logs_dir: Path, name: str) -> list[Path]:
    """The files of one log, newest first: name.log, name.log.1, ...

    From one listing of the folder (a look at each name after it could drop a file that a rotation
    renamed in between, with its new name not listed).
    """
    base = f"{name}.log"
    numbered: list[tuple[int, str]] = []
    try:
        with os.scandir(logs_dir) as entries:
            for e in entries:
                if e.name == base:
                    numbered.append((0, e.name))
                elif e.name.startswith(base + ".") and e.name[len(base) + 1:].isdigit():
                    numbered.append((int(e.name[len(base) + 1:]), e.name))
    except FileNotFoundError:
        return []  # no logs yet
    return [logs_dir / n for _, n in sorted(numbered)]


def _identities(paths: list[Path]) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for p in paths:
        try:
            out.append((p.name, os.stat(p).st_ino))
        except FileNotFoundError:
            out.append((p.name, None))
    return out


def _open_newest(paths: list[Path], after: int) -> list[IO[str]]:
    """Open `paths` newest first, as far back as the first that starts at or before `after` + 1 (older
    files hold older records only)."""
    handles: list[IO[str]] = []
    try:
        for p in paths:
            handles.append(open(p, encoding="utf-8", errors="replace", newline="\n"))
            first = _first_seq(handles[-1])
            if first is not None and first <= after + 1:
                break
    except BaseException:
        for h in handles:
            h.close()
        raise
    return handles


def _open_log(logs_dir: Path, name: str, after: int, hold: AbstractContextManager[Any] | None) -> list[IO[str]]:
    """The files of one log that can hold records after `after`, newest first, opened as they were at one
    moment.

    The writer may rotate while they are opened (every name moves one up), which would hide a file's
    records from a reader that opens by name. The hub itself opens them under its lock (`hold`), which
    keeps rotation out. Another process lists the names again once they are open: if they still name the
    same files, what is open is one consistent set, and it stays readable whatever the writer renames
    next; otherwise it opens them again.
    """
    if hold is not None:
        with hold:
            return _open_newest(log_files(logs_dir, name), after)
    deadline = time.monotonic() + 5.0
    while True:
        paths = log_files(logs_dir, name)
        try:
            handles = _open_newest(paths, after)
        except FileNotFoundError:
            handles = None  # rotated away between listing and opening
        if handles is not None:
            opened = [(p.name, os.fstat(h.fileno()).st_ino) for p, h in zip(paths, handles, strict=False)]
            now = log_files(logs_dir, name)
            # All of the log opened: the whole listing must match (the first one may have missed an
            # older file); stopped at the file that starts early enough: the newer ones must match.
            if opened == _identities(now if len(handles) == len(paths) else now[:len(handles)]) \
                    or time.monotonic() > deadline:
                # (Past the deadline, a writer rotating every few milliseconds: the set as it is.)
                return handles
            for h in handles:
                h.close()
        time.sleep(0.002)


def log_names(logs_dir: Path) -> list[str]:
    return sorted({p.name.split(".log")[0] for p in logs_dir.glob("*.log*")})


def read_logs(logs_dir: Path, after: int = 0, until: int | None = None,
              names: Iterable[str] | None = None, hold: AbstractContextManager[Any] | None = None) -> list[Record]:
    """Every record with after < seq <= until from the files, once each, in order.

    Safe while the endpoint writes and rotates: each log's files are read as one consistent set (`hold`:
    the writer's lock, held while they are opened, for a reader in the writer's process).
    """
    found: dict[int, Record] = {}
    for name in (log_names(logs_dir) if names is None else names):
        files = _open_log(logs_dir, name, after, hold)
        try:
            for f in reversed(files):
                for r in parse_lines(f, after, until):
                    found.setdefault(r.seq, r)
        finally:
            for f in files:
                f.close()
    return [found[s] for s in sorted(found)]


def last_seq(logs_dir: Path) -> int:
    """The highest sequence number in the newest file of every log (0 if none)."""
    best = 0
    pattern = re.compile(r" #(\d+) \[")
    for path in logs_dir.glob("*.log"):
        with open(path, "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 256 * 1024))
            tail = f.read().decode("utf-8", "replace")
        for m in pattern.finditer(tail):
            best = max(best, int(m.group(1)))
    return best


class RotatingFile:
    """A text file that rotates to name.1 ... name.N when it would pass max_bytes.

    On Windows a file that a reader holds open cannot be renamed; then writing goes on in the same file
    and rotation is tried again after another tenth of max_bytes, so no record is ever lost for it.
    """

    def __init__(self, path: Path, max_bytes: int, backups: int, replace: Any = os.replace) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self.replace = replace
        self.f = open(path, "a", encoding="utf-8", newline="\n")
        self.size = self.f.tell()
        self.limit = max_bytes

    def write(self, text: str) -> None:
        n = len(text) if text.isascii() else len(text.encode("utf-8"))
        if self.size and self.size + n > self.limit:
            self.rotate()
        self.f.write(text)
        self.size += n

    def rotate(self) -> None:
        self.f.close()
        try:
            # One listing, not a look at every possible name: readers race a rotation, keep it short.
            prefix = self.path.name + "."
            with os.scandir(self.path.parent) as entries:
                present = sorted((int(e.name[len(prefix):]) for e in entries
                                  if e.name.startswith(prefix) and e.name[len(prefix):].isdigit()), reverse=True)
            for i in present:
                if 1 <= i < self.backups:
                    self.replace(self.path.with_name(f"{prefix}{i}"), self.path.with_name(f"{prefix}{i + 1}"))
            self.replace(self.path, self.path.with_name(f"{prefix}1"))
        except OSError:
            self.limit = self.size + max(1, self.max_bytes // 10)
        else:
            self.limit = self.max_bytes
        self.f = open(self.path, "a", encoding="utf-8", newline="\n")
        self.size = self.f.tell()

    def flush(self) -> None:
        self.f.flush()

    def close(self) -> None:
        self.f.close()


@dataclass(frozen=True)
class Filter:
    plugin: str | None = None
    level: int = 0
    text: str | None = None

    def __call__(self, r: Record) -> bool:
        if self.plugin is not None and r.plugin != self.plugin:
            return False
        if self.level and LEVELS.get(r.level, 40) < self.level:
            return False
        if self.text:
            needle = self.text.lower()
            return needle in r.message.lower() or (r.exc is not None and needle in r.exc.lower())
        return True


class LogHub:
    """Receives every record of the endpoint and its workers; thread-safe."""

    def __init__(self, logs_dir: Path, max_bytes: int, backups: int, ring_size: int = 20_000,
                 echo: Any = None, redact: Callable[[str], str] | None = None) -> None:
        self.dir = logs_dir
        self.max_bytes = max_bytes
        self.backups = backups
        logs_dir.mkdir(parents=True, exist_ok=True)
        self.ring: deque[Record] = deque(maxlen=ring_size)
        self.seq = last_seq(logs_dir)
        self.cond = threading.Condition()
        self.files: dict[str, RotatingFile] = {}
        self.echo = echo  # a text stream that also gets the endpoint's own records, or None
        self.redact = redact or _unchanged
        # A redactor may offer a cheap look at a whole batch: False means no text in it needs redacting.
        self.suspect: Callable[[str], bool] = getattr(redact, "suspect", lambda _text: redact is not None)
        self.closed = False

    def _file(self, name: str) -> RotatingFile:
        f = self.files.get(name)
        if f is None:
            f = self.files[name] = RotatingFile(self.dir / f"{name}.log", self.max_bytes, self.backups)
        return f

    def _store(self, plugin: str | None, level: str, logger: str, message: str, exc: str | None,
               when: float, touched: set[str]) -> Record:
        self.seq += 1
        redact = self.redact
        r = Record(self.seq, when, plugin, level, logger, redact(message), redact(exc) if exc else None)
        self.ring.append(r)
        line = format_record(r)
        if plugin is not None:
            self._file(plugin).write(line)
            touched.add(plugin)
        # The endpoint file holds the endpoint's own records and every warning or error of a plugin.
        if plugin is None or logger == "supervisor" or LEVELS.get(level, 40) >= 30:
            self._file(ENDPOINT_LOG).write(line)
            touched.add(ENDPOINT_LOG)
            if self.echo is not None and (plugin is None or logger == "supervisor"):
                self.echo.write(line)
                self.echo.flush()
        return r

    def _done(self, touched: set[str]) -> None:
        for name in touched:
            self.files[name].flush()
        self.cond.notify_all()

    def flushed_seq(self) -> int:
        """The newest sequence number; every record up to it is in the files already."""
        with self.cond:
            return self.seq

    def emit(self, plugin: str | None, level: str, logger: str, message: str, exc: str | None = None,
             when: float | None = None) -> Record:
        with self.cond:
            touched: set[str] = set()
            r = self._store(plugin, level, logger, message, exc, time.time() if when is None else when,
                            touched)
            self._done(touched)
            return r

    def emit_worker_batch(self, plugin: str, records: list[list[Any]]) -> None:
        """Records a worker shipped, each ["log", ts, level, logger, message, exc], stored in arrival order.

        The hot path of the endpoint's logging: one pass under one lock, one redaction check for the
        whole batch, one write per file. A record in another shape (a broken channel) is stored as
        far as it can be read, never dropped.
        """
        with self.cond:
            try:
                stored, lines, loud = self._build(plugin, records)
            except Exception:  # noqa: BLE001 - a record in another shape; _build changed nothing
                stored, lines, loud = self._build(plugin, [_readable(r) for r in records])
            self.seq = stored[-1].seq if stored else self.seq
            self.ring.extend(stored)
            if lines:
                f = self._file(plugin)
                f.write("".join(lines))
                f.flush()
            if loud:
                # The endpoint file holds every warning or error of a plugin too.
                f = self._file(ENDPOINT_LOG)
                f.write("".join(loud))
                f.flush()
            self.cond.notify_all()

    def _build(self, plugin: str, records: list[list[Any]]) -> tuple[list[Record], list[str], list[str]]:
        """The records numbered from self.seq + 1 and their lines (all lines, and the warnings or worse)."""
        texts = [r[4] for r in records]
        texts.extend(r[5] for r in records if r[5])
        # Joined by NUL, which no secret pattern can span: one look at the whole batch, and one test for
        # a record with more than one line (or an exception), which takes the slower full formatting.
        joined = "\0".join(texts)
        if self.suspect(joined):
            redact = self.redact
            records = [[k, t, lv, lg, redact(m), redact(x) if x else None] for k, t, lv, lg, m, x in records]
        plain = len(texts) == len(records) and "\n" not in joined and "\r" not in joined
        new = tuple.__new__
        mid = f" [{plugin}] "
        seq = self.seq
        stored: list[Record] = []
        lines: list[str] = []
        loud: list[str] = []
        last_sec, stamp = -1, ""
        for _kind, t, level, logger, message, exc in records:
            seq += 1
            padded = _PADDED.get(level)
            if padded is None:  # a level of the plugin's own, e.g. "Level 5": one word in the files
                level = "_".join(level.split()) or "-"
                padded = f"{level:<8}"
            r = new(Record, (seq, t, plugin, level, logger, message, exc or None))
            stored.append(r)
            if plain or not (exc or "\n" in message or "\r" in message):
                # The common one-line record, formatted inline (this loop is the endpoint's hot path).
                sec = int(t)
                if sec != last_sec:
                    last_sec, stamp = sec, _stamp(sec)[:-4]
                line = f"{stamp}{_MS[int((t - sec) * 1000)]}{padded} #{seq}{mid}{logger}: {message}\n"
            else:
                line = format_record(r)
            lines.append(line)
            if level not in _QUIET:
                loud.append(line)
        return stored, lines, loud

    def follow(self, after: int, match: Filter, live: bool = True, idle: float = 1.0
               ) -> Iterator[list[Record] | int]:
        """Batches of the records with seq > `after` that `match`, in order; then, if `live`, new ones.

        An int N in the stream means N records were rotated out of every file before they could be
        read (never silently). While live and idle, an empty batch comes every `idle` seconds, so a
        caller can notice that its peer has gone.
        """
        cursor = after
        while True:
            with self.cond:
                if live and cursor >= self.seq and not self.closed:
                    self.cond.wait(idle)
                if self.closed:
                    return
                newest = self.seq
                oldest = self.ring[0].seq if self.ring else newest + 1
                batch: list[Record] = []
                if cursor + 1 >= oldest:
                    start = cursor + 1 - oldest
                    behind = len(self.ring) - start
                    if behind <= FOLLOW_BATCH:
                        # The usual case, a follower that keeps up: walk from the right end, not the left.
                        batch = list(islice(reversed(self.ring), behind))[::-1]
                    else:
                        batch = list(islice(self.ring, start, start + FOLLOW_BATCH))
            if cursor + 1 < oldest:
                # Behind the ring: the files have everything up to `newest` (flushed under the lock), so
                # read that far at once; by then the ring is likely to reach back to the cursor again.
                # Every record is in some file until it rotates out of them all; a gap is such records.
                older = read_logs(self.dir, after=cursor, until=newest, hold=self.cond)
                expected = cursor + 1
                for i in range(0, len(older), FOLLOW_BATCH):
                    part: list[Record] = []
                    for r in older[i:i + FOLLOW_BATCH]:
                        if r.seq > expected:
                            if part:
                                yield part
                                part = []
                            yield r.seq - expected
                        expected = r.seq + 1
                        if match(r):
                            part.append(r)
                    yield part
                if newest >= expected:
                    yield newest - expected + 1
                cursor = newest
                continue
            if batch:
                cursor = batch[-1].seq
                yield [r for r in batch if match(r)]
            elif not live:
                return
            else:
                yield []

    def close(self) -> None:
        with self.cond:
            for f in self.files.values():
                try:
                    f.close()
                except OSError:
                    pass  # what the disk would not take (it is full) is lost with it; close the others
            self.files.clear()
            self.closed = True
            self.cond.notify_all()
