"""Every error code the reference documents becomes its own typed error, readable in Polish and English."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sellintegro.fiscal import errors as E
from sellintegro.fiscal.frame import Frame, FrameReader, decode, encode
from sellintegro.fiscal.link import PosnetLink, Timeouts
from sellintegro.fiscal.texts import text

FRAME_CODES = {
    1: E.UnknownCommand, 2: E.MissingField, 3: E.ConversionError, 4: E.BadToken, 5: E.BadChecksum,
    6: E.MissingMnemonic, 11: E.InputBufferFull, 14: E.InputQueueFull, 15: E.MissingChecksum,
}
COMMAND_CODES = {
    41: E.PrinterBusy, 382: E.ZeroReport, 383: E.DailyReportMissing, 1957: E.DocumentLimitExceeded,
    1992: E.NoItems, 2000: E.BadVatSlot, 2004: E.NoActiveVat, 2006: E.BadPrice, 2007: E.BadQuantity,
    2008: E.TotalMismatch, 2036: E.ReadOnlyMode, 2038: E.AlreadyInTransaction, 2041: E.ZeroReceipt,
    2054: E.PaymentsShort, 2060: E.BadTransactionState, 2096: E.BadBuyerNip, 2106: E.ItemLocked,
}


class ScriptedPrinter:
    """A transport that answers every request with `answer(request)`, echoing the request's token."""

    def __init__(self, answer: Callable[[Frame], Frame]) -> None:
        self.answer = answer
        self.out = b""
        self.reader = FrameReader()
        self.opened = False

    description = "scripted"

    @property
    def is_open(self) -> bool:
        return self.opened

    def open(self, timeout: float) -> None:
        self.opened = True

    def close(self) -> None:
        self.opened = False

    def send(self, data: bytes) -> None:
        for inner in self.reader.feed(data):
            assert inner is not None
            request = decode(inner)
            reply: Frame = self.answer(request)
            self.out += encode(Frame(reply.command, reply.params, request.token, reply.error))

    def recv(self, timeout: float) -> bytes:
        data, self.out = self.out, b""
        return data


def refusal(code: int, frame: bool) -> E.PrinterError:
    def answer(request: Frame) -> Frame:
        if frame:
            return Frame("ERR", (("cm", request.name), ("fd", "pr")), None, code)
        return Frame(request.name, (), None, code)

    link = PosnetLink(ScriptedPrinter(answer), Timeouts(reply=2.0, probe=1.0))
    with pytest.raises(E.PrinterError) as caught:
        link.call("trline", [("na", "Mleko"), ("vt", "1"), ("pr", "245")])
    return caught.value


@pytest.mark.parametrize("code", sorted(FRAME_CODES))
def test_every_documented_frame_error_is_typed_with_polish_and_english_text(code: int) -> None:
    err = refusal(code, frame=True)
    assert type(err) is FRAME_CODES[code]
    assert isinstance(err, E.FrameError) and err.code == code and err.command == "trline" and err.field == "pr"
    pl, en = err.message("pl"), err.message("en")
    assert text(f"frame.{code}", "pl") in pl and text(f"frame.{code}", "en") in en
    assert pl != en and str(code) in pl and str(code) in en


@pytest.mark.parametrize("code", sorted(COMMAND_CODES))
def test_every_documented_command_error_is_typed_with_polish_and_english_text(code: int) -> None:
    err = refusal(code, frame=False)
    assert type(err) is COMMAND_CODES[code]
    assert isinstance(err, E.CommandError) and err.code == code and err.command == "trline"
    pl, en = err.message("pl"), err.message("en")
    assert text(f"cmd.{code}", "pl") in pl and text(f"cmd.{code}", "en") in en
    assert text("code.unknown", "en") not in en
    assert pl != en and str(code) in pl and str(code) in en


def test_each_documented_code_has_a_class_of_its_own() -> None:
    classes = list(FRAME_CODES.values()) + list(COMMAND_CODES.values())
    assert len(set(classes)) == len(classes)
    assert E.FRAME_ERRORS.keys() >= FRAME_CODES.keys() and E.COMMAND_ERRORS.keys() >= COMMAND_CODES.keys()


def test_an_undocumented_code_is_still_a_readable_command_error() -> None:
    err = refusal(9999, frame=False)
    assert type(err) is E.CommandError and err.code == 9999
    assert text("code.unknown", "en") in err.message("en") and text("code.unknown", "pl") in err.message("pl")


def test_str_follows_the_users_language(monkeypatch: pytest.MonkeyPatch) -> None:
    err = refusal(2008, frame=False)
    monkeypatch.setenv("SELLINTEGRO_LANG", "pl")
    assert str(err) == err.message("pl") and "błąd kwoty total" in str(err)
    monkeypatch.setenv("SELLINTEGRO_LANG", "en")
    assert str(err) == err.message("en") and "bad total" in str(err)


def test_a_refused_document_command_says_nothing_was_fiscalized() -> None:
    err = refusal(2000, frame=False)
    err.line, err.item = 2, "Mleko"
    assert err.fiscalized is False
    assert "(line 2: Mleko)" in err.message("en") and "Nothing was fiscalized" in err.message("en")
    assert "(pozycja 2: Mleko)" in err.message("pl")


def test_retryable_errors_are_the_transient_ones() -> None:
    retryable = {code for code, cls in {**FRAME_CODES, **COMMAND_CODES}.items() if cls.retryable}
    assert retryable == {5, 11, 14, 41}


@pytest.mark.parametrize(("mechanism", "cls", "word_en", "word_pl"), [
    (5, E.PaperOut, "out of paper", "brak papieru"),
    (1, E.CoverOpen, "cover is open", "otwarta pokrywa"),
    (3, E.CoverOpen, "cover is up", "podniesiona pokrywa"),
    (8, E.MechanismError, "cutter", "obcinacza"),
])
def test_mechanism_states_are_typed_not_ready_errors(mechanism: int, cls: type, word_en: str, word_pl: str) -> None:
    err = E.not_ready(mechanism, during="trline", transaction_open=True)
    assert type(err) is cls and err.fiscalized is False
    assert word_en in err.message("en") and word_pl in err.message("pl")
    assert "trline" in err.message("en") and "not fiscalized" in err.message("en")


def test_the_vendors_er_field_in_a_frame_error_is_understood() -> None:
    """The specification's `rpt` example answers `ERR @tok er13 cmrpt` instead of `?13`."""
    link = PosnetLink(ScriptedPrinter(lambda r: Frame("ERR", (("er", "13"), ("cm", "rpt")))), Timeouts(reply=2.0))
    with pytest.raises(E.TokenNotFound):
        link.call("rpt")
