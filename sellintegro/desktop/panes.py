"""The viewer's Journal and Processes tabs (Tk). They render what the poller hands them and send commands
through it; nothing here blocks the UI thread."""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import ttk
from typing import Any

from ..journal import JOURNAL_FILE, Journal
from ..journal import LEVELS as JOURNAL_LEVELS
from ..messages import msg
from . import procs

Submit = Callable[[Callable[[], None]], None]   # run a job on the poller's thread
Post = Callable[[tuple[Any, ...]], None]        # hand an event back to the UI thread
JOURNAL_LIMIT = 1000
JOURNAL_EVERY_MS = 5000


def _table(parent: tk.Misc, columns: dict[str, tuple[str, int]]) -> ttk.Treeview:
    frame = ttk.Frame(parent)
    frame.pack(fill="both", expand=True)
    tree = ttk.Treeview(frame, columns=list(columns), show="headings", selectmode="browse")
    for cid, (title, width) in columns.items():
        tree.heading(cid, text=title, anchor="w")
        tree.column(cid, width=width, stretch=cid in ("message", "cmdline"), anchor="w")
    ys = ttk.Scrollbar(frame, orient="vertical", command=tree.yview)
    xs = ttk.Scrollbar(frame, orient="horizontal", command=tree.xview)
    tree.configure(yscrollcommand=ys.set, xscrollcommand=xs.set)
    tree.grid(row=0, column=0, sticky="nsew")
    ys.grid(row=0, column=1, sticky="ns")
    xs.grid(row=1, column=0, sticky="ew")
    frame.rowconfigure(0, weight=1)
    frame.columnconfigure(0, weight=1)
    return tree


def read_journal(data_dir: Path, plugin: str | None, level: str | None) -> tuple[str, list[Any]]:
    """('', entries) or (a one-line reason, []); never creates the journal file."""
    path = data_dir / JOURNAL_FILE
    if not path.exists():
        return msg("viewer.journal_none"), []
    try:
        journal = Journal(data_dir)
        try:
            return "", journal.query(plugin=plugin or None, level=level or None, limit=JOURNAL_LIMIT)
        finally:
            journal.close()
    except Exception as e:  # noqa: BLE001 - sqlite3 and OS errors alike: say why in the tab
        return msg("viewer.journal_failed", path=path, reason=e), []


class JournalPane:
    """The plugins' journal ("dziennik"), newest last, refreshed every few seconds while shown."""

    def __init__(self, parent: tk.Misc, data_dir: Path, submit: Submit, post: Post) -> None:
        self.data_dir = data_dir
        self.submit = submit
        self.post = post
        self.frame = ttk.Frame(parent)
        bar = ttk.Frame(self.frame)
        bar.pack(fill="x", padx=4, pady=4)
        self.all = msg("viewer.all_plugins")
        self.plugin = tk.StringVar(value=self.all)
        self.level = tk.StringVar(value=self.all)
        ttk.Label(bar, text=msg("viewer.plugin")).pack(side="left")
        self.plugin_box = ttk.Combobox(bar, textvariable=self.plugin, width=28, state="readonly", values=[self.all])
        self.plugin_box.pack(side="left", padx=(2, 10))
        ttk.Label(bar, text=msg("viewer.level")).pack(side="left")
        ttk.Combobox(bar, textvariable=self.level, width=10, state="readonly",
                     values=[self.all, *JOURNAL_LEVELS]).pack(side="left", padx=(2, 10))
        ttk.Button(bar, text=msg("viewer.refresh"), command=self.refresh).pack(side="left")
        self.count = ttk.Label(bar, text="")
        self.count.pack(side="left", padx=10)
        self.tree = _table(self.frame, {
            "time": (msg("viewer.col.time"), 170), "plugin": (msg("viewer.col.plugin"), 220),
            "level": (msg("viewer.col.level"), 70), "subject": (msg("viewer.col.subject"), 140),
            "message": (msg("viewer.col.message"), 500)})
        self.tree.tag_configure("warning", foreground="#9a6700")
        self.tree.tag_configure("error", foreground="#c62828")
        self.plugin.trace_add("write", lambda *_: self.refresh())
        self.level.trace_add("write", lambda *_: self.refresh())
        self.pending = False
        self.rows: list[tuple[str, ...]] = []

    def set_plugins(self, codes: list[str]) -> None:
        self.plugin_box.configure(values=[self.all, *codes])

    def refresh(self) -> None:
        if self.pending:
            return
        self.pending = True
        plugin, level = (None if v.get() == self.all else v.get() for v in (self.plugin, self.level))
        self.submit(lambda: self.post(("journal", *read_journal(self.data_dir, plugin, level))))

    def show(self, note: str, entries: list[Any]) -> None:
        self.pending = False
        self.tree.delete(*self.tree.get_children())
        self.rows = []
        for e in entries:
            row = (time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.time)), e.plugin, e.level,
                   e.subject or "", e.message)
            self.rows.append(row)
            self.tree.insert("", "end", values=row, tags=(e.level,))
        if entries:
            self.tree.see(self.tree.get_children()[-1])
        self.count.configure(text=note or msg("viewer.journal_count", count=len(entries), limit=JOURNAL_LIMIT))


