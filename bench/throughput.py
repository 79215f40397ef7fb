"""Log throughput: records/s from 4 workers into files, 0 lost; Sellintegro vs supervisord 4.x in one run.

Each side runs 4 programs that each log N records "burst i/N" through stdlib logging as fast as they
can (Sellintegro: probe plugins with burst = N, tick_ms = 0; supervisord: a Python script with a
StreamHandler on stdout, format "%(asctime)s %(levelname)-8s %(name)s: %(message)s"). Both rotate
their files at 10 MiB with enough backups that nothing rotates away.

  time       from the first burst record's own timestamp (the earliest of the 4 programs; ms, as both
             files store it) to when this script sees "burst N/N" at the end of every program's file
             (each file's tail polled every 5 ms)
  records/s  4 N / time
  lost, dup  every (program, i) must be in the files exactly once: Sellintegro's read back with
             sellintegro.loghub.read_logs (sequence numbers must also be contiguous, and each plugin's
             records in order); supervisord's by reading its rotated stdout files line by line
  CPU        seconds on a CPU of the supervisor and of its 4 programs, from their start to the end;
             "others": the busy CPU seconds of the whole machine (/proc/stat) less those and this
             script's, i.e. load from elsewhere that makes a round unfair

The sides take turns (ours, theirs, ours, ...; --rounds) and never run at the same time: on 2 cores
they would slow each other down. Each round starts from an empty temp directory.

Run from the repository root:  python bench/throughput.py [--records 250000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

from sellintegro.loghub import read_logs  # noqa: E402

PROGRAMS = 4
MAX_BYTES = 10 * 1024 * 1024  # both sides: sellintegro's default log_max_bytes; "10MB" in supervisord
LINE_BYTES = 110  # a generous size of one stored record ("... #1234567 [BENCH_1] plugin.probe: burst i/N")
POLL_S = 0.005
TIMEOUT_S = 600.0
BURST = """\
import logging, sys, time
logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(asctime)s %(levelname)-8s %(name)s: %(message)s")
log = logging.getLogger("plugin.burst")
n = int(sys.argv[1])
for i in range(1, n + 1):
    log.info("burst %d/%d", i, n)
while True:  # stay up, or supervisord would restart it (and it would log everything again)
    time.sleep(60)
