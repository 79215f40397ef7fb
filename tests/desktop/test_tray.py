"""The tray on a real X server (Xvfb) with a real XEmbed tray host (trayer), clicked by xdotool."""

from __future__ import annotations

import faulthandler
import gc
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from sellintegro.config import load
from sellintegro.desktop import menu
from sellintegro.desktop.tray import Tray, open_tray
from sellintegro.plugins import load_types

from ..conftest import Endpoint, plugin_toml, wait_for
from .conftest import XServer, dominant_state_colour, save_screenshot, viewer_dump, wait_dump

pytestmark = pytest.mark.slow
EndpointFactory = Callable[..., Endpoint]
ICON_CLASS = "sellintegroSystemTrayIcon"  # pystray's WM_CLASS instance name for an icon named "sellintegro"


def run_with_tray(ep: Endpoint, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`sellintegro run` without --headless, its output in ep.out; ep.proc is set so cleanup finds it."""
    with open(ep.out, "wb") as out:
        ep.proc = subprocess.Popen([sys.executable, "-m", "sellintegro", "run", "--config", str(ep.config)],
                                   stdout=out, stderr=subprocess.STDOUT, env={**env, "SELLINTEGRO_LANG": "en"})
    proc = ep.proc

    def ready() -> bool:
        assert proc.poll() is None, f"sellintegro run exited: {ep.out.read_text(encoding='utf-8')}"
        return (ep.data / "run" / "control.json").exists()
    wait_for("the control API", ready, timeout=60)
    return proc


def icon_window(x: XServer) -> tuple[int, tuple[int, int, int, int]]:
    """The docked icon's window and its screen box, once trayer has given it a usable size."""
    def docked() -> tuple[int, tuple[int, int, int, int]] | None:
        for w in x.windows("--classname", ICON_CLASS):
            out = x.xdotool("getwindowgeometry", "--shell", str(w))
            geo = dict(line.split("=", 1) for line in out.split())
            left, top, width, height = (int(geo[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
            if width >= 16 and height >= 16:
                return w, (left, top, left + width, top + height)
        return None
    found: tuple[int, tuple[int, int, int, int]] = wait_for("the icon docked in the tray", docked, timeout=60)
    return found


def icon_colour(x: XServer, box: tuple[int, int, int, int]) -> str:
    return dominant_state_colour(x.screenshot(box))


def viewer_windows(x: XServer, icon: int) -> list[int]:
    """Visible windows whose title says Sellintegro, except the tray icon's (its name is the tooltip)."""
    return [w for w in x.windows("--onlyvisible", "--name", "Sellintegro") if w != icon]


def viewer_pids(ep: Endpoint) -> list[int]:
    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if "sellintegro.desktop.viewer" in cmd and str(ep.config) in cmd:
            found.append(p.pid)
    return found


def double_click(x: XServer, window: int) -> None:
    x.xdotool("mousemove", "--window", str(window), "8", "8", "click", "--repeat", "2", "--delay", "80", "1")


def test_double_click_on_the_tray_icon_opens_the_viewer_and_a_second_only_focuses_it(
        endpoint: EndpointFactory, tray_host: XServer) -> None:
    x = tray_host
    ep = endpoint(plugin_toml("PROBE_TICK_100", tick_ms=200) + plugin_toml("PROBE_IDLE_100", tick_ms=0),
                  start=False)
    run = run_with_tray(ep, x.env)
    ep.wait_state("PROBE_TICK_100", "RUNNING", timeout=60)
    icon, box = icon_window(x)
    wait_for("a green icon", lambda: icon_colour(x, box) == "ok", timeout=60)
    assert viewer_windows(x, icon) == []

    double_click(x, icon)
    windows = wait_for("the viewer's window", lambda: viewer_windows(x, icon), timeout=60)
    assert len(windows) == 1
    assert "Sellintegro" in x.xdotool("getwindowname", str(windows[0]))
    first = wait_dump(ep.data, "the viewer to show live records",
                      lambda d: d["connected"] and "[PROBE_TICK_100] plugin.probe: tick" in d["log_text"])
    assert viewer_pids(ep) == [first["pid"]]

    double_click(x, icon)
    wait_dump(ep.data, "the open viewer to be asked to the front", lambda d: d["focus_requests"] == 1)
    assert viewer_windows(x, icon) == windows
    assert viewer_pids(ep) == [first["pid"]]
    save_screenshot(x.screenshot(), "desktop-tray-and-viewer.png")

    # `sellintegro stop` stops the supervisor, which ends the tray: the process exits on its own.
    assert ep.cli("stop").returncode == 0
    assert run.wait(timeout=120) == 0
    output = ep.out.read_text(encoding="utf-8")
    assert "no tray available" not in output
    assert "Traceback" not in output


@pytest.fixture
def attached_tray(monkeypatch: pytest.MonkeyPatch, tray_host: XServer) -> Iterator[Callable[[Endpoint], Tray]]:
    """The tray as `sellintegro tray` runs it, here on a thread of the test so menu items can be called."""
    monkeypatch.setenv("DISPLAY", tray_host.display)
    made: list[tuple[Tray, threading.Thread]] = []

    def make(ep: Endpoint) -> Tray:
        tray = open_tray(load(ep.config, load_types()), attached=True)
        thread = threading.Thread(target=tray.run, name="test-tray")
        thread.start()
        made.append((tray, thread))
        return tray
    yield make
    for tray, thread in made:
        tray.stop()
        thread.join(timeout=30)
        if thread.is_alive():
            faulthandler.dump_traceback(all_threads=True)
        assert not thread.is_alive(), "the tray did not stop"
    # pystray closes its X connection only when the icon is collected: do it while Xvfb still runs, not
    # in some later test (an icon collected after its X server ended once failed an unrelated test).
    made.clear()
    gc.collect()


def choose(tray: Tray, *path: str) -> None:
    """Choose a menu item the way a click does: pystray calls the item with the icon."""
    items: Any = tray.icon.menu.items
    item: Any = None
    for text in path:
        item = next(i for i in items if i.text == text)
        items = item.submenu.items if item.submenu else ()
    item(tray.icon)


def status_json(ep: Endpoint) -> dict[str, Any]:
    out = ep.cli("status", "--json")
    assert out.returncode == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def worker(ep: Endpoint, code: str) -> dict[str, Any]:
    return next(w for w in status_json(ep)["workers"] if w["code"] == code)


def test_restart_chosen_in_the_menu_restarts_that_worker_only(
        endpoint: EndpointFactory, attached_tray: Callable[[Endpoint], Tray]) -> None:
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=200) + plugin_toml("PROBE_B_100", tick_ms=200))
    a, b = ep.wait_state("PROBE_A_100", "RUNNING"), ep.wait_state("PROBE_B_100", "RUNNING")
    tray = attached_tray(ep)
    wait_for("the menu to list the plugins as restartable",
             lambda: (e := menu.find(tray.entries, "Restart", "PROBE_A_100")) is not None and e.enabled)

    choose(tray, "Restart", "PROBE_A_100")

    def restarted() -> dict[str, Any] | None:
        w = worker(ep, "PROBE_A_100")
        return w if w["state"] == "RUNNING" and w["pid"] != a["pid"] else None
    new = wait_for("PROBE_A_100 under a new pid in status --json", restarted, timeout=60)
    assert not psutil.pid_exists(a["pid"]) or psutil.Process(a["pid"]).status() == psutil.STATUS_ZOMBIE
    assert new["restarts"] >= 1
    assert worker(ep, "PROBE_B_100")["pid"] == b["pid"]


def test_pause_in_the_menu_turns_the_entry_into_resume_and_back(
        endpoint: EndpointFactory, attached_tray: Callable[[Endpoint], Tray]) -> None:
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=200))
    ep.wait_state("PROBE_A_100", "RUNNING")
    tray = attached_tray(ep)
    wait_for("Pause in the menu", lambda: menu.find(tray.entries, "Pause / Resume", "Pause PROBE_A_100"))

    choose(tray, "Pause / Resume", "Pause PROBE_A_100")
    wait_for("Resume in the menu", lambda: menu.find(tray.entries, "Pause / Resume", "Resume PROBE_A_100"))
    assert worker(ep, "PROBE_A_100")["paused"] is True
    assert menu.find(tray.entries, "Run now", "PROBE_A_100").enabled is False  # type: ignore[union-attr]

    choose(tray, "Pause / Resume", "Resume PROBE_A_100")
    ep.wait_state("PROBE_A_100", "RUNNING", timeout=60)
    wait_for("Pause in the menu again", lambda: menu.find(tray.entries, "Pause / Resume", "Pause PROBE_A_100"))


