"""`sellintegro init`: nothing is written unless the whole config validates and the live tests pass."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sellintegro import cli
from sellintegro.baselinker.emulator import DEMO_TOKEN, Emulator
from sellintegro.config import load
from sellintegro.erp import sim
from sellintegro.plugins import load_types


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    emu = Emulator(DEMO_TOKEN, rate_limit=0).start()
    yield emu
    emu.stop()


@pytest.fixture
def erp(tmp_path: Path) -> Path:
    path = tmp_path / "erp.sqlite"
    sim.create(path)
    return path


def init(*args: str) -> int:
    return cli.main(["init", *args])


def good(tmp_path: Path, emulator: Emulator, erp: Path) -> list[str]:
    (tmp_path / "pdf").mkdir(exist_ok=True)
    return ["--non-interactive", "--output", str(tmp_path / "out" / "sellintegro.toml"), "--name", "Sklep testowy",
            "--data-dir", str(tmp_path / "data"), "--erp", str(erp), "--token", DEMO_TOKEN,
            "--baselinker-url", emulator.url, "--plugins", "orders,fiscal,pdf", "--document-type", "auto",
            "--status-ok", "Przeniesione do ERP", "--status-error", "1005", "--printer", "tcp://127.0.0.1:6666",
            "--receipt-series", "3", "--pdf-folder", str(tmp_path / "pdf"), "--invoice-series", "1"]


def test_good_values_write_a_config_that_loads_readable_only_by_its_owner(
        tmp_path: Path, emulator: Emulator, erp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert init(*good(tmp_path, emulator, erp)) == 0
    out = tmp_path / "out" / "sellintegro.toml"
    config = load(out, load_types())
    assert config.endpoint.name == "Sklep testowy" and config.endpoint.data_dir == tmp_path / "data"
    assert [(p.code, p.type) for p in config.plugins] == [
        ("BLK_CAI_COM_ORD_SGT_100", "orders"), ("BLK_CAI_COM_FIS_PSN_100", "fiscal"),
        ("SGT_CAI_COM_INV_BLK_100", "pdf")]
    orders, fiscal, pdf = (p.settings for p in config.plugins)
    assert (orders["erp"], orders["document_type"], orders["status_ok"], orders["status_error"]) == (
        str(erp), "auto", "Przeniesione do ERP", 1005)
    assert (fiscal["printer"], fiscal["receipt_series"]) == ("tcp://127.0.0.1:6666", 3)
    assert (pdf["folders"], pdf["invoice_series"]) == ([str(tmp_path / "pdf")], 1)
    assert {p.settings["baselinker_url"] for p in config.plugins} == {emulator.url}
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    shown = capsys.readouterr()
    assert "ERP ok" in shown.out and "BaseLinker ok" in shown.out and DEMO_TOKEN not in shown.out + shown.err
    assert [p.name for p in out.parent.iterdir()] == ["sellintegro.toml"], "no temporary file is left behind"


def _replace(args: list[str], flag: str, value: str | None) -> list[str]:
    """`args` with `flag`'s value replaced (None: the flag left out)."""
    out = list(args)
    i = out.index(flag)
    if value is None:
        del out[i:i + 2]
    else:
        out[i + 1] = value
    return out


