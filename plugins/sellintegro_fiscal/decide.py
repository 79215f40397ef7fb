"""A person's decision about a held fiscal document: it was printed (under this number), or it was not.

    python -m sellintegro_fiscal.decide [--config PATH] CODE list
    python -m sellintegro_fiscal.decide [--config PATH] CODE receipt 123 printed 4711
    python -m sellintegro_fiscal.decide [--config PATH] CODE receipt 123 not-printed

`printed NUMBER`: the record becomes done with that number; the next cycle confirms the receipt in
BaseLinker and never prints it. `not-printed`: the record becomes failed; the next cycle prints it (a
receipt still waits in BaseLinker's queue; the invoice cursor is moved back to an invoice). Only a
held document can be decided, and `not-printed` also releases one refused as unprintable once it has
been fixed. The decision goes into the plugin's journal. Exit codes: 0 done, 1 refused, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sellintegro import config as config_mod
from sellintegro import places
from sellintegro.errors import ConfigError
from sellintegro.journal import Journal
from sellintegro.plugins import load_types
from sellintegro.state import StateStore

from .invoices import CURSOR as INVOICE_CURSOR
from .ledger import Printed, label_of, marker_of
from .texts import t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sellintegro_fiscal.decide",
                                     description="Decide a fiscal document held for a person.")
    parser.add_argument("--config", type=Path, default=places.default_config_path(), metavar="PATH",
                        help="the endpoint config (default: %(default)s, or $SELLINTEGRO_CONFIG)")
    parser.add_argument("code", help="the fiscal plugin's code")
    parser.add_argument("kind", choices=("list", "receipt", "invoice"))
    parser.add_argument("id", nargs="?", type=int, help="the BaseLinker receipt_id / invoice_id")
    parser.add_argument("decision", nargs="?", choices=("printed", "not-printed"))
    parser.add_argument("number", nargs="?", type=int, help="with printed: the printer's number of the document")
    args = parser.parse_args(argv)
    if args.kind != "list" and (args.id is None or args.decision is None):
        parser.error("say which document and what was found: receipt|invoice ID printed NUMBER | not-printed")
    if args.decision == "printed" and args.number is None:
        parser.error("printed needs the printer's number of the document")
    try:
        data_dir = _data_dir(args.config, args.code)
    except ConfigError as e:
        print(e, file=sys.stderr)
        return 2
    store = StateStore(data_dir, args.code)
    try:
        if args.kind == "list":
            for effect in store.effects("held") + store.effects("pending"):
                print(f"{effect.key}\t{effect.status}\t{label_of(effect)}\t"
                      f"{(effect.result or {}).get('reason', '')}")
            return 0
        return _decide(store, data_dir, args.code, args.kind, args.id, args.decision, args.number)
    finally:
        store.close()


def _data_dir(path: Path, code: str) -> Path:
    raw = config_mod.read_toml(path)
    type_name = next((p.get("type") for p in raw.get("plugins", []) if isinstance(p, dict) and p.get("code") == code),
                     None)
    cfg = config_mod.load(path, load_types(name=type_name) if isinstance(type_name, str) else {}, only=code)
    plugin = cfg.plugin(code)
    if plugin is None or plugin.type != "fiscal":
        from sellintegro.errors import Problem

        raise ConfigError([Problem(str(path), "plugins", f"no fiscal plugin with code {code}")])
    return cfg.endpoint.data_dir


def _decide(store: StateStore, data_dir: Path, code: str, kind: str, doc_id: int, decision: str,
            number: int | None) -> int:
    key = f"{kind}:{doc_id}"
    effect = store.effect(key)
    unprintable = effect is not None and effect.status == "failed" and isinstance(effect.result, dict) \
        and bool(effect.result.get("unprintable"))
    if effect is None or not (effect.status == "held" or unprintable and decision == "not-printed"):
        shown = "none" if effect is None else effect.status
        print(t("decide.refused", key=key, status=shown), file=sys.stderr)
        return 1
    label = label_of(effect)
    if decision == "printed":
        marker = marker_of(effect)
        printed = Printed(number, marker.total if marker else 0, dict(marker.totals) if marker else {},
                          time.time(), "person", False, label)
        store.finish(key, "done", printed.to_result())
        message = t(f"decide.{kind}.printed", label=label, number=number)
    else:
        store.finish(key, "failed", {"label": label, "reason": t("decide.reason"), "unprintable": False})
        if kind == "invoice":
            cursor = store.get_cursor(INVOICE_CURSOR)
            if isinstance(cursor, dict) and cursor.get("id_from", 0) > doc_id:
                store.set_cursor(INVOICE_CURSOR, {**cursor, "id_from": doc_id})
        message = t(f"decide.{kind}.not_printed", label=label)
    journal = Journal(data_dir)
    try:
        journal.write(code, "info", label, message)
    finally:
        journal.close()
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
