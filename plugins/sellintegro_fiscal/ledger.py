"""The never-twice record of each fiscal document: one StateStore idempotency record per BaseLinker id.

Keys are "receipt:<receipt_id>" and "invoice:<invoice_id>". A record moves:

    (none | failed) --claim--> pending {label} --marker--> pending {label, marker}   (before `trinit`)
    pending --printer accepted `trend`-----------------> done {number, confirmed: false}
    done --setOrderReceipt accepted--------------------> done {number, confirmed: true | "gone"}
    pending --refused before `trend` ------------------> failed {reason, unprintable}  (may be printed again)
    pending --outcome unknown, printer asked-----------> done | failed | held {reason, marker}
    held --a person decided (decide.py)----------------> done {how: "person"} | failed

Each step is committed (SQLite, synchronous=FULL) before the next effect starts, so after any crash
the record says what to do: done -> only confirm; pending with a marker -> ask the printer; pending
without one -> nothing reached the printer (the marker is stored before the first command); held ->
wait for a person.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sellintegro.fiscal import DocumentKind, DocumentMarker, FiscalResult
from sellintegro.state import Effect, StateStore


def key_for(kind: DocumentKind, doc_id: int) -> str:
    return f"{kind.value}:{doc_id}"


def parse_key(key: str) -> tuple[DocumentKind, int]:
    kind, _, doc_id = key.partition(":")
    return DocumentKind(kind), int(doc_id)


@dataclass(frozen=True)
class Printed:
    """A fiscalized document as its done record keeps it."""

    number: int | None
    total: int
    totals: dict[str, int]
    printed_at: float
    how: str                     # "printed" | "reconciled" | "person"
    confirmed: bool | str        # False, True, or "gone" (BaseLinker no longer has the receipt)
    label: str = ""

    @classmethod
    def from_result(cls, result: Any) -> Printed:
        r = result or {}
        return cls(number=r.get("number"), total=int(r.get("total") or 0), totals=dict(r.get("totals") or {}),
                   printed_at=float(r.get("printed_at") or 0.0), how=str(r.get("how") or "printed"),
                   confirmed=r.get("confirmed", False), label=str(r.get("label") or ""))

    def to_result(self) -> dict[str, Any]:
        return {"number": self.number, "total": self.total, "totals": self.totals, "printed_at": self.printed_at,
                "how": self.how, "confirmed": self.confirmed, "label": self.label}


class Ledger:
    def __init__(self, store: StateStore) -> None:
        self.store = store

    def record(self, key: str) -> Effect | None:
        return self.store.effect(key)

    def claim(self, key: str, label: str) -> None:
        """Make the record pending before anything is sent; only a new or failed record may be claimed."""
        before = self.store.effect(key)
        if before is not None and before.status != "failed":
            raise RuntimeError(f"{key} is {before.status}: it must not be printed")
        self.store.begin(key)
        # Replaces a failed record's old reason: from here on the record speaks of this attempt.
        self.store.annotate(key, {"label": label})

    def keep_marker(self, key: str, label: str, marker: DocumentMarker) -> None:
        """Called by the driver before the document's first command: what reconciling it will need."""
        self.store.annotate(key, {"label": label, "marker": marker.to_json(), "started_at": time.time()})

    def done(self, key: str, label: str, result: FiscalResult, how: str) -> Printed:
        printed = Printed(result.number, result.total, dict(result.totals), time.time(), how, False, label)
        self.store.finish(key, "done", printed.to_result())
        return printed

    def confirmed(self, key: str, printed: Printed, how: bool | str = True) -> Printed:
        updated = Printed(printed.number, printed.total, printed.totals, printed.printed_at, printed.how, how,
                          printed.label)
        self.store.finish(key, "done", updated.to_result())
        return updated

    def failed(self, key: str, label: str, reason: str, *, unprintable: bool = False, reported: bool = False) -> None:
        """Not fiscalized: printed again next time, unless `unprintable` (a poison input)."""
        self.store.finish(key, "failed", {"label": label, "reason": reason, "unprintable": unprintable,
                                          "reported": reported})

    def refused(self, key: str, label: str, reason: str) -> None:
        """A poison input found before anything was sent: recorded as failed and unprintable."""
        effect = self.store.effect(key)
        if effect is None or effect.status == "failed":
            self.store.begin(key)
        self.failed(key, label, reason, unprintable=True)

    def reported(self, key: str) -> None:
        effect = self.store.effect(key)
        if effect is not None and effect.status == "failed":
            self.store.finish(key, "failed", {**(effect.result or {}), "reported": True})

    def held(self, key: str, label: str, reason: str, marker: DocumentMarker | None) -> None:
        self.store.finish(key, "held", {"label": label, "reason": reason, "held_at": time.time(),
                                        "marker": marker.to_json() if marker else None})

    def is_final(self, key: str) -> bool:
        """Done, held, or failed as unprintable: nothing more happens to it without a person."""
        effect = self.store.effect(key)
        if effect is None:
            return False
        unprintable = isinstance(effect.result, dict) and bool(effect.result.get("unprintable"))
        return effect.status in ("done", "held") or (effect.status == "failed" and unprintable)

    def pending(self) -> list[Effect]:
        return self.store.effects("pending")

    def held_records(self) -> list[Effect]:
        return self.store.effects("held")


def label_of(effect: Effect) -> str:
    result = effect.result if isinstance(effect.result, dict) else {}
    return str(result.get("label") or effect.key)


def marker_of(effect: Effect) -> DocumentMarker | None:
    result = effect.result if isinstance(effect.result, dict) else {}
    raw = result.get("marker")
    return DocumentMarker.from_json(raw) if raw else None

