"""The pdf plugin's settings: refused at load with the key named, and the rules that span several keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from sellintegro_pdf.settings import PdfSettings

from sellintegro import config
from sellintegro.errors import ConfigError
from sellintegro.plugins import load_types

from .conftest import TOKEN, plugin_toml


def load(tmp_path: Path, **settings: object) -> ConfigError | config.Config:
    path = tmp_path / "c.toml"
    path.write_text(f'[endpoint]\ndata_dir = "{tmp_path}"\n' + plugin_toml("PDF", {"token": TOKEN, **settings}),
                    encoding="utf-8")
    try:
        return config.load(path, load_types(name="pdf"))
    except ConfigError as e:
        return e


def test_bad_settings_are_refused_at_load_naming_the_key(tmp_path: Path) -> None:
    refused = load(tmp_path, folders=[], pattern="(?P<number>", slash="/", after_upload="delete",
                   invoice_series=0)
    assert isinstance(refused, ConfigError)
    text = str(refused)
    for key in ("folders", "pattern", "slash", "after_upload", "invoice_series"):
        assert f"plugins[PDF].settings.{key}: " in text, (key, text)
    no_group = load(tmp_path, folders=["x"], pattern=r"\d+")
    assert isinstance(no_group, ConfigError) and "(?P<number>...)" in str(no_group)


def test_good_settings_load_with_their_defaults(tmp_path: Path) -> None:
    loaded = load(tmp_path, folders=[str(tmp_path)], erp="erp.sqlite3")
    assert not isinstance(loaded, ConfigError)
    plugin = loaded.plugin("PDF")
    assert plugin is not None
    s = PdfSettings.read(plugin.settings)
    assert (s.link, s.after_upload, s.sent_folder, s.watch, s.slash) == ("erp", "move", "sent", "auto", "_")
    assert s.problems() == []


@pytest.mark.parametrize(("settings", "problem"), [
    ({"folders": ["x"]}, 'link = "erp" needs the erp setting'),
    ({"folders": ["x"], "link": "pattern"}, "has no (?P<order>...) group"),
])
def test_rules_across_keys_are_named(settings: dict[str, object], problem: str) -> None:
    assert any(problem in p for p in PdfSettings.read(settings).problems())
