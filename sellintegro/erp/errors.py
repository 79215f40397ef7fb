"""Errors of ERP access, each carrying its context (which document, which target), never a secret.

SellintegroError
 └── ErpError                  anything the ERP backend could not do
      ├── ErpUnavailable       transient: cannot connect, connection lost, database busy; retry later
      ├── ErpSchemaError       the database lacks what we need (table, counter row, main warehouse)
      ├── ErpDatabaseError     the database refused a statement for another reason
      └── ErpInputError        this document cannot be written as given (a poison input: journal, skip)

A transient error means nothing was committed, or the commit's outcome is unknown; either way
writing the same document again is safe, because writes are idempotent on `dok_NrPelnyOryg`.
"""

from __future__ import annotations

import re

from ..errors import SellintegroError
from ..messages import render
from ..redact import Redactor

# The ERP texts a person reads. Kept beside the errors until messages.py takes them in (one
# catalog); msg ids follow its "area.what" style.
_CATALOG: dict[str, dict[str, str]] = {
    "erp.connect": {
        "en": "cannot connect to the ERP database {target}: {reason}",
        "pl": "nie można połączyć się z bazą ERP {target}: {reason}",
    },
    "erp.lost": {
        "en": "the connection to the ERP database {target} was lost{during}: {reason}. Nothing was "
              "half-written; the next attempt reconnects",
        "pl": "utracono połączenie z bazą ERP {target}{during}: {reason}. Nic nie zapisano częściowo; "
              "kolejna próba połączy się ponownie",
    },
    "erp.busy": {
        "en": "the ERP database {target} is busy (another session holds a lock): {reason}. Nothing was "
              "written; the next attempt may succeed",
        "pl": "baza ERP {target} jest zajęta (blokadę trzyma inna sesja): {reason}. Niczego nie zapisano; "
              "kolejna próba może się udać",
    },
    "erp.refused": {
        "en": "the ERP database {target} refused the statement{during}: {reason}",
        "pl": "baza ERP {target} odrzuciła polecenie{during}: {reason}",
    },
    "erp.no_counter": {
        "en": "the ERP database has no id counter for table {table} in ins_ident",
        "pl": "w bazie ERP brak licznika identyfikatorów dla tabeli {table} w ins_ident",
    },
    "erp.no_warehouse": {
        "en": "the ERP database has no warehouse {which} in sl_Magazyn",
        "pl": "w bazie ERP brak magazynu {which} w sl_Magazyn",
    },
    "erp.unsupported": {
        "en": "{target} is a {dbms} database; the ERP backend speaks SQL Server, PostgreSQL and SQLite",
        "pl": "{target} to baza {dbms}; moduł ERP obsługuje SQL Server, PostgreSQL i SQLite",
    },
    "erp.missing": {
        "en": "the ERP database {target} is not Subiekt-GT-compatible: {what}",
        "pl": "baza ERP {target} nie jest zgodna z Subiektem GT: {what}",
    },
    "erp.during": {"en": " while writing {doc}", "pl": " podczas zapisu {doc}"},
    "erp.bad_input": {
        "en": "{doc}: {reason}",
        "pl": "{doc}: {reason}",
    },
    "erp.unknown_product": {"en": "line {lp}: no product with id {id}",
                            "pl": "pozycja {lp}: brak towaru o id {id}"},
    "erp.unknown_vat": {"en": "line {lp}: no VAT rate with id {id}",
                        "pl": "pozycja {lp}: brak stawki VAT o id {id}"},
    "erp.no_vat": {"en": "line {lp}: no VAT rate given and the product has none",
                   "pl": "pozycja {lp}: nie podano stawki VAT, a towar jej nie ma"},
    "erp.one_off_needs": {"en": "line {lp}: a one-off service needs a name and a VAT rate",
                          "pl": "pozycja {lp}: usługa jednorazowa wymaga nazwy i stawki VAT"},
    "erp.bad_quantity": {"en": "line {lp}: the quantity must be above zero, not {value}",
                         "pl": "pozycja {lp}: ilość musi być większa od zera, a jest {value}"},
    "erp.bad_price": {"en": "line {lp}: the gross price must not be negative, not {value}",
                      "pl": "pozycja {lp}: cena brutto nie może być ujemna, a jest {value}"},
    "erp.no_lines": {"en": "a document needs at least one line", "pl": "dokument musi mieć co najmniej jedną pozycję"},
    "erp.no_contractor": {"en": "a {type} needs a contractor", "pl": "dokument {type} wymaga kontrahenta"},
    "erp.unknown_contractor": {"en": "no contractor with id {id}", "pl": "brak kontrahenta o id {id}"},
    "erp.key_length": {
        "en": "the original number {key!r} is longer than dok_NrPelnyOryg's {limit} characters",
        "pl": "numer oryginalny {key!r} jest dłuższy niż {limit} znaków pola dok_NrPelnyOryg",
    },
    "erp.no_key": {"en": "the original number (the idempotency key) is empty",
                   "pl": "numer oryginalny (klucz idempotencji) jest pusty"},
}


def erp_msg(msg_id: str, /, lang: str | None = None, **fields: object) -> str:
    """The ERP catalog text `msg_id` in `lang` (default: the user's language), filled with `fields`."""
    return render(_CATALOG, msg_id, lang, **fields)


_redact = Redactor()
# An ODBC password may be braced to hold ';' or '}' ("PWD={a;b}}c}"): mask the whole value.
_ODBC_SECRET = re.compile(r"(?i)\b(pwd|password)(\s*=\s*)(\{(?:[^}]|\}\})*\}|[^;]*)")


def describe_target(target: str) -> str:
    """A connection string, path or driver message as it may be shown: passwords masked."""
    return _redact(_ODBC_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}***", target))


class ErpError(SellintegroError):
    pass


class ErpUnavailable(ErpError):
    """Transient: retry later; a retry of a write is safe (idempotent on dok_NrPelnyOryg)."""


class ErpSchemaError(ErpError):
    exit_code = 2


class ErpDatabaseError(ErpError):
    pass


class ErpInputError(ErpError):
    """This document cannot be written as given; writing it again will fail the same way."""

    def __init__(self, doc: str, reason: str) -> None:
        self.doc = doc
        self.reason = reason
        super().__init__(erp_msg("erp.bad_input", doc=doc, reason=reason))
