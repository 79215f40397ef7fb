"""Sample orders: the same for the same seed, and as varied as real shops' orders."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from decimal import Decimal

from sellintegro.baselinker.models import Order
from sellintegro.baselinker.seed import generate_orders


def test_the_same_seed_gives_the_same_orders_and_another_seed_others() -> None:
    assert generate_orders(50, seed=3) == generate_orders(50, seed=3)
    assert generate_orders(50, seed=3) != generate_orders(50, seed=4)


def test_sample_orders_carry_the_variety_the_plugins_must_handle() -> None:
    raw = generate_orders(600, seed=1)
    orders = [Order.from_api(o) for o in raw]  # every one parses
    text = json.dumps(raw, ensure_ascii=False)
    assert all(ch in text for ch in "ąęłóśźżŁŚŻ")
    rates = Counter(p.vat for o in orders for p in o.products)
    assert {"23", "8", "5", "0", "ZW", "NP", "OO"} <= set(rates)
    assert rates["23"] > rates["ZW"], "23 % dominates, as in real shops"
    cod = [o for o in orders if o.payment_method_cod]
    assert cod and all(o.payment_done == 0 for o in cod)
    invoiced = [o for o in orders if o.want_invoice]
    assert invoiced and all(o.invoice.nip for o in invoiced)
    assert any(o.invoice.nip.startswith("PL") or "-" in o.invoice.nip for o in invoiced)
    assert any(o.delivery_price > 0 for o in orders) and any(o.delivery_price == 0 for o in orders)
    assert any(p.quantity > 1 for o in orders for p in o.products)
    assert any(o.delivery_point is not None for o in orders)
    assert any(not o.confirmed and o.date_confirmed == 0 for o in orders)
    confirmed = Counter(o.date_confirmed for o in orders if o.confirmed)
    assert any(n > 1 for n in confirmed.values()), "some orders are confirmed in the same second"
    loose = {type(o["payment_done"]) for o in raw} | {type(p["price_brutto"]) for o in raw for p in o["products"]}
    assert str in loose and float in loose
    paid = [o for o in orders if not o.payment_method_cod and o.payment_done > 0]
    assert paid and all(o.payment_done == o.total_brutto for o in paid)
    assert sum((o.total_brutto for o in orders), Decimal(0)) > 0


def test_the_seed_command_writes_a_json_list_for_the_simulator() -> None:
    done = subprocess.run([sys.executable, "-m", "sellintegro.baselinker.seed", "5", "--seed", "2", "--now",
                           "1767261600"], capture_output=True, text=True, timeout=30, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == generate_orders(5, seed=2)
