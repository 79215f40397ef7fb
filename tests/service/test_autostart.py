"""Start at logon: the XDG autostart entry (Linux) and the Run key (Windows, through the recording fake)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from sellintegro.service.autostart import (
    RUN_VALUE,
    RunKeyAutostart,
    XdgAutostart,
    desktop_entry,
    desktop_exec,
    logon_command,
)
from sellintegro.service.plan import carry_out

from .fakes import FakeWindows


def _unexec(value: str) -> list[str]:
    """Read an Exec= value back as the Desktop Entry Specification says: the string escapes first, then
    the arguments (a quoted one unescapes \\" \\` \\$ and \\\\), then %% is %."""
    value = value.replace("\\\\", "\\")
    args, i = [], 0
    while i < len(value):
        if value[i] == " ":
            i += 1
            continue
        arg = ""
        if value[i] == '"':
            i += 1
            while value[i] != '"':
                if value[i] == "\\":
                    i += 1
                arg += value[i]
                i += 1
            i += 1
        else:
            while i < len(value) and value[i] != " ":
                arg += value[i]
                i += 1
        args.append(arg.replace("%%", "%"))
    return args


def test_application_mode_starts_the_endpoint_with_its_tray_at_logon(tmp_path: Path) -> None:
    argv = logon_command("application", tmp_path / "my config.toml")
    assert argv is not None and argv[-3:] == ["run", "--config", str(tmp_path / "my config.toml")]
    assert "--headless" not in argv


def test_exec_line_quotes_spaces_dollars_and_percent() -> None:
    argv = ["/opt/Sell Integro/python", "-m", "sellintegro", "run", "--config", "/home/jan/$shop/100%.toml"]
    assert _unexec(desktop_exec(argv)) == argv


def test_xdg_entry_is_written_read_back_and_removed(tmp_path: Path) -> None:
    autostart = XdgAutostart(tmp_path / ".config")
    argv = ["/usr/bin/python3", "-m", "sellintegro", "run", "--config", "/home/jan/.config/sellintegro/x.toml"]
    carry_out(autostart.enable_steps(argv, "application"), io.StringIO(), False)
    path = tmp_path / ".config" / "autostart" / "sellintegro.desktop"
    content = path.read_text()
    assert content.startswith("[Desktop Entry]\nType=Application\n")
    assert _unexec(autostart.current() or "") == argv
    carry_out(autostart.disable_steps(), io.StringIO(), False)
    assert not path.exists() and autostart.current() is None
    assert autostart.disable_steps() == []


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_xdg_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    path = tmp_path / "sellintegro.desktop"
    path.write_text(desktop_entry(["/usr/bin/python3", "-m", "sellintegro", "run"], "application"))
    proc = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "", proc.stdout


def test_dry_run_of_the_autostart_writes_nothing(tmp_path: Path) -> None:
    autostart = XdgAutostart(tmp_path / ".config")
    out = io.StringIO()
    carry_out(autostart.enable_steps(["/usr/bin/python3"], "application"), out, True)
    assert "Exec=/usr/bin/python3" in out.getvalue()
    assert not (tmp_path / ".config").exists()


def test_windows_run_key_holds_one_quoted_command_line() -> None:
    win = FakeWindows()
    autostart = RunKeyAutostart(win)
    argv = [r"C:\Program Files\Sellintegro\Sellintegro.exe", "run", "--config",
            r"C:\Users\Jan Kowalski\AppData\Local\sellintegro\sellintegro.toml"]
    carry_out(autostart.enable_steps(argv, "application"), io.StringIO(), False)
    assert win.changes() == [("RegSetValueEx", RUN_VALUE,
                              r'"C:\Program Files\Sellintegro\Sellintegro.exe" run --config '
                              r'"C:\Users\Jan Kowalski\AppData\Local\sellintegro\sellintegro.toml"')]
    carry_out(autostart.disable_steps(), io.StringIO(), False)
    assert win.changes()[-1] == ("RegDeleteValue", RUN_VALUE) and autostart.current() is None
