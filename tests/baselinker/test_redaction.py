"""The API token never appears in a log record, an exception text, a traceback or a state file."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from sellintegro.backoff import Backoff
from sellintegro.baselinker import errors
from sellintegro.baselinker.client import BaseLinkerClient, RetryPolicy
from sellintegro.baselinker.emulator import Emulator

from .conftest import TOKEN

WRONG = "3007777-3008888-WRONGBUTSECRETTOKEN0000"


def _texts(e: BaseException) -> str:
    return "\n".join([str(e), repr(e), "".join(traceback.format_exception(e))])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_token_is_in_no_log_record_or_error_text_whatever_fails(
        emulator: Callable[..., Emulator], client: Callable[..., BaseLinkerClient], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    emu = emulator(rate_limit=0)
    texts: list[str] = []
    retry = RetryPolicy(attempts=2, backoff=Backoff(0.01, 0.02))

    def failing(c: BaseLinkerClient, fault: str | None, expected: type[Exception]) -> None:
        if fault:
            emu.inject(fault, count=10, delay=3.0)
        with pytest.raises(expected) as caught:
            c.get_series()
        texts.append(_texts(caught.value))
        emu.clear_faults()

    c = client(emu, retry=retry, timeout=0.3, blocked_pause=0.01)
    c.get_series()
    failing(c, "500", errors.ServerError)
    failing(c, "timeout", errors.Timeout)
    failing(c, "malformed", errors.MalformedResponse)
    failing(c, "reset", errors.TransportError)
    failing(c, "blocked", errors.AccountBlocked)
    failing(client(emu, token=WRONG, retry=retry), None, errors.BadToken)
    failing(client(url=f"http://127.0.0.1:{_free_port()}/connector.php", retry=retry), None, errors.TransportError)
    texts.append(repr(c))

    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert "getSeries" in logged, "the capture saw the client's records"
    for secret in (TOKEN, WRONG):
        assert secret not in logged
        for text in texts:
            assert secret not in text
    for f in (tmp_path / "ratelimit").iterdir():
        assert TOKEN not in f.name and TOKEN not in f.read_text(encoding="utf-8")


def test_a_server_that_echoes_the_token_has_it_masked_in_the_error() -> None:
    def app(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("html"):
            return httpx.Response(502, text=f"<html>bad gateway for X-BLToken: {TOKEN}</html>")
        return httpx.Response(200, json={"status": "ERROR", "error_code": "ERROR_BAD_TOKEN",
                                         "error_message": f"Token {TOKEN} is not valid"})

    with BaseLinkerClient(TOKEN, transport=httpx.MockTransport(app), per_minute=0) as c:
        with pytest.raises(errors.BadToken) as caught:
            c.get_series()
    assert TOKEN not in _texts(caught.value) and "***" in caught.value.message

    with BaseLinkerClient(TOKEN, url="https://bl.example/html", transport=httpx.MockTransport(app), per_minute=0,
                          retry=RetryPolicy(1)) as c:
        with pytest.raises(errors.ServerError) as server:
            c.get_series()
    assert TOKEN not in _texts(server.value) and "***" in str(server.value)
