"""Realistic sample orders, shaped as getOrders returns them, the same for the same seed.

Polish buyers and addresses (ą, ę, ł, ó, ś, ź, ż ...), VAT mixes of 23/8/5/0 with the API's codes
for exempt (-1, ZW), not subject (-0.02, NP) and reverse charge (-0.03, OO), cash on delivery,
invoices wanted with NIPs written the ways buyers write them, delivery costs, several units per
line, orders confirmed in the same second, unconfirmed orders, and the loose typing the service
shows: some numbers and flags as strings, "" for nothing.

`python -m sellintegro.baselinker.seed N [--seed S] [--now UNIX] > orders.json` writes N orders for
`sellintegro sim baselinker --orders orders.json`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DEFAULT_NOW = 1767261600  # 2026-01-01 10:00 UTC: fixed, so a seed gives the same orders on every machine

_MEN = ["Łukasz", "Paweł", "Michał", "Grzegorz", "Józef", "Mikołaj", "Jędrzej", "Bartłomiej", "Krzysztof", "Tomasz",
        "Przemysław", "Wojciech", "Maciej", "Stanisław"]
_WOMEN = ["Małgorzata", "Agnieszka", "Bożena", "Żaneta", "Katarzyna", "Jadwiga", "Łucja", "Urszula", "Grażyna",
          "Elżbieta", "Dorota", "Aleksandra", "Wiesława", "Anna"]
_SURNAMES = ["Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak",
             "Dąbrowski", "Kozłowski", "Jabłoński", "Król", "Mazur", "Pawłowski", "Zając", "Wróbel", "Kołodziej",
             "Górecki", "Nowak", "Żółkiewski", "Sęk", "Błaszczyk", "Ślusarczyk", "Grzybowski"]
_CITIES = [("Łódź", "90-", "łódzkie"), ("Kraków", "30-", "małopolskie"), ("Wrocław", "50-", "dolnośląskie"),
           ("Gdańsk", "80-", "pomorskie"), ("Poznań", "60-", "wielkopolskie"), ("Białystok", "15-", "podlaskie"),
           ("Częstochowa", "42-", "śląskie"), ("Zielona Góra", "65-", "lubuskie"), ("Rzeszów", "35-", "podkarpackie"),
           ("Toruń", "87-", "kujawsko-pomorskie"), ("Świnoujście", "72-", "zachodniopomorskie"),
           ("Jelenia Góra", "58-", "dolnośląskie"), ("Gorzów Wielkopolski", "66-", "lubuskie"),
           ("Bielsko-Biała", "43-", "śląskie"), ("Łomża", "18-", "podlaskie")]
_STREETS = ["ul. Żeromskiego", "ul. Kościuszki", "ul. Piłsudskiego", "ul. Mickiewicza", "ul. Słowackiego",
            "ul. Wrocławska", "ul. Łąkowa", "ul. Źródlana", "ul. Długa", "ul. Świętokrzyska", "al. Jerozolimskie",
            "ul. Główna", "os. Kościuszkowskie", "ul. Żwirki i Wigury", "pl. Wolności"]
_COMPANIES = ["Przedsiębiorstwo Handlowe „Żuraw” Sp. z o.o.", "Usługi Remontowe Błażej Sęk",
              "Piekarnia Złoty Kłos s.c.", "Biuro Rachunkowe Księgowa Ćma", "Zakład Stolarski Dąb Sp. j.",
              "Gospodarstwo Pasieczne Miodek", "Świat Zabawek Łódź Sp. z o.o.", "Kwiaciarnia Różana"]
# name, sku, unit gross price, tax_rate as the API encodes it
_PRODUCTS: list[tuple[str, str, str, str]] = [
    ("Kubek ceramiczny „Żubr” 350 ml", "KUB-ZUBR-350", "29.99", "23"),
    ("Ręcznik kąpielowy 70×140 „Łódź”", "REC-70140-LDZ", "49.90", "23"),
    ("Świeca zapachowa „Wiśnia w czekoladzie”", "SWI-WISNIA", "34.50", "23"),
    ("Zestaw śrubokrętów 12 el.", "NAR-SRUB-12", "79.00", "23"),
    ("Gąbka do naczyń 10 szt.", "GAB-10", "6.49", "23"),
    ("Koszulka bawełniana „Gdańsk” rozm. M", "KOS-GDA-M", "59.99", "23"),
    ("Łyżka drewniana do sałatek", "LYZ-DREW", "12.30", "23"),
    ("Książka „Pan Tadeusz” – wydanie szkolne", "KS-PANTAD", "24.90", "5"),
    ("Miód wielokwiatowy 1 kg", "MIOD-WK-1000", "45.00", "5"),
    ("Kasza gryczana palona 500 g", "KASZA-GRY-500", "7.99", "5"),
    ("Pieluszki wielorazowe 5 szt.", "PIEL-WIEL-5", "89.00", "8"),
    ("Fotelik samochodowy 9–18 kg", "FOT-918", "549.00", "8"),
    ("Szkolenie online: obsługa kasy fiskalnej", "SZK-KASA", "199.00", "-1"),
    ("Karta podarunkowa 100 zł", "BON-100", "100.00", "-0.02"),
    ("Montaż instalacji (odwrotne obciążenie)", "USL-MONTAZ", "1230.00", "-0.03"),
]
_DELIVERY = [("InPost Paczkomaty 24/7", "13.99", "inpost", True), ("Kurier DPD", "16.90", "dpd", False),
             ("Kurier InPost", "14.99", "inpost", False), ("Poczta Polska Pocztex", "13.50", "pocztapolska", False),
             ("Odbiór osobisty", "0", "", False)]
_PAID = ["Przelewy24", "BLIK", "PayU", "Przelew tradycyjny"]
_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def _ean13(rng: random.Random) -> str:
    digits = "590" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return digits + str(check)


def random_nip(rng: random.Random) -> str:
    """A valid Polish NIP (checksum per the Ministry of Finance weights)."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _written_nip(rng: random.Random, nip: str) -> str:
    """A NIP the way buyers type it: plain, with hyphens, with spaces, with the PL prefix."""
    style = rng.randrange(4)
    if style == 1:
        return f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
    if style == 2:
        return f"{nip[:3]} {nip[3:6]} {nip[6:8]} {nip[8:]}"
    if style == 3:
        return "PL" + nip
    return nip


