"""The Processes tab's rows: plugin codes, pids, figures (psutil faked; one real process)."""

from __future__ import annotations

import os
from typing import Any

import psutil

from sellintegro.desktop.procs import SUPERVISOR_ROW, ProcessSampler, Sample, human_age, human_bytes, rows

from .test_health import status, worker


def test_rows_show_the_supervisor_then_each_plugin_by_code_with_its_figures() -> None:
    snap = status(worker("BLK_CAI_COM_ORD_SGT_100", pid=20, restarts=2, uptime_s=3725.0),
                  worker("P2", "STOPPED", pid=None, paused=True, uptime_s=None))
    snap["supervisor"].update(pid=1, uptime_s=61.0)
    out = rows(snap, {1: Sample(0.5, 30 * 1024 * 1024, "sellintegro run"),
                      20: Sample(12.25, 2048, "SellintegroAppWorker --plugin BLK_CAI_COM_ORD_SGT_100")})
    assert out[0] == (SUPERVISOR_ROW, ("Sellintegro (supervisor)", "application", "1", "RUNNING", "-", "1m01s",
                                       "0.5", "30.0 MB", "sellintegro run"))
    assert out[1] == ("BLK_CAI_COM_ORD_SGT_100", ("BLK_CAI_COM_ORD_SGT_100", "probe", "20", "RUNNING", "2", "1h02m",
                                                  "12.2", "2.0 KB",
                                                  "SellintegroAppWorker --plugin BLK_CAI_COM_ORD_SGT_100"))
    assert out[2][1][2:4] == ("-", "STOPPED (paused)")


def test_sampler_measures_a_real_process_and_forgets_gone_ones() -> None:
    sampler = ProcessSampler()
    first = sampler.sample({"supervisor": {"pid": os.getpid()}, "workers": [{"pid": 2 ** 22 + 12345}]})
    assert set(first) == {os.getpid()}  # the made-up pid does not exist
    s = first[os.getpid()]
    assert s.rss and s.rss > 1024 * 1024 and s.cmdline and s.cpu is not None


def test_sampler_reports_access_denied_as_unknown_figures() -> None:
    class Denied:
        def __init__(self, pid: int) -> None:
            raise psutil.AccessDenied(pid)

    def make(pid: int) -> Any:
        return Denied(pid)
    assert ProcessSampler(process=make, cpus=1).sample({"supervisor": {"pid": 5}}) == {5: Sample(None, None, None)}


def test_human_figures() -> None:
    assert [human_bytes(n) for n in (None, 500, 2048, 5 * 1024 ** 3)] == ["-", "500 B", "2.0 KB", "5.0 GB"]
    assert [human_age(s) for s in (None, 5, 125, 7300, 90000)] == ["-", "5s", "2m05s", "2h01m", "1d01h"]
