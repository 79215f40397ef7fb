"""The POSNET frame checksum: CRC16-CCITT, XMODEM variant (poly 0x1021, init 0, no reflection, xorout 0).

`binascii.crc_hqx` computes exactly this variant, so no table is hand-written here.
Checks from the specification: "123456789" -> 31C3, "trinit\\tbm0\\t" -> 4825.
"""

from __future__ import annotations

import binascii


def crc16(data: bytes) -> int:
    """The CRC of `data` (everything between STX and `#`)."""
    return binascii.crc_hqx(data, 0)


def crc_text(data: bytes) -> str:
    """The CRC as the frame carries it: 4 uppercase hex digits."""
    return f"{crc16(data):04X}"
