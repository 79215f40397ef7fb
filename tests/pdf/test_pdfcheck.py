"""What counts as a PDF worth uploading."""

from __future__ import annotations

import io

from PIL import Image
from sellintegro_pdf.pdfcheck import incomplete, problem

from .conftest import make_pdf


def test_pdfs_made_by_pypdf_and_by_pillow_are_valid() -> None:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, "PDF")
    assert problem(make_pdf("a", pages=2)) is None
    assert problem(out.getvalue()) is None


def test_a_pdf_cut_off_while_written_is_broken_and_looks_unfinished() -> None:
    cut = make_pdf("a")[:-80]
    assert problem(cut) == "it is cut off: no %%EOF at its end"
    assert incomplete(cut) and incomplete(b"")


def test_a_file_that_is_no_pdf_or_that_pypdf_cannot_read_is_broken_but_not_unfinished() -> None:
    assert problem(b"<html>not a pdf</html>") == "it does not start with %PDF-"
    junk = b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf body\n%%EOF\n"
    reason = problem(junk)
    assert reason is not None and reason.startswith("pypdf cannot read it")
    assert not incomplete(junk) and not incomplete(b"<html>")
