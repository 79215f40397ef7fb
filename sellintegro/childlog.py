"""Log records of a plugin's own child processes, into the worker's channel.

Two ways, by how the children start:
- fork (Linux's multiprocessing default): multiprocessing-logging wraps the worker's handlers with a
  queue, so a forked child's records travel to the worker, which alone writes the channel. Without it
  a forked child would write the inherited pipe itself, and long lines of two processes could
  interleave. It asserts the fork start method, so it is used only there.
- spawn (Windows, macOS, or a plugin that asks for it): a child inherits no handlers, so the worker
  runs a stdlib QueueListener on a multiprocessing queue, and the child installs a QueueHandler on it
  with `attach(queue)`.
Children started with subprocess.Popen write to the worker's stderr, which lands in the log as raw lines.
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
from typing import Any

_state: dict[str, Any] = {}


def enable(start_method: str | None = None) -> Any:
    """Prepare the worker for logging children; returns None (fork) or the queue for `attach` (spawn)."""
    method = start_method or multiprocessing.get_start_method(allow_none=False)
    root = logging.getLogger()
    if method == "fork":
        if not _state.get("fork"):
            import multiprocessing_logging

            multiprocessing_logging.install_mp_handler(root)
            _state["fork"] = True
        return None
    if "queue" not in _state:
        ctx = multiprocessing.get_context(method)
        queue = ctx.Queue()
        listener = logging.handlers.QueueListener(queue, *root.handlers, respect_handler_level=True)
        listener.start()
        _state["queue"], _state["listener"] = queue, listener
    return _state["queue"]


def attach(queue: Any) -> None:
    """In a spawned child: send every log record to the worker through `queue` (None: nothing to do)."""
    if queue is None:
        return
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(queue)]
    root.setLevel(logging.DEBUG)


def disable() -> None:
    """Stop forwarding (the worker is exiting)."""
    listener = _state.pop("listener", None)
    if listener is not None:
        listener.stop()
    _state.pop("queue", None)
    if _state.pop("fork", None):
        import multiprocessing_logging

        multiprocessing_logging.uninstall_mp_handler(logging.getLogger())
