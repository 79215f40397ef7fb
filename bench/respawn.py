"""Crash to new worker RUNNING and logging: Sellintegro vs supervisord 4.x, side by side in one run.

Each side supervises one program that logs "tick n" every 100 ms (Sellintegro: a probe plugin with
tick_ms = 100; supervisord: a Python script logging through stdlib logging to stdout, autorestart=true,
startsecs=1). Both run at the same time and are killed in turn, so drift hits both alike. Per kill
(SIGKILL at t0), three times from t0:
  respawn  a new process with the program's command line exists (psutil, ~2 ms poll)
  RUNNING  the supervisor reports the new process RUNNING
  logging  the new process's first line ("tick 1") is in the log file

RUNNING is read, by default, from the supervisor's own log line for the state change, written in the
same step that makes status say RUNNING. Polling the status API instead (--poll-status) perturbs
supervisord: every XML-RPC request wakes its 1 s select loop, which then restarts the program sooner.

Run from the repository root:  python bench/respawn.py [--kills 30]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

CODE = "BENCH_1"
SD_NAME = "bench1"
# Kill only after this much uptime: both sides count a death within startsecs (1 s, the default of
# both) as a failed start with a backoff delay, and Sellintegro forgives a crash after backoff_reset
# (0.5 s here) of RUNNING. So every kill here is a crash of a program that had been running.
STABLE_S = 1.2
TIMEOUT_S = 30.0
TICKER = """\
import logging, sys, time
logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(asctime)s %(levelname)-8s %(name)s: %(message)s")
log = logging.getLogger("ticker")
n = 0
while True:
    n += 1
    log.info("tick %d", n)
    time.sleep(0.1)
