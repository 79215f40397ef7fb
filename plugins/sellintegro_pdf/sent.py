"""After an upload: move the file to the `sent` subfolder without ever overwriting an earlier one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def move_to_sent(path: Path, subfolder: str, sha256: str) -> Path:
    """Move `path` into `<its folder>/<subfolder>/`; returns where it went. A file of the same name already
    there with the same bytes makes this one redundant (it is removed); with other bytes (an earlier
    version of a corrected document) this one gets a free name "name (2).pdf". Raises OSError."""
    sent = path.parent / subfolder
    sent.mkdir(exist_ok=True)
    target = sent / path.name
    n = 1
    while True:
        try:
            same = hashlib.sha256(target.read_bytes()).hexdigest() == sha256
        except FileNotFoundError:
            break
        if same:
            path.unlink()
            return target
        n += 1
        target = sent / f"{path.stem} ({n}){path.suffix}"
    # The name was free a moment ago and only this plugin writes here. os.rename, not os.replace: on
    # Windows it fails rather than overwrite a file that appeared meanwhile.
    os.rename(path, target)
    return target
