"""The Processes tab's figures: CPU and memory per process (psutil), and the rows the tab shows.

CPU is a share of the whole machine, as Task Manager shows it; the first sample of a process reads 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import psutil

from ..messages import msg


@dataclass(frozen=True)
class Sample:
    cpu: float | None      # percent of the machine since the previous sample
    rss: int | None        # bytes
    cmdline: str | None


class ProcessSampler:
    """Keeps one psutil.Process per pid, so CPU is measured between consecutive samples."""

    def __init__(self, process: Callable[[int], Any] = psutil.Process, cpus: int | None = None) -> None:
        self.process = process
        self.cpus = cpus or psutil.cpu_count() or 1
        self.procs: dict[int, Any] = {}

    def sample(self, status: Mapping[str, Any]) -> dict[int, Sample]:
        pids = [status.get("supervisor", {}).get("pid")] + [w.get("pid") for w in status.get("workers", [])]
        out: dict[int, Sample] = {}
        for pid in pids:
            if not isinstance(pid, int) or pid <= 0:
                continue
            try:
                p = self.procs.get(pid)
                if p is None:
                    p = self.procs[pid] = self.process(pid)
                with p.oneshot():
                    out[pid] = Sample(p.cpu_percent(None) / self.cpus, p.memory_info().rss, " ".join(p.cmdline()))
            except psutil.NoSuchProcess:
                self.procs.pop(pid, None)
            except psutil.AccessDenied:
                out[pid] = Sample(None, None, None)  # a service's processes may be closed to this user
        for gone in set(self.procs) - set(out):
            self.procs.pop(gone, None)
        return out


def human_bytes(n: int | None) -> str:
    if n is None:
        return "-"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def human_age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 86400}d{s % 86400 // 3600:02d}h"


COLUMNS = ("code", "type", "pid", "state", "restarts", "uptime", "cpu", "rss", "cmdline")
SUPERVISOR_ROW = "__supervisor__"


def rows(status: Mapping[str, Any], samples: Mapping[int, Sample]) -> list[tuple[str, tuple[str, ...]]]:
    """(row id, the values of COLUMNS) for the supervisor, then every worker."""
    def figures(pid: Any) -> tuple[str, str, str]:
        s = samples.get(pid) if isinstance(pid, int) else None
        if s is None:
            return "-", "-", ""
        return ("-" if s.cpu is None else f"{s.cpu:.1f}"), human_bytes(s.rss), s.cmdline or ""

    sup = status.get("supervisor", {})
    cpu, rss, cmd = figures(sup.get("pid"))
    out: list[tuple[str, tuple[str, ...]]] = [(SUPERVISOR_ROW, (
        msg("viewer.supervisor_row"), str(sup.get("mode", "")), str(sup.get("pid", "-")), "RUNNING", "-",
        human_age(sup.get("uptime_s")), cpu, rss, cmd))]
    for w in status.get("workers", []):
        cpu, rss, cmd = figures(w.get("pid"))
        state = str(w.get("state", ""))
        if w.get("paused"):
            state += " (" + msg("desktop.tip.paused") + ")"
        out.append((str(w["code"]), (str(w["code"]), str(w.get("type", "")), str(w.get("pid") or "-"), state,
                                     str(w.get("restarts", 0)), human_age(w.get("uptime_s")), cpu, rss, cmd)))
    return out
