"""The live log viewer: its own process, attached through the control API, one per endpoint and user.

    python -m sellintegro.desktop.viewer --config PATH [--data-dir DIR]

Tabs: Logs (live follow with backfill, pause, filter by plugin and level, search with highlight, copy,
export), Journal, and Processes (code, pid, state, restarts, uptime, CPU, RSS). It survives supervisor
restarts by reconnecting and says "disconnected" meanwhile. A second start brings the open window to
the front instead (instance.py). Only the Tk thread touches widgets: the follower, the poller and the
request channel hand it events through queues that `pump()` drains every 50 ms.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import time
import tkinter as tk
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from tkinter import filedialog, ttk
from tkinter import font as tkfont
from typing import Any

from .. import places
from ..config import read_toml
from ..control import ControlClient
from ..errors import SellintegroError
from ..loghub import LEVELS, Record
from ..messages import msg
from . import instance, procs, viewmodel
from .livelog import LogFollower, StatusPoller
from .panes import JOURNAL_EVERY_MS, JournalPane, ProcessPane
from .viewmodel import ALL, ENDPOINT, Filters, LogBuffer, Marker

PUMP_MS = 50
PUMP_MAX = 5000  # records drawn per pump; a burst is drawn over several pumps, the UI stays responsive
REQUEST_TIMEOUT = 10.0
LEVEL_COLOURS = {"DEBUG": "#777777", "WARNING": "#9a6700", "ERROR": "#c62828", "CRITICAL": "#c62828"}


class LogPane:
    """The Logs tab: a read-only text widget fed from a LogBuffer through the filters."""

    def __init__(self, parent: tk.Misc, app: Viewer) -> None:
        self.app = app
        self.buffer = LogBuffer()
        self.frame = ttk.Frame(parent)
        bar = ttk.Frame(self.frame)
        bar.pack(fill="x", padx=4, pady=4)
        self.pause_button = ttk.Button(bar, text=msg("viewer.pause"), command=app.toggle_pause, width=10)
        self.pause_button.pack(side="left", padx=(0, 10))
        self.plugin = tk.StringVar(value=msg("viewer.all_plugins"))
        self.level = tk.StringVar(value="DEBUG")
        self.search = tk.StringVar(value="")
        ttk.Label(bar, text=msg("viewer.plugin")).pack(side="left")
        self.plugin_box = ttk.Combobox(bar, textvariable=self.plugin, width=22, state="readonly")
        self.plugin_box.pack(side="left", padx=(2, 10))
        ttk.Label(bar, text=msg("viewer.level")).pack(side="left")
        ttk.Combobox(bar, textvariable=self.level, width=9, state="readonly",
                     values=list(LEVELS)).pack(side="left", padx=(2, 10))
        ttk.Label(bar, text=msg("viewer.find")).pack(side="left")
        entry = ttk.Entry(bar, textvariable=self.search, width=16)
        entry.pack(side="left", padx=(2, 2))
        entry.bind("<Return>", lambda _e: self.next_match(forward=True))
        ttk.Button(bar, text="▲", width=2, command=lambda: self.next_match(forward=False)).pack(side="left")
        ttk.Button(bar, text="▼", width=2, command=lambda: self.next_match(forward=True)).pack(side="left")
        self.match_label = ttk.Label(bar, text="", width=11)
        self.match_label.pack(side="left", padx=6)
        ttk.Button(bar, text=msg("viewer.export"), command=self.export_dialog).pack(side="right")
        ttk.Button(bar, text=msg("viewer.copy"), command=self.copy).pack(side="right", padx=6)

        body = ttk.Frame(self.frame)
        body.pack(fill="both", expand=True)
        self.text = tk.Text(body, wrap="none", font="TkFixedFont", state="disabled", undo=False,
                            background="white", foreground="black")
        ys = ttk.Scrollbar(body, orient="vertical", command=self.text.yview)
        xs = ttk.Scrollbar(body, orient="horizontal", command=self.text.xview)
        self.text.configure(yscrollcommand=ys.set, xscrollcommand=xs.set)
        self.text.grid(row=0, column=0, sticky="nsew")
        ys.grid(row=0, column=1, sticky="ns")
        xs.grid(row=1, column=0, sticky="ew")
        body.rowconfigure(0, weight=1)
        body.columnconfigure(0, weight=1)
        for level, colour in LEVEL_COLOURS.items():
            self.text.tag_configure("level_" + level, foreground=colour)
        italic = tkfont.nametofont("TkFixedFont").copy()
        italic.configure(slant="italic")
        self.text.tag_configure("marker", foreground="#555555", font=italic)
        self.text.tag_configure("match", background="#ffe066")
        self.text.tag_configure("current", background="#ff9f1c")
        self.text.tag_raise("sel")
        self.text.bind("<Control-c>", lambda _e: self.copy())
        self.shown: list[int] = []  # lines per shown item, oldest first (to trim whole records)
        self.matches = 0
        self.plugin.trace_add("write", lambda *_: self.redraw())
        self.level.trace_add("write", lambda *_: self.redraw())
        self.search.trace_add("write", lambda *_: self.highlight_all())
        self.set_plugins([])

    # -- filters -------------------------------------------------------------------------------------------
    def set_plugins(self, codes: list[str]) -> None:
        names = sorted(set(codes) | self.buffer.plugins)
        self.plugin_box.configure(values=[msg("viewer.all_plugins"), msg("viewer.endpoint"), *names])

    def filters(self) -> Filters:
        choice = self.plugin.get()
        plugin = ALL if choice in ("", msg("viewer.all_plugins")) else ENDPOINT if choice in (
            ENDPOINT, msg("viewer.endpoint")) else choice
        return Filters(plugin=plugin, level=self.level.get() or "DEBUG")

    # -- drawing -------------------------------------------------------------------------------------------
    def add(self, items: list[Record | Marker]) -> None:
        """New items from the follower: kept, and drawn when they pass the filters."""
        self.buffer.add(items)
        f = self.filters()
        self._append([i for i in items if f(i)])

    def _append(self, items: list[Record | Marker]) -> None:
        if not items:
            return
        at_bottom = self.text.yview()[1] >= 0.999
        start_line = int(self.text.index("end-1c").split(".")[0])
        chunks: list[str] = []
        for item in items:
            text = viewmodel.line(item)
            chunks += [text, viewmodel.tag(item)]
            self.shown.append(text.count("\n"))
        self.text.configure(state="normal")
        self.text.insert("end", *chunks)
        excess = len(self.shown) - viewmodel.MAX_SHOWN
        if excess > 0:  # trim whole records from the top
            lines = sum(self.shown[:excess])
            del self.shown[:excess]
            self.text.delete("1.0", f"{lines + 1}.0")
            start_line = max(1, start_line - lines)
            self.matches = len(self.text.tag_ranges("match")) // 2
        self.text.configure(state="disabled")
        self._highlight(f"{start_line}.0")
        if at_bottom:
            self.text.see("end")

    def redraw(self) -> None:
        self.text.configure(state="normal")
        self.text.delete("1.0", "end")
        self.text.configure(state="disabled")
        self.shown = []
        self._append(self.buffer.visible(self.filters()))
        self.text.see("end")
        self.highlight_all()

    def visible_text(self) -> str:
        return self.text.get("1.0", "end-1c")

    # -- search --------------------------------------------------------------------------------------------
    def highlight_all(self) -> None:
        self.text.tag_remove("match", "1.0", "end")
        self.text.tag_remove("current", "1.0", "end")
        self.matches = 0
        self._highlight("1.0")

    def _highlight(self, start: str) -> None:
        """Mark the search text's occurrences from `start` on (new lines, or everything)."""
        needle = self.search.get()
        if needle:
            count = tk.IntVar()
            index = start
            while self.matches < 10_000:
                index = self.text.search(needle, index, stopindex="end", nocase=True, count=count)
                if not index or not count.get():
                    break
                end = f"{index}+{count.get()}c"
                self.text.tag_add("match", index, end)
                self.matches += 1
                index = end
        self.match_label.configure(text=msg("viewer.matches", count=self.matches) if needle else "")

    def next_match(self, forward: bool = True) -> None:
        needle = self.search.get()
        if not needle:
            return
        ranges = self.text.tag_ranges("current")
        here = (ranges[1] if forward else ranges[0]) if ranges else ("1.0" if forward else "end")
        index = self.text.search(needle, here, nocase=True, backwards=not forward)
        if not index:
            return
        self.text.tag_remove("current", "1.0", "end")
        self.text.tag_add("current", index, f"{index}+{len(needle)}c")
        self.text.see(index)

    # -- copy and export -----------------------------------------------------------------------------------
    def copy(self) -> str:
        """The selection, or else everything shown, to the clipboard."""
        try:
            text = self.text.get("sel.first", "sel.last")
        except tk.TclError:
            text = self.visible_text()
        self.text.clipboard_clear()
        self.text.clipboard_append(text)
        self.app.notice(msg("viewer.copied", count=text.count("\n") + (0 if text.endswith("\n") else 1)))
        return "break"

    def export_dialog(self) -> None:
        name = time.strftime("sellintegro-%Y%m%d-%H%M%S.log")
        path = filedialog.asksaveasfilename(parent=self.frame, initialfile=name, defaultextension=".log",
                                            filetypes=[("Log", "*.log"), ("Text", "*.txt"), ("*", "*")])
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> int:
        """Every record held that passes the filters, in the log files' format."""
        items = self.buffer.visible(self.filters(), limit=viewmodel.MAX_BUFFER)
        text = viewmodel.export_text(items)
        path.write_text(text, encoding="utf-8")
        count = sum(1 for i in items if isinstance(i, Record))
        self.app.notice(msg("viewer.exported", count=count, path=path))
        return count


