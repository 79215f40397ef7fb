"""The `probe` plugin type: ticks, bursts, crashes and hangs on request, for `doctor`, tests and benchmarks."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
import traceback

from sellintegro.api import PluginContext, PluginType
from sellintegro.hookspecs import hookimpl
from sellintegro.schema import Setting

_STARTED = time.monotonic()
_once: set[str] = set()

SETTINGS = (
    Setting("tick_ms", int, 1000, min=0, help="log a tick every N ms; 0: no ticks (an idle plugin)"),
    Setting("crash_after_s", float, None, min=0, help="exit abruptly this many seconds after the worker starts"),
    Setting("hang_after_s", float, None, min=0,
            help="stop making progress (and ignore stop requests) this many seconds after the start"),
    Setting("burst", int, 0, min=0, help='emit N records "burst i/N" as fast as possible, then tick on'),
    Setting("fail_cycles", bool, False, help="raise an error in every cycle (a failing, not crashing, plugin)"),
    Setting("journal", int, 0, min=0, help="write N journal entries (info, warning, error in turn), once"),
    Setting("token", str, None, secret=True,
            help="a secret the probe leaks on purpose into a log, an exception, stderr and the journal, once"),
    Setting("long_line_kb", int, 0, min=0, max=64 * 1024, help="make every tick record this many KB long"),
    Setting("rate", int, 0, min=0, max=1_000_000,
            help='log "rate i" records at N a second (in steps of 10 ms) instead of ticks'),
    Setting("children", int, 0, min=0, max=16, help="start N child processes that each log 100 records, once"),
    Setting("children_start", str, "fork", choices=("fork", "spawn"), help="how those children start"),
)


def probe_hang_forever() -> None:
    """Spin without progress and without looking at cancellation: what a stuck ERP call looks like."""
    while True:
        time.sleep(0.05)


def _crash(after: float) -> None:
    try:
        raise RuntimeError(f"probe: crashing as configured (crash_after_s = {after:g})")
    except RuntimeError:
        traceback.print_exc()
    sys.stderr.flush()
    os._exit(70)


def _child_main(queue: object, i: int, n: int) -> None:
    from sellintegro import childlog

    childlog.attach(queue)
    log = logging.getLogger("plugin.probe.child")
    for j in range(1, n + 1):
        log.info("child %d: record %d/%d", i, j, n)


def _first_cycle_only(ctx: PluginContext) -> None:
    s = ctx.settings
    if s["burst"]:
        n = s["burst"]
        for i in range(1, n + 1):
            ctx.log.info("burst %d/%d", i, n)
            if i % 1000 == 0 or i == n:
                ctx.progress(i, n)
    for i in range(s["journal"]):
        level = ("info", "warning", "error")[i % 3]
        getattr(ctx.journal, level)(f"probe {i + 1}", f"probe entry {i + 1}/{s['journal']} ({level})")
    if s["children"]:
        queue = ctx.child_logging(s["children_start"])
        mp = multiprocessing.get_context(s["children_start"])
        procs = [mp.Process(target=_child_main, args=(queue, i + 1, 100)) for i in range(s["children"])]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        ctx.log.info("probe: %d children done", len(procs))
    if s["token"]:
        token = s["token"]
        ctx.log.info("calling BaseLinker with X-BLToken: %s", token)
        try:
            raise PermissionError(f"BaseLinker refused token {token}")
        except PermissionError:
            ctx.log.exception("request failed for %s", token)
        print(f"probe: raw stderr line with {token}", file=sys.stderr, flush=True)
        ctx.journal.error("token", f"login failed for token {token}")
        raise RuntimeError(f"cycle failed with token {token}")


def _steady_rate(ctx: PluginContext, rate: int) -> None:
    """Records at `rate` a second, paced against the clock so that slow steps catch up."""
    start = time.monotonic()
    sent = 0
    while not ctx.cancelled.is_set():
        due = int((time.monotonic() - start) * rate)
        while sent < due:
            sent += 1
            ctx.log.info("rate %d", sent)
        ctx.progress()
        time.sleep(0.01)


def run(ctx: PluginContext) -> None:
    s = ctx.settings
    if "first" not in _once:
        _once.add("first")
        _first_cycle_only(ctx)
    if s["fail_cycles"]:
        raise ValueError("probe: this cycle fails as configured (fail_cycles = true)")
    if s["rate"]:
        _steady_rate(ctx, s["rate"])
        return
    tick = s["tick_ms"] / 1000.0
    ticks = 0
    padding = " " + "x" * (s["long_line_kb"] * 1024) if s["long_line_kb"] else ""
    while not ctx.cancelled.is_set():
        elapsed = time.monotonic() - _STARTED
        if s["crash_after_s"] is not None and elapsed >= s["crash_after_s"]:
            _crash(s["crash_after_s"])
        if s["hang_after_s"] is not None and elapsed >= s["hang_after_s"]:
            ctx.log.warning("probe: hanging as configured (hang_after_s = %g)", s["hang_after_s"])
            probe_hang_forever()
        if tick:
            ticks += 1
            ctx.log.info("tick %d%s", ticks, padding)
            ctx.progress()
        waits = [t - elapsed for t in (s["crash_after_s"], s["hang_after_s"]) if t is not None]
        if tick:
            waits.append(tick)
        if not waits:
            return  # an idle probe: nothing more this cycle
        ctx.wait(max(0.0, min(waits)))


@hookimpl
def register_plugin_types(register) -> None:  # type: ignore[no-untyped-def]
    register(PluginType(name="probe", run=run, settings=SETTINGS,
                        description="a test plugin: ticks, bursts, crashes and hangs on request"))
