"""Worker process states and the moves allowed between them."""

from __future__ import annotations

import enum


class State(enum.Enum):
    STOPPED = "STOPPED"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    BACKOFF = "BACKOFF"
    STOPPING = "STOPPING"
    EXITED = "EXITED"
    FATAL = "FATAL"


# A process that is alive is in one of these.
ALIVE = frozenset({State.STARTING, State.RUNNING, State.STOPPING})

TRANSITIONS: dict[State, frozenset[State]] = {
    State.STOPPED: frozenset({State.STARTING}),
    # Ready -> RUNNING; died before startsecs or before ready -> BACKOFF; stop requested -> STOPPING.
    State.STARTING: frozenset({State.RUNNING, State.BACKOFF, State.STOPPING}),
    # Died within startsecs of its start still counts as a failed start -> BACKOFF.
    State.RUNNING: frozenset({State.STOPPING, State.EXITED, State.BACKOFF}),
    State.BACKOFF: frozenset({State.STARTING, State.FATAL, State.STOPPED}),
    State.STOPPING: frozenset({State.STOPPED}),
    State.EXITED: frozenset({State.STARTING, State.STOPPED}),
    State.FATAL: frozenset({State.STARTING, State.STOPPED}),
}


class InvalidTransition(RuntimeError):
    pass
