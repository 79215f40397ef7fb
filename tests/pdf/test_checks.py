"""The pdf plugin's doctor lines, run as the plugin's account would run them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sellintegro_pdf.checks import checks

from .conftest import Shop, ctx_for, run_python


def lines(tmp_path: Path, settings: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    ctx, _ = ctx_for(tmp_path, settings)
    try:
        return {c.name: (c.status, c.why, c.fix) for c in checks(ctx)}
    finally:
        for opened in (ctx._baselinker, ctx._erp):
            if opened is not None:
                opened.close()


def test_doctor_passes_reachable_folders_the_erp_and_a_real_invoice_series(
        tmp_path: Path, world: Callable[..., Shop]) -> None:
    shop = world(1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    found = lines(tmp_path, shop.settings([inbox], invoice_series=1))
    assert found[f"pdf folder {inbox}"][0] == "ok" and "watched by events" in found[f"pdf folder {inbox}"][1]
    assert found["ERP document lookup"][0] == "ok"
    assert found["BaseLinker invoice series"] == ("ok", 'orders without an invoice get one in series 1 '
                                                        '("Faktury") first', "")


def test_doctor_names_a_missing_folder_a_wrong_series_and_an_unset_one_with_the_fixes(
        tmp_path: Path, world: Callable[..., Shop]) -> None:
    shop = world(1)
    gone = tmp_path / "gone"
    found = lines(tmp_path, shop.settings([gone], invoice_series=3))
    status, why, fix = found[f"pdf folder {gone}"]
    assert status == "error" and "cannot reach it: No such file or directory" in why and "LocalSystem" in fix
    status, why, fix = found["BaseLinker invoice series"]
    assert status == "error" and "invoice_series = 3 is not an invoice series" in why and '1 "Faktury"' in fix
    status, why, fix = lines(tmp_path, shop.settings([gone]))["BaseLinker invoice series"]
    assert status == "warning" and "Zamówienie nie posiada faktury w Baselinker" in why
    assert "by hand" in fix and "automatic action" in fix


def test_doctor_checks_folder_access_as_the_plugins_account_not_as_root(
        tmp_path: Path, world: Callable[..., Shop]) -> None:
    shop = world(1)
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o555)
    settings = shop.settings([readonly], invoice_series=1)
    code = ("import json; from pathlib import Path; from tests.pdf.test_checks import lines\n"
            f"print(json.dumps(lines(Path({str(tmp_path)!r}), {settings!r})))")
    found = run_python(code, unprivileged=True)
    status, why, fix = found[f"pdf folder {readonly}"]
    assert status == "error" and "cannot write a probe file in it: Permission denied" in why
    assert "read, list and write rights" in fix
