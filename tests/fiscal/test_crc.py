"""CRC16 (XMODEM variant) and frames, checked against the specification's own examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellintegro.fiscal.crc import crc16, crc_text
from sellintegro.fiscal.frame import (
    Frame,
    FrameDecodeError,
    FrameReader,
    clean_text,
    decode,
    encode,
    kwota,
    num,
    parse_bool,
    parse_kwota,
    parse_num,
)


def test_crc_of_the_check_string_is_31c3() -> None:
    assert crc16(b"123456789") == 0x31C3


def test_crc_of_the_trinit_example_is_4825() -> None:
    assert crc_text(b"trinit\tbm0\t") == "4825"


def test_trinit_frame_is_byte_for_byte_the_specifications_example() -> None:
    assert encode(Frame("trinit", (("bm", "0"),))) == b"\x02trinit\tbm0\t#4825\x03"


def test_frame_round_trip_keeps_params_token_and_polish_text_in_windows_1250() -> None:
    frame = Frame("trline", (("na", "Żółć „gęś”"), ("vt", "0"), ("pr", "245"), ("il", "1.5")), token="0042")
    data = encode(frame)
    assert "Żółć".encode("cp1250") in data and b"@0042\t" in data
    [inner] = FrameReader().feed(data)
    assert inner is not None
    assert decode(inner) == frame


def test_command_error_reply_is_question_mark_and_decimal_code_before_the_crc() -> None:
    data = encode(Frame("trend", (), "0001", 2008))
    assert data.startswith(b"\x02trend\t@0001\t?2008#")
    assert decode(data[1:-1]).error == 2008


def test_frame_error_reply_carries_command_and_field() -> None:
    data = encode(Frame("ERR", (("cm", "trline"), ("fd", "pr")), "0007", 3))
    assert data.startswith(b"\x02ERR\t@0007\t?3\tcmtrline\tfdpr\t#")
    reply = decode(data[1:-1])
    assert (reply.name, reply.error, reply.get("cm"), reply.get("fd")) == ("ERR", 3, "trline", "pr")


def test_a_damaged_byte_is_caught_by_the_crc_as_error_5() -> None:
    data = bytearray(encode(Frame("trline", (("na", "Mleko"), ("vt", "1"), ("pr", "245")))))
    data[data.index(b"245")] = ord("9")
    with pytest.raises(FrameDecodeError) as caught:
        decode(bytes(data[1:-1]))
    assert caught.value.code == 5


def test_a_frame_without_checksum_is_error_15() -> None:
    with pytest.raises(FrameDecodeError) as caught:
        decode(b"scomm\t")
    assert caught.value.code == 15


def test_a_parameter_without_its_two_letter_id_is_error_6() -> None:
    body = b"trline\tx\t"
    with pytest.raises(FrameDecodeError) as caught:
        decode(body + b"#" + crc_text(body).encode())
    assert caught.value.code == 6


def test_reader_drops_noise_and_joins_frames_split_across_reads() -> None:
    one, two = encode(Frame("scomm")), encode(Frame("sdev", (("ds", "0"),)))
    stream = b"noise" + one + b"\x00\x01" + two
    reader = FrameReader()
    got = [f for chunk in (stream[:9], stream[9:20], stream[20:]) for f in reader.feed(chunk)]
    assert [decode(f).name for f in got if f is not None] == ["scomm", "sdev"]


def test_reader_reports_a_frame_longer_than_its_buffer() -> None:
    reader = FrameReader(max_frame=100)
    assert reader.feed(b"\x02" + b"a" * 200) == [None]


def test_amounts_are_whole_grosze_without_separator() -> None:
    assert kwota(245) == "245"
    assert parse_kwota("9999999999") == 9_999_999_999
    for bad in ("12,34", "-5", "10000000000", ""):
        with pytest.raises(ValueError):
            parse_kwota(bad)
    with pytest.raises(ValueError):
        kwota(-1)


def test_numbers_take_dot_or_comma_and_bools_take_the_documented_letters() -> None:
    assert num(Decimal("1.500")) == "1.5" and num(2) == "2"
    assert parse_num("23,00") == Decimal(23) and parse_num("0.5") == Decimal("0.5")
    assert [parse_bool(v) for v in "1tTYy"] == [True] * 5
    assert [parse_bool(v) for v in "0nN"] == [False] * 3


def test_text_is_made_frame_safe_and_windows_1250() -> None:
    assert clean_text("a\tb\x03c\nd", 80) == "a b c d"
    assert clean_text("Kubek 😀", 80) == "Kubek ?"
    assert clean_text("linia 1\nlinia 2", 80, keep_newlines=True) == "linia 1\nlinia 2"
    assert len(clean_text("x" * 100, 80)) == 80
