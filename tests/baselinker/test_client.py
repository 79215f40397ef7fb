"""The client's wire format, its retries (counted at the emulator) and its waits."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from sellintegro.backoff import Backoff
from sellintegro.baselinker import errors
from sellintegro.baselinker.client import BaseLinkerClient, RetryPolicy
from sellintegro.baselinker.emulator import Emulator
from sellintegro.baselinker.ratelimit import RateLimiter
from sellintegro.baselinker.seed import generate_orders

from .conftest import TOKEN


class RecordingClient(BaseLinkerClient):
    """Records the waits instead of sleeping them."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.pauses: list[float] = []

    def pause(self, seconds: float) -> None:
        self.pauses.append(round(seconds, 6))


# -- the wire -------------------------------------------------------------------------------------------------

def test_a_request_is_a_form_post_with_method_json_parameters_and_the_token_only_in_the_header() -> None:
    seen: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"status": "SUCCESS"})

    with BaseLinkerClient(TOKEN, transport=httpx.MockTransport(app), per_minute=0) as c:
        c.set_order_statuses([1, 2, 3], 1002)
    (request,) = seen
    assert request.method == "POST" and request.url == "https://api.baselinker.com/connector.php"
    assert request.headers["X-BLToken"] == TOKEN
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = parse_qs(request.content.decode())
    assert set(form) == {"method", "parameters"}, "the deprecated token field must not be sent"
    assert form["method"] == ["setOrderStatuses"]
    assert json.loads(form["parameters"][0]) == {"order_ids": [1, 2, 3], "status_id": 1002}


def test_a_file_goes_as_data_base64_with_plus_encoded_as_percent_2b() -> None:
    pdf = b"%PDF-1" + b"\xfb\xef\xbe" * 4  # its base64 holds "+" characters
    assert "+" in base64.b64encode(pdf).decode()
    bodies: list[bytes] = []

    def app(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return httpx.Response(200, json={"status": "SUCCESS"})

    with BaseLinkerClient(TOKEN, transport=httpx.MockTransport(app), per_minute=0) as c:
        c.add_order_invoice_file(5, pdf, "FV 12/2026")
    assert b"%2B" in bodies[0]
    # Read the way a form decoder reads it ("+" means a space): the file survives only if "+" was encoded.
    params = json.loads(parse_qs(bodies[0].decode())["parameters"][0])
    assert params["file"].startswith("data:") and base64.b64decode(params["file"][5:]) == pdf
    assert params["external_invoice_number"] == "FV 12/2026"


def test_the_envelope_is_read_whatever_the_http_status() -> None:
    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"status": "ERROR", "error_code": "ERROR_BAD_TOKEN", "error_message": "x"})

    with BaseLinkerClient(TOKEN, transport=httpx.MockTransport(app), per_minute=0) as c:
        with pytest.raises(errors.BadToken):
            c.get_series()


# -- retries, counted at the emulator ------------------------------------------------------------------------

