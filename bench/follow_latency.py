"""Follow latency: emit to a live follower at 5,000 records/s, Sellintegro vs supervisord 4.x in one run.

Each side runs one program that logs "rate n" through stdlib logging at --rate records a second,
paced the same way (every 10 ms it logs the records due by then, so they come in groups of rate/100).
Sellintegro: one probe plugin with rate = 5000, tick_ms = 0. supervisord: a Python script with a
StreamHandler on stdout whose lines start with the record's time.time() ("%(created).6f").

Followers, one at a time (in this order), each for --settle + --seconds:
  ours, CLI   `sellintegro logs -f --json --after <log_seq> --config PATH`, a subprocess (--after: the
              live path, without first printing every record the files hold)
  ours, API   ControlClient.stream("/v1/logs", {"after": log_seq, "follow": 1}) in this process
  theirs      `supervisorctl -c supervisord.conf tail -f bench1`, a subprocess

latency = time.time() when the follower's line is read (and parsed) here - the record's own time
(when the program created it), over the records created in the window, which starts --settle s after
the follower's first record (the CLI first reads the newest log file: "1st rec s" shows how long). Lost:
records the files hold for the window that the follower never delivered, up to 2 s after the window
(Sellintegro also: the sequence numbers it delivered must be contiguous). Also shown: the supervisor's
CPU and the whole machine's (busy %: every process; far above what these use means other load).
Ours runs first, then theirs; never both at once.

Run from the repository root:  python bench/follow_latency.py [--seconds 20] [--rate 5000]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

from sellintegro.loghub import read_logs  # noqa: E402

CODE = "RATE_1"
SD_NAME = "bench1"
TARGET_P99_MS = 100.0
GRACE_S = 2.0  # after the window, for the last records to arrive
RATE = """\
import logging, sys, time
logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(created).6f %(levelname)-8s %(name)s: %(message)s")
log = logging.getLogger("plugin.rate")
rate = int(sys.argv[1])
start = time.monotonic()
sent = 0
while True:  # the probe's _steady_rate: catch up with the clock every 10 ms
    due = int((time.monotonic() - start) * rate)
    while sent < due:
        sent += 1
        log.info("rate %d", sent)
    time.sleep(0.01)
"""
THEIR_LINE = re.compile(rb"^(\d+\.\d{6}) INFO +plugin\.rate: rate (\d+)$")
# A follower's line -> (sequence or rate number, created, a record of the program?), or None to skip it.
Parse = Callable[[Any], tuple[int, float, bool] | None]


def pct(xs: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least q % of the samples at or below it."""
    s = sorted(xs)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)] if s else math.nan


@dataclass
class Result:
    label: str
    lat_ms: list[float] = field(default_factory=list)
    received: int = 0  # records created in the window and delivered
    lost: int = 0  # records created in the window (per the files) and not delivered
    gaps: int | None = None  # missing sequence numbers in what was delivered (Sellintegro only)
    sup_cpu: float = 0.0  # % of a core, the supervisor, over the window
    first_s: float = 0.0  # from starting the follower to its first record delivered
    busy: float = 0.0  # % of the machine's CPUs busy in the window (every process on the machine)


class Follower:
    """Collects (key, created, program's?, received) from `source()`, read on a thread, until stopped."""

    def __init__(self, source: Callable[[], Iterable[Any]], parse: Parse) -> None:
        self.got: list[tuple[int, float, bool, float]] = []
        self.started = time.time()
        self.first: float | None = None  # time.time() of the first record delivered
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(source, parse), daemon=True)
        self.thread.start()

    def _run(self, source: Callable[[], Iterable[Any]], parse: Parse) -> None:
        try:
            for item in source():
                got = parse(item)
                if got is not None:
                    now = time.time()
                    self.got.append((*got, now))
                    if self.first is None:
                        self.first = now
                if self.stop.is_set():
                    return
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            self.error = e


