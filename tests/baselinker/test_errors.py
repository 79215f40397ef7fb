"""Every error code maps to its typed error, caused for real at the emulator, and none is retried."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from sellintegro.baselinker import errors
from sellintegro.baselinker.client import BaseLinkerClient
from sellintegro.baselinker.emulator import Emulator
from sellintegro.baselinker.seed import generate_orders
from sellintegro.errors import SellintegroError

from .conftest import TOKEN

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"

def _with_wrong_token(emu: Emulator) -> object:
    with BaseLinkerClient("3009999-3009999-WRONGTOKENWRONGTOKEN00", url=emu.url, per_minute=0) as c:
        return c.get_series()


def _when_blocked(c: BaseLinkerClient, emu: Emulator) -> object:
    emu.block(60)
    return c.get_series()


# How to make the emulator answer each code through the client's public methods.
TRIGGERS: dict[str, Callable[[BaseLinkerClient, Emulator], object]] = {
    "ERROR_BAD_TOKEN": lambda c, e: _with_wrong_token(e),
    "ERROR_UNKNOWN_METHOD": lambda c, e: c.call("getEverything"),
    "ERROR_USER_ACCOUNT_BLOCKED": lambda c, e: _when_blocked(c, e),
    "ERROR_BAD_PARAMETERS": lambda c, e: c.call("setOrderStatus", {"order_id": 1}),
    "ERROR_BAD_FILE": lambda c, e: c.add_order_invoice_file(c.add_invoice(1, 1), b"not a pdf", "FV 1/2026"),
    "ERROR_ORDER_NOT_FOUND": lambda c, e: c.set_order_status(987654, 1001),
    "ERROR_STATUS_NOT_FOUND": lambda c, e: c.set_order_status(1, 4242),
    "ERROR_INVOICE_NOT_FOUND": lambda c, e: c.add_order_invoice_file(31337, PDF, "FV 1/2026"),
    "ERROR_RECEIPT_NOT_FOUND": lambda c, e: c.set_order_receipt(31337, "P 1", int(time.time())),
    "ERROR_SERIES_NOT_FOUND": lambda c, e: c.add_invoice(1, 999),
}


def test_every_known_code_has_a_trigger_here() -> None:
    assert set(TRIGGERS) == set(errors.CODES)


@pytest.mark.parametrize("code", sorted(errors.CODES))
def test_each_error_code_raises_its_typed_error_after_exactly_one_request(
        code: str, emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(generate_orders(3, seed=1, unconfirmed_rate=0.0), rate_limit=0)
    c = client(emu, per_minute=0, blocked_pause=0.01)
    with pytest.raises(errors.ApiError) as caught:
        TRIGGERS[code](c, emu)
    e = caught.value
    assert type(e) is errors.CODES[code]
    assert e.code == code and e.method and e.message
    assert emu.requests[-1].outcome == code
    assert [r.outcome for r in emu.requests].count(code) == 1, "an envelope error was retried"


def test_an_unknown_error_code_is_a_plain_api_error_that_keeps_code_and_message() -> None:
    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "ERROR", "error_code": "ERROR_SOMETHING_NEW",
                                         "error_message": "Coś nowego"})

    with BaseLinkerClient(TOKEN, transport=httpx.MockTransport(app), per_minute=0) as c:
        with pytest.raises(errors.ApiError) as caught:
            c.get_series()
    assert type(caught.value) is errors.ApiError
    assert (caught.value.code, caught.value.message, caught.value.method) == (
        "ERROR_SOMETHING_NEW", "Coś nowego", "getSeries")


def test_the_tree_is_as_drawn_in_errors_docstring() -> None:
    assert issubclass(errors.BaseLinkerError, SellintegroError)
    assert issubclass(errors.Timeout, errors.TransportError)
    for cls in (errors.TransportError, errors.ServerError, errors.MalformedResponse, errors.Cancelled,
                errors.ApiError):
        assert issubclass(cls, errors.BaseLinkerError)
    for cls in errors.CODES.values():
        assert issubclass(cls, errors.ApiError)
    for name in ("OrderNotFound", "StatusNotFound", "InvoiceNotFound", "ReceiptNotFound", "SeriesNotFound"):
        assert issubclass(getattr(errors, name), errors.NotFound)
        assert name in (errors.__doc__ or "")