"""
TICK_1 = b": tick 1\n"  # the new process's first line; the killed one was far past tick 1


class Side:
    """One supervisor under test: how to read its state and where its logs are."""

    def __init__(self, name: str, sup_pid: int, marker: str, state_log: Path, state_needle: bytes,
                 tick_log: Path, state_fn: Callable[[], tuple[str, int | None]]) -> None:
        self.name = name
        self.sup_pid = sup_pid
        self.marker = marker  # in the program's command line
        self.state_log = c.LogTail(state_log)
        self.state_needle = state_needle
        self.tick_log = c.LogTail(tick_log)
        self.state = state_fn  # () -> (state name, pid)
        self.samples: list[tuple[float, float, float]] = []
        self.pid_mismatch = 0
        # When this script first saw each pid. Not psutil's create_time: Linux gives the boot time in
        # whole seconds, so that is off by up to 1 s. A pid first seen late only makes the wait longer.
        self.first_seen: dict[int, float] = {}


def one_kill(side: Side, poll_status: bool) -> tuple[float, float, float]:
    def stable() -> int | None:
        state, pid = side.state()
        if state != "RUNNING" or not pid:
            return None
        return pid if time.perf_counter() - side.first_seen.setdefault(pid, time.perf_counter()) >= STABLE_S \
            else None

    old: int = c.wait_for(stable, TIMEOUT_S, 0.05, f"{side.name}: RUNNING for {STABLE_S} s")
    # Each XML-RPC request wakes supervisord's select loop, and an awake loop restarts a dead program
    # at once; let the last status request settle so that it cannot hasten the respawn measured.
    time.sleep(0.2)
    side.state_log.mark()
    side.tick_log.mark()
    t0 = time.perf_counter()
    os.kill(old, signal.SIGKILL)
    respawn = running = logging = None
    new = None
    while respawn is None or running is None or logging is None:
        if time.perf_counter() - t0 > TIMEOUT_S:
            raise TimeoutError(f"{side.name}: after a kill: respawn={respawn} running={running} log={logging}")
        if respawn is None:
            pids = [p for p in c.children_matching(side.sup_pid, side.marker) if p != old]
            if pids:
                respawn, new = time.perf_counter() - t0, pids[0]
                side.first_seen[new] = t0 + respawn
        if running is None:
            if poll_status:
                state, pid = side.state()
                ok = state == "RUNNING" and pid not in (None, old)
            else:
                ok = side.state_log.contains(side.state_needle)
            if ok:
                running = time.perf_counter() - t0
        if logging is None and side.tick_log.contains(TICK_1):
            logging = time.perf_counter() - t0
        time.sleep(0.002)
    # The status must name the process psutil found (no second restart in between).
    if side.state()[1] != new:
        side.pid_mismatch += 1
    return respawn, running, logging


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=30, help="kills per side (default %(default)s)")
    ap.add_argument("--warmup", type=int, default=1, help="kills per side not counted (default %(default)s)")
    ap.add_argument("--poll-status", action="store_true",
                    help="RUNNING from polling the status API / XML-RPC instead of the state log line")
    ap.add_argument("--raw", action="store_true", help="print every kill's times")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (logs, configs)")
    args = ap.parse_args()

    c.on_sigterm_exit()
    exe = c.supervisord_bin()
    tmp = c.make_tmp("bench-respawn-")
    procs = []
    try:
        # restart_budget: the default (30 restarts a minute for all workers) could defer a kill of a
        # long run; the budget is a policy against crash loops, not what is measured here.
        ours, cfg = c.start_sellintegro(tmp, [(CODE, 100)],
                                        "backoff_reset = 0.5\nrestart_budget = 1000\n")
        procs.append(ours)
        (tmp / "ticker.py").write_text(TICKER)
        theirs, sock = c.start_supervisord(exe, tmp, {SD_NAME: f"{sys.executable} {tmp / 'ticker.py'}"})
        procs.append(theirs)
        client = c.sellintegro_client(cfg)
        rpc = c.supervisord_rpc(sock)

        def our_state() -> tuple[str, int | None]:
            w = client.call("GET", "/v1/status")["workers"][0]
            return w["state"], w["pid"]

        def their_state() -> tuple[str, int | None]:
            info = rpc.supervisor.getProcessInfo(SD_NAME)
            return info["statename"], info["pid"] or None

        sides = [
            Side("sellintegro", ours.pid, f"--plugin {CODE}", tmp / "data" / "logs" / f"{CODE}.log",
                 b"supervisor: state STARTING -> RUNNING", tmp / "data" / "logs" / f"{CODE}.log", our_state),
            Side("supervisord", theirs.pid, str(tmp / "ticker.py"), tmp / "supervisord.log",
                 f"success: {SD_NAME} entered RUNNING state".encode(), tmp / f"{SD_NAME}.out", their_state),
        ]
        for i in range(-args.warmup, args.kills):
            for side in sides:
                times = one_kill(side, args.poll_status)
                if i >= 0:
                    side.samples.append(times)
                if args.raw:
                    print(f"{side.name:12} kill {i:3d}: " + "  ".join(f"{t:.3f}" for t in times), flush=True)
        our_restarts = client.call("GET", "/v1/status")["workers"][0]["restarts"]
    finally:
        c.cleanup(procs, tmp, args.keep)

    report(sides, args, exe, our_restarts)
    return 0


def report(sides: list[Side], args: argparse.Namespace, exe: Path, our_restarts: int) -> None:
    ours, theirs = sides
    how = "status API / XML-RPC getProcessInfo, polled every 2 ms" if args.poll_status else \
        "the supervisor's log line for the state change"
    print("Respawn benchmark: crash (SIGKILL) to new worker RUNNING and logging")
    print(c.conditions(exe, f"{args.kills} kills per side (+{args.warmup} warm-up), program ticks every 100 ms, "
                            f"kill after >= {STABLE_S} s uptime; RUNNING from {how}"))
    print()
    print(f"{'seconds from the kill':28} {'ours med':>9} {'theirs med':>10} {'ratio':>7}   "
          f"{'ours p95':>9} {'theirs p95':>10} {'ratio':>7}")
    names = ["respawn (new process)", "RUNNING reported", "logging (first line)"]
    for k, label in enumerate(names):
        a = [s[k] for s in ours.samples]
        b = [s[k] for s in theirs.samples]
        print(f"{label:28} {c.median(a):9.3f} {c.median(b):10.3f} {c.ratio(c.median(a), c.median(b)):>7}   "
              f"{c.p95(a):9.3f} {c.p95(b):10.3f} {c.ratio(c.p95(a), c.p95(b)):>7}")
    worst = [max(s[k] for s in ours.samples) for k in range(3)]
    print(f"{'ours max':28} " + " ".join(f"{w:.3f}" for w in worst) + "  (respawn, RUNNING, logging)")
    print()
    resp = [s[0] for s in ours.samples]
    print(f"design target, new worker within 0.3 s of the kill: median {c.median(resp):.3f} s, "
          f"p95 {c.p95(resp):.3f} s -> {'met' if c.p95(resp) <= 0.3 else 'NOT met'} (at p95)")
    print(f"checks: sellintegro restarts reported {our_restarts} (kills {args.kills + args.warmup}); "
          f"status pid != respawned pid: ours {ours.pid_mismatch}, theirs {theirs.pid_mismatch}")


if __name__ == "__main__":
    sys.exit(main())
