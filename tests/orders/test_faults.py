"""Under emulator faults (5 % HTTP 5xx, 5 % timeouts, 2 % cut-off JSON) every order still gets exactly one
document and its status, and the token's rate limit is never exceeded (the limit and its window are
scaled down, so that the import has to wait for it)."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sellintegro.baselinker import BaseLinkerClient, RateLimiter, ratelimit
from sellintegro.baselinker.emulator import Emulator, _Fault
from sellintegro.baselinker.seed import generate_orders
from sellintegro.erp import SqlErp, sim

from .conftest import FAST_RETRY, TOKEN, add_products, seed_products, statuses

Make = Callable[..., Any]
LIMIT, WINDOW = 6, 2.0       # requests per window: 100/min scaled down, so the import waits for the API
CLIENT_TIMEOUT, LATE = 0.3, 0.6


class FlakyEmulator(Emulator):
    """The emulator, with each request failing at random as `rates` says (besides the faults injected)."""

    def __init__(self, *args: Any, rates: dict[str, float], seed: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rates = rates
        self.rng = random.Random(seed)
        self.served: Counter[str] = Counter()

    def _take_fault(self, method: str) -> _Fault | None:
        fault = super()._take_fault(method)
        if fault is None:
            draw, edge = self.rng.random(), 0.0
            for kind, rate in self.rates.items():
                edge += rate
                if draw < edge:
                    fault = _Fault(kind, 1, None, LATE)
                    break
        if fault is not None:
            self.served[fault.kind] += 1
        return fault


def test_faults_leave_no_duplicate_or_missing_document_and_never_exceed_the_rate_limit(
        harness: Make, tmp_path: Path) -> None:
    orders = generate_orders(1000, seed=9, now=time.time())
    emu = FlakyEmulator(TOKEN, orders, rate_limit=LIMIT, rate_window=WINDOW, auto_receipts=False,
                        rates={"503": 0.05, "timeout": 0.05, "malformed": 0.02}, seed=3).start()
    try:
        ids = statuses(emu)
        emu.reset_stats()
        # Besides chance: each kind of fault once on each method the plugin calls.
        for method in ("getOrderStatusList", "getOrders", "setOrderStatuses"):
            for kind in ("500", "timeout", "malformed"):
                emu.inject(kind, 1, method, delay=LATE)
        target = str(tmp_path / "erp.sqlite")
        sim.create(target)
        with SqlErp.open(target) as erp:
            add_products(erp, seed_products(orders))
        client = BaseLinkerClient(TOKEN, url=emu.url, timeout=CLIENT_TIMEOUT, retry=FAST_RETRY,
                                  limiter=RateLimiter(TOKEN, LIMIT, folder=ratelimit.state_dir(tmp_path),
                                                      window=WINDOW))
        h = harness(emu, target, client=client, document_type="auto", status_ok=ids["Przeniesione do ERP"],
                    status_error=ids["Błąd integracji"])
        taken = [o for o in orders if o["confirmed"]]
        failed_cycles = 0
        for _ in range(20):
            if h.cycle() is not None:
                failed_cycles += 1
            if all(emu.account.orders[o["order_id"]]["order_status_id"] == ids["Przeniesione do ERP"]
                   for o in taken):
                break
        assert all(emu.account.orders[o["order_id"]]["order_status_id"] == ids["Przeniesione do ERP"] for o in taken)
        documents = [(o["order_id"], len(h.document(o["order_id"]))) for o in taken]
        assert [d for d in documents if d[1] != 1] == []
        assert emu.limit_exceeded == 0 and emu.max_in_window() <= LIMIT
        assert min(emu.served[k] for k in ("503", "timeout", "malformed")) >= 1, emu.served
        assert sum(emu.served.values()) > 9, "faults by chance came on top of the nine injected"
        assert [e.message for e in h.journal() if e.subject and e.level != "info"] == [], "no order failed"
        assert len([e for e in h.journal() if e.level != "info"]) <= failed_cycles
    finally:
        emu.stop()
