"""Moving the endpoint's data and config between the user's places and the machine-wide ones.

Nothing is lost: the data (journal, state with cursors and idempotency records, logs, pauses) is copied,
the copy is compared file by file (size and SHA-256) with the original, and only then does it take the
target's place. The original is renamed `<name>.moved-<time>` rather than deleted, so it can neither be
used by mistake (stale cursors would repeat documents) nor be lost. Everything can be undone.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ServiceError

# The run directory belongs to one running supervisor: its lock and its control token never move.
EXCLUDE = ("run",)


def manifest(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under `root` (but the run directory): relative path -> (size, SHA-256)."""
    found: dict[str, tuple[int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in EXCLUDE]
        for name in filenames:
            path = here / name
            digest = hashlib.sha256()
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            found[path.relative_to(root).as_posix()] = (path.stat().st_size, digest.hexdigest())
    return found


@dataclass
class Moved:
    """A finished move, with what undo() needs."""

    src: Path
    dst: Path
    backup: Path | None  # where the original went (None: there was nothing to move)
    aside: Path | None  # where an older dst went (None: there was none)
    files: int = 0

    def undo(self) -> None:
        if self.backup is not None:
            if self.dst.exists():
                shutil.rmtree(self.dst)
            self.backup.rename(self.src)
        if self.aside is not None:
            if self.dst.exists():
                shutil.rmtree(self.dst)
            self.aside.rename(self.dst)


def _free(path: Path, stamp: str, what: str) -> Path:
    candidate = path.with_name(f"{path.name}.{what}-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{what}-{stamp}-{n}")
    return candidate


def move_data(src: Path, dst: Path, stamp: str) -> Moved:
    """Copy `src` to `dst` verified, put an older `dst` aside, and rename `src` to a backup name."""
    if src.resolve() == dst.resolve():
        return Moved(src, dst, None, None)
    if not src.exists() or not any(src.iterdir()):
        dst.mkdir(parents=True, exist_ok=True)
        return Moved(src, dst, None, None)
    partial = dst.with_name(dst.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copytree(src, partial, symlinks=True, ignore=lambda d, names: EXCLUDE if Path(d) == src else ())
        want, got = manifest(src), manifest(partial)
    except OSError as e:
        shutil.rmtree(partial, ignore_errors=True)
        raise ServiceError(f"copying {src} to {dst} failed ({e}); {src} is untouched") from None
    if want != got:
        differ = sorted(set(want) ^ set(got)) or sorted(k for k in want if want[k] != got.get(k))
        shutil.rmtree(partial)
        raise ServiceError(f"copying {src} to {dst} did not give the same files ({', '.join(differ[:5])}); "
                           f"{src} is untouched")
    # The original is renamed first: on Windows a file still held open fails the move here, before
    # anything else has changed.
    backup = _free(src, stamp, "moved")
    try:
        src.rename(backup)
    except OSError as e:
        shutil.rmtree(partial, ignore_errors=True)
        raise ServiceError(f"cannot move {src} ({e}); is a program still using it? {src} is untouched") from None
    aside = None
    try:
        if dst.exists():
            aside = _free(dst, stamp, "replaced")
            dst.rename(aside)
        partial.rename(dst)
    except OSError as e:
        if aside is not None and not dst.exists():
            aside.rename(dst)
        backup.rename(src)
        shutil.rmtree(partial, ignore_errors=True)
        raise ServiceError(f"cannot put the data in place at {dst} ({e}); {src} is untouched") from None
    return Moved(src, dst, backup, aside, files=len(want))


# -- config ------------------------------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\s*endpoint\s*\]\s*(#.*)?$")
_TABLE = re.compile(r"^\s*\[")
_DATA_DIR = re.compile(r"^\s*data_dir\s*=")


def toml_string(value: str) -> str:
    """A TOML string for a path (a literal string keeps Windows backslashes readable)."""
    if "'" not in value and "\n" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def with_data_dir(config_text: str, data_dir: Path) -> str:
    """The config text with [endpoint].data_dir set to `data_dir`; comments and the rest stay as they were."""
    line = f"data_dir = {toml_string(str(data_dir))}"
    lines = config_text.splitlines()
    header = next((i for i, x in enumerate(lines) if _HEADER.match(x)), None)
    if header is None:
        out = ["[endpoint]", line, "", *lines]
    else:
        end = next((i for i in range(header + 1, len(lines)) if _TABLE.match(lines[i])), len(lines))
        existing = next((i for i in range(header + 1, end) if _DATA_DIR.match(lines[i])), None)
        out = list(lines)
        if existing is None:
            out.insert(header + 1, line)
        else:
            out[existing] = line
    result = "\n".join(out) + "\n"
    parsed = tomllib.loads(result).get("endpoint", {}).get("data_dir")
    if parsed != str(data_dir):
        raise ServiceError(f"could not set [endpoint].data_dir in the config (got {parsed!r}); edit it by hand")
    return result


def explicit_data_dir(config_path: Path) -> bool:
    """Whether the file sets [endpoint].data_dir (else the per-user default applies)."""
    try:
        with open(config_path, "rb") as f:
            raw = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return False
    endpoint = raw.get("endpoint")
    return isinstance(endpoint, dict) and isinstance(endpoint.get("data_dir"), str)


@dataclass
class MovedConfig:
    src: Path
    dst: Path
    backup: Path | None
    aside: Path | None

    def undo(self) -> None:
        if self.backup is not None:
            self.backup.rename(self.src)
        if self.dst.exists() and self.dst != self.src:
            self.dst.unlink()
        if self.aside is not None:
            self.aside.rename(self.dst)


def move_config(src: Path, dst: Path, data_dir: Path, stamp: str) -> MovedConfig:
    """Write `src` to `dst` pointing at `data_dir`, put an older `dst` aside, rename `src` to a backup name."""
    content = with_data_dir(src.read_text(encoding="utf-8"), data_dir)
    aside = None
    if dst.exists() and dst != src:
        aside = _free(dst, stamp, "replaced")
        dst.rename(aside)
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(content)
    backup = None
    if dst != src:
        backup = _free(src, stamp, "moved")
        src.rename(backup)
    os.replace(tmp, dst)
    return MovedConfig(src, dst, backup, aside)


def data_dir_of(config_path: Path, default: Path) -> Path:
    """[endpoint].data_dir of the file (relative to the file), or `default` when it sets none."""
    try:
        with open(config_path, "rb") as f:
            raw = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return default
    endpoint = raw.get("endpoint")
    value = endpoint.get("data_dir") if isinstance(endpoint, dict) else None
    if not isinstance(value, str):
        return default
    path = Path(value)
    return path if path.is_absolute() else config_path.resolve().parent / path