def test_5xx_answers_are_retried_until_one_succeeds(emulator: Callable[..., Emulator],
                                                    client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(rate_limit=0)
    emu.inject("503", count=2)
    assert len(client(emu).get_series()) == 3
    assert [r.outcome for r in emu.requests] == ["fault:503", "fault:503", "SUCCESS"]


def test_5xx_gives_up_after_the_policys_attempts_with_a_server_error(emulator: Callable[..., Emulator],
                                                                    client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(rate_limit=0)
    emu.inject("500", count=100)
    with pytest.raises(errors.ServerError) as caught:
        client(emu, retry=RetryPolicy(attempts=3, backoff=Backoff(0.01, 0.02))).get_series()
    assert caught.value.http_status == 500
    assert emu.count() == 3


def test_a_timeout_is_retried(emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(rate_limit=0)
    emu.inject("timeout", count=1, delay=5.0)
    assert client(emu, timeout=0.5).get_order_status_list()
    assert emu.count() == 2


def test_timeouts_that_never_end_raise_timeout(emulator: Callable[..., Emulator],
                                               client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(rate_limit=0)
    emu.inject("timeout", count=100, delay=5.0)
    with pytest.raises(errors.Timeout):
        client(emu, timeout=0.3, retry=RetryPolicy(attempts=2, backoff=Backoff(0.01, 0.02))).get_series()
    assert emu.count() == 2


def test_a_dropped_connection_is_retried(emulator: Callable[..., Emulator],
                                         client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(rate_limit=0)
    emu.inject("reset", count=1)
    assert client(emu).get_series()
    assert [r.outcome for r in emu.requests] == ["fault:reset", "SUCCESS"]


def test_an_envelope_error_is_never_retried(emulator: Callable[..., Emulator],
                                            client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(generate_orders(2, seed=1, unconfirmed_rate=0.0), rate_limit=0)
    with pytest.raises(errors.StatusNotFound):
        client(emu).set_order_status(1, 777)
    assert emu.count() == 1


def test_a_malformed_body_is_not_retried(emulator: Callable[..., Emulator],
                                         client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(rate_limit=0)
    emu.inject("malformed")
    with pytest.raises(errors.MalformedResponse, match="not a BaseLinker envelope"):
        client(emu).get_orders()
    assert emu.count() == 1


def test_add_invoice_is_not_sent_again_after_a_5xx_because_it_may_have_happened(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient]) -> None:
    emu = emulator(generate_orders(2, seed=1, unconfirmed_rate=0.0), rate_limit=0)
    emu.inject("503", method="addInvoice")
    with pytest.raises(errors.ServerError):
        client(emu).add_invoice(1, 1)
    assert emu.count("addInvoice") == 1


def test_add_invoice_is_sent_again_when_the_connection_could_not_be_made() -> None:
    calls = []

    def app(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"status": "SUCCESS", "invoice_id": "17"})

    with BaseLinkerClient(TOKEN, transport=httpx.MockTransport(app), per_minute=0,
                          retry=RetryPolicy(3, Backoff(0.01, 0.02))) as c:
        assert c.add_invoice(1, 1) == 17
    assert len(calls) == 2


def test_retry_waits_grow_exponentially_with_jitter_up_to_the_cap(emulator: Callable[..., Emulator]) -> None:
    emu = emulator(rate_limit=0)
    emu.inject("500", count=4)
    policy = RetryPolicy(attempts=5, backoff=Backoff(initial=1.0, cap=3.0, jitter=0.2))
    with RecordingClient(TOKEN, url=emu.url, per_minute=0, retry=policy, rand=lambda: 1.0) as c:
        c.get_series()
        assert c.pauses == [1.2, 2.4, 3.6, 3.6]
    with RecordingClient(TOKEN, url=emu.url, per_minute=0, retry=policy, rand=lambda: 0.0) as c:
        emu.inject("500", count=2)
        c.get_series()
        assert c.pauses == [0.8, 1.6]


# -- waiting: progress and cancel ---------------------------------------------------------------------------

def test_waiting_for_the_budget_feeds_progress_and_ends_when_cancelled(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient], tmp_path: Path) -> None:
    emu = emulator(rate_limit=0)
    cancelled = threading.Event()
    beats: list[float] = []

    def progress() -> None:
        beats.append(time.monotonic())
        if len(beats) == 3:
            cancelled.set()

    c = client(emu, limiter=RateLimiter(TOKEN, 1, folder=tmp_path / "rl"), progress=progress, cancelled=cancelled)
    c.get_series()
    with pytest.raises(errors.Cancelled):
        c.get_series()  # the budget of 1 a minute is spent: it waits, feeding progress, until cancelled
    assert len(beats) == 3
    assert emu.count() == 1


def test_a_small_budget_delays_requests_without_errors(emulator: Callable[..., Emulator],
                                                       client: Callable[..., BaseLinkerClient],
                                                       tmp_path: Path) -> None:
    emu = emulator(rate_limit=2, rate_window=1.0)
    beats: list[int] = []
    c = client(emu, limiter=RateLimiter(TOKEN, 2, folder=tmp_path / "rl", window=1.0, margin=0.2),
               progress=lambda: beats.append(1))
    for _ in range(5):
        c.get_series()
    assert emu.limit_exceeded == 0 and emu.count() == 5
    assert beats, "the waits fed progress"
    times = [r.time for r in emu.requests]
    assert times[4] - times[0] >= 2.0  # 2 per second: the 5th waits two windows
