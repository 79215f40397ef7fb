"""The plugin's settings: refused before anything starts, naming the file, the setting and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from sellintegro_fiscal.connection import PrinterAddress, parse_address

from sellintegro import config
from sellintegro.errors import ConfigError
from sellintegro.plugins import load_types


def load(tmp_path: Path, settings: str) -> config.Config:
    path = tmp_path / "sellintegro.toml"
    path.write_text(f'[endpoint]\ndata_dir = "{tmp_path}"\n[[plugins]]\ncode = "F1"\ntype = "fiscal"\n'
                    f'[plugins.settings]\ntoken = "t"\n{settings}\n', encoding="utf-8")
    return config.load(path, load_types(name="fiscal"))


@pytest.mark.parametrize(("text", "expected"), [
    ("tcp://192.168.1.50", PrinterAddress("tcp", "192.168.1.50", 6666)),
    ("tcp://kasa.local:7000/", PrinterAddress("tcp", "kasa.local", 7000)),
    ("tcp://[fe80::1]:6667", PrinterAddress("tcp", "fe80::1", 6667)),
    ("serial:COM3", PrinterAddress("serial", "COM3")),
    ("serial:/dev/ttyUSB0", PrinterAddress("serial", "/dev/ttyUSB0")),
])
def test_printer_addresses_name_tcp_or_a_serial_port(text: str, expected: PrinterAddress) -> None:
    assert parse_address(text) == expected


def test_a_valid_config_loads_with_defaults(tmp_path: Path) -> None:
    cfg = load(tmp_path, 'printer = "tcp://127.0.0.1:6666"\nreceipt_series = 3')
    settings = cfg.plugins[0].settings
    assert settings["payment"] == "transfer" and settings["printer_name"] == "POSNET"
    assert settings["invoice_series"] is None and settings["reply_timeout"] == 30.0


@pytest.mark.parametrize(("settings", "key", "reason"), [
    ('printer = "192.168.1.50"\nreceipt_series = 3', "printer", "tcp://"),
    ('printer = "tcp://x:99999"\nreceipt_series = 3', "printer", "1-65535"),
    ('printer = "tcp://x"', "receipt_series", "required"),
    ('printer = "tcp://x"\nreceipt_series = 3\npayment = "bitcoin"', "payment", "must be one of"),
    ('printer = "tcp://x"\nreceipt_series = 3\npayment_methods = {Pobranie = "gold"}', "payment_methods", "gold"),
    ('printer = "tcp://x"\nreceipt_series = 3\nprinter_name = "' + "x" * 51 + '"', "printer_name", "50"),
])
def test_bad_settings_are_refused_naming_the_setting(tmp_path: Path, settings: str, key: str, reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, settings)
    [problem] = caught.value.problems
    assert problem.key == f"plugins[F1].settings.{key}" and reason in problem.reason
