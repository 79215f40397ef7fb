"""The simulator as a device on the wire: raw frames in, documented replies out; and its command line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sellintegro.fiscal import PosnetPrinter
from sellintegro.fiscal.crc import crc_text
from sellintegro.fiscal.device import DeviceError
from sellintegro.fiscal.frame import Frame, FrameReader, decode, encode
from sellintegro.fiscal.simulator import PrinterSimulator

from .conftest import FAST, mixed_receipt


class Wire:
    """A raw client: send frames or bytes, read reply frames."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.sock = socket.create_connection(address, timeout=20)
        self.reader = FrameReader()
        self.pending: list[bytes | None] = []

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def call(self, command: str, *params: tuple[str, str], token: str | None = None) -> Frame:
        self.send(encode(Frame(command, params, token)))
        return self.reply()

    def reply(self) -> Frame:
        while not self.pending:
            data = self.sock.recv(4096)
            assert data, "the simulator closed the connection"
            self.pending += self.reader.feed(data)
        inner = self.pending.pop(0)
        assert inner is not None
        return decode(inner)


@pytest.fixture
def wire(sim: PrinterSimulator) -> Iterator[Wire]:
    client = Wire(sim.address)
    yield client
    client.sock.close()


def raw(body: bytes, crc: bytes | None = None) -> bytes:
    return b"\x02" + body + b"#" + (crc if crc is not None else crc_text(body).encode()) + b"\x03"


def test_a_bad_checksum_answers_frame_error_5(wire: Wire) -> None:
    wire.send(raw(b"scomm\t", b"0000"))
    reply = wire.reply()
    assert (reply.name, reply.error) == ("ERR", 5)


def test_a_frame_without_checksum_answers_frame_error_15(wire: Wire) -> None:
    wire.send(b"\x02scomm\t\x03")
    assert wire.reply().error == 15


def test_an_unknown_command_answers_frame_error_1_naming_it(wire: Wire) -> None:
    reply = wire.call("drukuj", token="0005")
    assert (reply.name, reply.error, reply.get("cm"), reply.token) == ("ERR", 1, "drukuj", "0005")


def test_a_missing_mandatory_field_answers_frame_error_2_naming_the_field(wire: Wire) -> None:
    wire.call("trinit", ("bm", "0"))
    reply = wire.call("trline", ("vt", "0"), ("pr", "100"))
    assert (reply.error, reply.get("cm"), reply.get("fd")) == (2, "trline", "na")


def test_an_amount_with_a_comma_answers_conversion_error_3(wire: Wire) -> None:
    wire.call("trinit", ("bm", "0"))
    reply = wire.call("trline", ("na", "Mleko"), ("vt", "1"), ("pr", "12,34"))
    assert (reply.name, reply.error, reply.get("fd")) == ("ERR", 3, "pr")


def test_a_malformed_token_answers_frame_error_4(wire: Wire) -> None:
    wire.send(raw(b"scomm\t@12a\t"))
    assert wire.reply().error == 4


def test_a_parameter_without_its_id_answers_frame_error_6(wire: Wire) -> None:
    wire.send(raw(b"trinit\tb\t"))
    assert wire.reply().error == 6


def test_a_frame_longer_than_the_input_buffer_answers_frame_error_11(wire: Wire) -> None:
    wire.send(b"\x02trline\tna" + b"x" * 5000)
    assert wire.reply().error == 11


def test_a_full_input_queue_answers_frame_error_14(sim: PrinterSimulator, wire: Wire) -> None:
    wire.call("trinit", ("bm", "0"))
    sim.paper_out()  # every line now waits in the queue
    line = encode(Frame("trline", (("na", "Kubek"), ("vt", "0"), ("pr", "100"))))
    wire.send(line * 40)
    assert wire.reply().error == 14
    sim.load_paper()


def test_only_status_commands_run_in_immediate_mode(wire: Wire) -> None:
    assert wire.call("!scomm").error == 12
    reply = wire.call("!sprn", token="0101")
    assert (reply.name, reply.get("pr"), reply.token) == ("sprn", "0", "0101")


def test_immediate_status_answers_while_a_printing_command_waits_for_paper(sim: PrinterSimulator,
                                                                            wire: Wire) -> None:
    sim.paper_out()
    wire.send(encode(Frame("trinit", (("bm", "0"),), "0001")))
    status = wire.call("!sprn", token="0002")
    assert (status.token, status.get("pr")) == ("0002", "5")
    sim.load_paper()
    assert wire.reply().token == "0001" and sim.transaction_open


