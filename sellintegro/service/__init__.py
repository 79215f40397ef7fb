"""Run modes: application (desktop), service-system and service-user (Windows service or systemd unit).

`sellintegro service install|uninstall|start|stop` drives the platform's service manager,
`sellintegro mode ...` switches between the modes without losing data or running two endpoints,
and `sellintegro autostart ...` starts the application mode at logon. See docs/run-modes.md.
"""

from __future__ import annotations

MODES = ("application", "service-system", "service-user")
SERVICE_MODES = ("service-system", "service-user")
# The Windows service name and the systemd unit: one endpoint per machine, so one fixed name.
SERVICE_NAME = "Sellintegro"
UNIT_NAME = "sellintegro.service"
DISPLAY_NAME = "Sellintegro endpoint"
DESCRIPTION = ("Sellintegro integration endpoint: BaseLinker orders, fiscal printers and invoice PDFs, "
               "one worker process per plugin.")
# On Linux, members of this group may read the service's control token, that is, attach a tray or a
# log follower; on Windows the same is decided by the ACL of the ProgramData directory.
ATTACH_GROUP = "sellintegro"


def mode_of(account: str) -> str:
    """The run mode of a service account kind ("system" or "user")."""
    return f"service-{account}"
