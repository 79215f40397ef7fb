"""The plugin's run: folders watched across cycles, and each cycle's loop over the files that are ready.

The watchdog observers and what is known about each file live as long as the worker process (module
state, one `Processor` per plugin code), so nothing that happens between two cycles is lost. A cycle
lists the folders (a safety net for missed events), handles every file that is complete, and keeps
watching for `watch_seconds`, reporting progress at least every second; it returns early when the
worker is stopping. One file's trouble never stops the others (a poison input is journaled and
skipped); a file that waits for a person is tried again after `retry_minutes` without a new entry.
"""

from __future__ import annotations

import enum
import time
from datetime import datetime
from typing import TYPE_CHECKING

from sellintegro.api import PluginContext
from sellintegro.baselinker import AccountBlocked, ApiError, BadToken, BaseLinkerError, Cancelled
from sellintegro.baselinker.errors import BadParameters, InvalidFile, InvoiceNotFound, OrderNotFound, SeriesNotFound
from sellintegro.erp.errors import ErpUnavailable

from . import erplink, invoices, names, pdfcheck, upload
from .folders import Folders, account, check_access, list_pdfs, reason
from .reader import Changed, Locked, NotRegular, read_complete
from .sent import move_to_sent
from .settings import PdfSettings
from .settle import Candidate, Tracker
from .texts import text
from .watcher import Watcher

if TYPE_CHECKING:  # the client (and httpx) load when the first file is uploaded, not in an idle worker
    from sellintegro.baselinker import BaseLinkerClient

OVERRUN = 60.0     # seconds a cycle may outlast watch_seconds while a file is still being written
SOON = 10.0        # seconds before a file that met a transient fault (ERP or BaseLinker down) is tried again
WRITER_WAIT = 0.5  # seconds between looks at a file its writer still holds
# A file that looks unfinished (empty, no %%EOF) is only called broken once it stayed the same this
# many settling times: a writer that pauses longer than settle_seconds is not reported.
UNFINISHED_GRACE = 5


class Next(enum.Enum):
    """What becomes of a file after one look at it."""

    DONE = "done"          # uploaded (or found uploaded) and moved or recorded
    FINAL = "final"        # this version is skipped for good (broken, misnamed): only new content is looked at
    LATER = "later"        # waits for a person: tried again after retry_minutes
    SOON = "soon"          # a transient fault: tried again shortly
    WAIT = "wait"          # its writer still holds it, or has not finished it
    CHANGED = "changed"    # it changed while read: settle again
    GONE = "gone"          # it disappeared


