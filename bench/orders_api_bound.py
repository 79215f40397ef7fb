"""How close does the `orders` plugin come to the throughput BaseLinker's rate limit allows?

BaseLinker allows 100 requests a minute per token. An order needs at least 2/100 of a request: one
getOrders page and one setOrderStatuses call move up to 100 orders. So the limit bounds an import at
5,000 orders a minute, and k minutes from the first request at 100·k requests (the sliding window
never lets more than 100 into any 60 s), that is 5,000·k orders.

A backlog larger than that (12,000 seeded orders by default) waits in the BaseLinker emulator with its
rate limit at 100/min (it blocks the account when it is exceeded); the plugin runs one cycle with its
default rate_limit = 100, as a worker would (bench/orders_raw.py says how). After `--minutes` whole
minutes from its first request it is stopped. Printed, per minute: requests, orders done (status
written back) and the ratio to the bound (target ≥ 90 %); API calls per order (target ≤ 0.03); and
whether the limit was ever exceeded (it must not be: 0 blocks, at most 100 requests in any 60 s).

    python bench/orders_api_bound.py [--orders 12000] [--minutes 2] [--dir DIR]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from orders_raw import Plugin, conditions, confirmed_ids, emulator, emulator_stats, erp_database, seeded, stock

LIMIT = 100                 # requests per minute: BaseLinker's, the emulator's and the plugin's default
ORDERS_PER_REQUEST = 50     # at best: a page of 100 orders costs one getOrders and one setOrderStatuses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=12_000, help="seeded orders; more than the minutes can take")
    parser.add_argument("--minutes", type=int, default=2, help="whole minutes measured from the first request")
    parser.add_argument("--dir", type=Path, default=None, help="where the ERP file and data go (default: a temp dir)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    where = Path(tempfile.mkdtemp(prefix="si-orders-api-", dir=args.dir))
    bound_per_minute = LIMIT * ORDERS_PER_REQUEST
    try:
        orders, orders_file = seeded(args.orders, where)
        wanted = confirmed_ids(orders)
        if len(wanted) < bound_per_minute * args.minutes:
            parser.error(f"--orders {args.orders} gives {len(wanted)} confirmed orders, fewer than the bound of "
                         f"{args.minutes} minute(s) ({bound_per_minute * args.minutes}): the plugin would run dry")
        print(conditions(f"{args.orders} seeded orders, {len(wanted)} confirmed; rate limit {LIMIT}/min (emulator "
                         f"and plugin); {args.minutes} minute(s) measured; ERP: embedded sqlite3; "
                         "document_type auto (FS/PA)", where))
        print()
        data_dir = where / "data"
        data_dir.mkdir()
        with erp_database("sqlite3", where) as target, emulator(orders_file, LIMIT) as url:
            stock(target, orders)
            plugin = Plugin(url, target, data_dir, per_minute=LIMIT)
            worker = threading.Thread(target=plugin.cycle, name="orders-cycle")
            worker.start()
            while plugin.first_call is None and worker.is_alive():
                time.sleep(0.01)
            assert plugin.first_call is not None, "the cycle made no request"
            t0 = plugin.first_call
            end = t0 + 60 * args.minutes
            while time.monotonic() < end + 0.5 and worker.is_alive():
                time.sleep(0.1)
            plugin.cancelled.set()  # a polite stop, as the supervisor's
            worker.join(timeout=120)
            stats = emulator_stats(url)
        log = [r for r in stats["log"] if not r["outcome"].startswith("fault:")]
        print(f"{'minute':<8}{'requests':>10}{'orders done':>13}{'bound':>9}{'ratio':>9}")
        total_done = 0
        for k in range(1, args.minutes + 1):
            lo, hi = t0 + 60 * (k - 1), t0 + 60 * k
            requests = sum(1 for r in log if lo <= r["time"] < hi)
            done = sum(n for t, n in plugin.status_calls if lo <= t < hi)
            total_done += done
            print(f"{k:<8}{requests:>10}{done:>13}{bound_per_minute:>9}{done / bound_per_minute:>9.1%}")
        in_time = [r for r in log if r["time"] < end]
        print(f"{'all':<8}{len(in_time):>10}{total_done:>13}{bound_per_minute * args.minutes:>9}"
              f"{total_done / (bound_per_minute * args.minutes):>9.1%}")
        print()
        times = sorted(r["time"] for r in log)
        busiest = max((sum(1 for u in times if t <= u < t + 60) for t in times), default=0)
        print(f"API calls per order:        {len(in_time) / max(total_done, 1):.4f} (target <= 0.03; the least "
              f"possible is {1 / ORDERS_PER_REQUEST:.4f})")
        print(f"throughput / bound:         {total_done / (bound_per_minute * args.minutes):.1%} (target >= 90 %)")
        print(f"rate limit:                 most requests in any 60 s: {busiest} (limit {LIMIT}); account blocks: "
              f"{stats['limit_exceeded']}")
    finally:
        shutil.rmtree(where, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
