"""`sellintegro init`: write a config, by a wizard with live tests or from flags (`--non-interactive`).

The seed's first workflow (domain.md §3.1): the endpoint's name and data directory, the ERP connection
(tested live: reachable, and a Subiekt-GT-compatible schema), the BaseLinker token and address (tested
live: the token is accepted; its statuses and series are offered as choices), then the plugins, orders,
fiscal and pdf, with their key settings. Nothing is written unless the whole config validates with
`config.load` (the same check `sellintegro run` makes) and the live tests pass; a refusal names the bad
value and its flag, and exits 2. The file is written atomically, readable only by its owner (it holds
the token).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import places
from .messages import msg

PLUGINS = ("orders", "fiscal", "pdf")
CODES = {"orders": "BLK_CAI_COM_ORD_SGT_100",   # BaseLinker orders -> Subiekt GT
         "fiscal": "BLK_CAI_COM_FIS_PSN_100",   # BaseLinker receipts -> POSNET fiscal printer
         "pdf": "SGT_CAI_COM_INV_BLK_100"}      # Subiekt GT invoice PDFs -> BaseLinker
DEFAULT_URL = "https://api.baselinker.com/connector.php"
# Where each setting comes from on the command line, so that a refusal names the flag too.
FLAGS = {"name": "--name", "data_dir": "--data-dir", "language": "--language", "erp": "--erp", "token": "--token",
         "baselinker_url": "--baselinker-url", "rate_limit": "--rate-limit", "document_type": "--document-type",
         "status_ok": "--status-ok", "status_error": "--status-error", "warehouse": "--warehouse",
         "series": "--series", "printer": "--printer", "printer_name": "--printer-name",
         "receipt_series": "--receipt-series", "folders": "--pdf-folder", "invoice_series": "--invoice-series",
         "after_upload": "--after-upload"}


class Refused(Exception):
    """A value the config cannot have; the message names it (and its flag)."""


@dataclass
class Answers:
    name: str = "Sklep"
    data_dir: str = ""
    language: str | None = None
    erp: str = ""
    token: str = ""
    baselinker_url: str = DEFAULT_URL
    rate_limit: int | None = None
    plugins: list[str] = field(default_factory=lambda: ["orders"])
    document_type: str = "ZK"
    status_ok: str | None = None
    status_error: str | None = None
    warehouse: str | None = None
    series: str | None = None
    printer: str = ""
    printer_name: str | None = None
    receipt_series: int | None = None
    folders: list[str] = field(default_factory=list)
    invoice_series: int | None = None
    after_upload: str | None = None


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--non-interactive", action="store_true", help="take every value from the flags; ask nothing")
    p.add_argument("--output", type=Path, metavar="PATH", help="the file to write (default: the --config path)")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.add_argument("--skip-tests", action="store_true", help="write without the live ERP and BaseLinker tests "
                   "(a config prepared for another machine)")
    p.add_argument("--name", help="the endpoint's name, shown in status and the tray (default: Sklep)")
    p.add_argument("--data-dir", metavar="DIR", help="state, logs and journal (default: the platform's)")
    p.add_argument("--language", choices=("pl", "en"), help="language of messages (default: the system's)")
    p.add_argument("--erp", metavar="PATH|CONNSTR", help="a SQLite file (the embedded ERP) or an ODBC connection "
                   "string (DRIVER=...; or DSN=...)")
    p.add_argument("--token", help="the BaseLinker API token (Settings > API in BaseLinker)")
    p.add_argument("--baselinker-url", metavar="URL", help=f"the API address (default: {DEFAULT_URL})")
    p.add_argument("--rate-limit", type=int, metavar="N", help="requests a minute for the token (default 100)")
    p.add_argument("--plugins", metavar="LIST", help="comma-separated: orders, fiscal, pdf (default: orders)")
    g = p.add_argument_group("orders")
    g.add_argument("--document-type", metavar="TYPE", help="ZK, FS, PA or auto (default ZK)")
    g.add_argument("--status-ok", metavar="STATUS", help="BaseLinker status (name or id) after a transfer")
    g.add_argument("--status-error", metavar="STATUS", help="BaseLinker status (name or id) for a refused order")
    g.add_argument("--warehouse", metavar="SYMBOL", help="the ERP warehouse (default: the main one)")
    g.add_argument("--series", metavar="S", help="the ERP document series (default: the default series)")
    g = p.add_argument_group("fiscal")
    g.add_argument("--printer", metavar="ADDRESS", help='"tcp://HOST[:PORT]" or "serial:PORT"')
    g.add_argument("--printer-name", metavar="NAME", help="the printer's name in BaseLinker (default POSNET)")
    g.add_argument("--receipt-series", type=int, metavar="ID", help="the BaseLinker receipt series it prints")
    g = p.add_argument_group("pdf")
    g.add_argument("--pdf-folder", action="append", metavar="DIR", help="a folder of invoice PDFs (repeatable)")
    g.add_argument("--invoice-series", type=int, metavar="ID", help="the BaseLinker invoice series used to issue "
                   "an invoice for an order that has none")
    g.add_argument("--after-upload", choices=("move", "record"), help="move uploaded files to sent/ (default) "
                   "or only record them")


def from_flags(args: argparse.Namespace) -> Answers:
    a = Answers()
    for key in ("name", "data_dir", "language", "erp", "token", "baselinker_url", "rate_limit", "document_type",
                "status_ok", "status_error", "warehouse", "series", "printer", "printer_name", "receipt_series",
                "invoice_series", "after_upload"):
        value = getattr(args, key, None)
        if value is not None:
            setattr(a, key, value)
    if args.plugins is not None:
        a.plugins = [p.strip().lower() for p in args.plugins.split(",") if p.strip()]
    if args.pdf_folder:
        a.folders = list(args.pdf_folder)
    return a


# -- the config text ----------------------------------------------------------------------------------------

def toml_value(value: Any) -> str:
    """A TOML value (strings as JSON strings, which TOML's basic strings accept)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {toml_value(v)}"
                               for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _status(value: str | None) -> int | str | None:
    if value is None or not value.strip():
        return None
    return int(value) if value.strip().isdigit() else value.strip()


def plugin_settings(a: Answers, kind: str) -> dict[str, Any]:
    """The settings of plugin `kind` from the answers (only what was given; the rest keeps its default)."""
    s: dict[str, Any] = {"token": a.token}
    if a.baselinker_url and a.baselinker_url != DEFAULT_URL:
        s["baselinker_url"] = a.baselinker_url
    if a.rate_limit is not None:
        s["rate_limit"] = a.rate_limit
    if kind == "orders":
        s["erp"] = a.erp
        s["document_type"] = a.document_type
        for key in ("status_ok", "status_error"):
            status = _status(getattr(a, key))
            if status is not None:
                s[key] = status
        if a.warehouse:
            s["warehouse"] = a.warehouse
        if a.series:
            s["series"] = a.series
    elif kind == "fiscal":
        s["printer"] = a.printer
        if a.printer_name:
            s["printer_name"] = a.printer_name
        if a.receipt_series is not None:
            s["receipt_series"] = a.receipt_series
    elif kind == "pdf":
        if a.erp:
            s["erp"] = a.erp
        s["folders"] = a.folders
        if a.invoice_series is not None:
            s["invoice_series"] = a.invoice_series
        if a.after_upload:
            s["after_upload"] = a.after_upload
    return s


def config_text(a: Answers) -> str:
    lines = ["# Written by `sellintegro init`. Check it with: sellintegro doctor", "[endpoint]",
             f"name = {toml_value(a.name)}"]
    if a.data_dir:
        lines.append(f"data_dir = {toml_value(a.data_dir)}")
    if a.language:
        lines.append(f"language = {toml_value(a.language)}")
    for kind in a.plugins:
        lines += ["", "[[plugins]]", f"code = {toml_value(CODES.get(kind, kind))}", f"type = {toml_value(kind)}",
                  "interval = 60", "hang_timeout = 300", "[plugins.settings]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in plugin_settings(a, kind).items()]
    return "\n".join(lines) + "\n"


# -- validation ---------------------------------------------------------------------------------------------

def _flag_of(key: str) -> str:
    """The flag behind a config key such as "plugins[X].settings.printer" ("--printer")."""
    last = key.rsplit(".", 1)[-1]
    return FLAGS.get(last, "")


def validate(a: Answers, output: Path) -> None:
    """Refuse answers that make a config `config.load` refuses, naming each bad value; the file stays unwritten."""
    from .config import load
    from .errors import ConfigError
    from .plugins import load_types

    unknown = [p for p in a.plugins if p not in PLUGINS]
    if unknown:
        raise Refused(msg("init.bad_plugins", value=", ".join(unknown), known=", ".join(PLUGINS)))
    if not a.plugins:
        raise Refused(msg("init.no_plugins", known=", ".join(PLUGINS)))
    missing = _missing(a)
    if missing:
        raise Refused(msg("init.missing", flags=", ".join(missing)))
    output.parent.mkdir(parents=True, exist_ok=True)
    # Beside the target, so that a relative data_dir means what it will mean there.
    tmp = output.with_name(f".{output.name}.init-{os.getpid()}.tmp")
    _write_private(tmp, config_text(a))
    try:
        load(tmp, load_types())
    except ConfigError as e:
        lines = [f"{_flag_of(p.key) + ' ' if _flag_of(p.key) else ''}({p.key}): {p.reason}" for p in e.problems]
        raise Refused(msg("init.invalid", count=len(lines)) + "\n" + "\n".join(f"  - {line}" for line in lines)) \
            from None
    finally:
        tmp.unlink(missing_ok=True)


def _missing(a: Answers) -> list[str]:
    need = []
    if not a.token:
        need.append("--token")
    if ("orders" in a.plugins or "pdf" in a.plugins) and not a.erp:
        need.append("--erp")
    if "fiscal" in a.plugins:
        if not a.printer:
            need.append("--printer")
        if a.receipt_series is None:
            need.append("--receipt-series")
    if "pdf" in a.plugins and not a.folders:
        need.append("--pdf-folder")
    return need


@dataclass
class Found:
    """What the live tests learnt: BaseLinker's statuses and series, for choices and checks."""

    statuses: list[tuple[int, str]] = field(default_factory=list)
    series: list[tuple[int, str, str]] = field(default_factory=list)  # id, type, name


def test_erp(target: str) -> str:
    """Open the ERP and check its schema; returns what it is; Refused naming the value otherwise."""
    from .erp import ErpError, SqlErp
    from .erp.connection import Connector

    connector = Connector.for_target(target)
    if not connector.odbc and not Path(connector.target).is_file():
        # sqlite3 would create an empty file and then find no schema in it: say what is wrong instead.
        raise Refused(msg("init.erp_no_file", value=target))
    try:
        with SqlErp.open(target, retries=0) as erp:
            problems = erp.verify()
    except ErpError as e:
        raise Refused(msg("init.erp_failed", value=_shown_erp(target), reason=e)) from None
    if problems:
        raise Refused(msg("init.erp_schema", value=_shown_erp(target), reason="; ".join(problems)))
    return connector.describe()


def _shown_erp(target: str) -> str:
    from .redact import Redactor

    return Redactor(())(target)


def test_baselinker(token: str, url: str) -> Found:
    """Ask BaseLinker with the token: its statuses and series; Refused naming the bad value otherwise."""
    from .backoff import Backoff
    from .baselinker import BadToken, BaseLinkerClient, BaseLinkerError, RetryPolicy

    try:
        client = BaseLinkerClient(token, url=url, per_minute=100, timeout=20.0,
                                  retry=RetryPolicy(attempts=2, backoff=Backoff(initial=0.5, cap=1.0, jitter=0.2)))
    except ValueError as e:
        raise Refused(msg("init.bl_url", value=url, reason=e)) from None
    try:
        statuses = [(s.id, s.name) for s in client.get_order_status_list()]
        series = [(s.id, s.type, s.name) for s in client.get_series()]
    except BadToken:
        raise Refused(msg("init.bl_token", url=url)) from None
    except BaseLinkerError as e:
        raise Refused(msg("init.bl_failed", value=url, reason=e)) from None
    finally:
        client.close()
    return Found(statuses, series)


def check_choices(a: Answers, found: Found) -> None:
    """The statuses and series given exist in the BaseLinker account."""
    for key in ("status_ok", "status_error"):
        wanted = _status(getattr(a, key))
        if wanted is None or "orders" not in a.plugins:
            continue
        if not any(wanted in (sid, name) for sid, name in found.statuses):
            known = ", ".join(f"{sid} {name}" for sid, name in found.statuses)
            raise Refused(msg("init.bad_status", flag=FLAGS[key], value=wanted, known=known))
    wanted_series = [("receipt_series", a.receipt_series, "RECEIPT", "fiscal"),
                     ("invoice_series", a.invoice_series, "INVOICE", "pdf")]
    for key, sid, kind, plugin in wanted_series:
        if sid is None or plugin not in a.plugins:
            continue
        if not any(s[0] == sid and s[1] == kind for s in found.series):
            known = ", ".join(f"{s[0]} {s[2]}" for s in found.series if s[1] == kind) or "-"
            raise Refused(msg("init.bad_series", flag=FLAGS[key], value=sid, kind=kind, known=known))


def check_folders(a: Answers) -> None:
    if "pdf" not in a.plugins:
        return
    for folder in a.folders:
        if not Path(folder).is_dir():
            raise Refused(msg("init.bad_folder", value=folder))


def live_tests(a: Answers, say: Callable[[str], None]) -> None:
    if a.erp:
        say(msg("init.erp_ok", target=test_erp(a.erp)))
    found = test_baselinker(a.token, a.baselinker_url)
    say(msg("init.bl_ok", url=a.baselinker_url, statuses=len(found.statuses), series=len(found.series)))
    check_choices(a, found)
    check_folders(a)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def write(a: Answers, output: Path) -> None:
    """Write atomically, readable only by the owner (the file holds the token)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    _write_private(tmp, config_text(a))
    os.replace(tmp, output)


def _absolute(a: Answers) -> None:
    """Paths as given on this machine, made absolute: the config must not depend on where init ran."""
    from .erp.connection import Connector

    if a.erp and not Connector.for_target(a.erp).odbc:
        a.erp = str(Path(a.erp).expanduser().resolve())
    if a.data_dir:
        a.data_dir = str(Path(a.data_dir).expanduser().resolve())
    a.folders = [str(Path(f).expanduser().resolve()) if not f.startswith(("\\\\", "//")) else f for f in a.folders]


# -- the wizard ---------------------------------------------------------------------------------------------

class Wizard:
    """Asks for what the flags did not give, testing each connection as soon as it is known."""

    def __init__(self, a: Answers, ask: Callable[[str], str] = input, secret: Callable[[str], str] | None = None,
                 out: Any = None) -> None:
        self.a = a
        self.ask_raw = ask
        self.secret = secret or (getpass.getpass if sys.stdin.isatty() else ask)
        self.out = out or sys.stdout
        self.found = Found()  # what the BaseLinker test learnt: statuses and series, offered as choices

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def ask(self, prompt_id: str, default: str = "", **fields: Any) -> str:
        shown = f" [{default}]" if default else ""
        answer = self.ask_raw(f"{msg(prompt_id, **fields)}{shown}: ").strip()
        return answer or default

    def yes(self, prompt_id: str, default: bool, **fields: Any) -> bool:
        choices = msg("init.yes_no_default_yes") if default else msg("init.yes_no_default_no")
        while True:
            answer = self.ask_raw(f"{msg(prompt_id, **fields)} [{choices}]: ").strip().lower()
            if not answer:
                return default
            if answer[0] in "yt":  # yes / tak
                return True
            if answer[0] == "n":
                return False

    def run(self, test: bool) -> None:
        a = self.a
        self.say(msg("init.welcome"))
        a.name = self.ask("init.ask.name", a.name)
        a.data_dir = self.ask("init.ask.data_dir", a.data_dir or str(places.default_data_dir()))
        while True:
            a.erp = self.ask("init.ask.erp", a.erp)
            if not a.erp or not test:
                break
            try:
                self.say("  " + msg("init.erp_ok", target=test_erp(a.erp)))
                break
            except Refused as e:
                self.say("  " + str(e))
                if self._offer_sample(a.erp):
                    break
        found = self.found
        while True:
            a.baselinker_url = self.ask("init.ask.url", a.baselinker_url or DEFAULT_URL)
            token = self.secret(msg("init.ask.token") + (" [***]" if a.token else "") + ": ").strip()
            a.token = token or a.token
            if not test or not a.token:
                break
            try:
                found = self.found = test_baselinker(a.token, a.baselinker_url)
                self.say("  " + msg("init.bl_ok", url=a.baselinker_url, statuses=len(found.statuses),
                                    series=len(found.series)))
                break
            except Refused as e:
                self.say("  " + str(e))
        chosen = [p for p in PLUGINS if self.yes(f"init.ask.use_{p}", p in a.plugins)]
        a.plugins = chosen
        if "orders" in chosen:
            a.document_type = self.setting("orders", "document_type", "init.ask.document_type", a.document_type)
            if found.statuses:
                self.say("  " + msg("init.statuses", statuses=", ".join(f"{i} {n}" for i, n in found.statuses)))
            a.status_ok = self.ask("init.ask.status_ok", a.status_ok or "") or None
            a.status_error = self.ask("init.ask.status_error", a.status_error or "") or None
        if "fiscal" in chosen:
            a.printer = self.setting("fiscal", "printer", "init.ask.printer", a.printer or "tcp://127.0.0.1:6666")
            receipts = [s for s in found.series if s[1] == "RECEIPT"]
            if receipts:
                self.say("  " + msg("init.series", series=", ".join(f"{s[0]} {s[2]}" for s in receipts)))
            default = a.receipt_series or (receipts[0][0] if receipts else None)
            a.receipt_series = self._number("init.ask.receipt_series", default)
        if "pdf" in chosen:
            while True:
                folders = self.ask("init.ask.folders", ";".join(a.folders))
                a.folders = [f.strip() for f in folders.split(";") if f.strip()]
                bad = [f for f in a.folders if not Path(f).is_dir()]
                if a.folders and not bad:
                    break
                self.say("  " + msg("init.bad_folder", value=bad[0] if bad else '""'))
            invoices = [s for s in found.series if s[1] == "INVOICE"]
            if invoices:
                self.say("  " + msg("init.series", series=", ".join(f"{s[0]} {s[2]}" for s in invoices)))
            a.invoice_series = self._number("init.ask.invoice_series", a.invoice_series, optional=True)

    def setting(self, kind: str, name: str, prompt_id: str, default: str) -> str:
        """Ask for one setting of plugin type `kind` until the type's own declaration accepts it."""
        from .errors import Problem
        from .plugins import load_types
        from .schema import validate as validate_setting

        declared = [s for s in load_types()[kind].settings if s.name == name]
        while True:
            value = self.ask(prompt_id, default)
            problems: list[Problem] = []
            validate_setting({name: value}, declared, "", name, problems)
            if not problems:
                return value
            self.say(f"  {FLAGS.get(name, name)}: {problems[0].reason}")

    def _number(self, prompt_id: str, default: int | None, optional: bool = False) -> int | None:
        while True:
            text = self.ask(prompt_id, "" if default is None else str(default))
            if not text and optional:
                return None
            if text.isdigit() and int(text) > 0:
                return int(text)
            self.say("  " + msg("init.not_a_number", value=text))

    def _offer_sample(self, target: str) -> bool:
        """For a SQLite path that does not exist: offer the sample ERP there (trying things out)."""
        from .erp.connection import Connector

        if Connector.for_target(target).odbc or Path(target).exists():
            return False
        if not self.yes("init.ask.sample_erp", False, path=target):
            return False
        from .erp import sim

        sim.create(target)
        self.say("  " + msg("init.sample_created", path=target))
        return True


def main(args: argparse.Namespace) -> int:
    # What the clients log on the way (a refused token, a retry) is said in the refusal: keep it off stderr.
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    output: Path = args.output or args.config
    a = from_flags(args)
    try:
        if output.exists() and not args.force:
            if args.non_interactive or not Wizard(a).yes("init.ask.replace", False, path=output):
                raise Refused(msg("init.exists", path=output))
        wizard = None
        if not args.non_interactive:
            wizard = Wizard(a)
            wizard.run(test=not args.skip_tests)
        _absolute(a)
        validate(a, output)
        if not args.skip_tests:
            if wizard is None:
                live_tests(a, lambda line: print(line, flush=True))
            else:  # the wizard tested the connections as they were entered
                check_choices(a, wizard.found)
                check_folders(a)
    except Refused as e:
        print(msg("init.refused", reason=e, path=output), file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        print(msg("init.cancelled", path=output), file=sys.stderr)
        return 2
    write(a, output)
    print(msg("init.written", path=output, plugins=", ".join(f"{CODES[p]} ({p})" for p in a.plugins)))
    return 0