@pytest.mark.parametrize(("setup", "request_", "code"), [
    ([], ("trline", ("na", "Kubek"), ("vt", "0"), ("pr", "100")), 2060),
    ([("trinit",)], ("trinit",), 2038),
    ([("trinit",)], ("trend", ("to", "0")), 1992),
    ([("trinit",)], ("trline", ("na", "Kubek"), ("vt", "4"), ("pr", "100")), 2000),
    ([("trinit",)], ("trline", ("na", "Kubek"), ("vt", "0"), ("pr", "0")), 2006),
    ([("trinit",)], ("trline", ("na", "Kubek"), ("vt", "0"), ("pr", "100"), ("il", "0")), 2007),
    ([("trinit",)], ("trnipset", ("ni", "123-456")), 2096),
    ([("trinit",), ("trline", ("na", "Kubek"), ("vt", "0"), ("pr", "100"))], ("trend", ("to", "99")), 2008),
    ([("trinit",), ("trline", ("na", "Kubek"), ("vt", "0"), ("pr", "100")),
      ("trline", ("na", "Kubek"), ("vt", "0"), ("pr", "100"), ("st", "1"))], ("trend",), 2041),
    ([("trinit",), ("trline", ("na", "Kubek"), ("vt", "0"), ("pr", "100")), ("trpayment", ("ty", "0"), ("wa", "50"))],
     ("trend", ("to", "100")), 2054),
    ([("trfvinit",)], ("trpayment", ("ty", "0"), ("wa", "50")), 2060),
    ([], ("dailyrep",), 382),
])
def test_the_device_answers_the_documented_command_errors(wire: Wire, setup: list[tuple], request_: tuple,
                                                          code: int) -> None:
    for command, *params in setup:
        assert wire.call(command, *params).error is None
    reply = wire.call(request_[0], *request_[1:], token="0777")
    assert (reply.name, reply.error, reply.token) == (request_[0], code, "0777")


@pytest.mark.parametrize(("kwargs", "flag", "code"), [
    ({"read_only": True}, None, 2036),
    ({"vat": ("101",) * 7}, None, 2004),
    ({}, "daily_report_required", 383),
])
def test_the_device_refuses_to_start_in_states_that_forbid_sales(kwargs: dict, flag: str | None, code: int) -> None:
    with PrinterSimulator(**kwargs) as other:
        if flag:
            setattr(other.device, flag, True)
        client = Wire(other.address)
        try:
            assert client.call("trinit", ("bm", "0")).error == code
        finally:
            client.sock.close()


def test_more_lines_than_a_receipt_holds_answer_1957(sim: PrinterSimulator) -> None:
    sim.device.execute("trinit", {})
    for _ in range(500):
        sim.device.execute("trline", {"na": "Kubek", "vt": "0", "pr": "100"})
    with pytest.raises(DeviceError) as caught:
        sim.device.execute("trline", {"na": "Kubek", "vt": "0", "pr": "100"})
    assert caught.value.code == 1957


def test_the_command_line_serves_tcp_and_a_pty_and_stops_on_sigterm(tmp_path: Path) -> None:
    link = tmp_path / "ttyPOSNET"
    out = tmp_path / "png"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sellintegro.fiscal.simulator", "--port", "0", "--out", str(out),
         "--serial", str(link)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("POSNET printer simulator listening on tcp://127.0.0.1:"), first
        port = int(first.rsplit(":", 1)[1])
        assert proc.stdout.readline().strip() == f"serial (pty): {link}" and link.is_symlink()
        with PosnetPrinter.tcp("127.0.0.1", port, timeouts=FAST) as printer:
            result = printer.print_receipt(mixed_receipt())
        announced = proc.stdout.readline()
        assert announced.startswith(f"receipt {result.number} fiscalized: 107,48 PLN -> ")
        assert (out / "receipt-000001.png").is_file()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert not link.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_the_command_line_refuses_a_bad_vat_table() -> None:
    done = subprocess.run([sys.executable, "-m", "sellintegro.fiscal.simulator", "--vat", "23,8"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "7 VAT slots" in done.stderr


def test_the_command_line_reports_a_busy_port(sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    from sellintegro.fiscal.simulator import main

    assert main(["--port", str(sim.address[1])]) == 1
    assert f"cannot listen on 127.0.0.1:{sim.address[1]}" in capsys.readouterr().err
