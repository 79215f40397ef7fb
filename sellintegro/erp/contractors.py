"""Contractors: `kh__Kontrahent` holds the card, `adr__Ewid` (type 1 = main) its name, NIP and address.

A document snapshots its payer's address into `adr_Historia`, so a later change of the card does
not change an issued invoice.
"""

from __future__ import annotations

from typing import Any

from .connection import Tx
from .dialects import as_bool, as_int, as_text
from .ids import allocate, lock_counter
from .model import Address, Contractor, ContractorRequest, normalize_nip

MAIN_ADDRESS = 1   # adr_TypAdresu of a contractor's main address

_SELECT = ("SELECT kh_Id, kh_Symbol, kh_EMail, kh_Osoba, kh_Imie, kh_Nazwisko, kh_Zablokowany, "
           "adr_Nazwa, adr_NazwaPelna, adr_NIP, adr_Ulica, adr_NrDomu, adr_NrLokalu, adr_Kod, adr_Miejscowosc, "
           "adr_Telefon, adr_IdPanstwo, adr_Id "
           "FROM kh__Kontrahent LEFT JOIN adr__Ewid ON adr_IdObiektu = kh_Id AND adr_TypAdresu = 1 ")

# The NIP as stored may carry hyphens, spaces and a PL prefix; compare it without them.
_NIP_SQL = "REPLACE(REPLACE(UPPER(adr_NIP), '-', ''), ' ', '')"


def _contractor(row: tuple[Any, ...]) -> Contractor:
    address = Address(name=as_text(row[7]), full_name=as_text(row[8]), nip=as_text(row[9]), street=as_text(row[10]),
                      house_no=as_text(row[11]), flat_no=as_text(row[12]), postcode=as_text(row[13]),
                      city=as_text(row[14]), phone=as_text(row[15]), country_id=as_int(row[16]))
    return Contractor(id=int(row[0]), symbol=as_text(row[1]), email=as_text(row[2]), person=as_bool(row[3]),
                      first_name=as_text(row[4]), last_name=as_text(row[5]), blocked=as_bool(row[6]),
                      address=address)


def by_id(tx: Tx, kh_id: int) -> Contractor | None:
    row = tx.one(_SELECT + "WHERE kh_Id = ?", kh_id)
    return None if row is None else _contractor(row)


def by_nip(tx: Tx, nip: str) -> Contractor | None:
    value = normalize_nip(nip)
    if not value:
        return None
    variants = (value, f"PL{value}") if value.isdigit() else (value, value)
    rows = tx.query(_SELECT + f"WHERE {_NIP_SQL} IN (?, ?) ORDER BY kh_Id", *variants)
    return _contractor(rows[0]) if rows else None


def by_email(tx: Tx, email: str) -> list[Contractor]:
    value = email.strip().lower()
    if not value:
        return []
    return [_contractor(r) for r in tx.query(_SELECT + "WHERE LOWER(kh_EMail) = ? ORDER BY kh_Id", value)]


def _fit(value: str, size: int) -> str:
    """Text cut to its GT column's size (names and streets longer than GT keeps)."""
    return (value or "").strip()[:size]


def find(tx: Tx, request: ContractorRequest) -> Contractor | None:
    if request.address.nip:
        # A NIP names the taxpayer: a card found only by the e-mail may be another company of the same
        # person, or the person buying privately, and an invoice must not go to it.
        return by_nip(tx, request.address.nip)
    if request.email:
        matches = by_email(tx, request.email)
        if matches:
            return matches[0]
    return None


def ensure(tx: Tx, request: ContractorRequest) -> Contractor:
    """The contractor the request describes, found or created; the card counter is locked first."""
    lock_counter(tx, "kh__Kontrahent")
    found = find(tx, request)
    if found is not None:
        return found
    kh_id = allocate(tx, "kh__Kontrahent")
    adr_id = allocate(tx, "adr__Ewid")
    a = request.address
    nip = normalize_nip(a.nip)
    symbol = _fit(request.symbol, 20)
    if not symbol and nip and tx.one("SELECT kh_Id FROM kh__Kontrahent WHERE kh_Symbol = ?", nip[:20]) is None:
        symbol = nip[:20]
    symbol = symbol or f"SI-{kh_id}"
    tx.execute("INSERT INTO kh__Kontrahent (kh_Id, kh_Symbol, kh_Rodzaj, kh_Osoba, kh_Imie, kh_Nazwisko, kh_EMail, "
               "kh_Jednorazowy, kh_KlientSklepuInternetowego, kh_Zablokowany) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               kh_id, symbol, 0, request.person, _fit(request.first_name, 20), _fit(request.last_name, 51),
               _fit(request.email, 255), False, True, False)
    tx.execute("INSERT INTO adr__Ewid (adr_Id, adr_IdObiektu, adr_TypAdresu, adr_Nazwa, adr_NazwaPelna, adr_NIP, "
               "adr_Ulica, adr_NrDomu, adr_NrLokalu, adr_Kod, adr_Miejscowosc, adr_IdPanstwo, adr_Telefon) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               adr_id, kh_id, MAIN_ADDRESS, _fit(a.name, 53), _fit(a.full_name or a.name, 255), nip[:20],
               _fit(a.street, 60), _fit(a.house_no, 10), _fit(a.flat_no, 10), _fit(a.postcode, 8), _fit(a.city, 40),
               a.country_id, _fit(a.phone, 35))
    created = by_id(tx, kh_id)
    assert created is not None
    return created


def snapshot_address(tx: Tx, kh_id: int) -> int | None:
    """Copy the contractor's main address into adr_Historia; the snapshot's id (None without an address)."""
    row = tx.one("SELECT adr_Id FROM adr__Ewid WHERE adr_IdObiektu = ? AND adr_TypAdresu = ?", kh_id, MAIN_ADDRESS)
    if row is None:
        return None
    adrh_id = allocate(tx, "adr_Historia")
    tx.execute("INSERT INTO adr_Historia (adrh_Id, adrh_IdAdresu, adrh_Nazwa, adrh_NazwaPelna, adrh_NIP, adrh_Ulica, "
               "adrh_NrDomu, adrh_NrLokalu, adrh_Kod, adrh_Miejscowosc, adrh_IdPanstwo, adrh_Telefon) "
               "SELECT ?, adr_Id, adr_Nazwa, adr_NazwaPelna, adr_NIP, adr_Ulica, adr_NrDomu, adr_NrLokalu, adr_Kod, "
               "adr_Miejscowosc, adr_IdPanstwo, adr_Telefon FROM adr__Ewid WHERE adr_Id = ?", adrh_id, int(row[0]))
    return adrh_id
