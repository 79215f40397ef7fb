"""The plugin checks run for a mode switch, the seed's checklist, and what a new account lacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from sellintegro.api import Check, PluginContext, PluginType
from sellintegro.config import Config, load
from sellintegro.schema import Setting
from sellintegro.service.checks import account_warnings, render_checklist, run_checks


def _noop(ctx: PluginContext) -> None:
    pass


def _orders_checks(ctx: PluginContext) -> list[Check]:
    return [Check("BaseLinker token", "ok", "the token answers"),
            Check("ERP database", "error", f"cannot open {ctx.settings['dsn']}", "define a System DSN")]


def _fiscal_checks(ctx: PluginContext) -> list[Check]:
    raise ConnectionRefusedError(f"printer at {ctx.settings['printer']} refused the connection")


def _pdf_checks(ctx: PluginContext) -> list[Check]:
    ctx.cancelled.wait(5)  # a share that never answers
    return [Check("folder", "ok", "late")]


TYPES = {
    "orders": PluginType("orders", _noop, (Setting("dsn", str, ""), Setting("token", str, "", secret=True)),
                         checks=_orders_checks),
    "fiscal": PluginType("fiscal", _noop, (Setting("printer", str, ""),), checks=_fiscal_checks),
    "pdf": PluginType("pdf", _noop, (Setting("folder", str, ""), Setting("printer_name", str, "")),
                      checks=_pdf_checks),
    "probe": PluginType("probe", _noop),
}


def _config(tmp_path: Path, body: str) -> Config:
    path = tmp_path / "sellintegro.toml"
    path.write_text(f'[endpoint]\ndata_dir = "{tmp_path / "data"}"\n{body}', encoding="utf-8")
    return load(path, TYPES)


ALL = """
[[plugins]]
code = "ORD_1"
type = "orders"
[plugins.settings]
dsn = "DSN=Subiekt;UID=sa"
token = "3000123-tok-SECRET"
[[plugins]]
code = "FIS_1"
type = "fiscal"
[plugins.settings]
printer = "192.168.1.50:6666"
[[plugins]]
code = "PDF_1"
type = "pdf"
[plugins.settings]
folder = "Z:\\\\faktury"
printer_name = "HP LaserJet biuro"
[[plugins]]
code = "PRB_1"
type = "probe"
"""


def test_checks_run_each_plugin_and_a_failing_or_hanging_check_is_a_finding(tmp_path: Path) -> None:
    report = run_checks(_config(tmp_path, ALL), TYPES, timeout=0.5)
    by_code = {p["code"]: p for p in report["plugins"]}
    assert [c["status"] for c in by_code["ORD_1"]["checks"]] == ["ok", "error"]
    assert by_code["FIS_1"]["checks"][0]["status"] == "error"
    assert "ConnectionRefusedError" in by_code["FIS_1"]["checks"][0]["why"]
    assert "did not finish within 0.5 s" in by_code["PDF_1"]["checks"][0]["why"]
    assert by_code["PRB_1"] == {"code": "PRB_1", "type": "probe", "declared": False, "checks": []}
    assert report["pid"] == os.getpid() and report["account"]


def test_secrets_never_reach_the_checks_report(tmp_path: Path) -> None:
    def leaky(ctx: PluginContext) -> list[Check]:
        return [Check("token", "error", f"rejected: {ctx.settings['token']}")]

    types = {**TYPES, "orders": PluginType("orders", _noop, TYPES["orders"].settings, checks=leaky)}
    config = _config(tmp_path, ALL)
    report = run_checks(config, types, timeout=0.5)
    assert "3000123-tok-SECRET" not in json.dumps(report)


def test_checklist_puts_each_plugin_under_the_seeds_line_and_says_what_was_not_checked(tmp_path: Path) -> None:
    config = _config(tmp_path, ALL)
    lines = render_checklist(config, run_checks(config, TYPES, timeout=0.2))
    text = "\n".join(lines)
    a, b, c = (text.index(x) for x in ("a) orders are processed", "b) PA/FS", "c) the PDF plugin"))
    assert a < text.index("ORD_1: ERROR") < b < text.index("FIS_1: ERROR") < c < text.index("PDF_1: ERROR")
    assert "[ERROR] ERP database: cannot open DSN=Subiekt;UID=sa -> define a System DSN" in text
    assert "PRB_1: NOT CHECKED" in text and "declares no checks" in text
    assert "`sellintegro doctor` is not built yet" in text


def test_checklist_names_lines_without_a_plugin_and_a_report_that_never_came(tmp_path: Path) -> None:
    config = _config(tmp_path, '[[plugins]]\ncode = "PRB_1"\ntype = "probe"\n')
    text = "\n".join(render_checklist(config, None, "the service wrote no checks.json within 60 s"))
    assert 'a) orders are processed: NOT CHECKED: no plugin of type "orders" is configured' in text
    assert "could not run: the service wrote no checks.json" in text


def test_warnings_under_system_on_windows_name_mapped_drives_shares_printers_and_user_dsns(tmp_path: Path) -> None:
    config = _config(tmp_path, ALL + '[[plugins]]\ncode = "PDF_2"\ntype = "pdf"\n[plugins.settings]\n'
                                     'folder = "\\\\\\\\nas\\\\faktury"\n')
    warnings = account_warnings(config, "service-system", "LocalSystem", windows=True, remote_drives=frozenset("Z"))
    text = "\n".join(warnings)
    assert 'drive Z: is a letter mapped in a desktop session' in text
    assert '"\\\\nas\\faktury" is a network share' in text
    assert '"HP LaserJet biuro" names a Windows printer' in text
    assert 'define "Subiekt" as a System DSN' in text
    assert "192.168.1.50" not in text  # a fiscal printer on the network is reachable from any account
    assert "plugin FIS_1 (type fiscal)" in text


def test_a_named_user_is_not_warned_about_shares_and_printers_but_still_about_mapped_drives(tmp_path: Path
                                                                                             ) -> None:
    config = _config(tmp_path, ALL)
    text = "\n".join(account_warnings(config, "service-user", ".\\kasia", windows=True,
                                      remote_drives=frozenset("Z")))
    assert "mapped in a desktop session" in text
    assert "network share" not in text and "Windows printer" not in text


def test_application_mode_needs_no_warnings(tmp_path: Path) -> None:
    assert account_warnings(_config(tmp_path, ALL), "application", "jan", windows=True,
                            remote_drives=frozenset("Z")) == []


def test_on_linux_a_path_in_someone_elses_home_and_a_relative_path_are_named(tmp_path: Path) -> None:
    (tmp_path / "pdfs").mkdir()
    config = _config(tmp_path, '[[plugins]]\ncode = "PDF_1"\ntype = "pdf"\n[plugins.settings]\n'
                               'folder = "/home/jan/faktury/"\n'
                               '[[plugins]]\ncode = "PDF_2"\ntype = "pdf"\n[plugins.settings]\nfolder = "pdfs"\n')
    text = "\n".join(account_warnings(config, "service-user", "kasia", windows=False,
                                      new_config_dir=Path("/etc/sellintegro")))
    assert "lies in the home folder of jan" in text
    assert '"pdfs" is relative to the config file, which moves to /etc/sellintegro' in text


def test_the_checks_command_writes_a_report_as_the_account_that_runs_it(tmp_path: Path) -> None:
    cfg = tmp_path / "sellintegro.toml"
    cfg.write_text(f'[endpoint]\ndata_dir = "{tmp_path / "data"}"\n[[plugins]]\ncode = "P"\ntype = "probe"\n',
                   encoding="utf-8")
    out = tmp_path / "checks.json"
    proc = subprocess.run([sys.executable, "-m", "sellintegro.service", "checks", "--config", str(cfg),
                           "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    assert report["plugins"] == [{"code": "P", "type": "probe", "declared": False, "checks": []}]
    assert out.stat().st_mode & 0o777 == 0o640


def test_hanging_check_does_not_keep_the_caller(tmp_path: Path) -> None:
    started = threading.Event()

    def hang(ctx: PluginContext) -> list[Check]:
        started.set()
        ctx.cancelled.wait(30)
        return []

    types = {**TYPES, "pdf": PluginType("pdf", _noop, TYPES["pdf"].settings, checks=hang)}
    report = run_checks(_config(tmp_path, ALL), types, timeout=0.2)
    assert started.is_set()
    assert next(p for p in report["plugins"] if p["code"] == "PDF_1")["checks"][0]["status"] == "error"


def test_a_windows_service_is_warned_about_a_python_in_a_profile_or_a_venv() -> None:
    from sellintegro.service.checks import runtime_warnings

    text = "\n".join(runtime_warnings("service-user", windows=True, venv=True, frozen=False,
                                      executable=r"C:\Users\jan\AppData\Local\Programs\Python\python.exe"))
    assert "runs from a user profile" in text and "error 1053" in text
    assert runtime_warnings("service-user", windows=True, venv=False, frozen=True, executable=r"C:\Users\x") == []
    assert runtime_warnings("service-system", windows=True, venv=False, frozen=False,
                            executable=r"C:\Program Files\Python311\python.exe") == []
