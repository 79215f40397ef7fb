"""Secrets are masked wherever text is stored."""

from __future__ import annotations

import pytest

from sellintegro.redact import Redactor

BL_TOKEN = "3001234-3005678-ABCDEFGHIJKLMNOPQRSTUVWX12"


@pytest.mark.parametrize("text,secret", [
    (f"X-BLToken: {BL_TOKEN}", BL_TOKEN),
    ("curl -H 'X-BLToken: abc123def'", "abc123def"),
    ("GET /api?token=abcd1234&x=1", "abcd1234"),
    ('{"password": "hunter22"}', "hunter22"),
    ("DRIVER={SQL Server};UID=sa;PWD=Tajne1!;", "Tajne1!"),
    ("Authorization: Bearer eyJhbGciOi.x.y", "eyJhbGciOi"),
    (f"bare {BL_TOKEN} in a message", BL_TOKEN),
    ("configured value s3cr3t-value leaked", "s3cr3t-value"),
])
def test_secrets_are_masked(text: str, secret: str) -> None:
    out = Redactor(["s3cr3t-value"])(text)
    assert secret not in out
    assert "***" in out


@pytest.mark.parametrize("text", ["order 123 -> ZK 45/2026", "tokens are counted", "PA 12/10/2026/P",
                                  "SKU ABC-1 not found in Subiekt"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert Redactor(["x"])(text) == text


def test_known_values_added_later_are_masked_too() -> None:
    r = Redactor()
    r.add(["later-secret"])
    assert r("a later-secret b") == "a *** b"


def test_an_error_code_naming_a_token_is_not_masked_but_a_token_value_is() -> None:
    r = Redactor()
    assert r("ERROR_BAD_TOKEN: invalid or missing API token") == "ERROR_BAD_TOKEN: invalid or missing API token"
    assert "Abc123" not in r("token: Abc123 rejected")
    assert "hunter" not in r("password=hunter")
