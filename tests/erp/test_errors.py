"""ERP errors a person reads: both languages, and never a password."""

from __future__ import annotations

import string

import pytest

from sellintegro.erp.errors import _CATALOG, describe_target, erp_msg


@pytest.mark.parametrize("msg_id", sorted(_CATALOG))
def test_every_erp_message_has_polish_and_english_with_the_same_fields(msg_id: str) -> None:
    texts = _CATALOG[msg_id]
    assert set(texts) == {"en", "pl"}
    fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in texts.values()]
    assert fields[0] == fields[1]


def test_messages_follow_the_users_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLINTEGRO_LANG", "pl")
    assert erp_msg("erp.unknown_product", lp=2, id=7) == "pozycja 2: brak towaru o id 7"
    monkeypatch.setenv("SELLINTEGRO_LANG", "en")
    assert erp_msg("erp.unknown_product", lp=2, id=7) == "line 2: no product with id 7"


@pytest.mark.parametrize("target", [
    "DRIVER={ODBC Driver 18 for SQL Server};Server=gt;Database=Firma;UID=sa;PWD=Tajne#123",
    "DSN=subiekt;Password=Tajne#123;UID=sa",
    "DRIVER={x};PWD={Tajne#123;x}};y};UID=sa",
])
def test_a_connection_string_is_shown_without_its_password(target: str) -> None:
    shown = describe_target(target)
    assert "Tajne" not in shown and "123" not in shown and "UID=sa" in shown
