"""The plugin's texts: Polish and English for every key, the same placeholders, picked by the endpoint's language."""

from __future__ import annotations

import string

import pytest
from sellintegro_fiscal.texts import _TEXTS, money

from .conftest import Harness, simple_orders


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(_TEXTS))
def test_every_text_has_polish_and_english_with_the_same_placeholders(key: str) -> None:
    texts = _TEXTS[key]
    assert set(texts) == {"pl", "en"}
    assert _fields(texts["pl"]) == _fields(texts["en"])


def test_the_journal_speaks_polish_on_a_polish_endpoint(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLINTEGRO_LANG", "pl")
    harness.bl.account.add_orders(simple_orders(1))
    harness.cycle()
    [line] = harness.journal("info")
    assert line.startswith("paragon 1/") and "→ nr fiskalny 1 (68,97 PLN)" in line


def test_money_is_written_the_polish_way() -> None:
    assert money(10748) == "107,48 PLN" and money(5) == "0,05 PLN" and money(-120) == "-1,20 PLN"
