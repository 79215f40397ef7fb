"""The OS seam: every effect the supervision policy has on the world goes through one of these."""

from __future__ import annotations

from typing import Any, Protocol

from .config import PluginConfig


class Handle(Protocol):
    """A spawned worker process."""

    pid: int


class OSLayer(Protocol):
    def spawn(self, plugin: PluginConfig) -> Handle:
        """Start a worker for `plugin`; raise OSError if it cannot be started."""

    def send(self, handle: Handle, message: dict[str, Any]) -> None:
        """Deliver a command to the worker (stop, run_now); a dead worker is not an error."""

    def kill_tree(self, handle: Handle) -> None:
        """Kill the worker and every process below it; a dead worker is not an error."""

    def random(self) -> float:
        """A number in [0, 1) for jitter."""

    def wall(self) -> float:
        """Wall-clock seconds since the epoch, only for showing times to people."""