class Viewer:
    def __init__(self, root: tk.Tk, data_dir: Path, name: str) -> None:
        self.root = root
        self.data_dir = data_dir
        self.name = name
        self.log_events: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self.events: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self.requests: queue.SimpleQueue[tuple[dict[str, Any], Future[dict[str, Any]]]] = queue.SimpleQueue()
        self.paused = False
        self.connected: bool | None = None
        self.log_lost = False  # the log stream broke; the next connection is a reconnection
        self.disconnect_reason = ""
        self.status: dict[str, Any] | None = None
        self.focus_requests = 0
        self.last_notice = ""
        self.sampler = procs.ProcessSampler()
        self.follower = LogFollower(self._connect, self.log_events.put)
        self.poller = StatusPoller(self._connect, self.events.put, self.sampler.sample)

        root.title(msg("viewer.title", name=name))
        root.geometry("1180x640")
        style = ttk.Style(root)
        if "clam" in style.theme_names() and sys.platform not in ("win32", "darwin"):
            style.theme_use("clam")  # Tk's X11 default theme looks like 1995; Windows and macOS keep native
        self.notebook = ttk.Notebook(root)
        self.notebook.pack(fill="both", expand=True)
        self.logs = LogPane(self.notebook, self)
        self.journal = JournalPane(self.notebook, data_dir, self.poller.submit, self.events.put)
        self.processes = ProcessPane(self.notebook, self.poller.submit, self.events.put, self.poller.call)
        self.tabs = {"logs": self.logs.frame, "journal": self.journal.frame, "processes": self.processes.frame}
        for key, frame in self.tabs.items():
            self.notebook.add(frame, text=msg(f"viewer.tab.{key}"))
        self.notebook.bind("<<NotebookTabChanged>>", lambda _e: self._tab_changed())
        self.status_bar = ttk.Label(root, text=msg("viewer.connecting"), anchor="w", relief="sunken")
        self.status_bar.pack(fill="x", side="bottom")
        root.protocol("WM_DELETE_WINDOW", root.destroy)

    def _connect(self) -> ControlClient:
        return ControlClient(places.run_dir(self.data_dir), self.data_dir, timeout=5.0)

    def start(self) -> None:
        self.follower.start()
        self.poller.start()
        self.root.after(PUMP_MS, self.pump)
        self.root.after(JOURNAL_EVERY_MS, self._journal_tick)

    def close(self) -> None:
        self.follower.close()
        self.poller.close()

    # -- the UI thread's loop ------------------------------------------------------------------------------
    def pump(self) -> None:
        try:
            self._pump()
        finally:
            self.root.after(PUMP_MS, self.pump)

    def _pump(self) -> None:
        while True:
            try:
                request, future = self.requests.get_nowait()
            except queue.Empty:
                break
            try:
                future.set_result(self.answer(request))
            except Exception as e:  # noqa: BLE001 - handed back to the requester
                future.set_exception(e)
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                break
            self._on_event(event)
        if self.paused:
            return  # the log holds still; what the follower queued before the pause waits here
        batch: list[Record | Marker] = []
        while len(batch) < PUMP_MAX:
            try:
                event = self.log_events.get_nowait()
            except queue.Empty:
                break
            kind = event[0]
            if kind == "record":
                batch.append(event[1])
            elif kind == "skipped":
                batch.append(Marker(msg("viewer.skipped", count=event[1])))
            elif kind == "log_connected":
                if self.log_lost:
                    batch.append(Marker(msg("viewer.reconnected", seq=event[1])))
                self.log_lost = False
                self._set_connected(True)
            elif kind == "log_disconnected":
                self.log_lost = True
                self._set_connected(False, event[1])
        self.logs.add(batch)

    def _on_event(self, event: tuple[Any, ...]) -> None:
        kind = event[0]
        if kind == "status":
            self.status = event[1]
            sup = self.status.get("supervisor", {}) if self.status else {}
            self.name = str(sup.get("name") or self.name)
            self._set_connected(True)
            codes = [w["code"] for w in self.status.get("workers", [])] if self.status else []
            self.logs.set_plugins(codes)
            self.journal.set_plugins(codes)
            self.processes.show(self.status, event[2])
            self._show_state()
        elif kind == "status_error":
            self.status = None
            self.processes.show(None, {})
            self._set_connected(False, event[1])
        elif kind == "journal":
            self.journal.show(event[1], event[2])
        elif kind == "notice":
            self.notice(event[1])

    def _set_connected(self, connected: bool, reason: str = "") -> None:
        if connected == self.connected and reason == self.disconnect_reason:
            return
        self.connected, self.disconnect_reason = connected, reason
        key = "viewer.title" if connected else "viewer.title_disconnected"
        self.root.title(msg(key, name=self.name))
        self._show_state()

    def _show_state(self) -> None:
        if not self.connected:
            text = msg("viewer.disconnected", reason=self.disconnect_reason or "-")
        else:
            sup = (self.status or {}).get("supervisor", {})
            text = msg("viewer.connected", name=self.name, pid=sup.get("pid", "?"), mode=sup.get("mode", "?"))
        if self.paused:
            seq = self.logs.buffer.last_seq() or 0
            newest = int((self.status or {}).get("supervisor", {}).get("log_seq", seq))
            text += "  |  " + msg("viewer.paused_at", seq=seq, count=max(0, newest - seq))
        if self.last_notice:
            text += "  |  " + self.last_notice
        self.status_bar.configure(text=text)

    def notice(self, text: str) -> None:
        self.last_notice = text
        self._show_state()

    def toggle_pause(self) -> None:
        self.set_paused(not self.paused)

    def set_paused(self, paused: bool) -> None:
        if paused == self.paused:
            return
        self.paused = paused
        if paused:
            self.follower.pause()
        else:
            self.follower.resume()
        self.logs.pause_button.configure(text=msg("viewer.resume") if paused else msg("viewer.pause"))
        self._show_state()

    def _tab_changed(self) -> None:
        if self.notebook.select() == str(self.journal.frame):
            self.journal.refresh()

    def _journal_tick(self) -> None:
        if self.notebook.select() == str(self.journal.frame):
            self.journal.refresh()
        self.root.after(JOURNAL_EVERY_MS, self._journal_tick)

    def raise_window(self) -> None:
        """Bring the window to the front (a second start, or the tray's double-click)."""
        self.root.deiconify()
        self.root.lift()
        self.root.attributes("-topmost", True)
        self.root.after(300, lambda: self.root.attributes("-topmost", False))
        self.root.focus_force()

    # -- the request channel (instance.py): called on its thread, answered on the UI thread ------------------
    def handle_request(self, request: dict[str, Any]) -> dict[str, Any]:
        future: Future[dict[str, Any]] = Future()
        self.requests.put((request, future))
        try:
            return future.result(timeout=REQUEST_TIMEOUT)
        except FutureTimeout:
            raise TimeoutError("the viewer's window did not answer in time") from None

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """focus | dump | pause | resume | set (plugin, level, search) | tab | copy | export (path) | press (button)."""
        cmd = request.get("cmd")
        if cmd == "focus":
            self.focus_requests += 1
            self.raise_window()
        elif cmd in ("pause", "resume"):
            self.set_paused(cmd == "pause")
        elif cmd == "set":
            for key in ("plugin", "level", "search"):
                if key in request:
                    getattr(self.logs, key).set(request[key])
            if "journal_plugin" in request:
                self.journal.plugin.set(request["journal_plugin"])
        elif cmd == "tab":
            self.notebook.select(self.tabs[request["name"]])
        elif cmd == "copy":
            self.logs.copy()
        elif cmd == "export":
            return {"count": self.logs.export(Path(request["path"]))}
        elif cmd == "press":
            if "select" in request:
                self.processes.select(request["select"])
            self.processes.press(request["button"])
        elif cmd != "dump":
            raise ValueError(f"unknown request {cmd!r}")
        return self.dump()

    def dump(self) -> dict[str, Any]:
        """What the widgets show, read back from them."""
        self.root.update_idletasks()
        return {
            "pid": os.getpid(), "title": self.root.title(), "status_bar": self.status_bar.cget("text"),
            "connected": bool(self.connected), "paused": self.paused, "focus_requests": self.focus_requests,
            "log_text": self.logs.visible_text(), "matches": self.logs.matches,
            "pause_button": self.logs.pause_button.cget("text"),
            "filters": {"plugin": self.logs.plugin.get(), "level": self.logs.level.get(),
                        "search": self.logs.search.get()},
            "tab": self.notebook.tab(self.notebook.select(), "text"),
            "processes": [list(r) for r in self.processes.rows],
            "journal": [list(r) for r in self.journal.rows], "journal_note": self.journal.count.cget("text"),
            "notice": self.last_notice, "frame_id": int(self.root.wm_frame(), 16),
            "geometry": [self.root.winfo_rootx(), self.root.winfo_rooty(), self.root.winfo_width(),
                         self.root.winfo_height()],
        }


