"""The pdf plugin's texts a person reads (journal entries, doctor checks), in Polish and English.

Kept in the plugin until sellintegro/messages.py takes them in (one catalog); ids follow its
"area.what" style, and the language is the endpoint's (`sellintegro.messages.language()`).
"""

from __future__ import annotations

from sellintegro.messages import render

# The fix hints for an order without a BaseLinker invoice (reference/domain.md §1.8), shared by
# the journal entry and the doctor check.
_NO_INVOICE_FIX = {
    "en": "Fix one of: (1) issue the invoice by hand in BaseLinker for order {order}; (2) set invoice_series "
          "in this plugin's settings to a BaseLinker invoice series ({series}) so that the plugin issues "
          "it first; (3) add a BaseLinker automatic action that issues invoices",
    "pl": "Rozwiązania: (1) wystaw fakturę ręcznie w BaseLinkerze dla zamówienia {order}; (2) ustaw "
          "invoice_series w ustawieniach tej wtyczki na serię faktur BaseLinkera ({series}), a wtyczka najpierw "
          "ją wystawi; (3) dodaj w BaseLinkerze akcję automatyczną wystawiającą faktury",
}

_CATALOG: dict[str, dict[str, str]] = {
    # One file's outcome.
    "pdf.uploaded": {
        "en": "{file}: uploaded to BaseLinker order {order} as {number} (invoice {invoice})",
        "pl": "{file}: przesłano do zamówienia {order} w BaseLinkerze jako {number} (faktura {invoice})",
    },
    "pdf.verified": {
        "en": "{file}: the upload to order {order} interrupted by a restart had reached BaseLinker intact; "
              "not sent again",
        "pl": "{file}: przesyłanie do zamówienia {order} przerwane restartem dotarło do BaseLinkera w całości; "
              "nie wysłano ponownie",
    },
    "pdf.already": {
        "en": "{file}: this exact file was already uploaded to order {order} as {number} ({when}); "
              "not uploaded again",
        "pl": "{file}: ten sam plik przesłano już do zamówienia {order} jako {number} ({when}); "
              "nie wysłano ponownie",
    },
    "pdf.held": {
        "en": "{file}: its upload to order {order} is held for a person to decide; not sent",
        "pl": "{file}: przesłanie do zamówienia {order} czeka na decyzję człowieka; nie wysłano",
    },
    "pdf.invoice_created": {
        "en": "order {order} had no BaseLinker invoice: issued invoice {invoice} in series {series} for {file}",
        "pl": "zamówienie {order} nie miało faktury w BaseLinkerze: wystawiono fakturę {invoice} w serii {series} "
              "dla {file}",
    },
    "pdf.no_invoice": {
        "en": "Zamówienie nie posiada faktury w Baselinker (order {order} has no BaseLinker invoice), so {file} "
              "({number}) cannot be attached. " + _NO_INVOICE_FIX["en"] + ". The file waits in its folder and "
              "is tried again.",
        "pl": "Zamówienie nie posiada faktury w Baselinker (zamówienie {order}), więc nie można dołączyć pliku "
              "{file} ({number}). " + _NO_INVOICE_FIX["pl"] + ". Plik czeka w folderze i zostanie "
              "przesłany ponownie.",
    },
    "pdf.other_document": {
        "en": "{file}: the BaseLinker invoice {invoice} of order {order} already carries ERP document {other}; "
              "{number} was not put in its place. Check which document belongs to the order",
        "pl": "{file}: faktura {invoice} zamówienia {order} w BaseLinkerze ma już dokument ERP {other}; "
              "nie zastąpiono go dokumentem {number}. Sprawdź, który dokument należy do zamówienia",
    },
    "pdf.broken": {
        "en": "{file}: not a valid PDF ({reason}); not uploaded. Export the document from the ERP again",
        "pl": "{file}: to nie jest poprawny PDF ({reason}); nie przesłano. Wyeksportuj dokument z ERP ponownie",
    },
    "pdf.no_match": {
        "en": "{file}: the file name does not match the pattern {pattern}; skipped",
        "pl": "{file}: nazwa pliku nie pasuje do wzorca {pattern}; pominięto",
    },
    "pdf.bad_order": {
        "en": "{file}: \"{value}\" taken from the file name is not a BaseLinker order id; skipped",
        "pl": "{file}: \"{value}\" z nazwy pliku nie jest numerem zamówienia BaseLinkera; pominięto",
    },
    "pdf.unknown_number": {
        "en": "{file}: the ERP has no document numbered {number} (looked for: {tried}); not uploaded. The file "
              "name must be the document's number, with \"{slash}\" in place of \"/\"; it is tried again later",
        "pl": "{file}: w ERP nie ma dokumentu o numerze {number} (szukano: {tried}); nie przesłano. Nazwa pliku "
              "musi być numerem dokumentu, z \"{slash}\" zamiast \"/\"; plik zostanie sprawdzony ponownie",
    },
    "pdf.ambiguous": {
        "en": "{file}: several ERP documents are numbered {number} (orders {orders}); not uploaded",
        "pl": "{file}: w ERP jest kilka dokumentów o numerze {number} (zamówienia {orders}); nie przesłano",
    },
    "pdf.no_order": {
        "en": "{file}: ERP document {number} holds no BaseLinker order id in dok_NrPelnyOryg (\"{value}\"); "
              "not uploaded",
        "pl": "{file}: dokument ERP {number} nie ma numeru zamówienia BaseLinkera w dok_NrPelnyOryg (\"{value}\"); "
              "nie przesłano",
    },
    "pdf.too_long": {
        "en": "{file}: the document number {number} is longer than the 30 characters BaseLinker keeps as "
              "external_invoice_number; not uploaded",
        "pl": "{file}: numer dokumentu {number} jest dłuższy niż 30 znaków, które BaseLinker przyjmuje jako "
              "external_invoice_number; nie przesłano",
    },
    "pdf.order_not_found": {
        "en": "{file}: BaseLinker has no order {order} (from {number}); not uploaded, tried again later",
        "pl": "{file}: w BaseLinkerze nie ma zamówienia {order} (z {number}); nie przesłano, ponowna próba później",
    },
    "pdf.series_refused": {
        "en": "{file}: BaseLinker refused to issue an invoice for order {order} in series {series}: {reason}. "
              "Set invoice_series to a BaseLinker invoice series ({choices})",
        "pl": "{file}: BaseLinker odmówił wystawienia faktury dla zamówienia {order} w serii {series}: {reason}. "
              "Ustaw invoice_series na serię faktur BaseLinkera ({choices})",
    },
    "pdf.rejected": {
        "en": "{file}: BaseLinker refused the file for order {order}: {reason}",
        "pl": "{file}: BaseLinker odrzucił plik dla zamówienia {order}: {reason}",
    },
    "pdf.no_read": {
        "en": "{file}: cannot be read by the account the plugin runs as ({user}): {reason}. Give that account "
              "read access; the file is tried again later",
        "pl": "{file}: konto, na którym działa wtyczka ({user}), nie może odczytać pliku: {reason}. Nadaj temu "
              "kontu prawo odczytu; plik zostanie sprawdzony ponownie",
    },
    "pdf.unreadable": {
        "en": "{file}: cannot be read: {reason}; tried again later",
        "pl": "{file}: nie można odczytać: {reason}; ponowna próba później",
    },
    "pdf.not_regular": {
        "en": "{file}: not a regular file (a folder or a pipe named like a PDF); skipped",
        "pl": "{file}: to nie jest zwykły plik (folder lub potok nazwany jak PDF); pominięto",
    },
    "pdf.not_moved": {
        "en": "{file}: uploaded, but not moved to {sent}: {reason}. It is not uploaded again; the move is retried",
        "pl": "{file}: przesłano, ale nie przeniesiono do {sent}: {reason}. Nie zostanie wysłany ponownie; "
              "przeniesienie zostanie ponowione",
    },
    "pdf.failed": {
        "en": "{file}: unexpected error ({reason}); the other files go on, this one is tried again later",
        "pl": "{file}: nieoczekiwany błąd ({reason}); pozostałe pliki są przetwarzane, ten zostanie "
              "sprawdzony ponownie",
    },
    # Folders and services.
    "pdf.folder_missing": {
        "en": "folder {folder} does not exist or cannot be reached ({reason}); its files wait until it is back. "
              "For a network share, run the endpoint as a user who can reach it (not LocalSystem)",
        "pl": "folder {folder} nie istnieje lub jest niedostępny ({reason}); jego pliki czekają na jego powrót. "
              "Dla udziału sieciowego uruchom endpoint jako użytkownik, który ma do niego dostęp (nie SYSTEM)",
    },
    "pdf.folder_back": {
        "en": "folder {folder} is reachable again; watching it ({how})",
        "pl": "folder {folder} jest znów dostępny; obserwowany ({how})",
    },
    "pdf.folder_access": {
        "en": "folder {folder}: the account the plugin runs as ({user}) cannot {what}: {reason}",
        "pl": "folder {folder}: konto, na którym działa wtyczka ({user}), nie może {what}: {reason}",
    },
    "pdf.erp_down": {
        "en": "the ERP cannot be reached ({reason}); files wait and are tried again",
        "pl": "brak połączenia z ERP ({reason}); pliki czekają na ponowną próbę",
    },
    "pdf.baselinker_down": {
        "en": "BaseLinker cannot be reached ({reason}); files wait and are tried again",
        "pl": "brak połączenia z BaseLinkerem ({reason}); pliki czekają na ponowną próbę",
    },
    "pdf.recovered": {
        "en": "{what} can be reached again",
        "pl": "{what}: połączenie przywrócone",
    },
    "pdf.config": {
        "en": "settings: {reason}; no file is processed until this is fixed",
        "pl": "ustawienia: {reason}; żaden plik nie zostanie przetworzony do czasu poprawki",
    },
    "pdf.config.erp": {
        "en": "link = \"erp\" needs the erp setting (the ERP database that maps document numbers to orders)",
        "pl": "link = \"erp\" wymaga ustawienia erp (baza ERP, która wiąże numery dokumentów z zamówieniami)",
    },
    "pdf.config.group": {
        "en": "the pattern {pattern} has no (?P<{group}>...) group, which link = \"{link}\" needs",
        "pl": "wzorzec {pattern} nie ma grupy (?P<{group}>...), której wymaga link = \"{link}\"",
    },
    # Access check verbs (pdf.folder_access "cannot {what}").
    "pdf.can.reach": {"en": "reach it", "pl": "do niego dotrzeć"},
    "pdf.can.list": {"en": "list its files", "pl": "wyświetlić jego plików"},
    "pdf.can.write": {"en": "write a probe file in it", "pl": "zapisać w nim pliku próbnego"},
    "pdf.can.read": {"en": "read a file in it", "pl": "odczytać w nim pliku"},
    "pdf.can.remove": {"en": "remove a file from it", "pl": "usunąć z niego pliku"},
    "pdf.can.sent": {"en": "use its {sent} subfolder", "pl": "użyć jego podfolderu {sent}"},
    # Doctor.
    "pdf.check.folder": {"en": "pdf folder {folder}", "pl": "folder PDF {folder}"},
    "pdf.check.folder_ok": {
        "en": "{user} can list it, write, read and remove a file in it{sent}; watched by {how}",
        "pl": "{user} może wyświetlić zawartość, zapisać, odczytać i usunąć plik{sent}; obserwacja: {how}",
    },
    "pdf.check.folder_bad": {"en": "the account {user} cannot {what}", "pl": "konto {user} nie może {what}"},
    "pdf.check.sent_ok": {"en": " (and in {sent})", "pl": " (także w {sent})"},
    "pdf.check.folder_fix": {
        "en": "create the folder, or give the account {user} read, list and write rights on it; for a network "
              "share run the endpoint as a user who can reach it (service mode 3), not LocalSystem",
        "pl": "utwórz folder albo nadaj kontu {user} prawa odczytu, wyświetlania i zapisu; dla udziału sieciowego "
              "uruchom endpoint jako użytkownik, który ma do niego dostęp (tryb usługi 3), nie SYSTEM",
    },
    "pdf.check.series": {"en": "BaseLinker invoice series", "pl": "seria faktur BaseLinkera"},
    "pdf.check.series_ok": {
        "en": "orders without an invoice get one in series {series} (\"{name}\") first",
        "pl": "zamówienia bez faktury dostaną ją najpierw w serii {series} (\"{name}\")",
    },
    "pdf.check.series_unset": {
        "en": "invoice_series is not set: a file for an order without a BaseLinker invoice fails with "
              "\"Zamówienie nie posiada faktury w Baselinker\"",
        "pl": "nie ustawiono invoice_series: plik dla zamówienia bez faktury w BaseLinkerze skończy się błędem "
              "\"Zamówienie nie posiada faktury w Baselinker\"",
    },
    "pdf.check.series_bad": {
        "en": "invoice_series = {series} is not an invoice series of this BaseLinker account",
        "pl": "invoice_series = {series} nie jest serią faktur tego konta BaseLinkera",
    },
    "pdf.check.series_fix": {
        "en": "set invoice_series to one of: {choices}",
        "pl": "ustaw invoice_series na jedną z: {choices}",
    },
    "pdf.check.baselinker_down": {
        "en": "BaseLinker did not answer: {reason}",
        "pl": "BaseLinker nie odpowiedział: {reason}",
    },
    "pdf.check.erp": {"en": "ERP document lookup", "pl": "wyszukiwanie dokumentów w ERP"},
    "pdf.check.erp_ok": {"en": "the ERP answers ({target})", "pl": "ERP odpowiada ({target})"},
    "pdf.check.erp_fix": {
        "en": "check the erp setting and that the database server runs",
        "pl": "sprawdź ustawienie erp i czy serwer bazy działa",
    },
    "pdf.check.config": {"en": "pdf settings", "pl": "ustawienia PDF"},
    "pdf.none": {"en": "none", "pl": "brak"},
}
_CATALOG["pdf.check.no_invoice_fix"] = _NO_INVOICE_FIX


def text(msg_id: str, /, **fields: object) -> str:
    """The text `msg_id` in the endpoint's language, filled with `fields`."""
    return render(_CATALOG, msg_id, None, **fields)
