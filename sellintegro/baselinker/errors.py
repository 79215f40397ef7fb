"""What can go wrong when talking to BaseLinker, as one tree of exceptions.

SellintegroError
 └── BaseLinkerError            anything on the way to BaseLinker or back
      ├── TransportError        no HTTP answer: connection refused or reset, DNS     (retried)
      │    └── Timeout          connect, read, write or pool timeout                 (retried)
      ├── ServerError           HTTP 5xx without an ERROR envelope                   (retried)
      ├── MalformedResponse     the body is not the JSON envelope, or a field cannot be read
      ├── Cancelled             the caller's cancel event was set while we waited
      └── ApiError              the envelope said status=ERROR (never retried)
           ├── BadToken             ERROR_BAD_TOKEN: the token is wrong, missing or revoked
           ├── UnknownMethod        ERROR_UNKNOWN_METHOD
           ├── AccountBlocked       ERROR_USER_ACCOUNT_BLOCKED: over the rate limit; the account
           │                        is blocked for a few minutes (the shared limiter pauses every user)
           ├── BadParameters        ERROR_BAD_PARAMETERS: a parameter is missing, of the wrong type, too long
           ├── InvalidFile          ERROR_BAD_FILE: a file is not "data:" + base64 of a PDF
           └── NotFound             the object named by a parameter does not exist
                ├── OrderNotFound       ERROR_ORDER_NOT_FOUND
                ├── StatusNotFound      ERROR_STATUS_NOT_FOUND
                ├── InvoiceNotFound     ERROR_INVOICE_NOT_FOUND
                ├── ReceiptNotFound     ERROR_RECEIPT_NOT_FOUND
                └── SeriesNotFound      ERROR_SERIES_NOT_FOUND

Only ERROR_USER_ACCOUNT_BLOCKED and ERROR_UNKNOWN_METHOD are confirmed from the real service
(reference/baselinker-api.md); the other codes are the emulator's choice, kept in CODES below so the
client and the emulator cannot drift apart. A code not listed becomes a plain ApiError.

No message in this tree ever holds the API token: the client masks it in every text it passes on.
"""

from __future__ import annotations

from ..errors import SellintegroError


class BaseLinkerError(SellintegroError):
    """Base of every BaseLinker failure; `method` is the API method (e.g. "getOrders") when known."""

    def __init__(self, message: str, method: str = "") -> None:
        self.method = method
        super().__init__(f"BaseLinker {method}: {message}" if method else f"BaseLinker: {message}")


class TransportError(BaseLinkerError):
    """No usable HTTP exchange happened; `sent` is False only when the request surely never left."""

    sent: bool = True


class Timeout(TransportError):
    pass


class ServerError(BaseLinkerError):
    def __init__(self, message: str, method: str = "", http_status: int = 0) -> None:
        self.http_status = http_status
        super().__init__(message, method)


class MalformedResponse(BaseLinkerError):
    pass


class Cancelled(BaseLinkerError):
    pass


class ApiError(BaseLinkerError):
    """The API answered with the ERROR envelope: `code` and `message` are its error_code and error_message."""

    def __init__(self, code: str, message: str, method: str = "") -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}" if message else code, method)


class BadToken(ApiError):
    pass


class UnknownMethod(ApiError):
    pass


class AccountBlocked(ApiError):
    """Over the rate limit; `retry_at` (time.monotonic) is when the shared limiter lets requests go again."""

    retry_at: float | None = None


class BadParameters(ApiError):
    pass


class InvalidFile(ApiError):
    pass


class NotFound(ApiError):
    pass


class OrderNotFound(NotFound):
    pass


class StatusNotFound(NotFound):
    pass


class InvoiceNotFound(NotFound):
    pass


class ReceiptNotFound(NotFound):
    pass


class SeriesNotFound(NotFound):
    pass


# Every error code we know (the emulator sends exactly these) and its typed error.
CODES: dict[str, type[ApiError]] = {
    "ERROR_BAD_TOKEN": BadToken,
    "ERROR_UNKNOWN_METHOD": UnknownMethod,
    "ERROR_USER_ACCOUNT_BLOCKED": AccountBlocked,
    "ERROR_BAD_PARAMETERS": BadParameters,
    "ERROR_BAD_FILE": InvalidFile,
    "ERROR_ORDER_NOT_FOUND": OrderNotFound,
    "ERROR_STATUS_NOT_FOUND": StatusNotFound,
    "ERROR_INVOICE_NOT_FOUND": InvoiceNotFound,
    "ERROR_RECEIPT_NOT_FOUND": ReceiptNotFound,
    "ERROR_SERIES_NOT_FOUND": SeriesNotFound,
}


def api_error(code: str, message: str, method: str = "") -> ApiError:
    """The typed error for an ERROR envelope's code (a plain ApiError for codes we do not know)."""
    return CODES.get(code, ApiError)(code, message, method)
