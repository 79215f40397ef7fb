"""Run `sellintegro run`'s own composition (Runner.run(front) with the tray on the main thread) and choose
Quit in the tray menu once the worker runs; print the worker's pid and the exit code of Runner.run.

A child process of test_tray.py rather than code in the pytest process: the core's worker pipes are
left for the garbage collector, which pytest (filterwarnings = error) reports as ResourceWarnings.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from sellintegro.config import load
from sellintegro.control import ControlClient
from sellintegro.desktop import menu
from sellintegro.desktop.tray import open_tray
from sellintegro.plugins import load_types
from sellintegro.runner import Runner


def main(config_path: str, code: str) -> int:
    config = load(Path(config_path), load_types())
    tray = open_tray(config, attached=False)
    data = config.endpoint.data_dir

    def choose_quit() -> None:
        end = time.monotonic() + 90
        while time.monotonic() < end:
            entry = menu.find(tray.entries, "Run now", code)
            if entry is not None and entry.enabled:  # the menu shows the worker RUNNING
                break
            time.sleep(0.05)
        status = ControlClient(data / "run", data).call("GET", "/v1/status")
        print("worker-pid", next(w["pid"] for w in status["workers"] if w["code"] == code), flush=True)
        items = tray.icon.menu.items
        quit_item = next(i for i in items if i.text == "Quit (stop all plugins)")
        quit_item(tray.icon)  # what a click on the menu item does
    threading.Thread(target=choose_quit, name="choose-quit", daemon=True).start()
    rc = Runner(config).run(tray)
    print("runner-exit", rc, flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