def _person(rng: random.Random) -> str:
    surname = rng.choice(_SURNAMES)
    if rng.random() < 0.5:
        return f"{rng.choice(_MEN)} {surname}"
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(male):
            surname = surname[: -len(male)] + female
    return f"{rng.choice(_WOMEN)} {surname}"


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def generate_orders(count: int, *, seed: int = 0, now: float = DEFAULT_NOW, first_id: int = 1, span: int = 2 * 86400,
                    tie_rate: float = 0.15, unconfirmed_rate: float = 0.05) -> list[dict[str, Any]]:
    """`count` orders added over the `span` seconds before `now`; about `tie_rate` of the confirmed ones are
    confirmed in the same second as the one confirmed before them, `unconfirmed_rate` are not confirmed."""
    rng = random.Random(seed)
    orders = []
    order_id = first_id
    start = int(now) - span
    last_confirmed = 0
    for i in range(count):
        date_add = start + (i * span) // max(count, 1) + rng.randint(0, 30)
        confirmed = rng.random() >= unconfirmed_rate
        if not confirmed:
            date_confirmed = 0
        elif last_confirmed and rng.random() < tie_rate:
            date_confirmed = max(last_confirmed, date_add)
        else:
            date_confirmed = max(date_add + rng.randint(0, 1800), last_confirmed)
        if confirmed:
            last_confirmed = date_confirmed
        orders.append(_order(rng, order_id, date_add, date_confirmed, confirmed))
        order_id += rng.randint(1, 3)
    return orders


