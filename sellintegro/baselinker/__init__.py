"""BaseLinker: the API client, the shared per-token rate limiter, and an emulator of the API.

    from sellintegro.baselinker import BaseLinkerClient, OrderCursor, ratelimit
    client = BaseLinkerClient(token, state_dir=ratelimit.state_dir(ctx.data_dir),
                              progress=ctx.progress, cancelled=ctx.cancelled)
    for order in client.iter_orders(cursor): ...

Modules: client.py (the client), errors.py (the exception tree), models.py (typed records),
loose.py (loosely typed fields), paging.py (walking getOrders), ratelimit.py (the shared budget),
account.py + emulator.py (the emulator), seed.py (sample orders).
"""


from typing import TYPE_CHECKING

from sellintegro._lazy import lazy

if TYPE_CHECKING:  # the names as the type checker sees them
    from .client import API_URL, BaseLinkerClient, RetryPolicy
    from .errors import (
        AccountBlocked,
        ApiError,
        BadToken,
        BaseLinkerError,
        Cancelled,
        MalformedResponse,
        NotFound,
        ServerError,
        Timeout,
        TransportError,
    )
    from .models import Invoice, JournalEntry, Order, OrderProduct, OrderStatus, Receipt, Series, vat_label
    from .paging import OrderCursor
    from .ratelimit import RateLimiter

# Imported on first use (see sellintegro/_lazy.py).
__getattr__ = lazy(__name__, {
    "API_URL": ".client",
    "BaseLinkerClient": ".client",
    "RetryPolicy": ".client",
    "AccountBlocked": ".errors",
    "ApiError": ".errors",
    "BadToken": ".errors",
    "BaseLinkerError": ".errors",
    "Cancelled": ".errors",
    "MalformedResponse": ".errors",
    "NotFound": ".errors",
    "ServerError": ".errors",
    "Timeout": ".errors",
    "TransportError": ".errors",
    "Invoice": ".models",
    "JournalEntry": ".models",
    "Order": ".models",
    "OrderProduct": ".models",
    "OrderStatus": ".models",
    "Receipt": ".models",
    "Series": ".models",
    "vat_label": ".models",
    "OrderCursor": ".paging",
    "RateLimiter": ".ratelimit",
})

__all__ = [
    "API_URL", "AccountBlocked", "ApiError", "BadToken", "BaseLinkerClient", "BaseLinkerError", "Cancelled",
    "Invoice", "JournalEntry", "MalformedResponse", "NotFound", "Order", "OrderCursor", "OrderProduct",
    "OrderStatus", "RateLimiter", "Receipt", "RetryPolicy", "Series", "ServerError", "Timeout", "TransportError",
    "vat_label",
]
