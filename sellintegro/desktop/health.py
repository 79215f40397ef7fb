"""What the tray shows at a glance: one health value, a tooltip line per plugin, FATAL notifications.

Every function here takes a status snapshot (the JSON of GET /v1/status, or None when no supervisor
answers) and returns plain values, so the rules are tested without a display.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from ..messages import msg

Status = Mapping[str, Any]

# A worker reports progress at least every hang_timeout / 3 while idle; silence for half the timeout
# is therefore already abnormal, and the tray says so before the watchdog kills it.
HUNG_FRACTION = 0.5
# Windows keeps at most 127 characters of a tray tooltip (NOTIFYICONDATAW.szTip); pystray raises
# on longer ones.
WIN32_TIP_MAX = 127


class Health(enum.Enum):
    OK = "ok"                      # every enabled, unpaused plugin is running (or starting)
    BACKOFF = "backoff"            # something waits to be restarted after a crash
    FATAL = "fatal"                # something gave up restarting (FATAL) or looks hung
    DISCONNECTED = "disconnected"  # no supervisor answers


def _active(status: Status) -> list[Mapping[str, Any]]:
    return [w for w in status.get("workers", []) if w.get("enabled", True) and not w.get("paused")]


def hung_for(worker: Mapping[str, Any], hang_timeouts: Mapping[str, float]) -> float | None:
    """Seconds without a heartbeat when that looks like a hang (RUNNING, silent too long), else None."""
    timeout = hang_timeouts.get(worker.get("code", ""))
    age = worker.get("last_heartbeat_s")
    if timeout is None or age is None or worker.get("state") != "RUNNING":
        return None
    return float(age) if age > timeout * HUNG_FRACTION else None


def health(status: Status | None, hang_timeouts: Mapping[str, float] | None = None) -> Health:
    """The worst condition among the enabled, unpaused plugins."""
    if status is None:
        return Health.DISCONNECTED
    timeouts = hang_timeouts or {}
    workers = _active(status)
    if any(w.get("state") == "FATAL" or hung_for(w, timeouts) is not None for w in workers):
        return Health.FATAL
    # EXITED: it died after a good run and is about to be started again.
    if any(w.get("state") in ("BACKOFF", "EXITED") for w in workers):
        return Health.BACKOFF
    return Health.OK


def worker_line(worker: Mapping[str, Any], hang_timeouts: Mapping[str, float] | None = None) -> str:
    """One tooltip line: the plugin code and its state, with what a person needs to know about it."""
    code, state = worker.get("code", "?"), str(worker.get("state", "?"))
    if not worker.get("enabled", True):
        return f"{code}: {msg('desktop.tip.disabled')}"
    if worker.get("paused"):
        return f"{code}: {msg('desktop.tip.paused')}"
    hung = hung_for(worker, hang_timeouts or {})
    if hung is not None:
        return f"{code}: {state}, {msg('desktop.tip.hung', secs=hung)}"
    retry = worker.get("next_retry_in_s")
    if state in ("BACKOFF", "FATAL", "EXITED") and retry is not None:
        return f"{code}: {state}, {msg('desktop.tip.retry', secs=retry)}"
    return f"{code}: {state}"


_SUMMARY = {Health.OK: "desktop.tip.ok", Health.BACKOFF: "desktop.tip.backoff", Health.FATAL: "desktop.tip.fatal",
            Health.DISCONNECTED: "desktop.tip.disconnected"}


def tooltip(status: Status | None, name: str, hang_timeouts: Mapping[str, float] | None = None,
            max_len: int = 1000) -> str:
    """A title line, then one line per plugin; cut to `max_len` characters with a "+N more" line."""
    state = health(status, hang_timeouts)
    if status is not None:
        name = str(status.get("supervisor", {}).get("name") or name)
    title = msg("desktop.tip.title", name=name, summary=msg(_SUMMARY[state]))
    lines = [worker_line(w, hang_timeouts) for w in (status or {}).get("workers", [])]
    text = "\n".join([title, *lines])
    if len(text) <= max_len:
        return text
    title = title[:max_len]
    for keep in range(len(lines) - 1, -1, -1):
        more = msg("desktop.tip.more", count=len(lines) - keep)
        text = "\n".join([title, *lines[:keep], more])
        if len(text) <= max_len:
            return text
    return title


def newly_fatal(before: Status | None, after: Status | None) -> list[tuple[str, str]]:
    """(code, last error) of every plugin seen going FATAL between two snapshots.

    A plugin already FATAL in the first snapshot after (re)connecting is shown by the icon's colour,
    not announced: the tray did not see it happen.
    """
    if before is None or after is None:
        return []
    was = {w.get("code"): w.get("state") for w in before.get("workers", [])}
    return [(str(w.get("code")), str(w.get("last_error") or "")) for w in after.get("workers", [])
            if w.get("state") == "FATAL" and was.get(w.get("code")) != "FATAL"]