def test_open_log_folder_and_open_config_hand_the_paths_to_the_desktop(
        endpoint: EndpointFactory, attached_tray: Callable[[Endpoint], Tray], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened = tmp_path / "opened.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    xdg_open = bin_dir / "xdg-open"  # the desktop's opener, recording what it is asked to open
    xdg_open.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n', encoding="utf-8")
    xdg_open.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=0))
    tray = attached_tray(ep)
    wait_for("the tray to see the supervisor", lambda: tray.status is not None)
    choose(tray, "Open log folder")
    choose(tray, "Open config")
    wait_for("both paths opened", lambda: opened.exists() and len(opened.read_text().splitlines()) == 2)
    assert opened.read_text().splitlines() == [str(ep.data / "logs"), str(ep.config)]


def test_icon_colour_on_screen_follows_backoff_fatal_ok_and_disconnected(
        endpoint: EndpointFactory, attached_tray: Callable[[Endpoint], Tray], tray_host: XServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    x = tray_host
    # CRASHER dies within startsecs: one failed start -> BACKOFF for ~6 s; the second -> FATAL for 300 s.
    ep = endpoint(plugin_toml("PROBE_TICK_100", tick_ms=200) + plugin_toml("CRASHER", tick_ms=50,
                                                                             crash_after_s=0.1),
                  endpoint_extra="startretries = 1\nbackoff_initial = 6\nbackoff_max = 6\nfatal_retry = 300")
    tray = attached_tray(ep)
    _, box = icon_window(x)

    def crop() -> Any:
        left, top, right, bottom = box
        return x.screenshot((left - 8, 0, 1280, bottom + 2)).resize(((1280 - left + 8) * 4, (bottom + 2) * 4), 0)

    for state in ("backoff", "fatal"):
        wait_for(f"the {state} colour on screen", lambda s=state: icon_colour(x, box) == s, timeout=90)  # type: ignore[misc]
        save_screenshot(crop(), f"tray-{state}.png")
    assert "CRASHER: FATAL" in tray.icon.title
    assert "CRASHER stopped restarting (FATAL)" in capsys.readouterr().err  # xorg has no notifications

    assert ep.cli("pause", "CRASHER").returncode == 0  # a paused plugin is no alarm
    wait_for("the ok colour on screen", lambda: icon_colour(x, box) == "ok", timeout=60)
    save_screenshot(crop(), "tray-ok.png")
    assert tray.icon.title.splitlines() == ["Sellintegro test: all running", "PROBE_TICK_100: RUNNING",
                                            "CRASHER: paused"]

    assert ep.cli("stop").returncode == 0
    wait_for("the disconnected colour on screen", lambda: icon_colour(x, box) == "disconnected", timeout=60)
    save_screenshot(crop(), "tray-disconnected.png")
    wait_for("the menu to disable plugin commands",
             lambda: not menu.find(tray.entries, "Restart").enabled)  # type: ignore[union-attr]

    # The tray outlives the supervisor it attached to and picks it up again.
    assert ep.proc is not None and ep.proc.wait(timeout=60) == 0
    ep.start()
    wait_for("the icon to come back from grey", lambda: icon_colour(x, box) != "disconnected", timeout=60)


def test_quit_in_the_menu_stops_the_workers_gracefully_and_ends_run(
        endpoint: EndpointFactory, tray_host: XServer) -> None:
    """`sellintegro run`'s own tray: Runner.run(front) with the front on the main thread, as cmd_run does."""
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=100), start=False)
    driver = Path(__file__).with_name("quit_driver.py")
    out = subprocess.run([sys.executable, str(driver), str(ep.config), "PROBE_A_100"], capture_output=True,
                         text=True, timeout=180, env={**tray_host.env, "SELLINTEGRO_LANG": "en"})
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert lines["runner-exit"] == "0"
    assert not psutil.pid_exists(int(lines["worker-pid"]))
    assert "state STOPPING -> STOPPED: exit code 0" in ep.log("PROBE_A_100")  # it obeyed: no kill
    assert "supervisor stopped; every worker has exited" in ep.log("sellintegro")
    assert not (ep.data / "run" / "control.json").exists()


