"""`sellintegro demo [--dir DIR] [--headless] [--keep] [--orders N]`: the whole flow on one machine, after pip install.

Everything lives under DIR and on loopback: the BaseLinker emulator seeded with realistic orders (in this
process), a sample ERP (embedded sqlite3, stocked with what the orders sell), the POSNET printer simulator
(its own process, drawing receipts into DIR/receipts), and the PDF folder DIR/pdf, where the demo plays the
ERP's print engine and drops an invoice PDF for each FS document the orders plugin wrote. The config
(DIR/sellintegro.toml) runs the orders, fiscal and pdf plugins; this process is their supervisor, with the
tray where a display allows it. A watch thread draws the order backlog, then prints the summary; without
--keep the demo then stops (exit 0), with --keep it runs on for `status`, `logs -f`, `doctor` and the tray.

Modules: run.py (the command), seeding.py (orders and the stocked ERP), printer.py (the printer process),
invoices.py (the invoice PDFs), progress.py (how far the work is, and the summary).
"""

from __future__ import annotations

import argparse


def main(args: argparse.Namespace) -> int:
    # Imported on use: `python -m sellintegro.demo.printer` (the printer process) imports this package first,
    # and must not find its own module imported already.
    from .run import main as run

    return run(args)
