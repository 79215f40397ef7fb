"""Is this a PDF worth uploading? (pypdf)"""

from __future__ import annotations

import io
import logging
import warnings

# The PDF header may follow a little junk (the spec allows it within the first 1024 bytes); the
# BaseLinker emulator, and so possibly the service, wants it first: a file that does not start
# with it is refused here rather than by the API.
HEADER = b"%PDF-"
_TAIL = 2048  # where %%EOF must appear: a file cut off while being written has none


def incomplete(data: bytes) -> bool:
    """Whether `data` looks like a PDF its writer has not finished (empty, or no %%EOF yet)."""
    return not data or (data.startswith(HEADER) and b"%%EOF" not in data[-_TAIL:])


def problem(data: bytes) -> str | None:
    """Why `data` is not a complete, readable PDF; None when it is one."""
    if not data:
        return "the file is empty"
    if not data.startswith(HEADER):
        return "it does not start with %PDF-"
    if b"%%EOF" not in data[-_TAIL:]:
        return "it is cut off: no %%EOF at its end"
    # pypdf reports what it repairs through warnings and its logger; a file it can still read is
    # good enough to upload, so neither may turn into an error here (tests run with -W error).
    # Imported here, not at the top: pypdf brings Pillow along, which an idle worker does not need.
    from pypdf import PdfReader

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            pages = len(reader.pages)
            if pages:
                reader.pages[0].mediabox  # noqa: B018 - parsing the first page is the point
    except Exception as e:  # noqa: BLE001 - pypdf raises many types for broken input; each means "broken"
        return f"pypdf cannot read it: {type(e).__name__}: {e}"[:300]
    finally:
        pypdf_log.setLevel(level)
    if not pages:
        return "it has no pages"
    return None
