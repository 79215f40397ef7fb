"""Where things live: config, data, logs and run-time files, by platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "sellintegro"
CONFIG_NAME = "sellintegro.toml"


def default_config_path() -> Path:
    """SELLINTEGRO_CONFIG, else the per-user config location."""
    env = os.environ.get("SELLINTEGRO_CONFIG")
    if env:
        return Path(env)
    # In a service mode the machine-wide config is the one: status, logs -f and tray find the service.
    from .service.modes import service_config

    machine = service_config()
    if machine is not None and os.access(machine, os.R_OK):
        return machine
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / CONFIG_NAME


def default_data_dir() -> Path:
    """The per-user data directory (application mode)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def run_dir(data_dir: Path) -> Path:
    """Run-time files: the single-instance lock and the control API's address and token."""
    return data_dir / "run"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` readable only by its owner on POSIX (Windows inherits the profile's ACL)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


# -- Machine-wide places: the service modes (ProgramData on Windows, /etc and /var/lib on Linux) -------------
# `root` puts them under another directory (an image being built, a test); None means the real system.


def under_root(path: Path, root: Path | None) -> Path:
    """`path` inside `root` (None or / : the real system)."""
    if root is None or root == Path(root.anchor):
        return path
    return root / path.relative_to(path.anchor)


def machine_config_dir(root: Path | None = None) -> Path:
    """The service modes' config directory: C:\\ProgramData\\sellintegro, or /etc/sellintegro."""
    import sys

    if sys.platform == "win32":
        return under_root(Path(platformdirs.site_config_dir(APP, appauthor=False)), root)
    # platformdirs' site dirs on Linux are XDG's read-only shares (/etc/xdg, /usr/local/share); a service's
    # config and state belong in /etc and /var/lib (FHS), as DESIGN.md says.
    return under_root(Path("/etc") / APP, root)


def machine_config_path(root: Path | None = None) -> Path:
    return machine_config_dir(root) / CONFIG_NAME


def machine_data_dir(root: Path | None = None) -> Path:
    """The service modes' data directory (state, journal, logs, control token)."""
    import sys

    if sys.platform == "win32":
        return under_root(Path(platformdirs.site_data_dir(APP, appauthor=False)) / "data", root)
    return under_root(Path("/var/lib") / APP, root)


def machine_mode_file(root: Path | None = None) -> Path:
    """Which run mode this machine is in (written by `sellintegro mode`); absent means application mode."""
    return machine_config_dir(root) / "mode.json"