def one_line_fallback(output: str) -> str:
    lines = [line for line in output.splitlines() if "no tray available" in line]
    assert len(lines) == 1, output
    return lines[0]


def run_until_status(ep: Endpoint, env: dict[str, str]) -> str:
    """Start `sellintegro run` (tray wanted), check that it supervises headless, stop it, return its output."""
    run = run_with_tray(ep, env)
    ep.wait_state("PROBE_A_100", "RUNNING", timeout=60)
    assert status_json(ep)["supervisor"]["pid"] == run.pid
    assert ep.cli("stop").returncode == 0
    assert run.wait(timeout=120) == 0
    return ep.out.read_text(encoding="utf-8")


def test_run_without_a_display_says_why_in_one_line_and_runs_headless(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=200), start=False)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    line = one_line_fallback(run_until_status(ep, env))
    assert line == "no tray available (no graphical display (DISPLAY is not set)); running headless."


def test_run_with_a_display_that_does_not_answer_runs_headless(endpoint: EndpointFactory) -> None:
    """Regression: without a reachable X server `import pystray` raises an Xlib error, not ImportError."""
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=200), start=False)
    line = one_line_fallback(run_until_status(ep, {**os.environ, "DISPLAY": ":4321"}))
    assert line.startswith("no tray available (cannot use display :4321: ")


