"""Watching the source folders (watchdog): the system's change events, or polling for network shares.

Observer threads only note which paths changed and wake the plugin's loop; every decision is taken
in the worker's main thread (the one whose progress feeds the hang watchdog). One folder is watched
without its subfolders, so the `sent` subfolder never shows up.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from .names import is_pdf_name

log = logging.getLogger("plugin.pdf.watcher")
# watchdog logs every inotify event at DEBUG, and a worker ships DEBUG records: one line per event
# drowns the plugin's own records.
logging.getLogger("watchdog").setLevel(logging.INFO)

# Mount types whose change notifications do not carry other machines' writes (Linux).
NETWORK_FS = frozenset({"cifs", "smb3", "smbfs", "nfs", "nfs4", "afs", "9p", "ceph", "glusterfs", "davfs",
                        "fuse.sshfs", "fuse.rclone", "fuse.gvfsd-fuse", "ncpfs", "lustre", "gpfs", "beegfs"})
# Events that say nothing new about a file's content: our own reads cause them.
_IGNORED = frozenset({"opened", "closed_no_write"})


def is_network(folder: str) -> bool:
    """A UNC path, a Windows network drive, or a Linux network mount."""
    if folder.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - written for Windows, not verified there
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(folder))[0]
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
    return _mount_type(os.path.realpath(folder)) in NETWORK_FS


def _mount_type(path: str) -> str:
    best, kind = "", ""
    try:
        with open("/proc/self/mounts", encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 3:
                    continue
                point = parts[1].replace("\\040", " ")
                inside = path == point or path.startswith(point.rstrip("/") + "/")
                if inside and len(point) >= len(best):
                    best, kind = point, parts[2]
    except OSError:
        return ""
    return kind


def watch_mode(setting: str, folder: str) -> str:
    """"events" or "polling": how the `watch` setting watches `folder`."""
    return "polling" if setting == "polling" or (setting == "auto" and is_network(folder)) else "events"


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher, folder: str) -> None:
        self.watcher = watcher
        self.name = folder
        self.folder = os.path.normcase(os.path.abspath(folder))

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _IGNORED:
            return
        if event.is_directory:
            # The folder itself went away (or a subfolder changed): let the loop look at the folders.
            self.watcher.wake.set()
            return
        for raw in (event.src_path, event.dest_path):
            path = os.fsdecode(raw)
            if path and is_pdf_name(os.path.basename(path)) and \
                    os.path.normcase(os.path.dirname(os.path.abspath(path))) == self.folder:
                self.watcher.note(Path(path), self.name)


class Watcher:
    """The observers of one plugin; lives as long as the worker process, across cycles."""

    def __init__(self, mode: str, poll_seconds: float) -> None:
        self.mode = mode  # auto | events | polling
        self.poll_seconds = poll_seconds
        self.wake = threading.Event()
        self._lock = threading.Lock()
        self._changed: dict[Path, str] = {}  # path -> its folder as configured, in the order seen
        self._native: BaseObserver | None = None
        self._polling: BaseObserver | None = None
        self._watches: dict[str, tuple[BaseObserver, ObservedWatch, str]] = {}

    def note(self, path: Path, folder: str) -> None:
        with self._lock:
            self._changed[path] = folder
        self.wake.set()

    def drain(self) -> list[tuple[Path, str]]:
        """The paths that changed since the last call, each with its folder."""
        with self._lock:
            paths = list(self._changed.items())
            self._changed.clear()
        return paths

    def wait(self, timeout: float) -> None:
        """Until something changes, or `timeout` seconds."""
        self.wake.wait(max(0.0, timeout))
        self.wake.clear()

    def how(self, folder: str) -> str:
        """"events" or "polling": how `folder` is (or would be) watched."""
        entry = self._watches.get(folder)
        return entry[2] if entry is not None else watch_mode(self.mode, folder)

    def attach(self, folder: str) -> str:
        """Start watching `folder`; returns how. Raises OSError when the folder cannot be watched at all."""
        self.detach(folder)
        how = self.how(folder)
        if how == "events":
            try:
                watch = self._observer("events").schedule(_Handler(self, folder), folder, recursive=False)
            except OSError as e:
                if not os.path.isdir(folder):
                    raise
                # inotify's watch limit, or a file system without notifications: polling still works.
                log.warning("folder %s: change notifications unavailable (%s); polling it every %g s",
                            folder, e, self.poll_seconds)
                how = "polling"
        if how == "polling":
            watch = self._observer("polling").schedule(_Handler(self, folder), folder, recursive=False)
        self._watches[folder] = (self._observer(how), watch, how)
        return how

    def detach(self, folder: str) -> None:
        entry = self._watches.pop(folder, None)
        if entry is None:
            return
        observer, watch, _ = entry
        try:
            observer.unschedule(watch)
        except (KeyError, OSError) as e:  # the folder is gone and its emitter with it
            log.debug("folder %s: unschedule: %s", folder, e)

    def _observer(self, how: str) -> BaseObserver:
        if how == "events":
            if self._native is None:
                self._native = Observer()
                self._native.start()
            return self._native
        if self._polling is None:
            self._polling = PollingObserver(timeout=self.poll_seconds)
            self._polling.start()
        return self._polling

    def stop(self) -> None:
        for folder in list(self._watches):
            self.detach(folder)
        for observer in (self._native, self._polling):
            if observer is not None:
                observer.stop()
                observer.join(timeout=5)
        self._native = self._polling = None