def measure(label: str, sup_pid: int, follower: Follower, args: argparse.Namespace,
            emitted: Callable[[float, float], set[int]]) -> Result:
    """Wait for the first record, settle, window, grace; then latency of records created in the window,
    and losses."""
    sup = psutil.Process(sup_pid)
    first: float = c.wait_for(lambda: follower.first or follower.error, 120, 0.01, f"{label}: a first record")
    if follower.error is not None:
        raise RuntimeError(f"{label}: the follower failed: {follower.error!r}")
    time.sleep(max(0.0, first + args.settle - time.time()))
    cpu0, t0, ticks = sum(sup.cpu_times()[:2]), time.time(), c.machine_ticks()
    time.sleep(args.seconds)
    cpu1, t1, (busy, _, _) = sum(sup.cpu_times()[:2]), time.time(), c.machine_load(ticks)
    time.sleep(GRACE_S)
    follower.stop.set()
    if follower.error is not None:
        raise RuntimeError(f"{label}: the follower failed: {follower.error!r}")
    r = Result(label, sup_cpu=100 * (cpu1 - cpu0) / (t1 - t0), first_s=first - follower.started, busy=busy)
    window = [(k, created, recv) for k, created, mine, recv in follower.got if mine and t0 <= created <= t1]
    r.lat_ms = [1000 * (recv - created) for _, created, recv in window]
    r.received = len(window)
    # Against everything delivered, not only the window: the files keep whole ms, so a record of the
    # window's last ms may be just outside it, and still must have been delivered.
    r.lost = len(emitted(t0, t1) - {k for k, _, _, _ in follower.got})
    return r


def ours_emitted(logs: Path, after: int) -> Callable[[float, float], set[int]]:
    def emitted(t0: float, t1: float) -> set[int]:
        return {r.seq for r in read_logs(logs, after=after) if r.plugin == CODE and
                r.message.startswith("rate ") and t0 <= r.time <= t1}
    return emitted


def seq_gaps(got: list[tuple[int, float, bool, float]], after: int) -> int:
    """Sequence numbers after `after`, up to the last one delivered, that were not delivered."""
    seqs = sorted({k for k, _, _, _ in got})
    return (seqs[-1] - after) - len(seqs) if seqs else 0


def parse_json(item: Any) -> tuple[int, float, bool] | None:
    """A record from the API (a dict) or the CLI (a JSON line); every record counts for seq_gaps."""
    obj = json.loads(item) if isinstance(item, bytes) else item
    if "seq" not in obj:
        return None  # a {"skipped": n} notice; seq_gaps shows the records it stands for
    return int(obj["seq"]), float(obj["time"]), obj["plugin"] == CODE and obj["message"].startswith("rate ")


def parse_theirs(item: Any) -> tuple[int, float, bool] | None:
    m = THEIR_LINE.match(item.rstrip(b"\n"))
    return (int(m.group(2)), float(m.group(1)), True) if m else None  # the first line may be torn


def lines_of(proc: subprocess.Popen[bytes]) -> Callable[[], IO[bytes]]:
    assert proc.stdout is not None
    out = proc.stdout
    return lambda: out