class Processor:
    def __init__(self, settings: PdfSettings) -> None:
        self.s = settings
        self.tracker = Tracker(settings.settle_seconds)
        self.watcher = Watcher(settings.watch, settings.poll_seconds)
        self.folders = Folders(settings.folders)
        self.trouble: dict[str, str] = {}  # "erp" | "baselinker" -> reason, journaled once until it clears
        self.said: set[tuple[str, str]] = set()  # (folder, entry) journaled while the folder is not usable
        self.config_told = False
        self._series: str | None = None

    # -- the cycle ---------------------------------------------------------------------------------------

    def cycle(self, ctx: PluginContext) -> None:
        problems = self.s.problems()
        if problems:
            for p in problems:
                ctx.log.error("pdf: %s", p)
                if not self.config_told:
                    ctx.journal.error(None, text("pdf.config", reason=p))
            self.config_told = True
            return
        start = time.monotonic()
        deadline = start + self.s.watch_seconds
        scanned = self.refresh_folders(ctx)
        next_folder_check = start + self.s.poll_seconds
        for folder in self.s.folders:
            if folder not in scanned and self.folders.available(folder):
                self.scan(ctx, folder, fresh=True)  # a safety net for events that got lost
        handled = 0
        while not ctx.cancelled.is_set():
            now = time.monotonic()
            if now >= next_folder_check:
                self.refresh_folders(ctx)
                next_folder_check = now + self.s.poll_seconds
            for path, folder in self.watcher.drain():
                if self.folders.available(folder):
                    self.tracker.see(path, folder)
            for c in self.tracker.due():
                if ctx.cancelled.is_set():
                    break
                self.handle(ctx, c)
                handled += 1
                ctx.progress(handled, None)
            now = time.monotonic()
            if now >= deadline and (not self.tracker.settling() or now >= deadline + OVERRUN):
                break
            wake = [next_folder_check, deadline if now < deadline else now + 1.0]
            due = self.tracker.next_due()
            if due is not None:
                wake.append(due)
            ctx.progress()
            self.watcher.wait(min(1.0, max(0.02, min(wake) - now)))
        if ctx.cancelled.is_set():
            self.watcher.stop()

    def refresh_folders(self, ctx: PluginContext) -> set[str]:
        """Notice folders that went away or came (back), check what the account may do there, watch them and
        list them; returns the folders listed."""
        scanned = set()
        sent = self.s.sent_folder if self.s.after_upload == "move" else None
        for change in self.folders.check():
            folder = change.folder
            if change.kind == "missing":
                self.watcher.detach(folder)
                self.tracker.drop_folder(folder)
                self.say(ctx, folder, "error", text("pdf.folder_missing", folder=folder, reason=change.reason))
                continue
            problems = check_access(folder, sent)
            for problem in problems:
                what = text(f"pdf.can.{problem.what}", sent=self.s.sent_folder)
                self.say(ctx, folder, "warning", text("pdf.folder_access", folder=folder, user=account(), what=what,
                                                      reason=problem.reason))
            try:
                if any(p.what in ("reach", "list") for p in problems):
                    raise PermissionError(problems[0].reason)
                how = self.watcher.attach(folder)
            except OSError as e:
                # Not usable now: looked at again at the next check, without a new entry for the same reason.
                self.folders.unusable(folder, reason(e))
                if not problems:
                    self.say(ctx, folder, "error", text("pdf.folder_missing", folder=folder, reason=reason(e)))
                continue
            ctx.log.info("watching folder %s (%s)", folder, how)
            if change.kind == "back":
                ctx.journal.info(folder, text("pdf.folder_back", folder=folder, how=how))
            self.said = {m for m in self.said if m[0] != folder}
            self.scan(ctx, folder, fresh=change.kind != "first")
            scanned.add(folder)
        return scanned

    def scan(self, ctx: PluginContext, folder: str, fresh: bool) -> None:
        try:
            paths = list_pdfs(folder)
        except OSError as e:
            ctx.log.warning("folder %s cannot be listed: %s", folder, reason(e))
            return
        for path in paths:
            self.tracker.see(path, folder, fresh)
        self.tracker.seen_only(folder, paths)

    # -- one file ----------------------------------------------------------------------------------------

    def handle(self, ctx: PluginContext, c: Candidate) -> None:
        try:
            step = self.process(ctx, c)
        except Cancelled:
            return  # the worker stops; the file is looked at again by the next worker
        except ErpUnavailable as e:
            self.troubled(ctx, "erp", str(e))
            step = Next.SOON
        except AccountBlocked as e:
            # Every user of the token pauses (the shared limiter); nothing wrong with this file.
            ctx.log.warning("%s: %s", c.path.name, e)
            step = Next.SOON
        except BaseLinkerError as e:
            if isinstance(e, BadToken):
                self.troubled(ctx, "baselinker", str(e))  # one entry, not one per file
                step = Next.LATER
            elif isinstance(e, ApiError):
                self.tell(ctx, c, "error", "pdf.failed", reason=str(e))
                step = Next.LATER
            else:
                self.troubled(ctx, "baselinker", str(e))
                step = Next.SOON
        except Exception as e:  # noqa: BLE001 - a poison input never stops the others nor the worker
            ctx.log.exception("%s: unexpected error", c.path)
            self.tell(ctx, c, "error", "pdf.failed", reason=f"{type(e).__name__}: {e}")
            step = Next.LATER
        self.after(c, step)

    def after(self, c: Candidate, step: Next) -> None:
        now = time.monotonic()
        c.writing = step is Next.WAIT
        if (step is Next.DONE and self.s.after_upload == "move") or step is Next.GONE:
            self.tracker.forget(c.path)
        elif step in (Next.DONE, Next.FINAL):
            c.handled = True
        elif step is Next.LATER:
            c.not_before = now + self.s.retry_seconds
        elif step is Next.SOON:
            c.not_before = now + max(SOON, self.s.poll_seconds)
        elif step is Next.WAIT:
            c.not_before = now + max(WRITER_WAIT, self.s.settle_seconds)
        elif step is Next.CHANGED:
            self.tracker.changed(c)

    def process(self, ctx: PluginContext, c: Candidate) -> Next:
        file = c.path.name
        try:
            data = read_complete(c.path)
        except FileNotFoundError:
            return Next.GONE
        except NotRegular:
            return self.tell(ctx, c, "warning", "pdf.not_regular", Next.FINAL)
        except Locked:
            ctx.log.debug("%s: still locked by its writer", file)
            return Next.WAIT
        except Changed:
            return Next.CHANGED
        except PermissionError as e:
            return self.tell(ctx, c, "error", "pdf.no_read", Next.LATER, user=account(), reason=reason(e))
        except OSError as e:
            return self.tell(ctx, c, "error", "pdf.unreadable", Next.LATER, reason=reason(e))
        broken = pdfcheck.problem(data)
        if broken:
            if pdfcheck.incomplete(data) and time.monotonic() - c.since < UNFINISHED_GRACE * self.s.settle_seconds:
                ctx.log.debug("%s: looks unfinished (%s); waiting for its writer", file, broken)
                return Next.WAIT
            return self.tell(ctx, c, "error", "pdf.broken", Next.FINAL, reason=broken)
        parsed = names.parse(file, self.s.pattern, self.s.slash)
        if parsed is None or (self.s.link == "erp" and not parsed.number):
            return self.tell(ctx, c, "error", "pdf.no_match", Next.FINAL, pattern=self.s.pattern.pattern)
        if self.s.link == "erp":
            assert parsed.number is not None
            found = self.link_by_erp(ctx, c, parsed.number)
            if isinstance(found, Next):
                return found
            order, number = found
        else:
            order_id = names.order_id(parsed.order)
            if order_id is None:
                return self.tell(ctx, c, "error", "pdf.bad_order", Next.FINAL, value=parsed.order or "")
            order, number = order_id, parsed.number or parsed.stem
        if len(number) > upload.NUMBER_MAX:
            return self.tell(ctx, c, "error", "pdf.too_long", Next.FINAL, number=number)
        return self.deliver(ctx, c, data, order, number)

    def link_by_erp(self, ctx: PluginContext, c: Candidate, spelled: str) -> tuple[int, str] | Next:
        """The order and the ERP's own spelling of the number, or what to do with a file that has none."""
        tried = names.candidates(spelled)
        docs = erplink.find_documents(ctx.erp(), tried)
        self.recovered(ctx, "erp")
        if not docs:
            return self.tell(ctx, c, "error", "pdf.unknown_number", Next.LATER, number=spelled,
                             tried=", ".join(tried), slash=self.s.slash[0])
        originals = sorted({d.original for d in docs})
        if len(originals) > 1:
            return self.tell(ctx, c, "error", "pdf.ambiguous", Next.LATER, number=docs[0].number,
                             orders=", ".join(originals))
        order = names.order_id(docs[0].original)
        if order is None:
            return self.tell(ctx, c, "error", "pdf.no_order", Next.LATER, number=docs[0].number,
                             value=docs[0].original)
        return order, docs[0].number

    def deliver(self, ctx: PluginContext, c: Candidate, data: bytes, order: int, number: str) -> Next:
        """Make sure the order has an invoice, upload the file to it once, then move or record it."""
        file = c.path.name
        client = ctx.baselinker()
        try:
            target = invoices.ensure(client, ctx.state, order, number, self.s.invoice_series)
        except invoices.NoInvoice:
            return self.tell(ctx, c, "error", "pdf.no_invoice", Next.LATER, series=self.series_text(client),
                             order=order, number=number)
        except invoices.OtherDocument as e:
            return self.tell(ctx, c, "error", "pdf.other_document", Next.LATER, invoice=e.invoice_id,
                             other=e.other, order=order, number=number)
        except OrderNotFound:
            return self.tell(ctx, c, "error", "pdf.order_not_found", Next.LATER, order=order, number=number)
        except (SeriesNotFound, BadParameters) as e:
            return self.tell(ctx, c, "error", "pdf.series_refused", Next.LATER, series=self.s.invoice_series,
                             reason=e.message, choices=self.series_text(client), order=order)
        if target.issued:
            ctx.journal.info(f"order {order}", text("pdf.invoice_created", order=order, invoice=target.invoice_id,
                                                    series=self.s.invoice_series, file=file))
        note = {"file": file, "folder": c.folder, "order_id": order}
        try:
            outcome = upload.upload_once(client, ctx.state, target.invoice_id, data, number, note)
        except InvoiceNotFound:
            # Deleted in BaseLinker since we learnt it: look the order's invoice up again shortly.
            invoices.forget(ctx.state, order, number)
            return Next.SOON
        except InvalidFile as e:
            return self.tell(ctx, c, "error", "pdf.rejected", Next.FINAL, order=order, reason=e.message)
        except ApiError as e:
            if isinstance(e, AccountBlocked):
                raise
            return self.tell(ctx, c, "error", "pdf.rejected", Next.LATER, order=order, reason=e.message)
        self.recovered(ctx, "baselinker")
        if outcome.kind == "held":
            return self.tell(ctx, c, "warning", "pdf.held", Next.LATER, order=order)
        if outcome.kind == "uploaded":
            ctx.journal.info(file, text("pdf.uploaded", file=file, invoice=target.invoice_id, order=order,
                                             number=number))
        elif outcome.kind == "verified":
            ctx.journal.info(file, text("pdf.verified", file=file, order=order))
        elif self.s.after_upload == "move" or c.fresh:
            when = outcome.record.get("time")
            shown = datetime.fromtimestamp(when).isoformat(sep=" ", timespec="seconds") if when else "?"
            self.tell(ctx, c, "info", "pdf.already", Next.DONE, when=shown, order=order, number=number)
        else:
            ctx.log.debug("%s: uploaded before, as recorded", file)
        if self.s.after_upload == "move":
            try:
                move_to_sent(c.path, self.s.sent_folder, upload.digest(data))
            except FileNotFoundError:
                return Next.GONE
            except OSError as e:
                return self.tell(ctx, c, "warning", "pdf.not_moved", Next.LATER, sent=self.s.sent_folder,
                                 reason=reason(e))
        return Next.DONE

    # -- journal -----------------------------------------------------------------------------------------

    def tell(self, ctx: PluginContext, c: Candidate, level: str, msg_id: str, step: Next = Next.LATER,
             **fields: object) -> Next:
        """Journal `msg_id` about this file, once per version of it (a retry does not repeat it)."""
        message = text(msg_id, file=c.path.name, **fields)
        if msg_id in c.told:
            ctx.log.debug("%s (journaled before)", message)
        else:
            c.told.add(msg_id)
            getattr(ctx.journal, level)(c.path.name, message)
        return step

    def say(self, ctx: PluginContext, folder: str, level: str, message: str) -> None:
        """Journal something about a folder once while it stays unusable."""
        if (folder, message) not in self.said:
            self.said.add((folder, message))
            getattr(ctx.journal, level)(folder, message)

    def troubled(self, ctx: PluginContext, what: str, why: str) -> None:
        ctx.log.warning("%s: %s", what, why)
        if what not in self.trouble:
            self.trouble[what] = why
            ctx.journal.warning(None, text(f"pdf.{what}_down", reason=why))

    def recovered(self, ctx: PluginContext, what: str) -> None:
        if self.trouble.pop(what, None) is not None:
            ctx.journal.info(None, text("pdf.recovered", what="ERP" if what == "erp" else "BaseLinker"))

    def series_text(self, client: BaseLinkerClient) -> str:
        """The account's invoice series, for a fix hint (asked once per worker run)."""
        if self._series is None:
            try:
                series = [s for s in client.get_series() if s.type == "INVOICE"]
            except BaseLinkerError as e:
                return f"getSeries: {e}"
            self._series = ", ".join(f'{s.id} "{s.name}"' for s in series) or text("pdf.none")
        return self._series


_processors: dict[str, Processor] = {}


def run(ctx: PluginContext) -> None:
    """One cycle of the `pdf` plugin type."""
    processor = _processors.get(ctx.code)
    if processor is None:
        processor = _processors[ctx.code] = Processor(PdfSettings.read(ctx.settings))
    processor.cycle(ctx)