def _order(rng: random.Random, order_id: int, date_add: int, date_confirmed: int, confirmed: bool) -> dict[str, Any]:
    as_text = rng.random() < 0.5  # this order's numbers come as strings, as many do from the service
    export = rng.random() < 0.04
    name = _person(rng)
    city, post_prefix, state = rng.choice(_CITIES)
    street = f"{rng.choice(_STREETS)} {rng.randint(1, 120)}" + (f"/{rng.randint(1, 40)}" if rng.random() < 0.5 else "")
    postcode = f"{post_prefix}{rng.randint(1, 999):03d}"
    if export:
        city, postcode, state, street = "Görlitz", "02826", "Sachsen", f"Berliner Straße {rng.randint(1, 90)}"
    method, delivery_text, courier, locker = rng.choice(_DELIVERY)
    delivery = Decimal(delivery_text)
    if delivery and rng.random() < 0.15:
        delivery = Decimal(0)  # free delivery above a threshold
    products = []
    total = delivery
    for n in range(rng.choices([1, 2, 3, 4], weights=[50, 30, 15, 5])[0]):
        pname, sku, price, vat = rng.choice(_PRODUCTS)
        unit = Decimal(price)
        if rng.random() < 0.2:
            unit = _money(unit * Decimal("0.9"))  # a discount
        tax = "0" if export else vat
        quantity = rng.choices([1, 2, 3, 5, 10], weights=[60, 20, 10, 6, 4])[0]
        products.append({
            "storage": "db", "storage_id": "0", "order_product_id": str(order_id * 10 + n),
            "product_id": str(rng.randint(10000, 99999)),
            "variant_id": "0" if rng.random() < 0.7 else str(rng.randint(1, 9)),
            "name": pname, "attributes": "", "sku": sku, "ean": _ean13(rng), "location": "", "warehouse_id": 0,
            "auction_id": "0", "price_brutto": f"{unit:.2f}" if as_text else float(unit),
            "tax_rate": tax if as_text else (float(tax) if "." in tax else int(tax)),
            "quantity": str(quantity) if as_text and rng.random() < 0.3 else quantity,
            "weight": round(rng.uniform(0.1, 5.0), 2), "bundle_id": 0,
        })
        total += unit * quantity
    cod = rng.random() < 0.25 and not export
    payment = "Za pobraniem" if cod else rng.choice(_PAID)
    paid = Decimal(0) if cod or (payment == "Przelew tradycyjny" and rng.random() < 0.5) else total
    want_invoice = export or rng.random() < 0.3
    company = rng.choice(_COMPANIES) if want_invoice else ""
    nip = ("DE" + "".join(str(rng.randint(0, 9)) for _ in range(9))) if export else (
        _written_nip(rng, random_nip(rng)) if want_invoice else "")
    source = "shop" if rng.random() < 0.6 else rng.choice(["allegro", "allegro", "personal"])
    source_id, source_info = {"shop": (8235, "Sklep Demo"), "allegro": (11223, "Allegro – konto demo"),
                              "personal": (0, "Osobiście / telefonicznie")}[source]
    email_name = name.lower().translate(_FOLD).replace(" ", ".")
    return {
        "order_id": order_id, "shop_order_id": (str(order_id + 50000) if as_text else order_id + 50000)
        if source == "shop" else 0,
        "external_order_id": f"{rng.randint(10**9, 10**10)}" if source == "allegro" else "",
        "order_source": source, "order_source_id": str(source_id) if as_text else source_id,
        "order_source_info": source_info, "order_status_id": 1001, "date_add": date_add,
        "date_confirmed": date_confirmed, "date_in_status": date_confirmed or date_add, "confirmed": confirmed,
        "user_login": email_name if source == "allegro" else "", "currency": "EUR" if export else "PLN",
        "payment_method": payment, "payment_method_cod": "1" if cod else "0",
        "payment_done": f"{paid:.2f}".rstrip("0").rstrip(".") if as_text else float(paid),
        "user_comments": rng.choice(["", "", "", "Proszę o dzwonek przed dostawą, domofon nie działa.",
                                     "Paczkę zostawić u sąsiada pod 5.", "Faktura na firmę, dziękuję!"]),
        "admin_comments": "", "email": f"{email_name}@poczta.example.pl", "phone": f"+48 {rng.randint(500, 799)} "
        f"{rng.randint(100, 999)} {rng.randint(100, 999)}", "delivery_method_id": _DELIVERY.index(
            (method, delivery_text, courier, locker)) + 1,
        "delivery_method": method, "delivery_price": f"{delivery:.2f}" if as_text else float(delivery),
        "delivery_package_module": courier, "delivery_package_nr": "",
        "delivery_fullname": name, "delivery_company": company, "delivery_address": street,
        "delivery_postcode": postcode, "delivery_city": city, "delivery_state": state,
        "delivery_country": "Niemcy" if export else "Polska", "delivery_country_code": "DE" if export else "PL",
        "delivery_point_id": f"{city[:3].upper().translate(_FOLD)}{rng.randint(1, 99):02d}M" if locker else "",
        "delivery_point_name": "Paczkomat" if locker else "",
        "delivery_point_address": f"{rng.choice(_STREETS)} {rng.randint(1, 60)}" if locker else "",
        "delivery_point_postcode": postcode if locker else "", "delivery_point_city": city if locker else "",
        "invoice_fullname": name if want_invoice else "", "invoice_company": company,
        "invoice_nip": nip, "invoice_address": street if want_invoice else "",
        "invoice_postcode": postcode if want_invoice else "", "invoice_city": city if want_invoice else "",
        "invoice_state": "", "invoice_country": ("Niemcy" if export else "Polska") if want_invoice else "",
        "invoice_country_code": ("DE" if export else "PL") if want_invoice else "",
        "want_invoice": "1" if want_invoice else "0", "extra_field_1": "", "extra_field_2": "",
        "order_page": f"https://zamowienie.example.pl/{order_id}", "pick_status": "0", "pack_status": "0",
        "products": products,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sellintegro.baselinker.seed",
                                     description="Write N sample orders (getOrders shape) as JSON to stdout.")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--now", type=float, default=None,
                        help="unix time the orders lead up to (default: now; the fixed default of the library "
                             "is for tests)")
    parser.add_argument("--first-id", type=int, default=1)
    args = parser.parse_args(argv)
    orders = generate_orders(args.count, seed=args.seed, now=time.time() if args.now is None else args.now,
                             first_id=args.first_id)
    json.dump(orders, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
