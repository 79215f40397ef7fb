"""Config validation: every bad config is refused before anything starts, naming file and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sellintegro import cli
from sellintegro.config import load
from sellintegro.errors import ConfigError
from sellintegro.plugins import load_types

GOOD = """
[endpoint]
name = "Sklep"
data_dir = "data"

[[plugins]]
code = "BLK_CAI_COM_ORD_SGT_100"
type = "probe"
interval = 30
weekdays = ["mon", "tue", "wed", "thu", "fri"]
hours = "07-15"
hang_timeout = 60
[plugins.settings]
tick_ms = 500
"""

# (name, TOML, the key the message must name, a phrase of the reason)
BAD = [
    ("duplicate code", GOOD + '\n[[plugins]]\ncode = "BLK_CAI_COM_ORD_SGT_100"\ntype = "probe"\n',
     "plugins[BLK_CAI_COM_ORD_SGT_100].code", "duplicate code"),
    ("unknown type", GOOD.replace('type = "probe"', 'type = "ordres"'),
     "plugins[BLK_CAI_COM_ORD_SGT_100].type", 'unknown plugin type "ordres"'),
    ("wrong value type", GOOD.replace("interval = 30", 'interval = "30"'),
     "plugins[BLK_CAI_COM_ORD_SGT_100].interval", "must be a number"),
    ("unknown plugin key", GOOD.replace("interval = 30", "intervall = 30"),
     "plugins[BLK_CAI_COM_ORD_SGT_100].intervall", "unknown key"),
    ("unknown endpoint key", GOOD.replace('name = "Sklep"', 'name = "Sklep"\nnmae = "x"'),
     "endpoint.nmae", "unknown key"),
    ("unknown plugin setting", GOOD.replace("tick_ms = 500", "tick_ms = 500\ntick_sm = 1"),
     "plugins[BLK_CAI_COM_ORD_SGT_100].settings.tick_sm", "unknown key"),
    ("wrong setting type", GOOD.replace("tick_ms = 500", "tick_ms = true"),
     "plugins[BLK_CAI_COM_ORD_SGT_100].settings.tick_ms", "must be a whole number"),
    ("missing code", GOOD.replace('code = "BLK_CAI_COM_ORD_SGT_100"\n', ""),
     "plugins[0].code", "required"),
    ("bad code characters", GOOD.replace("BLK_CAI_COM_ORD_SGT_100", "BLK ORD/1"),
     "plugins[BLK ORD/1].code", "letters, digits"),
    ("bad hours", GOOD.replace('"07-15"', '"7 to 15"'),
     "plugins[BLK_CAI_COM_ORD_SGT_100].hours", "07-15"),
    ("bad weekday", GOOD.replace('"mon", "tue"', '"mon", "tues"'),
     "plugins[BLK_CAI_COM_ORD_SGT_100].weekdays", 'unknown day "tues"'),
    ("negative hang_timeout", GOOD.replace("hang_timeout = 60", "hang_timeout = -5"),
     "plugins[BLK_CAI_COM_ORD_SGT_100].hang_timeout", "at least 1"),
    ("non-loopback control host", GOOD.replace('name = "Sklep"', 'name = "Sklep"\ncontrol_host = "0.0.0.0"'),
     "endpoint.control_host", "not a loopback address"),
    ("port out of range", GOOD.replace('name = "Sklep"', 'name = "Sklep"\ncontrol_port = 70000'),
     "endpoint.control_port", "at most 65535"),
    ("plugins not an array", '[endpoint]\nname = "x"\n[plugins]\ncode = "A"\n', "plugins", "array of tables"),
    ("unknown top-level table", GOOD + '\n[plugin]\ncode = "A"\n', "plugin", "unknown top-level key"),
    ("TOML syntax", GOOD.replace("interval = 30", "interval = "), "(syntax)", "line"),
    ("bool for enabled as string", GOOD.replace("interval = 30", 'enabled = "yes"'),
     "plugins[BLK_CAI_COM_ORD_SGT_100].enabled", "true or false"),
    ("language not offered", GOOD.replace('name = "Sklep"', 'name = "Sklep"\nlanguage = "de"'),
     "endpoint.language", "must be one of"),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sellintegro.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_loads_with_defaults_and_resolves_data_dir(tmp_path: Path) -> None:
    cfg = load(write(tmp_path, GOOD), load_types())
    assert cfg.endpoint.data_dir == tmp_path / "data"
    assert cfg.endpoint.control_host == "127.0.0.1"
    (p,) = cfg.plugins
    assert p.code == "BLK_CAI_COM_ORD_SGT_100"
    assert p.hang_timeout == 60.0
    assert p.stop_timeout == cfg.endpoint.stop_timeout
    assert p.settings["tick_ms"] == 500
    assert p.settings["crash_after_s"] is None and p.settings["burst"] == 0  # defaults filled in
    assert p.schedule.weekdays == frozenset(range(5))
    assert p.schedule.window == (7 * 60, 15 * 60)


@pytest.mark.parametrize("name,text,key,reason", BAD, ids=[b[0] for b in BAD])
def test_bad_config_exits_2_naming_file_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               name: str, text: str, key: str, reason: str) -> None:
    path = write(tmp_path, text)
    rc = cli.main(["run", "--headless", "--config", str(path)])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert str(path) in err
    assert key in err
    assert reason in err
    assert not (tmp_path / "data").exists(), "nothing may start (or be created) on a bad config"


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("interval = 30", 'interval = "30"').replace("tick_ms = 500", "tick_ms = -1")
    with pytest.raises(ConfigError) as e:
        load(write(tmp_path, text), load_types())
    keys = [p.key for p in e.value.problems]
    assert keys == ["plugins[BLK_CAI_COM_ORD_SGT_100].interval",
                    "plugins[BLK_CAI_COM_ORD_SGT_100].settings.tick_ms"]


def test_missing_config_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = cli.main(["run", "--headless", "--config", str(tmp_path / "nope.toml")])
    assert rc == 2
    assert "nope.toml" in capsys.readouterr().err


def test_secret_values_are_not_echoed_in_errors(tmp_path: Path) -> None:
    from sellintegro.schema import Setting, validate

    problems: list = []
    validate({"token": 12345678}, [Setting("token", str, secret=True)], "f.toml", "settings", problems)
    assert "12345678" not in str(problems[0])
    assert "(secret)" in str(problems[0])


def test_polish_messages_on_a_polish_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SELLINTEGRO_LANG", "pl")
    rc = cli.main(["run", "--headless", "--config", str(tmp_path / "brak.toml")])
    assert rc == 2
    assert "nie znaleziono pliku konfiguracji" in capsys.readouterr().err


def test_cli_process_exit_code_is_2_for_a_bad_config(tmp_path: Path) -> None:
    path = write(tmp_path, BAD[0][1])
    proc = subprocess.run([sys.executable, "-m", "sellintegro", "run", "--headless", "--config", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "duplicate code" in proc.stderr
