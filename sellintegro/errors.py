"""Errors a person sees, each carrying its context.

SellintegroError
 ├── ConfigError          bad configuration; lists every problem with file and key (exit 2)
 ├── AlreadyRunning       a supervisor already holds this data directory's lock (exit 1)
 └── ControlError         the control API could not be used (exit 1)
      └── NotRunning      no supervisor answers for this data directory (exit 1)
"""

from __future__ import annotations

from dataclasses import dataclass

from .messages import msg


class SellintegroError(Exception):
    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One configuration problem: where (file and key) and why."""

    path: str
    key: str
    reason: str

    def __str__(self) -> str:
        return msg("config.error", path=self.path, key=self.key, reason=self.reason)


class ConfigError(SellintegroError):
    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [msg("config.header", count=len(self.problems))]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class AlreadyRunning(SellintegroError):
    pass


class ControlError(SellintegroError):
    pass


class NotRunning(ControlError):
    pass
