"""The `orders` plugin type's settings: registered like any plugin type, refused with the setting named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sellintegro_orders.settings import SETTINGS, OrdersSettings, Source

from sellintegro import config
from sellintegro.errors import ConfigError, Problem
from sellintegro.plugins import load_types
from sellintegro.schema import validate

BASE = {"token": "4001234-4005678-ORDERSTESTTOKENABCDEFGHI", "erp": "erp.sqlite"}


def problems(**settings: Any) -> list[str]:
    found: list[Problem] = []
    validate({**BASE, **settings}, list(SETTINGS), "sellintegro.toml", "plugins[0].settings", found)
    return [f"{p.key}: {p.reason}" for p in found]


def test_the_orders_type_is_registered_through_its_entry_point() -> None:
    types = load_types(name="orders")
    assert set(types) == {"orders"}
    assert types["orders"].checks is not None
    names = {s.name for s in types["orders"].settings}
    assert {"token", "erp", "statuses", "status_ok", "status_error", "document_type", "vat_map", "days_back"} <= names


@pytest.mark.parametrize(("key", "value", "reason"), [
    ("status_ok", True, "must be a BaseLinker status id (a whole number) or its name"),
    ("statuses", [1001, ""], "'' is not a BaseLinker status id or name"),
    ("sources", ["Allegro konto 1"], "is not an order source"),
    ("document_type", "WZ", "must be one of 'ZK', 'FS', 'PA', 'auto'"),
    ("match_products", ["sku", "sku"], "each key may appear once"),
    ("match_products", ["symbol"], "'symbol' is not one of sku, ean, name"),
    ("vat_map", {"17,5x": "23"}, 'key "17,5x" is not a VAT rate'),
    ("vat_map", {"ZW": True}, "the value must be a Subiekt VAT symbol"),
    ("delivery_vat", "dużo", '"dużo" is not a VAT rate'),
    ("series", "ABCD", "must be at most 3 characters"),
    ("days_back", 200, "must be at most 150"),
])
def test_a_bad_setting_is_refused_naming_the_setting_and_the_reason(key: str, value: Any, reason: str) -> None:
    found = problems(**{key: value})
    assert len(found) == 1 and found[0].startswith(f"plugins[0].settings.{key}: ") and reason in found[0], found


def test_a_missing_token_or_erp_is_refused_before_anything_starts(tmp_path: Path) -> None:
    path = tmp_path / "sellintegro.toml"
    path.write_text('[endpoint]\ndata_dir = "data"\n[[plugins]]\ncode = "ORD"\ntype = "orders"\n'
                    '[plugins.settings]\nstatus_ok = 1003\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(path, load_types(name="orders"))
    text = str(caught.value)
    assert "settings.token: missing" in text and "settings.erp: missing" in text


def test_statuses_are_taken_as_ids_also_when_written_as_text_and_as_names_otherwise() -> None:
    s = OrdersSettings.from_settings({**BASE, "statuses": [1001, "1002", "Do realizacji"], "status_ok": "1003",
                                      "status_error": "Błąd integracji", "sources": ["shop", "Allegro:11223"],
                                      "vat_map": {"-1": "zw", "np": 100006}, "delivery_vat": "zw"})
    assert s.statuses == (1001, 1002, "Do realizacji")
    assert (s.status_ok, s.status_error) == (1003, "Błąd integracji")
    assert s.sources == (Source("shop"), Source("allegro", 11223))
    assert dict(s.vat_map) == {"ZW": "zw", "NP": 100006} and s.delivery_vat == "ZW"
    assert s.match_products == ("sku", "ean") and s.document_type == "ZK"
