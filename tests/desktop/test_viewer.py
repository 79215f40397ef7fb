"""The log viewer process on a real X server, attached to a real supervisor; read back from its widgets."""

from __future__ import annotations

import re
import subprocess
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sellintegro.loghub import parse_lines

from ..conftest import Endpoint, plugin_toml, wait_for
from .conftest import XServer, save_screenshot, start_viewer, stop_process, viewer_dump, viewer_request, wait_dump

pytestmark = pytest.mark.slow
EndpointFactory = Callable[..., Endpoint]
SEQ = re.compile(r" #(\d+) \[([^\]]*)\] ")


def manual_burst(code: str, burst: int) -> str:
    return (f'[[plugins]]\ncode = "{code}"\ntype = "probe"\ninterval = 3600\nstart = "manual"\n'
            f"[plugins.settings]\ntick_ms = 0\nburst = {burst}\n")


def failing(code: str) -> str:
    return (f'[[plugins]]\ncode = "{code}"\ntype = "probe"\ninterval = 1\nhang_timeout = 30\n'
            "[plugins.settings]\ntick_ms = 0\nfail_cycles = true\n")


def shown(text: str, plugin: str | None = None) -> list[int]:
    """Sequence numbers of the records the widget shows (of one plugin)."""
    return [int(m.group(1)) for m in SEQ.finditer(text) if plugin is None or m.group(2) == plugin]


def file_seqs(ep: Endpoint, code: str) -> list[int]:
    path = ep.data / "logs" / f"{code}.log"
    with open(path, encoding="utf-8") as f:
        return [r.seq for r in parse_lines(f)]


@pytest.fixture
def viewer(xserver: XServer) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    made: list[subprocess.Popen[bytes]] = []

    def make(ep: Endpoint, lang: str = "en") -> subprocess.Popen[bytes]:
        proc = start_viewer(xserver, ep.config, ep.data, lang)
        made.append(proc)
        wait_for("the viewer's window", lambda: xserver.windows("--onlyvisible", "--name", "Sellintegro"),
                 timeout=60)
        return proc
    yield make
    for proc in made:
        stop_process(proc)


def window_shot(x: XServer, dump: dict[str, Any]) -> Any:
    left, top, width, height = dump["geometry"]
    return x.screenshot((left, top, left + width, top + height))


def test_viewer_titled_sellintegro_shows_lines_a_worker_logs_after_it_opened(
        endpoint: EndpointFactory, xserver: XServer, viewer: Callable[..., Any]) -> None:
    ep = endpoint(manual_burst("PROBE_BURST_100", 50))
    ep.wait_state("PROBE_BURST_100", "RUNNING")
    viewer(ep)
    (window,) = xserver.windows("--onlyvisible", "--name", "Sellintegro")
    assert xserver.xdotool("getwindowname", str(window)).strip() == "Sellintegro – logs – test"
    opened = wait_dump(ep.data, "the viewer to connect", lambda d: d["connected"])
    assert "burst" not in opened["log_text"]
    opened_seq = ep.status()["supervisor"]["log_seq"]

    assert ep.cli("run-now", "PROBE_BURST_100").returncode == 0
    d = wait_dump(ep.data, "the burst in the widget", lambda d: "plugin.probe: burst 50/50" in d["log_text"])
    lines = [line for line in d["log_text"].splitlines() if "plugin.probe: burst " in line]
    assert [line.rsplit("burst ", 1)[1] for line in lines] == [f"{i}/50" for i in range(1, 51)]
    assert min(shown("\n".join(lines))) > opened_seq


def test_paused_viewer_holds_still_while_files_grow_and_resumes_without_gaps(
        endpoint: EndpointFactory, xserver: XServer, viewer: Callable[..., Any]) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=50))
    ep.wait_state("TICK", "RUNNING")
    viewer(ep)
    wait_dump(ep.data, "ticks in the widget", lambda d: len(shown(d["log_text"], "TICK")) > 5)

    held = viewer_request(ep.data, {"cmd": "pause"})
    assert held["paused"] and held["pause_button"] == "Resume"
    held = wait_dump(ep.data, "the pause to settle", lambda d: d["log_text"] == viewer_dump(ep.data)["log_text"])
    last_shown = max(shown(held["log_text"]))
    wait_for("40 more ticks in the log file", lambda: file_seqs(ep, "TICK")[-1] > last_shown + 40 * 2)
    still = wait_dump(ep.data, "the status bar to count what waits",
                      lambda d: f"paused at #{last_shown}" in d["status_bar"])
    assert still["log_text"] == held["log_text"], "the paused view moved"
    save_screenshot(window_shot(xserver, still), "viewer-paused.png")

    resumed = viewer_request(ep.data, {"cmd": "resume"})
    assert not resumed["paused"] and resumed["pause_button"] == "Pause"
    target = file_seqs(ep, "TICK")[-1]
    d = wait_dump(ep.data, "what arrived meanwhile", lambda d: max(shown(d["log_text"], "TICK")) >= target)
    in_widget = [s for s in shown(d["log_text"], "TICK") if s <= target]
    in_file = [s for s in file_seqs(ep, "TICK") if in_widget[0] <= s <= target]
    assert in_widget == in_file, "records are missing or repeated after the pause"


