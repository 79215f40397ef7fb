"""The plugin's texts: both languages, the same fields in each."""

from __future__ import annotations

import string

import pytest
from sellintegro_pdf import texts


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("msg_id", sorted(texts._CATALOG))
def test_every_text_exists_in_polish_and_english_with_the_same_fields(msg_id: str) -> None:
    entry = texts._CATALOG[msg_id]
    assert set(entry) == {"en", "pl"}
    assert fields(entry["en"]) == fields(entry["pl"])


def test_the_journal_speaks_polish_on_a_polish_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLINTEGRO_LANG", "pl")
    said = texts.text("pdf.uploaded", file="FS 1_2026.pdf", order=7001, number="FS 1/2026", invoice=3)
    assert said == "FS 1_2026.pdf: przesłano do zamówienia 7001 w BaseLinkerze jako FS 1/2026 (faktura 3)"