def test_run_on_a_display_without_a_tray_host_runs_headless(endpoint: EndpointFactory, xserver: XServer) -> None:
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=200), start=False)
    line = one_line_fallback(run_until_status(ep, xserver.env))
    assert line == (f"no tray available (no system tray on display {xserver.display} (no tray host owns "
                    "_NET_SYSTEM_TRAY_S0)); running headless.")


def test_tray_command_without_a_display_fails_in_one_line(endpoint: EndpointFactory) -> None:
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=0), start=False)
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    out = subprocess.run([sys.executable, "-m", "sellintegro", "tray", "--config", str(ep.config)],
                         capture_output=True, text=True, timeout=60, env={**env, "SELLINTEGRO_LANG": "en"})
    assert out.returncode == 1
    assert out.stderr == "sellintegro tray: no graphical display (DISPLAY is not set)\n"


def test_tray_command_attaches_to_a_running_supervisor_and_closes_on_sigterm(
        endpoint: EndpointFactory, tray_host: XServer) -> None:
    x = tray_host
    ep = endpoint(plugin_toml("PROBE_A_100", tick_ms=200))
    ep.wait_state("PROBE_A_100", "RUNNING")
    tray = subprocess.Popen([sys.executable, "-m", "sellintegro", "tray", "--config", str(ep.config)],
                            env={**x.env, "SELLINTEGRO_LANG": "en"}, stderr=subprocess.PIPE)
    try:
        icon, box = icon_window(x)
        wait_for("a green icon", lambda: icon_colour(x, box) == "ok", timeout=60)
        double_click(x, icon)
        wait_dump(ep.data, "the viewer, started by the attached tray", lambda d: d["connected"])
        tray.terminate()
        assert tray.wait(timeout=60) == 0
        assert ep.worker("PROBE_A_100")["state"] == "RUNNING"  # closing the tray leaves the service alone
        assert viewer_dump(ep.data)["connected"]  # and the viewer too
    finally:
        if tray.poll() is None:
            tray.kill()
            tray.wait(timeout=30)
        assert tray.stderr is not None
        tray.stderr.close()
