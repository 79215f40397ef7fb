"""The run modes' command line: `python -m sellintegro.service ...` as a person (or a script) runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {**os.environ, "SELLINTEGRO_LANG": "en"}


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sellintegro.service", *args], capture_output=True, text=True,
                          input=stdin, timeout=60, env=ENV)


def test_the_password_is_read_from_one_line_of_standard_input_never_from_an_argument() -> None:
    code = "from sellintegro.service.cli import read_password; print(repr(read_password(True)('x')))"
    proc = subprocess.run([sys.executable, "-c", code], input="Pa55 word!\r\nnext line\n", capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout.strip() == repr("Pa55 word!")
    install = _run("service", "install", "--help").stdout
    assert "--password " not in install and "--password-stdin" in install


def test_no_password_on_standard_input_is_refused() -> None:
    code = ("import sys\nfrom sellintegro.service.cli import read_password\n"
            "try:\n    read_password(True)('x')\nexcept Exception as e:\n    print(type(e).__name__, e)")
    proc = subprocess.run([sys.executable, "-c", code], input="", capture_output=True, text=True, timeout=60,
                          env=ENV)
    assert proc.stdout.startswith("PreflightError no password arrived")


def test_mode_without_a_target_shows_the_current_mode(tmp_path: Path) -> None:
    proc = _run("mode", "--root", str(tmp_path))
    assert proc.returncode == 0 and proc.stdout.startswith("mode: application")


def test_service_install_without_a_machine_config_points_to_the_mode_switch(tmp_path: Path) -> None:
    proc = _run("service", "install", "--account", "system", "--root", str(tmp_path))
    assert proc.returncode == 2
    assert "sellintegro mode service-system" in proc.stderr


def test_install_takes_a_user_only_with_the_user_account(tmp_path: Path) -> None:
    cfg = tmp_path / "etc" / "sellintegro" / "sellintegro.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(f'[endpoint]\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    proc = _run("service", "install", "--account", "system", "--user", "kasia", "--root", str(tmp_path),
                "--dry-run")
    assert proc.returncode == 2 and "--user is given only with --account user" in proc.stderr


@pytest.mark.skipif(os.path.isdir("/run/systemd/system"), reason="systemd runs here")
def test_without_systemd_a_dry_run_says_so_and_still_shows_the_plan(tmp_path: Path) -> None:
    cfg = tmp_path / "sellintegro.toml"
    cfg.write_text(f'[endpoint]\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    proc = _run("service", "install", "--account", "system", "--config", str(cfg), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "systemd is not running here" in proc.stdout
    assert "ExecStart=" in proc.stdout


@pytest.mark.skipif(os.path.isdir("/run/systemd/system"), reason="systemd runs here")
def test_without_systemd_install_says_so_and_exits_1(tmp_path: Path) -> None:
    cfg = tmp_path / "sellintegro.toml"
    cfg.write_text(f'[endpoint]\ndata_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    proc = _run("service", "install", "--account", "system", "--config", str(cfg))
    assert proc.returncode == 1
    assert "systemd is not running here" in proc.stderr and "Nothing was changed" in proc.stderr
    assert not (tmp_path / "var").exists()


def test_the_pywin32_stubs_are_installed_so_the_win32_type_check_checks_every_call() -> None:
    """`mypy --platform win32` ignores missing imports (pyproject): without types-pywin32 it would pass
    while checking no pywin32 call at all."""
    from importlib.metadata import version

    assert version("types-pywin32")
