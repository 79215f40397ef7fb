"""Every text of the `fiscal` plugin a person reads (journal, doctor), in Polish and English.

The language is the endpoint's (`sellintegro.messages.language`: SELLINTEGRO_LANG, then the locale).
The printer's own errors come worded by the driver (`sellintegro/fiscal/texts.py`) in the same language.
"""

from __future__ import annotations

from sellintegro.messages import render

DECIDE = "python -m sellintegro_fiscal.decide"

_TEXTS: dict[str, dict[str, str]] = {
    # -- one document, final outcomes ---------------------------------------------------------------------
    "receipt.printed": {"en": "receipt {label} → fiscal no. {number} ({total})",
                        "pl": "paragon {label} → nr fiskalny {number} ({total})"},
    "invoice.printed": {"en": "invoice {label} → printer invoice no. {number} ({total})",
                        "pl": "faktura {label} → faktura z drukarki nr {number} ({total})"},
    "found": {"en": " The printer confirmed it after an interruption ({how}); it was not printed again.",
              "pl": " Drukarka potwierdziła go po przerwie ({how}); nie został wydrukowany ponownie."},
    "how.reconciled": {"en": "its counters and last document match", "pl": "zgadzają się liczniki i ostatni dokument"},
    "how.person": {"en": "a person decided", "pl": "decyzja osoby"},
    "no_number": {"en": "? (the printer did not give the number)", "pl": "? (drukarka nie podała numeru)"},
    "receipt.confirmed_late": {
        "en": "receipt {label}: fiscal no. {number} sent to BaseLinker (it was printed before and was not "
              "printed again)",
        "pl": "paragon {label}: nr fiskalny {number} przekazany do BaseLinkera (wydrukowany wcześniej, nie "
              "drukowano go ponownie)"},
    "receipt.confirm_failed": {
        "en": "receipt {label} is fiscalized as no. {number}, but BaseLinker did not take the number yet: {reason}. "
              "It is sent again in the next cycle; the receipt is never printed again.",
        "pl": "paragon {label} jest zafiskalizowany pod nr {number}, ale BaseLinker jeszcze nie przyjął numeru: "
              "{reason}. Numer zostanie wysłany ponownie w następnym cyklu; paragon nie zostanie wydrukowany "
              "drugi raz."},
    "receipt.gone": {
        "en": "receipt {label} is fiscalized as no. {number}, but BaseLinker no longer has this receipt "
              "(id {id}); if the order still needs it, enter the number in BaseLinker by hand.",
        "pl": "paragon {label} jest zafiskalizowany pod nr {number}, ale BaseLinker nie ma już tego paragonu "
              "(id {id}); jeśli zamówienie go potrzebuje, wpisz numer w BaseLinkerze ręcznie."},
    "receipt.refused": {
        "en": "receipt {label} not printed: {reason}. BaseLinker was told of a printer error ({printer}); "
              "fix the receipt in BaseLinker and issue it again.",
        "pl": "paragon {label} nie został wydrukowany: {reason}. BaseLinker otrzymał informację o błędzie "
              "drukarki ({printer}); popraw paragon w BaseLinkerze i wystaw go ponownie."},
    "receipt.refused_unreported": {
        "en": "receipt {label} not printed: {reason}. BaseLinker could not be told yet ({error}); it is told "
              "in the next cycle.",
        "pl": "paragon {label} nie został wydrukowany: {reason}. Nie udało się jeszcze powiadomić BaseLinkera "
              "({error}); nastąpi to w następnym cyklu."},
    "invoice.refused": {
        "en": "invoice {label} not printed on the fiscal printer: {reason}. Issue it another way, or fix it "
              "and use `{decide} {code} invoice {id} not-printed` to have it printed.",
        "pl": "faktura {label} nie została wydrukowana na drukarce fiskalnej: {reason}. Wystaw ją inaczej albo "
              "popraw i użyj `{decide} {code} invoice {id} not-printed`, aby ją wydrukować."},
    # -- uncertain outcomes ---------------------------------------------------------------------------------
    "receipt.held": {
        "en": "receipt {label} (id {id}) HELD for a person: it is not known whether the printer fiscalized it "
              "({reason}). It is NOT printed again automatically. Check on the printer {printer} (the paper copy "
              "or the electronic copy) whether a receipt of {total} ({totals}) was printed around {time}. "
              "If it was: `{decide} {code} receipt {id} printed NUMBER`; if not: "
              "`{decide} {code} receipt {id} not-printed` (add --config PATH if the endpoint uses one).",
        "pl": "paragon {label} (id {id}) WSTRZYMANY do decyzji osoby: nie wiadomo, czy drukarka go "
              "zafiskalizowała ({reason}). NIE zostanie wydrukowany ponownie automatycznie. Sprawdź na drukarce "
              "{printer} (kopia papierowa lub elektroniczna), czy około {time} wydrukowano paragon na {total} "
              "({totals}). Jeśli tak: `{decide} {code} receipt {id} printed NUMER`; jeśli nie: "
              "`{decide} {code} receipt {id} not-printed` (dodaj --config ŚCIEŻKA, jeśli endpoint jej używa)."},
    "invoice.held": {
        "en": "invoice {label} (id {id}) HELD for a person: it is not known whether the printer fiscalized it "
              "({reason}). It is NOT printed again automatically. Check on the printer {printer} whether an "
              "invoice of {total} ({totals}) was printed around {time}. If it was: "
              "`{decide} {code} invoice {id} printed NUMBER`; if not: `{decide} {code} invoice {id} not-printed`.",
        "pl": "faktura {label} (id {id}) WSTRZYMANA do decyzji osoby: nie wiadomo, czy drukarka ją "
              "zafiskalizowała ({reason}). NIE zostanie wydrukowana ponownie automatycznie. Sprawdź na drukarce "
              "{printer}, czy około {time} wydrukowano fakturę na {total} ({totals}). Jeśli tak: "
              "`{decide} {code} invoice {id} printed NUMER`; jeśli nie: `{decide} {code} invoice {id} not-printed`."},
    "not_fiscalized": {
        "en": "{kind} {label} was not fiscalized ({reason}); it is printed in the next cycle.",
        "pl": "{kind} {label}: dokument nie został zafiskalizowany ({reason}); zostanie wydrukowany w następnym "
              "cyklu."},
    "still_unknown": {
        "en": "{kind} {label}: the outcome is not known yet ({reason}). Nothing else is printed until the "
              "printer has been asked about it.",
        "pl": "{kind} {label}: wynik jeszcze nieznany ({reason}). Nic innego nie zostanie wydrukowane, dopóki "
              "drukarka nie odpowie w tej sprawie."},
    "kind.receipt": {"en": "receipt", "pl": "paragon"},
    "kind.invoice": {"en": "invoice", "pl": "faktura"},
    # -- warnings about one document --------------------------------------------------------------------------
    "note.nip_dropped": {
        "en": "receipt {label}: the buyer's NIP “{nip}” is not a Polish NIP of 10 digits; printed without it",
        "pl": "paragon {label}: NIP nabywcy „{nip}” nie jest polskim NIP-em z 10 cyfr; wydrukowano bez niego"},
    "note.total_differs": {
        "en": "{kind} {label}: printed for {printed}, BaseLinker's total is {expected} (unit prices with more "
              "than 2 decimals are rounded to the grosz)",
        "pl": "{kind} {label}: wydrukowano na {printed}, suma w BaseLinkerze to {expected} (ceny jednostkowe z "
              "więcej niż 2 miejscami po przecinku są zaokrąglane do grosza)"},
    # -- why a document cannot be printed -----------------------------------------------------------------
    "why.no_lines": {"en": "it has no lines", "pl": "nie ma pozycji"},
    "why.vat_code": {
        "en": "line {line} ({item}) has VAT “{vat}”, which cannot be on a fiscal {doc}",
        "pl": "pozycja {line} ({item}) ma VAT „{vat}”, który nie może być na fiskalnym dokumencie ({doc})"},
    "why.vat_missing": {
        "en": "line {line} ({item}) has VAT {vat}, and the printer has no such rate (its table: {table}); have "
              "the service program the rate, or fix the rate in BaseLinker",
        "pl": "pozycja {line} ({item}) ma VAT {vat}, a drukarka nie ma takiej stawki (jej tabela: {table}); "
              "zleć serwisowi zaprogramowanie stawki albo popraw stawkę w BaseLinkerze"},
    "why.price": {"en": "line {line} ({item}) has the price {price}; the printer sells only above 0",
                  "pl": "pozycja {line} ({item}) ma cenę {price}; drukarka sprzedaje tylko powyżej 0"},
    "why.quantity": {"en": "line {line} ({item}) has the quantity {quantity}; it must be above 0",
                     "pl": "pozycja {line} ({item}) ma ilość {quantity}; musi być większa od 0"},
    "why.too_big": {"en": "it is too large for the printer: {detail}", "pl": "jest za duży dla drukarki: {detail}"},
    "why.malformed": {"en": "BaseLinker sent it in a form that cannot be read ({error})",
                      "pl": "BaseLinker przysłał go w postaci, której nie da się odczytać ({error})"},
    "why.correcting": {"en": "it is a correcting invoice; a fiscal printer prints sales invoices only",
                       "pl": "to faktura korygująca; drukarka fiskalna drukuje tylko faktury sprzedaży"},
    "why.no_nip": {"en": "the buyer has no NIP; an invoice from the printer needs one",
                   "pl": "nabywca nie ma NIP-u; faktura z drukarki go wymaga"},
    "why.no_buyer": {"en": "the buyer has no name", "pl": "nabywca nie ma nazwy"},
    "why.currency": {"en": "its currency is {currency}; the printer sells in PLN only",
                     "pl": "jego waluta to {currency}; drukarka sprzedaje tylko w PLN"},
    # -- the printer and BaseLinker as a whole (journaled when they change) -------------------------------------
    "printer.unreachable": {
        "en": "the fiscal printer {printer} ({address}) cannot be reached: {reason}. Check that it is on, its cable "
              "or network, and the `printer` setting. Documents wait; nothing is lost or printed twice.",
        "pl": "brak połączenia z drukarką fiskalną {printer} ({address}): {reason}. Sprawdź, czy jest włączona, "
              "kabel lub sieć oraz ustawienie `printer`. Dokumenty czekają; nic nie przepadnie ani nie wydrukuje się "
              "dwa razy."},
    "printer.not_ready": {
        "en": "the fiscal printer {printer} cannot print: {reason}. Documents wait until it is fixed.",
        "pl": "drukarka fiskalna {printer} nie może drukować: {reason}. Dokumenty czekają na usunięcie usterki."},
    "printer.not_fiscal": {
        "en": "the printer {printer} is not in fiscal mode: a receipt printed now would not be fiscal. Nothing is "
              "printed until the service fiscalizes the printer.",
        "pl": "drukarka {printer} nie pracuje w trybie fiskalnym: paragon wydrukowany teraz nie byłby fiskalny. Nic "
              "nie zostanie wydrukowane, dopóki serwis nie zafiskalizuje drukarki."},
    "printer.read_only": {
        "en": "the printer {printer} is in read-only mode (its fiscal memory is closed); it cannot sell. Call the "
              "service.",
        "pl": "drukarka {printer} jest w trybie tylko do odczytu (pamięć fiskalna zamknięta); nie może sprzedawać. "
              "Wezwij serwis."},
    "printer.refuses": {
        "en": "the printer {printer} refuses to sell: {reason}. Documents wait until it is fixed.",
        "pl": "drukarka {printer} odmawia sprzedaży: {reason}. Dokumenty czekają na usunięcie przyczyny."},
    "printer.interrupted": {
        "en": "printing {kind} {label} stopped: {reason} It is printed when the printer is ready; nothing is "
              "printed twice.",
        "pl": "drukowanie ({kind}) {label} przerwane: {reason} Dokument zostanie wydrukowany, gdy drukarka "
              "będzie gotowa; nic nie wydrukuje się dwa razy."},
    "printer.ready": {"en": "the fiscal printer {printer} is ready again",
                      "pl": "drukarka fiskalna {printer} jest znowu gotowa"},
    "printer.paper_low": {"en": "the printer {printer} reports that its paper is running out; change the roll soon",
                          "pl": "drukarka {printer} zgłasza kończący się papier; wkrótce wymień rolkę"},
    "printer.cancelled": {
        "en": "a transaction left open on the printer {printer} was cancelled before printing (a “cancelled” slip "
              "may have come out); it was not fiscal, and its document is printed in full",
        "pl": "transakcja pozostawiona otwarta na drukarce {printer} została anulowana przed drukiem (mógł wyjść "
              "wydruk „anulowano”); nie była fiskalna, a jej dokument zostanie wydrukowany w całości"},
    "bl.unreachable": {
        "en": "BaseLinker cannot be used now: {reason}. Printed receipts keep their numbers and are confirmed "
              "later; nothing is printed twice.",
        "pl": "BaseLinker jest teraz niedostępny: {reason}. Wydrukowane paragony zachowują numery i zostaną "
              "potwierdzone później; nic nie wydrukuje się dwa razy."},
    "bl.ready": {"en": "BaseLinker answers again", "pl": "BaseLinker znowu odpowiada"},
    # -- decide.py: a person's decision ---------------------------------------------------------------------
    "decide.receipt.printed": {
        "en": "receipt {label}: a person confirmed it was printed as fiscal no. {number}; it is confirmed in "
              "BaseLinker in the next cycle and never printed again",
        "pl": "paragon {label}: osoba potwierdziła wydruk pod nr fiskalnym {number}; w następnym cyklu numer trafi "
              "do BaseLinkera, a paragon nie zostanie wydrukowany ponownie"},
    "decide.invoice.printed": {
        "en": "invoice {label}: a person confirmed it was printed as printer invoice no. {number}; it is never "
              "printed again",
        "pl": "faktura {label}: osoba potwierdziła wydruk jako faktura z drukarki nr {number}; nie zostanie "
              "wydrukowana ponownie"},
    "decide.receipt.not_printed": {
        "en": "receipt {label}: a person found it was not printed; it is printed in the next cycle",
        "pl": "paragon {label}: osoba stwierdziła, że nie został wydrukowany; zostanie wydrukowany w następnym cyklu"},
    "decide.invoice.not_printed": {
        "en": "invoice {label}: a person found it was not printed; it is printed in the next cycle",
        "pl": "faktura {label}: osoba stwierdziła, że nie została wydrukowana; zostanie wydrukowana w następnym "
              "cyklu"},
    "decide.reason": {"en": "a person found it was not printed", "pl": "osoba stwierdziła, że nie został wydrukowany"},
    "decide.refused": {
        "en": "{key} is {status}, not held: only a held document can be decided (not-printed also releases an "
              "unprintable one)",
        "pl": "{key} ma stan {status}, a nie wstrzymany: decydować można tylko o wstrzymanym dokumencie "
              "(not-printed zwalnia też odrzucony)"},
    # -- doctor -------------------------------------------------------------------------------------------------
    "check.printer": {"en": "fiscal printer {printer}", "pl": "drukarka fiskalna {printer}"},
    "check.printer.ok": {"en": "{model} at {address}: fiscal mode, paper in, ready",
                         "pl": "{model} pod adresem {address}: tryb fiskalny, papier jest, gotowa"},
    "check.printer.unreachable_fix": {
        "en": "switch the printer on; check its cable or network and the `printer` setting ({address})",
        "pl": "włącz drukarkę; sprawdź kabel lub sieć oraz ustawienie `printer` ({address})"},
    "check.printer.fix_service": {"en": "call the printer's service", "pl": "wezwij serwis drukarki"},
    "check.printer.fix_mechanism": {"en": "fix it at the printer; the plugin then goes on by itself",
                                    "pl": "usuń usterkę przy drukarce; wtyczka potem sama wznowi pracę"},
    "check.printer.open_tx": {
        "en": "a transaction is open on the printer; the plugin cancels it before its next document",
        "pl": "na drukarce jest otwarta transakcja; wtyczka anuluje ją przed następnym dokumentem"},
    "check.printer.open_tx_fix": {"en": "finish or cancel the sale at the printer if someone is selling there",
                                  "pl": "zakończ lub anuluj sprzedaż przy drukarce, jeśli ktoś tam sprzedaje"},
    "check.vat": {"en": "fiscal printer VAT rates", "pl": "stawki VAT drukarki fiskalnej"},
    "check.vat.ok": {"en": "the printer's table: {table}", "pl": "tabela drukarki: {table}"},
    "check.vat.missing": {"en": "the printer's table ({table}) lacks {missing}: lines with those rates are refused",
                          "pl": "tabela drukarki ({table}) nie ma stawek {missing}: pozycje z nimi zostaną odrzucone"},
    "check.vat.fix": {"en": "have the service program the rates you sell at",
                      "pl": "zleć serwisowi zaprogramowanie stawek, w których sprzedajesz"},
    "check.series": {"en": "BaseLinker {kind} series {id}", "pl": "seria BaseLinkera ({kind}) {id}"},
    "check.series.ok": {"en": "“{name}” ({type})", "pl": "„{name}” ({type})"},
    "check.series.missing": {"en": "BaseLinker has no series {id}; its series: {known}",
                             "pl": "BaseLinker nie ma serii {id}; jego serie: {known}"},
    "check.series.wrong": {"en": "series {id} “{name}” is a {type} series, not {expected}",
                           "pl": "seria {id} „{name}” jest typu {type}, a nie {expected}"},
    "check.series.fix": {"en": "set `{setting}` to the id of a {expected} series",
                         "pl": "ustaw `{setting}` na id serii typu {expected}"},
    "check.bl.error": {"en": "BaseLinker cannot be asked: {reason}", "pl": "nie można zapytać BaseLinkera: {reason}"},
    "check.bl.fix": {"en": "check the token and the network", "pl": "sprawdź token i sieć"},
    "check.held": {"en": "fiscal documents waiting for a person", "pl": "dokumenty fiskalne czekające na decyzję"},
    "check.held.none": {"en": "none", "pl": "brak"},
    "check.held.some": {"en": "held (outcome unknown, never reprinted automatically): {held}",
                        "pl": "wstrzymane (wynik nieznany, nigdy nie drukowane ponownie automatycznie): {held}"},
    "check.held.pending": {"en": "{count} document(s) with an outcome still to be asked of the printer: {items}",
                           "pl": "dokumenty z wynikiem do ustalenia z drukarką ({count}): {items}"},
    "check.held.fix": {"en": "see the journal for what to check; then `{decide} {code} ...`",
                       "pl": "w dzienniku jest opis, co sprawdzić; potem `{decide} {code} ...`"},
}


def t(key: str, /, lang: str | None = None, **fields: object) -> str:
    """The text `key` in `lang` (default: the endpoint's language), filled with `fields`."""
    return render(_TEXTS, key, lang, **fields)


def money(grosze: int) -> str:
    """12345 -> "123,45 PLN" (the way a Polish receipt writes it)."""
    sign = "-" if grosze < 0 else ""
    value = abs(grosze)
    return f"{sign}{value // 100},{value % 100:02d} PLN"


def totals_text(totals: dict[str, int]) -> str:
    """Per PTU letter: "A 74,97 PLN, G 10,00 PLN"."""
    return ", ".join(f"{letter} {money(v)}" for letter, v in sorted(totals.items())) or "-"
