"""The pdf plugin type's settings: their declaration (validated at load) and their parsed form."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from sellintegro.api import BASELINKER_SETTINGS, ERP_SETTINGS
from sellintegro.schema import Setting

from .texts import text

# The whole file name (without .pdf) is the ERP document's number.
DEFAULT_PATTERN = r"(?P<number>.+)"


def _check_folders(value: list[str]) -> str | None:
    if not value:
        return "list at least one folder"
    if any(not v.strip() for v in value):
        return "a folder cannot be an empty string"
    return None


def _check_pattern(value: str) -> str | None:
    try:
        compiled = re.compile(value)
    except re.error as e:
        return f"not a valid regular expression: {e}"
    if not {"number", "order"} & set(compiled.groupindex):
        return "needs a (?P<number>...) group (the ERP document number) or a (?P<order>...) group (the order id)"
    return None


def _check_slash(value: str) -> str | None:
    bad = set(value) & set('/\\:*?"<>|')
    if not value or bad:
        return "give one or more characters that may stand in a file name (not / \\ : * ? \" < > |)"
    return None


def _check_subfolder(value: str) -> str | None:
    if not value.strip() or set(value) & set("/\\") or value in (".", ".."):
        return "a plain folder name, such as \"sent\""
    return None


SETTINGS: tuple[Setting, ...] = (
    *BASELINKER_SETTINGS,
    replace(ERP_SETTINGS[0], required=False,
            help=ERP_SETTINGS[0].help + "; required with link = \"erp\" (it maps document numbers to orders)"),
    Setting("folders", list, required=True, item_type=str, check=_check_folders,
            help="source folders of the ERP's invoice PDFs: local paths or network shares (\\\\server\\share\\dir)"),
    Setting("link", str, "erp", choices=("erp", "pattern"),
            help="how a file finds its order: \"erp\": the file name is the ERP document number and the ERP "
                 "gives the order id (dok_NrPelnyOryg); \"pattern\": the pattern's `order` group is the order id"),
    Setting("pattern", str, DEFAULT_PATTERN, check=_check_pattern,
            help="a regular expression the file name without .pdf must match in full; group `number` is the "
                 "ERP document number, group `order` the BaseLinker order id (link = \"pattern\")"),
    Setting("slash", str, "_", check=_check_slash,
            help="characters that stand for \"/\" in file names (a file name cannot hold \"/\"): "
                 "\"FS 12_2026.pdf\" is document FS 12/2026"),
    Setting("invoice_series", int, None, min=1,
            help="BaseLinker invoice series (an id from getSeries) used to issue an invoice first for an order "
                 "that has none; unset: such a file waits and the journal says how to fix it"),
    Setting("after_upload", str, "move", choices=("move", "record"),
            help="after an upload: \"move\" the file to the sent subfolder, or only \"record\" it"),
    Setting("sent_folder", str, "sent", check=_check_subfolder,
            help="the subfolder (of each source folder) uploaded files move to with after_upload = \"move\""),
    Setting("watch", str, "auto", choices=("auto", "events", "polling"),
            help="how folders are watched: \"events\" (the system's change notifications), \"polling\" (for "
                 "network shares, where notifications are unreliable), or \"auto\": polling for network "
                 "shares, events elsewhere"),
    Setting("poll_seconds", float, 5.0, min=0.2, max=3600,
            help="how often a polled folder is listed, and how often a missing folder is looked for"),
    Setting("settle_seconds", float, 2.0, min=0, max=3600,
            help="a file counts as complete once its size and time stayed the same this long and nobody "
                 "holds it locked"),
    Setting("watch_seconds", float, 300.0, min=0, max=86400,
            help="how long one cycle keeps watching for new files before it ends (the next starts after the "
                 "plugin's interval); 0: end as soon as nothing is ready or settling"),
    Setting("retry_minutes", float, 15.0, min=0, max=10080,
            help="a file that waits for a person (no invoice, unknown number, no read permission) is tried "
                 "again after this long; its journal entry is not repeated"),
)


@dataclass(frozen=True)
class PdfSettings:
    """The validated settings, in the shapes the plugin uses."""

    folders: tuple[str, ...]
    link: str
    pattern: re.Pattern[str]
    slash: str
    invoice_series: int | None
    after_upload: str
    sent_folder: str
    watch: str
    poll_seconds: float
    settle_seconds: float
    watch_seconds: float
    retry_seconds: float
    erp: str | None

    @classmethod
    def read(cls, s: dict[str, Any]) -> PdfSettings:
        # Defaults fill what is absent, so that a context built by hand (tests, doctor) reads the same.
        d = {x.name: x.default for x in SETTINGS}
        d.update({k: v for k, v in s.items() if v is not None})
        return cls(folders=tuple(d["folders"] or ()), link=d["link"], pattern=re.compile(d["pattern"]),
                   slash=d["slash"], invoice_series=d["invoice_series"], after_upload=d["after_upload"],
                   sent_folder=d["sent_folder"], watch=d["watch"], poll_seconds=float(d["poll_seconds"]),
                   settle_seconds=float(d["settle_seconds"]), watch_seconds=float(d["watch_seconds"]),
                   retry_seconds=float(d["retry_minutes"]) * 60, erp=d["erp"] or None)

    def problems(self) -> list[str]:
        """What the settings lack together (one setting alone is checked when the config loads)."""
        out = []
        if self.link == "erp" and not self.erp:
            out.append(text("pdf.config.erp"))
        group = "number" if self.link == "erp" else "order"
        if group not in self.pattern.groupindex:
            out.append(text("pdf.config.group", pattern=self.pattern.pattern, group=group, link=self.link))
        return out