class ProcessPane:
    """The Task Manager view: one row per process with its plugin code, and the tray menu's commands."""

    def __init__(self, parent: tk.Misc, submit: Submit, post: Post, call: Callable[..., Any]) -> None:
        self.submit = submit
        self.post = post
        self.call = call
        self.frame = ttk.Frame(parent)
        bar = ttk.Frame(self.frame)
        bar.pack(fill="x", padx=4, pady=4)
        self.buttons: dict[str, ttk.Button] = {}
        for name, text in (("restart", msg("desktop.menu.restart")), ("run_now", msg("desktop.menu.run_now")),
                           ("pause", msg("viewer.pause")), ("restart_all", msg("viewer.restart_all"))):
            button = ttk.Button(bar, text=text, command=lambda n=name: self.press(n))  # type: ignore[misc]
            button.pack(side="left", padx=(0, 6))
            self.buttons[name] = button
        titles = {"code": 230, "type": 100, "pid": 70, "state": 150, "restarts": 90, "uptime": 90, "cpu": 70,
                  "rss": 120, "cmdline": 400}
        self.tree = _table(self.frame, {c: (msg(f"viewer.col.{c}"), w) for c, w in titles.items()})
        self.tree.bind("<<TreeviewSelect>>", lambda _e: self._update_buttons())
        self.workers: dict[str, dict[str, Any]] = {}
        self.rows: list[tuple[str, ...]] = []

    def show(self, status: dict[str, Any] | None, samples: dict[int, procs.Sample]) -> None:
        if status is None:
            for iid in self.tree.get_children():
                self.tree.item(iid, tags=("gone",))
            return
        self.workers = {w["code"]: w for w in status.get("workers", [])}
        rows = procs.rows(status, samples)
        self.rows = [values for _, values in rows]
        wanted = [iid for iid, _ in rows]
        for iid in self.tree.get_children():
            if iid not in wanted:
                self.tree.delete(iid)
        for index, (iid, values) in enumerate(rows):
            if self.tree.exists(iid):
                self.tree.item(iid, values=values)
                self.tree.move(iid, "", index)
            else:
                self.tree.insert("", index, iid=iid, values=values)
        self._update_buttons()

    def selected(self) -> str | None:
        sel = [iid for iid in self.tree.selection() if iid in self.workers]
        return sel[0] if sel else None

    def select(self, code: str) -> None:
        if self.tree.exists(code):
            self.tree.selection_set(code)

    def _update_buttons(self) -> None:
        w = self.workers.get(self.selected() or "")
        paused = bool(w and w.get("paused"))
        self.buttons["pause"].configure(text=msg("viewer.resume") if paused else msg("viewer.pause"))
        for name in ("restart", "run_now", "pause"):
            self.buttons[name].state(["!disabled"] if w else ["disabled"])

    def press(self, name: str) -> None:
        """A button: the command goes through the poller thread; the outcome comes back as a notice."""
        code = self.selected()
        body: dict[str, Any]
        if name == "restart_all":
            path, body, label = "/v1/restart", {"all": True}, msg("viewer.restart_all")
        elif code is None:
            self.post(("notice", msg("viewer.select_plugin")))
            return
        elif name == "pause" and self.workers[code].get("paused"):
            path, body, label = "/v1/resume", {"code": code}, msg("desktop.menu.resume", code=code)
        elif name == "pause":
            path, body, label = "/v1/pause", {"code": code}, msg("desktop.menu.pause", code=code)
        elif name == "run_now":
            path, body, label = "/v1/run-now", {"code": code}, f"{msg('desktop.menu.run_now')} {code}"
        else:
            path, body, label = "/v1/restart", {"code": code}, f"{msg('desktop.menu.restart')} {code}"

        def job() -> None:
            try:
                self.call("POST", path, body)
                self.post(("notice", msg("viewer.done", action=label)))
            except Exception as e:  # noqa: BLE001 - shown in the status bar, whatever it was
                self.post(("notice", msg("viewer.failed", action=label, reason=e)))
        self.submit(job)
