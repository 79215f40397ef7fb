"""A writer process for the concurrency tests: `python _writer.py TARGET PREFIX COUNT SHARED`.

Prints "ready", waits for a line on stdin (so both writers start together), then writes COUNT
orders of its own (PREFIX-i) interleaved with SHARED orders both writers write (SHARED-j), and
prints one JSON object per document: key, id, number, created.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal

from sellintegro.erp import (
    Address,
    ContractorRequest,
    DocType,
    DocumentRequest,
    LineRequest,
    Payment,
    PaymentMethod,
    SqlErp,
    find_vat_rate,
)


def main(target: str, prefix: str, n: int, shared: int) -> int:
    with SqlErp.open(target) as erp:
        cup = erp.product_by_symbol("KUB-CER-300")
        rate = find_vat_rate(erp.vat_rates(), 23)
        assert cup is not None and rate is not None
        print("ready", flush=True)
        sys.stdin.readline()
        keys = [f"{prefix}-{i}" for i in range(n)]
        for j in range(shared):
            keys.insert(min(len(keys), j * 2), f"SHARED-{j}")
        for key in keys:
            req = DocumentRequest(
                DocType.ZK, key,
                (LineRequest(Decimal(2), Decimal("19.99"), product_id=cup.id),
                 LineRequest.delivery("Kurier", Decimal("9.99"), rate.id)),
                Payment(PaymentMethod.TRANSFER),
                contractor=ContractorRequest(Address(name=f"Klient {key}"), email=f"{key.lower()}@example.pl"))
            result = erp.write_document(req)
            print(json.dumps({"key": key, "id": result.document.id, "number": result.document.number,
                              "created": result.created, "lines": [ln.id for ln in result.document.lines]}),
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
