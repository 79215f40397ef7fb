"""File names -> ERP document numbers and order ids."""

from __future__ import annotations

import re

from sellintegro_pdf.names import candidates, is_pdf_name, order_id, parse
from sellintegro_pdf.settings import DEFAULT_PATTERN

DEFAULT = re.compile(DEFAULT_PATTERN)


def test_the_slash_character_in_a_file_name_stands_for_the_slash_of_the_erp_number() -> None:
    parsed = parse("FS 12_A_2026.pdf", DEFAULT, "_")
    assert parsed is not None and parsed.number == "FS 12/A/2026" and parsed.order is None
    assert parse("FS 12#2026.PDF", DEFAULT, "#") == parse("FS 12#2026.pdf", DEFAULT, "#")


def test_a_name_whose_every_separator_became_the_slash_character_is_also_tried_in_subiekt_form() -> None:
    assert candidates("FS/12/2026") == ["FS/12/2026", "FS 12/2026"]
    assert candidates("FS 12/A/2026") == ["FS 12/A/2026"]
    assert candidates("FS 1/22026") == ["FS 1/22026"], "never a guess that moves digits between parts"


def test_the_pattern_must_match_the_whole_name_and_its_order_group_must_be_an_order_id() -> None:
    pattern = re.compile(r"(?P<number>.+) - (?P<order>\d+)")
    parsed = parse("FV 7_2026 - 7001.pdf", pattern, "_")
    assert parsed is not None and parsed.number == "FV 7/2026" and order_id(parsed.order) == 7001
    assert parse("FV 7_2026 - 7001 copy.pdf", pattern, "_") is None
    assert order_id("12a") is None and order_id("0") is None and order_id("١٢") is None


def test_only_pdf_names_are_looked_at_and_office_lock_and_hidden_files_are_not() -> None:
    assert is_pdf_name("FS 1_2026.pdf") and is_pdf_name("FS 1_2026.PDF")
    assert not is_pdf_name("FS 1_2026.pdf.part") and not is_pdf_name("~$FS 1.pdf")
    assert not is_pdf_name(".sellintegro-probe-1.tmp") and not is_pdf_name(".pdf")