"""
ASCTIME = re.compile(rb"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) ")


@dataclass
class Round:
    side: str
    seconds: float = 0.0
    lost: int = 0
    dup: int = 0
    other: list[str] = field(default_factory=list)  # further checks that failed
    cpu_sup: float = 0.0
    cpu_workers: float = 0.0
    busy: float = 0.0  # % of the machine's CPUs busy (user, system, irq) from start to the end
    steal: float = 0.0  # % of the machine's CPU time taken by the hypervisor for others (a shared VM)
    others: float = 0.0  # CPU seconds of processes other than the supervisor, its programs and this script

    def rate(self, n: int) -> float:
        return PROGRAMS * n / self.seconds


def tail_has(path: Path, needle: bytes) -> bool:
    """`needle` in the last 4 KB of `path`, or of `path`.1 when `path` has just been rotated."""
    for p in (path, path.with_name(path.name + ".1")):
        try:
            with open(p, "rb") as f:
                size = f.seek(0, 2)
                f.seek(max(0, size - 4096))
                if needle in f.read():
                    return True
        except FileNotFoundError:
            size = 0
        if size >= 4096:
            return False
    return False


def wait_all_done(files: list[Path], needle: bytes) -> float:
    """time.time() when every file in `files` ends with `needle` (polled every POLL_S)."""
    pending = list(files)
    deadline = time.monotonic() + TIMEOUT_S
    while pending:
        pending = [p for p in pending if not tail_has(p, needle)]
        if not pending:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {needle!r} after {TIMEOUT_S:g} s in {', '.join(p.name for p in pending)}")
        time.sleep(POLL_S)
    return time.time()


def machine_load(r: Round, before: tuple[int, int, int], mine_before: float) -> None:
    """The machine's load from `before` to now, and how much of it was not this benchmark's."""
    r.busy, r.steal, busy_s = c.machine_load(before)
    r.others = busy_s - r.cpu_sup - r.cpu_workers - (time.process_time() - mine_before)


def cpu_seconds(sup: psutil.Process) -> tuple[float, float]:
    """CPU seconds (user + system) of the supervisor and of its live children."""
    t = sup.cpu_times()
    kids = 0.0
    for k in sup.children():
        try:
            kt = k.cpu_times()
            kids += kt.user + kt.system
        except psutil.Error:
            pass
    return t.user + t.system, kids


def backups_for(n: int) -> int:
    """Rotated files per log so that N records fit with room to spare (sellintegro allows 1 to 100)."""
    return min(100, max(5, math.ceil(n * LINE_BYTES / MAX_BYTES) + 2))


def run_ours(n: int, keep: bool) -> Round:
    r = Round("sellintegro")
    tmp = c.make_tmp("bench-throughput-ours-")
    procs = []
    codes = [f"BENCH_{i + 1}" for i in range(PROGRAMS)]
    ticks, mine = c.machine_ticks(), time.process_time()
    try:
        proc, _cfg = c.start_sellintegro(tmp, [(code, 0) for code in codes],
                                         f"log_max_bytes = {MAX_BYTES}\nlog_backups = {backups_for(n)}\n",
                                         f"burst = {n}\n")
        procs.append(proc)
        logs = tmp / "data" / "logs"
        end = wait_all_done([logs / f"{code}.log" for code in codes], f": burst {n}/{n}\n".encode())
        r.cpu_sup, r.cpu_workers = cpu_seconds(psutil.Process(proc.pid))
        machine_load(r, ticks, mine)
        records = read_logs(logs)
        pattern = re.compile(rf"burst (\d+)/{n}")
        seen: Counter[tuple[str, int]] = Counter()
        last: dict[str, int] = {}
        disorder = 0
        first = math.inf
        for rec in records:
            m = pattern.fullmatch(rec.message)
            if rec.plugin is None or m is None:
                continue
            i = int(m.group(1))
            seen[rec.plugin, i] += 1
            disorder += i <= last.get(rec.plugin, 0)
            last[rec.plugin] = i
            if i == 1:
                first = min(first, rec.time)
        r.seconds = end - first
        r.lost = sum(1 for code in codes for i in range(1, n + 1) if (code, i) not in seen)
        r.dup = sum(k - 1 for k in seen.values())
        seqs = [rec.seq for rec in records]
        gaps = seqs[-1] - seqs[0] + 1 - len(seqs) if seqs else 0
        if gaps or not seqs or seqs[0] != 1:
            r.other.append(f"sequence numbers: first {seqs[0] if seqs else None}, {gaps} missing")
        if disorder:
            r.other.append(f"{disorder} records out of order within a plugin")
    finally:
        c.cleanup(procs, tmp, keep)
    return r


def run_theirs(exe: Path, n: int, keep: bool) -> Round:
    r = Round("supervisord")
    tmp = c.make_tmp("bench-throughput-theirs-")
    procs = []
    names = [f"bench{i + 1}" for i in range(PROGRAMS)]
    ticks, mine = c.machine_ticks(), time.process_time()
    try:
        (tmp / "burst.py").write_text(BURST)
        proc, _sock = c.start_supervisord(
            exe, tmp, {name: f"{sys.executable} {tmp / 'burst.py'} {n}" for name in names},
            f"stdout_logfile_maxbytes={MAX_BYTES}\nstdout_logfile_backups={backups_for(n)}\n")
        procs.append(proc)
        end = wait_all_done([tmp / f"{name}.out" for name in names], f": burst {n}/{n}\n".encode())
        r.cpu_sup, r.cpu_workers = cpu_seconds(psutil.Process(proc.pid))
        machine_load(r, ticks, mine)
        pattern = re.compile(rb": burst (\d+)/%d\n" % n)
        first = math.inf
        for name in names:
            seen: Counter[int] = Counter()
            files = sorted(tmp.glob(f"{name}.out*"), key=lambda p: -int(p.suffix[1:]) if p.suffix[1:].isdigit()
                           else 0)  # oldest first: name.out.K, ..., name.out.1, name.out
            for path in files:
                with open(path, "rb") as f:
                    for line in f:
                        m = pattern.search(line)
                        if m is None:
                            continue
                        i = int(m.group(1))
                        seen[i] += 1
                        if i == 1 and (t := ASCTIME.match(line)):
                            stamp = datetime.strptime(t.group(1).decode(), "%Y-%m-%d %H:%M:%S")
                            first = min(first, stamp.timestamp() + int(t.group(2)) / 1000)
            r.lost += sum(1 for i in range(1, n + 1) if i not in seen)
            r.dup += sum(k - 1 for k in seen.values())
        r.seconds = end - first
    finally:
        c.cleanup(procs, tmp, keep)
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=250_000, help="records per program (default %(default)s)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds; each runs ours, then theirs (default %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dirs (logs, configs)")
    args = ap.parse_args()
    n = args.records

    c.on_sigterm_exit()
    exe = c.supervisord_bin()
    rounds: list[Round] = []
    for k in range(args.rounds):
        for run in (lambda: run_ours(n, args.keep), lambda: run_theirs(exe, n, args.keep)):
            r = run()
            rounds.append(r)
            print(f"round {k + 1} {r.side:12} {r.seconds:7.3f} s  {r.rate(n):9.0f} records/s  lost {r.lost}  "
                  f"dup {r.dup}  CPU s supervisor {r.cpu_sup:.2f} programs {r.cpu_workers:.2f} others {r.others:.2f}"
                  + "".join(f"  CHECK FAILED: {o}" for o in r.other), file=sys.stderr, flush=True)
    report(rounds, args, exe)
    return 0 if all(not (r.lost or r.dup or r.other) for r in rounds) else 1


def report(rounds: list[Round], args: argparse.Namespace, exe: Path) -> None:
    n = args.records
    ours = [r for r in rounds if r.side == "sellintegro"]
    theirs = [r for r in rounds if r.side == "supervisord"]
    print("Log throughput benchmark: records/s from 4 programs into files, 0 lost")
    print(c.conditions(exe, f"{PROGRAMS} programs x {n} records per side, {args.rounds} rounds (ours, theirs in "
                            f"turn), files rotate at {MAX_BYTES // 2**20} MiB with {backups_for(n)} backups"))
    print()
    print("round  side           seconds   records/s   lost   dup   CPU s: supervisor  programs  others"
          "   machine: busy %  steal %")
    for k, r in enumerate(rounds):
        print(f"{k // 2 + 1:5}  {r.side:12} {r.seconds:9.3f} {r.rate(n):11.0f} {r.lost:6} {r.dup:5} "
              f"{r.cpu_sup:19.2f} {r.cpu_workers:9.2f} {r.others:7.2f} {r.busy:17.0f} {r.steal:8.1f}")
    print("(CPU s and the machine's load from starting the supervisor to the last record in the files; others:\n"
          " busy CPU s of the whole machine less those of the supervisor, its programs and this script)")
    print()
    a = c.median([r.rate(n) for r in ours])
    b = c.median([r.rate(n) for r in theirs])
    print(f"{'median of rounds':24} {'ours':>10} {'theirs':>10} {'ratio':>7}")
    print(f"{'records/s':24} {a:10.0f} {b:10.0f} {c.ratio(a, b):>7}")
    for label, key in (("CPU s supervisor", "cpu_sup"), ("CPU s programs (4)", "cpu_workers")):
        x = c.median([getattr(r, key) for r in ours])
        y = c.median([getattr(r, key) for r in theirs])
        print(f"{label:24} {x:10.2f} {y:10.2f} {c.ratio(x, y):>7}")
    print(f"{'lost, all rounds':24} {sum(r.lost for r in ours):10} {sum(r.lost for r in theirs):10}")
    print(f"{'duplicated, all rounds':24} {sum(r.dup for r in ours):10} {sum(r.dup for r in theirs):10}")
    failed = [o for r in ours for o in r.other]
    print(f"checks (ours): sequence numbers contiguous from 1, each plugin's records in order: "
          f"{'; '.join(failed) if failed else 'ok'}")
    print()
    ok = a >= b and not any(r.lost or r.dup for r in ours)
    print(f"design target, ours >= supervisord's records/s with 0 lost: {a:.0f} vs {b:.0f}, "
          f"lost {sum(r.lost for r in ours)} -> {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