@pytest.mark.parametrize(("flag", "value", "named"), [
    ("--printer", "tcp//till", ["--printer", "'tcp//till' is not a printer address"]),
    ("--document-type", "WZ", ["--document-type", '"WZ"']),
    ("--receipt-series", "0", ["--receipt-series", "at least 1, not 0"]),
    ("--receipt-series", "2", ["--receipt-series 2", "not a RECEIPT series"]),
    ("--token", "1000001-1000001-WRONGTOKEN00000000000", ["--token", "refuses the token"]),
    ("--erp", "missing.sqlite", ["--erp", "missing.sqlite", "no such file"]),
    ("--status-ok", "Zrobione", ["--status-ok Zrobione", "no such status"]),
    ("--plugins", "orders,stock", ["--plugins", "stock"]),
    ("--baselinker-url", "ftp://example.com/connector.php", ["--baselinker-url", "ftp://example.com"]),
    ("--pdf-folder", "no-such-folder", ["--pdf-folder", "no-such-folder"]),
    ("--printer", None, ["missing: --printer"]),
])
def test_a_bad_value_is_refused_by_name_and_nothing_is_written(
        tmp_path: Path, emulator: Emulator, erp: Path, capsys: pytest.CaptureFixture[str], flag: str,
        value: str | None, named: list[str]) -> None:
    if value is not None and flag in ("--erp", "--pdf-folder"):
        value = str(tmp_path / value)
    assert init(*_replace(good(tmp_path, emulator, erp), flag, value)) == 2
    err = capsys.readouterr().err
    assert err.startswith("sellintegro init: nothing written to ")
    for text in named:
        assert text in err, err
    out = tmp_path / "out"
    assert not out.exists() or not any(out.iterdir()), "nothing written, not even a temporary file"
    assert DEMO_TOKEN not in err


def test_an_existing_config_is_replaced_only_with_force(tmp_path: Path, emulator: Emulator, erp: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "sellintegro.toml"
    out.parent.mkdir()
    out.write_text("# mine\n", encoding="utf-8")
    assert init(*good(tmp_path, emulator, erp)) == 2
    assert "--force replaces it" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "# mine\n"
    assert init(*good(tmp_path, emulator, erp), "--force") == 0
    assert load(out, load_types()).plugins


def test_skip_tests_writes_a_valid_config_for_another_machine_without_asking_anyone(tmp_path: Path) -> None:
    out = tmp_path / "other.toml"
    assert init("--non-interactive", "--skip-tests", "--output", str(out), "--erp", "DSN=Subiekt;UID=sa;PWD=x",
                "--token", "t", "--baselinker-url", "http://127.0.0.1:9/connector.php") == 0
    [plugin] = load(out, load_types()).plugins
    assert plugin.settings["erp"] == "DSN=Subiekt;UID=sa;PWD=x"


def test_the_wizard_asks_again_for_a_bad_value_then_writes(tmp_path: Path, emulator: Emulator, erp: Path) -> None:
    (tmp_path / "pdf").mkdir()
    answers = [
        "Sklep", str(tmp_path / "data"),
        str(tmp_path / "new.sqlite"), "y",          # no such ERP file: the wizard offers the sample ERP
        emulator.url, "1000001-1000001-WRONGTOKEN00000000000",   # refused: asked again
        emulator.url, DEMO_TOKEN,
        "", "y", "y",                                # orders (default yes), fiscal, pdf
        "XX", "auto",                                # a document type the plugin refuses, then a good one
        "Przeniesione do ERP", "",
        "tcp//till", "tcp://127.0.0.1:6666", "",     # a bad printer address, then a good one; series 3 offered
        str(tmp_path / "nope"), str(tmp_path / "pdf"), "1",
    ]
    out = tmp_path / "wizard.toml"
    proc = subprocess.run([sys.executable, "-m", "sellintegro", "init", "--output", str(out)],
                          input="\n".join(answers) + "\n", capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SELLINTEGRO_LANG": "en"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "refuses the token" in proc.stdout and "not the string \"XX\"" in proc.stdout
    assert "'tcp//till' is not a printer address" in proc.stdout and "not a folder" in proc.stdout
    config = load(out, load_types())
    assert [p.type for p in config.plugins] == ["orders", "fiscal", "pdf"]
    orders, fiscal, pdf = (p.settings for p in config.plugins)
    assert orders["erp"] == str(tmp_path / "new.sqlite") and orders["document_type"] == "auto"
    assert fiscal["receipt_series"] == 3 and pdf["invoice_series"] == 1
    assert DEMO_TOKEN not in proc.stdout + proc.stderr