def test_filters_search_highlight_copy_and_export(endpoint: EndpointFactory, xserver: XServer,
                                                  viewer: Callable[..., Any], tmp_path: Path) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=100) + failing("FAILING"))
    ep.wait_state("TICK", "RUNNING")
    viewer(ep)
    wait_dump(ep.data, "both plugins in the widget",
              lambda d: shown(d["log_text"], "TICK") and "[FAILING] plugin.probe: cycle failed" in d["log_text"])

    d = viewer_request(ep.data, {"cmd": "set", "plugin": "TICK"})
    assert set(SEQ.findall(d["log_text"])) and {p for _, p in SEQ.findall(d["log_text"])} == {"TICK"}

    d = viewer_request(ep.data, {"cmd": "set", "plugin": "(all)", "level": "ERROR"})
    levels = {line.split()[2] for line in d["log_text"].splitlines() if SEQ.search(line)}
    assert levels == {"ERROR"}
    assert "[FAILING]" in d["log_text"] and "plugin.probe: tick" not in d["log_text"]

    d = viewer_request(ep.data, {"cmd": "set", "level": "DEBUG", "search": "TICK 1"})
    assert d["matches"] == d["log_text"].lower().count("tick 1") > 0  # highlighted, any case
    save_screenshot(window_shot(xserver, d), "viewer-logs.png")

    d = viewer_request(ep.data, {"cmd": "set", "plugin": "TICK", "search": ""})
    path = tmp_path / "export.log"
    count = viewer_request(ep.data, {"cmd": "export", "path": str(path)})["count"]
    with open(path, encoding="utf-8") as f:
        exported = list(parse_lines(f))
    assert len(exported) == count > 0
    assert {r.plugin for r in exported} == {"TICK"}
    assert shown(d["log_text"])[-1] in [r.seq for r in exported]

    viewer_request(ep.data, {"cmd": "copy"})
    root = tk.Tk(screenName=xserver.display)
    try:
        root.withdraw()
        copied = root.clipboard_get()  # asks the viewer's process for the X selection
    finally:
        root.destroy()
    assert copied.strip() and set(shown(copied)) <= {r.seq for r in exported} | set(shown(copied, "TICK"))
    assert {p for _, p in SEQ.findall(copied)} == {"TICK"}


def test_journal_tab_shows_the_plugins_journal(endpoint: EndpointFactory, xserver: XServer,
                                               viewer: Callable[..., Any]) -> None:
    ep = endpoint(plugin_toml("JOURNALING", tick_ms=0, journal=3))
    ep.wait_state("JOURNALING", "RUNNING")
    wait_for("the journal entries", lambda: "probe entry 3/3" in ep.log("JOURNALING"))
    viewer(ep)
    d = viewer_request(ep.data, {"cmd": "tab", "name": "journal"})
    assert d["tab"] == "Journal"
    d = wait_dump(ep.data, "three journal rows", lambda d: len(d["journal"]) == 3)
    assert [(row[1], row[2], row[3]) for row in d["journal"]] == [
        ("JOURNALING", "info", "probe 1"), ("JOURNALING", "warning", "probe 2"), ("JOURNALING", "error", "probe 3")]
    assert d["journal"][2][4] == "probe entry 3/3 (error)"
    save_screenshot(window_shot(xserver, d), "viewer-journal.png")


