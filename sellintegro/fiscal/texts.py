"""Every text of the fiscal package a person reads, in Polish and English, in one table.

Printer error texts follow the vendor's list (POT-I-DEV-37) and add what to do about them. The
language is the endpoint's (`sellintegro.messages.language`: SELLINTEGRO_LANG, then the locale).
"""

from __future__ import annotations

from ..messages import render

_TEXTS: dict[str, dict[str, str]] = {
    # -- frame errors (reply `ERR ?n`) ------------------------------------------------------------------------
    "frame.1": {"en": "unknown command", "pl": "nierozpoznana komenda"},
    "frame.2": {"en": "a mandatory field is missing", "pl": "brak obowiązkowego pola"},
    "frame.3": {"en": "a field could not be converted (e.g. 12,34 sent as an amount in grosze, or out of range)",
                "pl": "błąd konwersji pola (np. kwota 12,34 zamiast 1234 w groszach albo wartość poza zakresem)"},
    "frame.4": {"en": "bad token", "pl": "błędny token"},
    "frame.5": {"en": "bad checksum (CRC): the frame was damaged on the way",
                "pl": "zła suma kontrolna (CRC): ramka została uszkodzona w transmisji"},
    "frame.6": {"en": "malformed frame: a parameter without its two-letter id",
                "pl": "błąd budowy ramki: brak mnemonika parametru"},
    "frame.11": {"en": "the printer's input buffer is full; try again shortly",
                 "pl": "zapełniony bufor odbiorczy drukarki; spróbuj ponownie za chwilę"},
    "frame.12": {"en": "this command cannot run in immediate mode",
                 "pl": "nie można wykonać rozkazu w trybie natychmiastowym"},
    "frame.13": {"en": "no command with that token is remembered", "pl": "nie znaleziono rozkazu o podanym tokenie"},
    "frame.14": {"en": "the printer's input queue is full; try again shortly",
                 "pl": "zapełniona kolejka wejściowa drukarki; spróbuj ponownie za chwilę"},
    "frame.15": {"en": "malformed frame: no checksum", "pl": "błąd budowy ramki: brak sumy kontrolnej"},
    # -- command errors (reply `cmd ?nnnn`) -------------------------------------------------------------------
    "cmd.41": {"en": "the printer's transaction resources are held by another interface (another program or "
                     "the keyboard); finish or cancel that work, then try again",
               "pl": "zasoby transakcji drukarki są zajęte przez inny interfejs (inny program lub klawiaturę); "
                     "zakończ lub anuluj tamtą operację i spróbuj ponownie"},
    "cmd.382": {"en": "a daily (Z) report with zero totals was attempted",
                "pl": "próba wykonania zerowego raportu dobowego"},
    "cmd.383": {"en": "the daily (Z) report is missing: print yesterday's daily report on the printer first",
                "pl": "brak raportu dobowego: najpierw wykonaj na drukarce zaległy raport dobowy"},
    "cmd.1957": {"en": "the receipt's maximum was exceeded (value or number of lines)",
                 "pl": "przekroczony maksymalny zakres paragonu (wartość lub liczba pozycji)"},
    "cmd.1992": {"en": "the receipt has no items", "pl": "brak pozycji na paragonie"},
    "cmd.2000": {"en": "bad or inactive VAT rate slot: check the VAT table programmed in the printer",
                 "pl": "błędna lub nieaktywna stawka VAT: sprawdź stawki zaprogramowane w drukarce"},
    "cmd.2004": {"en": "no VAT rate is active in the printer; the service must program them",
                 "pl": "brak aktywnych stawek VAT w drukarce; stawki musi zaprogramować serwis"},
    "cmd.2006": {"en": "bad price (the price must be above 0)", "pl": "błąd pola cena (cena musi być większa od 0)"},
    "cmd.2007": {"en": "bad quantity (the quantity must be above 0)",
                 "pl": "błąd pola ilość (ilość musi być większa od 0)"},
    "cmd.2008": {"en": "bad total: the amount sent differs from the printer's own computation",
                 "pl": "błąd kwoty total: przesłana wartość różni się od wyliczonej przez drukarkę"},
    "cmd.2036": {"en": "the printer is in read-only mode (its fiscal memory is closed); it cannot sell any more",
                 "pl": "urządzenie w stanie tylko do odczytu (pamięć fiskalna zamknięta); sprzedaż niemożliwa"},
    "cmd.2038": {"en": "the printer is already in a transaction", "pl": "urządzenie jest już w trybie transakcji"},
    "cmd.2041": {"en": "a receipt worth 0 cannot be closed", "pl": "próba zakończenia paragonu z wartością 0"},
    "cmd.2054": {"en": "the payments do not cover the amount due (or the change)",
                 "pl": "formy płatności nie pokrywają kwoty do zapłaty lub reszty"},
    "cmd.2060": {"en": "bad transaction state for this command", "pl": "błędny stan transakcji dla tego rozkazu"},
    "cmd.2096": {"en": "bad buyer NIP: exactly 10 digits are required",
                 "pl": "błędna długość NIP nabywcy: wymagane dokładnie 10 cyfr"},
    "cmd.2106": {"en": "item locked: it was sold at a lower VAT rate before, and the printer forbids raising it "
                       "again; sell it at that rate or under another name",
                 "pl": "towar zablokowany: był sprzedany w niższej stawce VAT, a drukarka zabrania jej "
                       "podwyższenia; sprzedaj go w tamtej stawce albo pod inną nazwą"},
    "code.unknown": {"en": "an error the printer documentation we have does not describe",
                     "pl": "błąd nieopisany w posiadanej dokumentacji drukarki"},
    # -- how errors are told --------------------------------------------------------------------------------
    "error.frame": {"en": "fiscal printer refused the frame for {cmd} (error {code}{field}): {text}",
                    "pl": "drukarka fiskalna odrzuciła ramkę {cmd} (błąd {code}{field}): {text}"},
    "error.command": {"en": "fiscal printer error {code} on {cmd}{where}: {text}",
                      "pl": "błąd drukarki fiskalnej {code} przy {cmd}{where}: {text}"},
    "where.field": {"en": ", field {field}", "pl": ", pole {field}"},
    "where.line": {"en": " (line {line}: {item})", "pl": " (pozycja {line}: {item})"},
    "outcome.not_fiscalized": {"en": " Nothing was fiscalized.", "pl": " Nic nie zostało zafiskalizowane."},
    # -- connection -------------------------------------------------------------------------------------------
    "conn.connect": {"en": "cannot connect to the fiscal printer at {where}: {reason}",
                     "pl": "nie można połączyć się z drukarką fiskalną {where}: {reason}"},
    "conn.lost": {"en": "the connection to the fiscal printer at {where} was lost during {cmd}: {reason}",
                  "pl": "utracono połączenie z drukarką fiskalną {where} podczas {cmd}: {reason}"},
    "conn.timeout": {"en": "the fiscal printer at {where} did not answer {cmd} within {secs:g} s",
                     "pl": "drukarka fiskalna {where} nie odpowiedziała na {cmd} w ciągu {secs:g} s"},
    "conn.garbled": {"en": "the fiscal printer at {where} sent an unreadable reply to {cmd}: {reason}",
                     "pl": "drukarka fiskalna {where} przysłała nieczytelną odpowiedź na {cmd}: {reason}"},
    "conn.unexpected": {"en": "the fiscal printer at {where} answered {got} to {cmd}",
                        "pl": "drukarka fiskalna {where} odpowiedziała {got} na {cmd}"},
    # -- mechanism (sprn `pr`) --------------------------------------------------------------------------------
    "mech.1": {"en": "the printer's lever is raised or its cover is open: close it",
               "pl": "podniesiona dźwignia lub otwarta pokrywa drukarki: zamknij ją"},
    "mech.2": {"en": "no access to the printing mechanism", "pl": "brak dostępu do mechanizmu drukującego"},
    "mech.3": {"en": "the printer's cover is up: close it", "pl": "podniesiona pokrywa drukarki: zamknij ją"},
    "mech.5": {"en": "the printer is out of paper: load a new roll",
               "pl": "brak papieru w drukarce: załóż nową rolkę"},
    "mech.6": {"en": "unsuitable temperature or power supply", "pl": "nieodpowiednia temperatura lub zasilanie"},
    "mech.7": {"en": "a short power loss", "pl": "chwilowy zanik zasilania"},
    "mech.8": {"en": "cutter error", "pl": "błąd obcinacza"},
    "mech.9": {"en": "power supply error", "pl": "błąd zasilacza"},
    "mech.10": {"en": "the cover was raised while cutting: close it", "pl": "podniesiona pokrywa przy obcinaniu: "
                                                                          "zamknij ją"},
    "mech.unknown": {"en": "printing mechanism status {code}", "pl": "status mechanizmu drukującego {code}"},
    "mech.device": {"en": "the printer waits for a person to confirm an error on its display",
                    "pl": "drukarka czeka na reakcję użytkownika (błąd na wyświetlaczu)"},
    "mech.during": {"en": "fiscal printer not ready{during}: {text}.{state}",
                    "pl": "drukarka fiskalna nie jest gotowa{during}: {text}.{state}"},
    "mech.during_cmd": {"en": " while printing ({cmd})", "pl": " w trakcie wydruku ({cmd})"},
    "mech.open_tx": {"en": " The document is not fiscalized; its transaction stays open and is cancelled "
                           "before the next document.",
                     "pl": " Dokument nie został zafiskalizowany; jego transakcja pozostaje otwarta i zostanie "
                           "anulowana przed następnym dokumentem."},
    "mech.closing": {"en": " A document may be waiting in the printer and be finished as soon as this is fixed; "
                           "ask the printer again then.",
                     "pl": " Dokument może czekać w drukarce i zostać dokończony zaraz po usunięciu usterki; "
                           "wtedy zapytaj drukarkę ponownie."},
    "mech.nothing": {"en": " Nothing was started.", "pl": " Niczego nie rozpoczęto."},
    # -- uncertain outcome and reconciliation ----------------------------------------------------------------
    "uncertain": {"en": "{doc}: the outcome is UNCERTAIN, the printer may have fiscalized it ({reason}). "
                        "Do not print it again: ask the printer (reconcile) first.",
                  "pl": "{doc}: wynik NIEPEWNY, drukarka mogła zafiskalizować ten dokument ({reason}). "
                        "Nie drukuj go ponownie: najpierw zapytaj drukarkę (uzgodnienie)."},
    "doc.receipt": {"en": "receipt", "pl": "paragon"},
    "doc.invoice": {"en": "invoice", "pl": "faktura"},
    "doc.named": {"en": "{kind} {name}", "pl": "{kind} {name}"},
    "rec.fiscalized": {"en": "the printer fiscalized it: {kind} number {number}, total {total}",
                       "pl": "drukarka zafiskalizowała dokument: {kind} numer {number}, kwota {total}"},
    "rec.not_fiscalized": {"en": "the printer did not fiscalize it (its counter of finished documents did not move)",
                           "pl": "drukarka nie zafiskalizowała dokumentu (licznik zakończonych dokumentów bez zmian)"},
    "rec.still_open": {"en": "; its transaction is still open and will be cancelled before the next document",
                       "pl": "; transakcja jest wciąż otwarta i zostanie anulowana przed następnym dokumentem"},
    "rec.daily_report": {"en": "a daily report ran since the document was started, so the counters cannot be "
                               "compared; check the printer's copy (e-journal) by hand",
                         "pl": "od rozpoczęcia dokumentu wykonano raport dobowy, więc liczników nie da się "
                               "porównać; sprawdź kopię elektroniczną w drukarce ręcznie"},
    "rec.other_document": {"en": "the printer finished {delta} document(s) since, and the last one's totals "
                                 "({found}) are not this document's ({expected}); check the printer's copy by hand",
                           "pl": "drukarka zakończyła od tego czasu dokumentów: {delta}, a sumy ostatniego "
                                 "({found}) nie są sumami tego dokumentu ({expected}); sprawdź kopię ręcznie"},
    "rec.counter_back": {"en": "the printer's document counter went back ({before} -> {now})",
                         "pl": "licznik dokumentów drukarki cofnął się ({before} -> {now})"},
    # -- documents refused before printing --------------------------------------------------------------------
    "doc.vat_missing": {"en": "VAT rate {rate} is not programmed in the printer (it has: {table})",
                        "pl": "stawka VAT {rate} nie jest zaprogramowana w drukarce (są: {table})"},
    "doc.empty": {"en": "the document has no lines", "pl": "dokument nie ma pozycji"},
    "doc.too_many": {"en": "the document has {count} lines; the printer takes at most {limit}",
                     "pl": "dokument ma {count} pozycji; drukarka przyjmuje najwyżej {limit}"},
    "doc.bad_line": {"en": "line {line} ({item}): {reason}", "pl": "pozycja {line} ({item}): {reason}"},
    "doc.price": {"en": "the price must be above 0 and at most 99 999 999.99",
                  "pl": "cena musi być większa od 0 i nie większa niż 99 999 999,99"},
    "doc.quantity": {"en": "the quantity must be above 0", "pl": "ilość musi być większa od 0"},
    "doc.name": {"en": "the name is empty", "pl": "nazwa jest pusta"},
    "doc.total": {"en": "the total exceeds the printer's maximum", "pl": "suma przekracza maksimum drukarki"},
    "doc.payments": {"en": "the payments ({paid}) do not cover the total ({total})",
                     "pl": "płatności ({paid}) nie pokrywają kwoty ({total})"},
    "doc.invoice_field": {"en": "the invoice's {field} is empty", "pl": "pole faktury {field} jest puste"},
    "doc.refused": {"en": "{doc}: refused before printing ({reason}). Nothing was sent to the printer.",
                    "pl": "{doc}: odrzucono przed wydrukiem ({reason}). Nic nie wysłano do drukarki."},
    "tx.cancelled_leftover": {"en": "cancelled a transaction left open on the printer (type {ts})",
                              "pl": "anulowano transakcję pozostawioną otwartą w drukarce (typ {ts})"},
}


def text(key: str, lang: str | None = None, **fields: object) -> str:
    """The text `key` in `lang` (default: the user's language), filled with `fields`."""
    return render(_TEXTS, key, lang, **fields)


def has(key: str) -> bool:
    return key in _TEXTS
