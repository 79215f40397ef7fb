"""Exactly-once upload, keyed on (invoice, SHA-256 of the bytes)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sellintegro_pdf import upload

from sellintegro.backoff import Backoff
from sellintegro.baselinker import BaseLinkerClient, RetryPolicy, TransportError
from sellintegro.baselinker.errors import InvalidFile
from sellintegro.state import StateStore

from .conftest import TOKEN, Shop, make_pdf


@pytest.fixture
def setup(tmp_path: Path, world: Callable[..., Shop]) -> Iterator[tuple[Shop, BaseLinkerClient, StateStore, int]]:
    shop = world(1)
    client = BaseLinkerClient(TOKEN, url=shop.emu.url, state_dir=tmp_path / "rl", per_minute=1000, timeout=0.5,
                              retry=RetryPolicy(attempts=3, backoff=Backoff(initial=0.01, cap=0.02, jitter=0)))
    state = StateStore(tmp_path, "UP")
    [invoice] = shop.invoice_of(shop.orders[0])
    yield shop, client, state, invoice["invoice_id"]
    client.close()
    state.close()


def test_the_same_bytes_are_uploaded_once_and_other_bytes_are_uploaded_again(setup: tuple) -> None:
    shop, client, state, invoice = setup
    first, second = make_pdf("v1"), make_pdf("v2")
    assert upload.upload_once(client, state, invoice, first, "FS 1/2026", {}).kind == "uploaded"
    requests = len(shop.emu.requests)
    again = upload.upload_once(client, state, invoice, first, "FS 1/2026", {})
    assert again.kind == "already" and again.record["sha256"] == upload.digest(first)
    assert len(shop.emu.requests) == requests, "a known upload costs no request"
    assert upload.upload_once(client, state, invoice, second, "FS 1/2026", {}).kind == "uploaded"
    assert shop.uploads() == 2 and shop.file_of(invoice) == second


def test_a_pending_upload_that_reached_baselinker_is_verified_not_sent_again(setup: tuple) -> None:
    """The worker died after sending, before the answer: the record is pending, the file is there."""
    shop, client, state, invoice = setup
    pdf = make_pdf("v1")
    shop.emu.inject("timeout", method="addOrderInvoiceFile", delay=2)
    with pytest.raises(TransportError):
        upload.upload_once(client, state, invoice, pdf, "FS 1/2026", {"file": "a.pdf"})
    assert shop.emu.count("addOrderInvoiceFile") == 1, "an upload whose answer was lost is not retried blindly"
    record = state.effect(upload.key(invoice, upload.digest(pdf)))
    assert record is not None and record.status == "pending" and record.result["file"] == "a.pdf"
    outcome = upload.upload_once(client, state, invoice, pdf, "FS 1/2026", {"file": "a.pdf"})
    assert outcome.kind == "verified" and shop.emu.count("addOrderInvoiceFile") == 1
    assert shop.emu.count("getInvoiceFile") == 1


def test_a_pending_upload_that_never_arrived_is_sent_once(setup: tuple) -> None:
    shop, client, state, invoice = setup
    pdf = make_pdf("v1")
    shop.emu.inject("reset", method="addOrderInvoiceFile")  # the connection drops, nothing stored
    with pytest.raises(TransportError):
        upload.upload_once(client, state, invoice, pdf, "FS 1/2026", {})
    assert shop.file_of(invoice) is None
    assert upload.upload_once(client, state, invoice, pdf, "FS 1/2026", {}).kind == "uploaded"
    assert shop.uploads() == 1 and shop.file_of(invoice) == pdf


def test_a_file_baselinker_refuses_leaves_a_failed_record_that_may_be_tried_again(setup: tuple) -> None:
    shop, client, state, invoice = setup
    not_pdf = b"<html>oops</html>"
    with pytest.raises(InvalidFile):
        upload.upload_once(client, state, invoice, not_pdf, "FS 1/2026", {})
    record = state.effect(upload.key(invoice, upload.digest(not_pdf)))
    assert record is not None and record.status == "failed" and record.result["error"] == "ERROR_BAD_FILE"
    with pytest.raises(ValueError, match="longer than 30"):
        upload.upload_once(client, state, invoice, make_pdf("x"), "FS " + "9" * 30, {})
