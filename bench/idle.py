"""Supervisor and 5 idle workers: CPU and memory over a window, Sellintegro vs supervisord 4.x.

Sellintegro runs 5 idle probe plugins (tick_ms = 0, interval = 60); supervisord runs 5 Python scripts
that only sleep. Both run at the same time and are measured over the same window, after every
program is RUNNING and a settle time. Nothing talks to either supervisor during the window (a status
request would wake it and cost CPU); psutil reads /proc only.

  CPU   seconds on a CPU in the window / window length, as % of one core: the supervisor alone, and
        the supervisor with its workers (read at the window's ends from /proc/PID/task/*/schedstat)
  RSS   resident set, and USS (memory unique to the process), max of the 1 s samples in the window

Run from the repository root:  python bench/idle.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

N = 5
IDLE = "import time\nwhile True:\n    time.sleep(60)\n"
MB = 1e6  # the design's targets are in MB; 10^6 bytes is the stricter reading
TARGET_SUP_MB = 40
TARGET_WORKER_MB = 30


@dataclass
class Proc:
    proc: psutil.Process
    cpu0: float = 0.0
    cpu1: float = 0.0
    rss: int = 0
    uss: int = 0

    def cpu(self) -> float:
        """Seconds on a CPU: /proc/PID/task/*/schedstat (ns) on Linux, else user+system (10 ms ticks,
        too coarse for 0.1 % of a core over a minute). Threads that end within the window are lost;
        idle, neither side starts or ends any."""
        pid = self.proc.pid
        try:
            ns = 0
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    ns += int(f.read().split()[0])
            return ns / 1e9
        except (OSError, ValueError):
            t = self.proc.cpu_times()
            return t.user + t.system  # not children_*: those are children already reaped

    def sample(self) -> None:
        try:
            m = self.proc.memory_full_info()
            self.uss = max(self.uss, m.uss)
        except (psutil.AccessDenied, AttributeError):
            m = self.proc.memory_info()
        self.rss = max(self.rss, m.rss)


@dataclass
class Side:
    name: str
    marker: str  # in each worker's command line
    sup: Proc
    workers: list[Proc] = field(default_factory=list)

    def all(self) -> list[Proc]:
        return [self.sup, *self.workers]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0, help="measuring window (default %(default)s)")
    ap.add_argument("--settle", type=float, default=5.0,
                    help="wait after all are RUNNING, before the window (default %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs, configs)")
    args = ap.parse_args()

    c.on_sigterm_exit()
    exe = c.supervisord_bin()
    tmp = c.make_tmp("bench-idle-")
    procs = []
    try:
        ours, cfg = c.start_sellintegro(tmp, [(f"IDLE_{i}", 0) for i in range(1, N + 1)])
        procs.append(ours)
        (tmp / "idle.py").write_text(IDLE)
        theirs, sock = c.start_supervisord(exe, tmp, {f"idle{i}": f"{sys.executable} {tmp / 'idle.py'}"
                                                      for i in range(1, N + 1)})
        procs.append(theirs)
        client = c.sellintegro_client(cfg)
        rpc = c.supervisord_rpc(sock)
        c.wait_for(lambda: all(w["state"] == "RUNNING"
                               for w in client.call("GET", "/v1/status")["workers"]),
                   30, 0.2, "sellintegro workers RUNNING")
        c.wait_for(lambda: all(p["statename"] == "RUNNING"
                               for p in rpc.supervisor.getAllProcessInfo()),
                   30, 0.2, "supervisord programs RUNNING")
        time.sleep(args.settle)

        sides = [Side("sellintegro", "--plugin IDLE_", Proc(psutil.Process(ours.pid))),
                 Side("supervisord", str(tmp / "idle.py"), Proc(psutil.Process(theirs.pid)))]
        for s in sides:
            s.workers = [Proc(psutil.Process(pid)) for pid in c.children_matching(s.sup.proc.pid, s.marker)]
            if len(s.workers) != N:
                raise RuntimeError(f"{s.name}: found {len(s.workers)} workers, expected {N}")
        everyone = [p for s in sides for p in s.all()]
        t0 = time.perf_counter()
        for p in everyone:
            p.cpu0 = p.cpu()
        while time.perf_counter() - t0 < args.seconds:
            for p in everyone:
                p.sample()
            time.sleep(max(0.0, 1.0 - (time.perf_counter() - t0) % 1.0))
        for p in everyone:
            p.cpu1 = p.cpu()
        window = time.perf_counter() - t0
        # Same processes at the end: a restart in the window would make these figures meaningless.
        restarted = {s.name: sorted(p.proc.pid for p in s.workers)
                     != sorted(c.children_matching(s.sup.proc.pid, s.marker)) for s in sides}
        threads = {s.name: s.sup.proc.num_threads() for s in sides}
    finally:
        c.cleanup(procs, tmp, args.keep)

    report(sides, args, exe, window, restarted, threads)
    return 0


def report(sides: list[Side], args: argparse.Namespace, exe: Path, window: float,
           restarted: dict[str, bool], threads: dict[str, int]) -> None:
    ours, theirs = sides

    def figures(s: Side) -> dict[str, float]:
        sup_cpu = s.sup.cpu1 - s.sup.cpu0
        all_cpu = sum(p.cpu1 - p.cpu0 for p in s.all())
        return {
            "CPU supervisor, % of a core": 100 * sup_cpu / window,
            "CPU supervisor+workers, %": 100 * all_cpu / window,
            "RSS supervisor, MB": s.sup.rss / MB,
            "USS supervisor, MB": s.sup.uss / MB,
            "RSS worker, max of 5, MB": max(p.rss for p in s.workers) / MB,
            "RSS worker, mean of 5, MB": sum(p.rss for p in s.workers) / N / MB,
            "USS worker, max of 5, MB": max(p.uss for p in s.workers) / MB,
            "RSS all, sum, MB": sum(p.rss for p in s.all()) / MB,
            "USS all, sum, MB": sum(p.uss for p in s.all()) / MB,
        }

    a, b = figures(ours), figures(theirs)
    print("Idle benchmark: supervisor and 5 idle workers, CPU and memory")
    print(c.conditions(exe, f"{N} idle programs per side, window {window:.1f} s after {args.settle:g} s settle, "
                            "memory sampled every 1 s (max shown), MB = 10^6 bytes"))
    print()
    print(f"{'':30} {'ours':>9} {'theirs':>9} {'ratio':>7}")
    for k in a:
        print(f"{k:30} {a[k]:9.3f} {b[k]:9.3f} {c.ratio(a[k], b[k]):>7}")
    print("per worker RSS/USS MB, ours:   " + ", ".join(f"{p.rss / MB:.1f}/{p.uss / MB:.1f}" for p in ours.workers))
    print("per worker RSS/USS MB, theirs: " + ", ".join(f"{p.rss / MB:.1f}/{p.uss / MB:.1f}" for p in theirs.workers))
    print(f"supervisor threads: ours {threads['sellintegro']}, theirs {threads['supervisord']}; "
          f"workers restarted in the window: ours {restarted['sellintegro']}, theirs {restarted['supervisord']}")
    print()
    print("design targets:")
    sup_mb, worker_mb = a["RSS supervisor, MB"], a["RSS worker, max of 5, MB"]
    cpu_all, cpu_sup = "CPU supervisor+workers, %", "CPU supervisor, % of a core"
    checks = [
        (f"supervisor RSS <= {TARGET_SUP_MB} MB headless", sup_mb <= TARGET_SUP_MB, f"{sup_mb:.1f} MB"),
        (f"each idle worker RSS <= {TARGET_WORKER_MB} MB", worker_mb <= TARGET_WORKER_MB, f"max {worker_mb:.1f} MB"),
        ("CPU (supervisor+workers) <= supervisord's", a[cpu_all] <= b[cpu_all],
         f"{a[cpu_all]:.3f} % vs {b[cpu_all]:.3f} %"),
        ("CPU (supervisor alone) <= supervisord's", a[cpu_sup] <= b[cpu_sup],
         f"{a[cpu_sup]:.3f} % vs {b[cpu_sup]:.3f} %"),
    ]
    for label, ok, value in checks:
        print(f"  {label:45} {value:28} {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
