"""Reading a file only when it is complete: regular, not locked by its writer, unchanged while read."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from sellintegro_pdf.reader import NotRegular, read_complete

from .conftest import make_pdf, run_python


@pytest.mark.parametrize("lock", ["flock", "lockf"])
def test_a_file_its_writer_holds_locked_is_not_read_until_released(tmp_path: Path, lock: str) -> None:
    path = tmp_path / "a.pdf"
    data = make_pdf("a")
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        if lock == "flock":
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        else:
            fcntl.lockf(f.fileno(), fcntl.LOCK_EX)
        # The reader runs in another process, as it does against a real writer.
        seen = run_python("import json; from pathlib import Path; from sellintegro_pdf.reader import *\n"
                          f"try:\n    read_complete(Path({str(path)!r})); print(json.dumps('read'))\n"
                          "except Locked:\n    print(json.dumps('locked'))")
        assert seen == "locked"
    assert read_complete(path) == data


def test_a_pipe_or_a_folder_named_like_a_pdf_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "dir.pdf").mkdir()
    for name in ("pipe.pdf", "dir.pdf"):
        with pytest.raises(NotRegular):
            read_complete(tmp_path / name)  # a pipe would block forever if it were opened


def test_a_file_without_read_permission_raises_permission_error_for_an_ordinary_account(tmp_path: Path) -> None:
    path = tmp_path / "secret.pdf"
    path.write_bytes(make_pdf("s"))
    path.chmod(0)
    result = run_python(
        "import json; from pathlib import Path; from sellintegro_pdf.reader import read_complete\n"
        f"try:\n    read_complete(Path({str(path)!r})); print(json.dumps('read'))\n"
        "except PermissionError as e:\n    print(json.dumps(e.strerror))", unprivileged=True)
    assert result == "Permission denied"