def _endpoint(config: Path, data_dir: Path | None) -> tuple[Path, str]:
    """The data directory and the endpoint's name, from the arguments and the config file."""
    name = config.stem
    try:
        ep = read_toml(config).get("endpoint", {})
        name = str(ep.get("name") or name)
    except SellintegroError:
        ep = {}
    if data_dir is None:
        from ..cli import _control_dirs  # the CLI's own resolution, tolerant of a config that broke since

        data_dir, _ = _control_dirs(config)
    return data_dir, name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sellintegro.desktop.viewer",
                                     description="Sellintegro's live log viewer (one window per endpoint).")
    parser.add_argument("--config", type=Path, default=places.default_config_path(), metavar="PATH")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="the endpoint's data directory "
                        "(default: the one the config names)")
    args = parser.parse_args(argv)
    try:
        data_dir, name = _endpoint(args.config, args.data_dir)
    except SellintegroError as e:
        print(f"sellintegro viewer: {e}", file=sys.stderr)
        return e.exit_code
    key = instance.key_for(data_dir)
    inst = instance.Instance(key)
    if not inst.acquire() and not _focus_other_or_acquire(key, inst):
        return 0
    try:
        try:
            root = tk.Tk(className="SellintegroViewer")
        except tk.TclError as e:
            print(f"sellintegro viewer: {msg('viewer.no_display', reason=e)}", file=sys.stderr)
            return 1
        app = Viewer(root, data_dir, name)
        inst.serve(app.handle_request)
        app.start()
        try:
            root.mainloop()
        finally:
            app.close()
        return 0
    finally:
        inst.close()


def _focus_other_or_acquire(key: str, inst: instance.Instance) -> bool:
    """Another viewer holds the lock: bring it to the front (False), or, if it exits meanwhile, take
    its place (True). One that holds the lock but never answers is reported and left alone."""
    end = time.monotonic() + 15.0
    while time.monotonic() < end:
        try:
            reply = instance.request(key, {"cmd": "focus"})
            print(msg("viewer.focused_elsewhere", pid=reply.get("pid", "?")), file=sys.stderr)
            return False
        except instance.NoViewer:
            if inst.acquire():
                return True
            time.sleep(0.1)  # it holds the lock but is not listening yet (its window is being built)
    print(msg("viewer.no_instance", path=inst.lock_path), file=sys.stderr)
    return False


if __name__ == "__main__":
    sys.exit(main())
