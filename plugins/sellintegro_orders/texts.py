"""Every text of the `orders` plugin a person reads (journal, doctor, cycle errors), in Polish and English.

The language is the endpoint's (`sellintegro.messages.language`: SELLINTEGRO_LANG, then the locale). Kept
here, in the plugin, until the endpoint's catalog (`sellintegro/messages.py`) takes plugin texts in.
"""

from __future__ import annotations

from sellintegro.messages import render

_TEXTS: dict[str, dict[str, str]] = {
    # -- one order: the outcome ------------------------------------------------------------------------------
    "order.written": {"en": "order {order} → {doc}", "pl": "zamówienie {order} → {doc}"},
    "order.exists": {"en": "order {order} → {doc} (it was in Subiekt already; not written again)",
                     "pl": "zamówienie {order} → {doc} (był już w Subiekcie; nie zapisano go ponownie)"},
    "order.services": {"en": "; written as one-off services, not found in Subiekt: {lines}",
                       "pl": "; zapisane jako usługi jednorazowe, bo nie ma ich w Subiekcie: {lines}"},
    "order.failed": {"en": "order {order} not transferred: {reason}{status}",
                     "pl": "zamówienie {order} nie zostało przeniesione: {reason}{status}"},
    "order.failed_status": {"en": ". Its status is set to \"{status}\"; fix the cause and move it back to "
                                  "{taken} to have it transferred again",
                            "pl": ". Ustawiono mu status „{status}”; usuń przyczynę i przenieś je z powrotem do "
                                  "{taken}, aby zostało przeniesione ponownie"},
    "order.failed_status_plain": {"en": ". Its status is set to \"{status}\"",
                                  "pl": ". Ustawiono mu status „{status}”"},
    "order.waits": {
        "en": "order {order} waits: its status \"{status}\" is not one this plugin takes ({taken}); it is taken "
              "when it moves to one of them within {days} days of its confirmation",
        "pl": "zamówienie {order} czeka: jego status „{status}” nie jest obsługiwany przez tę wtyczkę ({taken}); "
              "zostanie przeniesione, gdy trafi do jednego z nich w ciągu {days} dni od potwierdzenia"},
    "order.wait_over": {
        "en": "order {order} is no longer waited for: it did not move to a status this plugin takes ({taken}) "
              "within {days} days of its confirmation",
        "pl": "zamówienie {order} nie jest już oczekiwane: w ciągu {days} dni od potwierdzenia nie trafiło do "
              "statusu obsługiwanego przez tę wtyczkę ({taken})"},
    # -- why an order cannot be transferred (the {reason} above) -------------------------------------------
    "reason.unknown_product": {"en": "{keys} not found in Subiekt (line {lp}: \"{name}\")",
                               "pl": "nie znaleziono w Subiekcie: {keys} (pozycja {lp}: „{name}”)"},
    "reason.no_keys": {"en": "line {lp} \"{name}\" has no SKU or EAN to find it in Subiekt by",
                       "pl": "pozycja {lp} „{name}” nie ma SKU ani EAN, po których można ją znaleźć w Subiekcie"},
    "reason.ambiguous": {"en": "{key} matches {count} products in Subiekt ({symbols}) (line {lp}: \"{name}\")",
                         "pl": "{key} pasuje do {count} towarów w Subiekcie ({symbols}) (pozycja {lp}: „{name}”)"},
    "reason.blocked": {"en": "product {symbol} is blocked in Subiekt (line {lp}: \"{name}\")",
                       "pl": "towar {symbol} jest zablokowany w Subiekcie (pozycja {lp}: „{name}”)"},
    "reason.quantity": {"en": "line {lp} \"{name}\" has quantity {quantity}; it must be at least 1",
                        "pl": "pozycja {lp} „{name}” ma ilość {quantity}; musi wynosić co najmniej 1"},
    "reason.price": {"en": "line {lp} \"{name}\" has a negative price ({price})",
                     "pl": "pozycja {lp} „{name}” ma ujemną cenę ({price})"},
    "reason.delivery_price": {"en": "the delivery cost is negative ({price})",
                              "pl": "koszt dostawy jest ujemny ({price})"},
    "reason.no_products": {"en": "the order has no products", "pl": "zamówienie nie ma żadnych pozycji"},
    "reason.total": {
        "en": "the total does not add up: the lines and delivery come to {exact} {currency}, which is not a whole "
              "number of grosze (a document would show {rounded})",
        "pl": "suma się nie zgadza: pozycje i dostawa dają {exact} {currency}, czyli nie pełne grosze (dokument "
              "pokazałby {rounded})"},
    "reason.vat": {"en": "VAT rate {rate} ({where}) has no match in Subiekt; add it to Subiekt's VAT rates or map "
                         "it with the vat_map setting",
                   "pl": "stawka VAT {rate} ({where}) nie ma odpowiednika w Subiekcie; dodaj ją do stawek VAT "
                         "Subiekta albo przypisz w ustawieniu vat_map"},
    "reason.where_line": {"en": "line {lp}", "pl": "pozycja {lp}"},
    "reason.where_delivery": {"en": "delivery", "pl": "dostawa"},
    "reason.malformed": {"en": "BaseLinker sent data that cannot be read ({detail})",
                         "pl": "BaseLinker przysłał dane, których nie da się odczytać ({detail})"},
    "reason.no_buyer": {
        "en": "the buyer ({who}) is not in Subiekt, and creating contractors is off (create_contractors)",
        "pl": "nabywcy ({who}) nie ma w Subiekcie, a zakładanie kontrahentów jest wyłączone (create_contractors)"},
    "reason.erp_refused": {"en": "Subiekt refused the document: {detail}",
                           "pl": "Subiekt odrzucił dokument: {detail}"},
    "reason.internal": {"en": "the plugin could not map it ({detail}); the details are in the log",
                        "pl": "wtyczka nie potrafiła go przetworzyć ({detail}); szczegóły są w logu"},
    # -- document content ---------------------------------------------------------------------------------------
    "doc.delivery": {"en": "Delivery", "pl": "Dostawa"},
    "doc.notes": {"en": "BaseLinker order {order}", "pl": "Zamówienie BaseLinker {order}"},
    "doc.notes_source": {"en": ", {source}", "pl": ", {source}"},
    "doc.notes_shop": {"en": ", shop no. {number}", "pl": ", nr w sklepie {number}"},
    "doc.notes_external": {"en": ", no. {number}", "pl": ", nr {number}"},
    "doc.notes_login": {"en": ", login {login}", "pl": ", login {login}"},
    "doc.notes_comment": {"en": ". Buyer's comment: {comment}", "pl": ". Uwagi kupującego: {comment}"},
    # -- a whole cycle --------------------------------------------------------------------------------------------
    "cycle.bl_token": {"en": "BaseLinker refused the API token: check the token setting of this plugin",
                       "pl": "BaseLinker odrzucił token API: sprawdź ustawienie token tej wtyczki"},
    "cycle.bl_blocked": {
        "en": "BaseLinker blocked the account for too many requests; every plugin using this token pauses, and "
              "the orders are taken when the block ends",
        "pl": "BaseLinker zablokował konto za zbyt wiele zapytań; wszystkie wtyczki z tym tokenem czekają, "
              "a zamówienia zostaną przeniesione po zdjęciu blokady"},
    "cycle.bl_down": {"en": "BaseLinker cannot be reached or answers with errors ({detail}); the orders wait and "
                            "are taken in the next cycle",
                      "pl": "brak połączenia z BaseLinkerem albo odpowiada on błędami ({detail}); zamówienia czekają "
                            "i zostaną przeniesione w następnym cyklu"},
    "cycle.erp_down": {"en": "Subiekt's database cannot be used now ({detail}); the orders wait and are taken in "
                             "the next cycle",
                       "pl": "baza Subiekta jest teraz niedostępna ({detail}); zamówienia czekają i zostaną "
                             "przeniesione w następnym cyklu"},
    "cycle.erp_schema": {"en": "Subiekt's database lacks what this plugin needs: {detail}",
                         "pl": "w bazie Subiekta brakuje tego, czego potrzebuje wtyczka: {detail}"},
    "cycle.statuses_pending": {
        "en": "{count} order(s) are in Subiekt, but their statuses could not be written back to BaseLinker yet "
              "({detail}); that is tried again in the next cycle, and no document is written twice",
        "pl": "zamówienia w Subiekcie: {count}, ale ich statusów nie udało się jeszcze zapisać w BaseLinkerze "
              "({detail}); nastąpi to w następnym cyklu, a żaden dokument nie zostanie zapisany drugi raz"},
    "cycle.status_unknown": {
        "en": "status {status} (setting {setting}) does not exist in BaseLinker; its statuses are: {known}",
        "pl": "status {status} (ustawienie {setting}) nie istnieje w BaseLinkerze; dostępne statusy: {known}"},
    "cycle.status_ambiguous": {
        "en": "status name {status} (setting {setting}) matches several BaseLinker statuses ({ids}); use the id",
        "pl": "nazwa statusu {status} (ustawienie {setting}) pasuje do kilku statusów BaseLinkera ({ids}); "
              "podaj id"},
    "cycle.warehouse": {"en": "warehouse {warehouse} (setting warehouse) is not in Subiekt; its warehouses are: "
                              "{known}",
                        "pl": "magazynu {warehouse} (ustawienie warehouse) nie ma w Subiekcie; dostępne magazyny: "
                              "{known}"},
    "cycle.delivery_symbol": {"en": "no product or service with symbol {symbol} (setting delivery_symbol) in "
                                    "Subiekt",
                              "pl": "w Subiekcie nie ma towaru ani usługi o symbolu {symbol} (ustawienie "
                                    "delivery_symbol)"},
    "cycle.vat_map": {"en": "vat_map: Subiekt has no VAT rate {target} (for BaseLinker's {rate}); its rates are: "
                            "{known}",
                      "pl": "vat_map: w Subiekcie nie ma stawki VAT {target} (dla stawki BaseLinkera {rate}); "
                            "dostępne stawki: {known}"},
    "cycle.gap": {
        "en": "orders confirmed from {start} to {end} were not taken: they are older than days_back ({days} days); "
              "the endpoint was stopped for longer than that",
        "pl": "zamówienia potwierdzone od {start} do {end} nie zostały przeniesione: są starsze niż days_back "
              "({days} dni); endpoint był zatrzymany dłużej"},
    "cycle.stopped_at": {
        "en": "stopped at order {order}: {detail}. The orders after it wait for the next cycle",
        "pl": "zatrzymano na zamówieniu {order}: {detail}. Kolejne zamówienia czekają na następny cykl"},
    # -- doctor -----------------------------------------------------------------------------------------------------
    "check.name.bl": {"en": "BaseLinker", "pl": "BaseLinker"},
    "check.name.statuses": {"en": "BaseLinker statuses", "pl": "statusy BaseLinkera"},
    "check.name.erp": {"en": "Subiekt", "pl": "Subiekt"},
    "check.name.setup": {"en": "Subiekt setup", "pl": "ustawienia Subiekta"},
    "check.name.vat": {"en": "VAT rates", "pl": "stawki VAT"},
    "check.bl_ok": {"en": "BaseLinker answers and accepts the token ({count} order statuses)",
                    "pl": "BaseLinker odpowiada i przyjmuje token (statusów zamówień: {count})"},
    "check.bl_fix": {"en": "check the token and baselinker_url settings, and the internet connection",
                     "pl": "sprawdź ustawienia token i baselinker_url oraz połączenie z internetem"},
    "check.statuses_ok": {"en": "the statuses exist in BaseLinker: {statuses}",
                          "pl": "statusy istnieją w BaseLinkerze: {statuses}"},
    "check.statuses_fix": {"en": "use an id or a name from BaseLinker's status list",
                           "pl": "podaj id albo nazwę z listy statusów BaseLinkera"},
    "check.erp_ok": {"en": "Subiekt's database is reachable and has what the plugin needs",
                     "pl": "baza Subiekta jest dostępna i ma to, czego potrzebuje wtyczka"},
    "check.erp_fix": {"en": "check the erp setting (the connection string) and that the database server runs",
                      "pl": "sprawdź ustawienie erp (parametry połączenia) i czy serwer bazy danych działa"},
    "check.vat_ok": {"en": "every BaseLinker VAT rate has a Subiekt rate: {rates}",
                     "pl": "każda stawka VAT BaseLinkera ma odpowiednik w Subiekcie: {rates}"},
    "check.vat_missing": {"en": "these BaseLinker VAT rates have no Subiekt rate: {rates}; orders using them will "
                                "not be transferred",
                          "pl": "te stawki VAT BaseLinkera nie mają odpowiednika w Subiekcie: {rates}; zamówienia "
                                "z nimi nie zostaną przeniesione"},
    "check.vat_fix": {"en": "add the rates to Subiekt or map them with the vat_map setting",
                      "pl": "dodaj stawki w Subiekcie albo przypisz je w ustawieniu vat_map"},
    "check.setup_ok": {"en": "warehouse {warehouse}, document {document}, series {series}",
                       "pl": "magazyn {warehouse}, dokument {document}, seria {series}"},
    "check.setup_fix": {"en": "correct the setting named in the message",
                        "pl": "popraw ustawienie wymienione w komunikacie"},
    "main_warehouse": {"en": "(main)", "pl": "(główny)"},
    "default_series": {"en": "(default)", "pl": "(domyślna)"},
    "every_status": {"en": "every status", "pl": "każdy status"},
    "quoted": {"en": "\"{name}\"", "pl": "„{name}”"},
}


def t(text_id: str, /, **fields: object) -> str:
    """The text `text_id` in the user's language, filled with `fields`."""
    return render(_TEXTS, text_id, None, **fields)


def ids() -> list[str]:
    """Every text id (for the catalog's own tests)."""
    return list(_TEXTS)
