"""The control API's own guards, without a supervisor behind it."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest

from sellintegro.control import ControlClient, ControlServer
from sellintegro.errors import ControlError, NotRunning


def test_server_refuses_a_non_loopback_bind(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        ControlServer(tmp_path, "0.0.0.0", 0, {}, pid=1)
    assert not (tmp_path / "control.json").exists()


def test_localhost_binds_loopback_and_routes_answer_with_the_token(tmp_path: Path) -> None:
    server = ControlServer(tmp_path, "localhost", 0, {("GET", "/v1/ping"): lambda body: {"pong": True}},
                           pid=1)
    server.start()
    try:
        client = ControlClient(tmp_path, tmp_path)
        assert client.info["host"] == "127.0.0.1"
        assert client.call("GET", "/v1/ping") == {"pong": True}
        with pytest.raises(ControlError, match="no such call"):
            client.call("GET", "/v1/nothing")
        with pytest.raises(ControlError, match="wrong token"):
            client.call("GET", "/v1/ping", token="x" * 43)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request("GET", "/v1/ping")
        resp = conn.getresponse()
        assert resp.status == 401 and "missing token" in json.loads(resp.read())["error"]
        conn.close()
    finally:
        server.close()
    assert not (tmp_path / "control.json").exists()


def test_client_without_a_control_file_says_not_running(tmp_path: Path) -> None:
    with pytest.raises(NotRunning, match="no Sellintegro supervisor is running"):
        ControlClient(tmp_path, tmp_path)
