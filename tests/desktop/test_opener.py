"""Opening folders, the config, and the viewer, per platform (recording fakes, no desktop)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from sellintegro.desktop import opener


class Recorder:
    def __init__(self, fail: type[BaseException] | None = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.fail = fail

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((*args, kwargs))
        if self.fail is not None:
            raise self.fail("nope")


def test_linux_opens_folders_with_xdg_open_detached() -> None:
    spawn = Recorder()
    opener.open_path(Path("/data/logs"), platform="linux", spawn=spawn)
    (command, kwargs), = spawn.calls
    assert command == ["xdg-open", "/data/logs"]
    assert kwargs["start_new_session"] is True


def test_windows_uses_the_shell_and_falls_back_to_notepad_for_the_config() -> None:
    spawn, startfile = Recorder(), Recorder(OSError)
    opener.open_path(Path("C:/cfg.toml"), platform="win32", spawn=spawn, startfile=startfile, edit=True)
    assert startfile.calls == [("C:/cfg.toml", "edit", {})]
    assert spawn.calls == [(["notepad.exe", "C:/cfg.toml"], {})]


def test_a_missing_opener_is_reported_in_one_line() -> None:
    def spawn(*_a: Any, **_k: Any) -> None:
        raise FileNotFoundError(2, "No such file or directory", "xdg-open")
    with pytest.raises(opener.OpenFailed, match="xdg-open: not found"):
        opener.open_path(Path("/x"), platform="linux", spawn=spawn)


def test_the_viewer_command_line_names_the_config_and_data_dir() -> None:
    cmd = opener.viewer_command(Path("/etc/s.toml"), Path("/var/lib/s"), executable="/usr/bin/python3",
                                platform="linux")
    assert cmd == ["/usr/bin/python3", "-m", "sellintegro.desktop.viewer", "--config", "/etc/s.toml",
                   "--data-dir", "/var/lib/s"]


def test_the_viewer_uses_pythonw_on_windows_when_there_is_one(tmp_path: Path) -> None:
    (tmp_path / "pythonw.exe").write_bytes(b"")
    cmd = opener.viewer_command(Path("c.toml"), Path("d"), executable=str(tmp_path / "python.exe"),
                                platform="win32")
    assert cmd[0] == str(tmp_path / "pythonw.exe")


def test_the_viewer_starts_in_its_own_session_so_ctrl_c_on_run_spares_it() -> None:
    spawn = Recorder()
    opener.start_viewer(["python", "-m", "x"], spawn=spawn, platform="linux")
    (command, kwargs), = spawn.calls
    assert kwargs["start_new_session"] is True and kwargs["stdin"] is subprocess.DEVNULL
    spawn = Recorder()
    opener.start_viewer(["python", "-m", "x"], spawn=spawn, platform="win32")
    assert "creationflags" in spawn.calls[0][1]
