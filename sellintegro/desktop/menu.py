"""The tray menu as plain data built from a status snapshot, and its rendering as a pystray menu.

The model names commands as tuples (`("restart", CODE)`, `("quit",)`, ...); the tray executes them
through the control API. Entries follow live state: a paused plugin offers Resume, and Run now is
offered only to a RUNNING plugin (the supervisor refuses it otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..messages import msg
from .health import Status

Command = tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    text: str
    command: Command | None = None
    children: tuple[Entry, ...] = ()
    enabled: bool = True
    default: bool = False


SEPARATOR = Entry("-")


def _workers(status: Status | None, codes: Iterable[str]) -> list[dict[str, Any]]:
    """The plugins to list: from the snapshot, or (not connected) the config's codes as unknown."""
    if status is not None:
        return [dict(w) for w in status.get("workers", [])]
    return [{"code": c, "state": None, "enabled": True, "paused": False} for c in codes]


def _submenu(text: str, entries: list[Entry]) -> Entry:
    if not entries:
        entries = [Entry(msg("desktop.menu.none"), enabled=False)]
    return Entry(text, children=tuple(entries), enabled=any(e.enabled for e in entries if e != SEPARATOR))


def build(status: Status | None, codes: Sequence[str] = (), attached: bool = False) -> tuple[Entry, ...]:
    """The whole menu. `attached`: the tray runs beside a supervisor it does not own (a service)."""
    connected = status is not None
    workers = _workers(status, codes)
    restart = [Entry(w["code"], ("restart", w["code"]), enabled=connected and w.get("enabled", True))
               for w in workers]
    if restart:
        restart += [SEPARATOR, Entry(msg("desktop.menu.all"), ("restart_all",), enabled=connected)]
    run_now = [Entry(w["code"], ("run_now", w["code"]), enabled=connected and w.get("state") == "RUNNING")
               for w in workers]
    pause = []
    for w in workers:
        if w.get("paused"):
            pause.append(Entry(msg("desktop.menu.resume", code=w["code"]), ("resume", w["code"]),
                               enabled=connected and w.get("enabled", True)))
        else:
            pause.append(Entry(msg("desktop.menu.pause", code=w["code"]), ("pause", w["code"]),
                               enabled=connected and w.get("enabled", True)))
    ending = ([Entry(msg("desktop.menu.stop_endpoint"), ("stop_endpoint",), enabled=connected),
               Entry(msg("desktop.menu.close_tray"), ("quit",))] if attached
              else [Entry(msg("desktop.menu.quit"), ("quit",))])
    return (
        Entry(msg("desktop.menu.show_logs"), ("show_logs",), default=True),
        SEPARATOR,
        _submenu(msg("desktop.menu.restart"), restart),
        _submenu(msg("desktop.menu.run_now"), run_now),
        _submenu(msg("desktop.menu.pause_resume"), pause),
        SEPARATOR,
        Entry(msg("desktop.menu.open_logs"), ("open_logs",)),
        Entry(msg("desktop.menu.open_config"), ("open_config",)),
        SEPARATOR,
        *ending,
    )


def find(entries: Iterable[Entry], *path: str) -> Entry | None:
    """The entry reached by following texts through submenus (`find(menu, "Restart", "CODE")`)."""
    current: Iterable[Entry] = entries
    found: Entry | None = None
    for text in path:
        found = next((e for e in current if e.text == text), None)
        if found is None:
            return None
        current = found.children
    return found


def to_pystray(entries: Sequence[Entry], run: Callable[[Command], None], pystray: Any) -> Any:
    """A `pystray.Menu` for the model; choosing an item calls `run(command)` (which must not block)."""
    def item(e: Entry) -> Any:
        if e is SEPARATOR or e.text == SEPARATOR.text:
            return pystray.Menu.SEPARATOR
        if e.children:
            return pystray.MenuItem(e.text, pystray.Menu(*[item(c) for c in e.children]), enabled=e.enabled)
        command = e.command

        def action(_icon: Any, _item: Any) -> None:
            if command is not None:
                run(command)
        return pystray.MenuItem(e.text, action, enabled=e.enabled, default=e.default)
    return pystray.Menu(*[item(e) for e in entries])