def run_ours(args: argparse.Namespace) -> list[Result]:
    tmp = c.make_tmp("bench-follow-ours-")
    procs: list[subprocess.Popen[bytes]] = []
    results = []
    try:
        proc, cfg = c.start_sellintegro(tmp, [(CODE, 0)], extra_settings=f"rate = {args.rate}\n")
        procs.append(proc)
        client = c.sellintegro_client(cfg)
        c.wait_for(lambda: client.call("GET", "/v1/status")["workers"][0]["state"] == "RUNNING", 30,
                   what="the probe RUNNING")
        logs = tmp / "data" / "logs"

        # The CLI first, while the newest log file is small: `logs -f` parses all of that file before
        # it follows (README: "follow_latency.py"); the API follower does not touch the files.
        if not args.no_cli:
            after = int(client.call("GET", "/v1/status")["supervisor"]["log_seq"])
            cli = subprocess.Popen([sys.executable, "-m", "sellintegro", "logs", "-f", "--json", "--after",
                                    str(after), "--config", str(cfg)], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            procs.append(cli)
            follower = Follower(lines_of(cli), parse_json)
            r = measure("ours, CLI (sellintegro logs -f)", proc.pid, follower, args, ours_emitted(logs, after))
            r.gaps = seq_gaps(follower.got, after)
            results.append(r)
            cli.terminate()

        after = int(client.call("GET", "/v1/status")["supervisor"]["log_seq"])
        api = Follower(lambda: client.stream("/v1/logs", {"after": after, "follow": 1}), parse_json)
        r = measure("ours, API (ControlClient.stream)", proc.pid, api, args, ours_emitted(logs, after))
        r.gaps = seq_gaps(api.got, after)
        results.insert(0, r)
    finally:
        c.cleanup(procs, tmp, args.keep)
    return results


def run_theirs(exe: Path, args: argparse.Namespace) -> Result:
    tmp = c.make_tmp("bench-follow-theirs-")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        (tmp / "rate.py").write_text(RATE)
        proc, sock = c.start_supervisord(exe, tmp, {SD_NAME: f"{sys.executable} {tmp / 'rate.py'} {args.rate}"})
        procs.append(proc)
        rpc = c.supervisord_rpc(sock)
        c.wait_for(lambda: rpc.supervisor.getProcessInfo(SD_NAME)["statename"] == "RUNNING", 30,
                   what="supervisord's program RUNNING")
        tail = subprocess.Popen([str(exe.parent / "supervisorctl"), "-c", str(tmp / "supervisord.conf"), "tail",
                                 "-f", SD_NAME], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        procs.append(tail)

        def emitted(t0: float, t1: float) -> set[int]:
            with open(tmp / f"{SD_NAME}.out", "rb") as f:
                return {n for n, t, _ in (parse_theirs(line) or (0, 0.0, False) for line in f)
                        if n and t0 <= t <= t1}

        return measure("theirs (supervisorctl tail -f)", proc.pid, Follower(lines_of(tail), parse_theirs), args,
                       emitted)
    finally:
        c.cleanup(procs, tmp, args.keep)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20.0, help="window per follower (default %(default)s)")
    ap.add_argument("--settle", type=float, default=2.0,
                    help="seconds from a follower's first record to its window (default %(default)s)")
    ap.add_argument("--rate", type=int, default=5000, help="records per second (default %(default)s)")
    ap.add_argument("--no-cli", action="store_true", help="skip the `sellintegro logs -f` follower")
    ap.add_argument("--keep", action="store_true", help="keep the temp dirs (logs, configs)")
    args = ap.parse_args()

    c.on_sigterm_exit()
    exe = c.supervisord_bin()
    results = run_ours(args)
    results.append(run_theirs(exe, args))
    report(results, args, exe)
    return 0


def report(results: list[Result], args: argparse.Namespace, exe: Path) -> None:
    print("Follow latency benchmark: emit to a live follower")
    print(c.conditions(exe, f"1 program per side logging {args.rate} records/s (groups of {args.rate // 100} "
                            f"every 10 ms), window {args.seconds:g} s per follower from {args.settle:g} s "
                            f"after its first record, followers one at a time"))
    print()
    print(f"{'latency ms, created -> follower':34} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7}  "
          f"{'received':>8} {'lost':>5} {'seq gaps':>8} {'sup CPU %':>9} {'1st rec s':>9} {'busy %':>6}")
    for r in results:
        gaps = "-" if r.gaps is None else str(r.gaps)
        print(f"{r.label:34} " + " ".join(f"{pct(r.lat_ms, q):7.1f}" for q in (50, 90, 99, 100)) +
              f"  {r.received:8} {r.lost:5} {gaps:>8} {r.sup_cpu:9.1f} {r.first_s:9.2f} {r.busy:6.0f}")
    theirs = results[-1]
    for r in results[:-1]:
        print(f"{'ratio ' + r.label.split(' (')[0] + ' / theirs':34} " +
              " ".join(f"{c.ratio(pct(r.lat_ms, q), pct(theirs.lat_ms, q)):>7}" for q in (50, 90, 99, 100)))
    api = results[0]
    p99 = pct(api.lat_ms, 99)
    print()
    print(f"design target, ours (API) p99 <= {TARGET_P99_MS:g} ms with 0 lost: p99 {p99:.1f} ms, lost {api.lost}, "
          f"seq gaps {api.gaps} -> {'met' if p99 <= TARGET_P99_MS and not api.lost and not api.gaps else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