def test_processes_tab_shows_code_pid_state_cpu_rss_and_restarts_a_plugin(
        endpoint: EndpointFactory, xserver: XServer, viewer: Callable[..., Any]) -> None:
    ep = endpoint(plugin_toml("BLK_CAI_COM_ORD_SGT_100", tick_ms=100) + plugin_toml("PROBE_IDLE_100", tick_ms=0))
    first = ep.wait_state("BLK_CAI_COM_ORD_SGT_100", "RUNNING")
    ep.wait_state("PROBE_IDLE_100", "RUNNING")
    viewer(ep)
    viewer_request(ep.data, {"cmd": "tab", "name": "processes"})

    def row_of(d: dict[str, Any], code: str) -> list[str] | None:
        return next((r for r in d["processes"] if r[0] == code), None)
    d = wait_dump(ep.data, "figures for every process",
                  lambda d: len(d["processes"]) == 3 and all(r[7] != "-" for r in d["processes"]))
    supervisor, worker = d["processes"][0], row_of(d, "BLK_CAI_COM_ORD_SGT_100")
    assert supervisor[0] == "Sellintegro (supervisor)" and supervisor[2] == str(ep.proc.pid)  # type: ignore[union-attr]
    assert worker is not None
    code, _type, pid, state, restarts, _uptime, cpu, rss, cmdline = worker
    assert (pid, state, restarts) == (str(first["pid"]), "RUNNING", "0")
    assert float(cpu) >= 0 and rss.endswith("MB")
    assert "BLK_CAI_COM_ORD_SGT_100" in cmdline  # the Task Manager view tells plugins apart
    save_screenshot(window_shot(xserver, d), "viewer-processes.png")

    d = viewer_request(ep.data, {"cmd": "press", "select": "BLK_CAI_COM_ORD_SGT_100", "button": "restart"})
    again = ep.wait_state("BLK_CAI_COM_ORD_SGT_100", "RUNNING", not_pid=first["pid"], timeout=60)
    d = wait_dump(ep.data, "the new pid in the table",
                  lambda d: (r := row_of(d, "BLK_CAI_COM_ORD_SGT_100")) is not None and r[2] == str(again["pid"]))
    assert "Restart BLK_CAI_COM_ORD_SGT_100: done" in d["status_bar"]


def test_viewer_says_disconnected_meanwhile_and_reconnects_after_a_supervisor_restart(
        endpoint: EndpointFactory, xserver: XServer, viewer: Callable[..., Any]) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=100))
    ep.wait_state("TICK", "RUNNING")
    viewer(ep)
    wait_dump(ep.data, "the viewer to connect", lambda d: d["connected"] and shown(d["log_text"], "TICK"))

    assert ep.cli("stop").returncode == 0
    assert ep.proc is not None and ep.proc.wait(timeout=60) == 0
    d = wait_dump(ep.data, "the viewer to say disconnected",
                  lambda d: not d["connected"] and d["title"].endswith("(disconnected)"))
    assert d["status_bar"].startswith("disconnected: ")
    assert "supervisor stopped; every worker has exited" in d["log_text"]
    save_screenshot(window_shot(xserver, d), "viewer-disconnected.png")

    ep.start()
    pid = ep.proc.pid
    d = wait_dump(ep.data, "the viewer to reconnect and show the new supervisor's records",
                  lambda d: d["connected"] and f"supervisor started (pid {pid}," in d["log_text"], timeout=90)
    assert d["title"] == "Sellintegro – logs – test"
    assert "— reconnected to the supervisor; nothing missed: continuing after #" in d["log_text"]
    seqs = shown(d["log_text"])
    assert seqs == sorted(set(seqs)), "a record came twice or out of order across the reconnect"


def test_a_second_viewer_brings_the_first_to_the_front_and_exits(
        endpoint: EndpointFactory, xserver: XServer, viewer: Callable[..., Any]) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=0))
    first = viewer(ep)
    windows = xserver.windows("--onlyvisible", "--name", "Sellintegro")
    second = start_viewer(xserver, ep.config, ep.data)
    try:
        assert second.wait(timeout=60) == 0
        assert second.stderr is not None
        assert f"already open (pid {first.pid})" in second.stderr.read().decode()
    finally:
        stop_process(second)
    d = viewer_dump(ep.data)
    assert d["focus_requests"] == 1 and d["pid"] == first.pid
    assert xserver.windows("--onlyvisible", "--name", "Sellintegro") == windows


def test_viewer_speaks_polish(endpoint: EndpointFactory, xserver: XServer, viewer: Callable[..., Any]) -> None:
    ep = endpoint(plugin_toml("TICK", tick_ms=0))
    viewer(ep, lang="pl")
    d = wait_dump(ep.data, "the viewer to connect", lambda d: d["connected"])
    assert d["title"] == "Sellintegro – logi – test"
    assert d["tab"] == "Logi" and d["pause_button"] == "Wstrzymaj"
    assert d["status_bar"].startswith("połączono z test")
