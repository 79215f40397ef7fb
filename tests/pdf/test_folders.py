"""Folders: present or not, the same folder or a new one, and what the plugin's account may do in them."""

from __future__ import annotations

import shutil
from pathlib import Path

from sellintegro_pdf.folders import Folders, check_access, list_pdfs
from sellintegro_pdf.watcher import is_network

from .conftest import run_python

CHECK = ("import json; from sellintegro_pdf.folders import check_access\n"
         "print(json.dumps([[p.what, p.reason] for p in check_access({folder!r}, {sent!r})]))")


def test_an_accessible_folder_passes_the_check_and_keeps_no_probe_file(tmp_path: Path) -> None:
    assert check_access(str(tmp_path), "sent") == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["sent"], "the sent subfolder is made, nothing else"


def test_a_missing_path_or_a_file_is_not_a_folder_that_can_be_reached(tmp_path: Path) -> None:
    [missing] = check_access(str(tmp_path / "gone"))
    assert (missing.what, missing.reason) == ("reach", "No such file or directory")
    (tmp_path / "f").write_text("x")
    assert [(p.what, p.reason) for p in check_access(str(tmp_path / "f"))] == [("reach", "not a folder")]


def test_the_check_runs_as_the_plugins_account_and_names_what_it_cannot_do(tmp_path: Path) -> None:
    readonly, unlistable, no_sent = tmp_path / "ro", tmp_path / "nolist", tmp_path / "nosent"
    for folder in (readonly, unlistable, no_sent):
        folder.mkdir()
    (no_sent / "sent").mkdir()
    readonly.chmod(0o555)
    unlistable.chmod(0o333)
    (no_sent / "sent").chmod(0o555)
    results = {f.name: run_python(CHECK.format(folder=str(f), sent="sent"), unprivileged=True)
               for f in (readonly, unlistable, no_sent)}
    assert results["ro"] == [["write", "Permission denied"]]
    assert results["nolist"][0] == ["list", "Permission denied"]
    assert results["nosent"] == [["sent", "write: Permission denied"]]


def test_folders_report_first_sight_loss_return_and_replacement(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    folders = Folders((str(a), str(b)))
    assert [(c.folder, c.kind) for c in folders.check()] == [(str(a), "first"), (str(b), "missing")]
    assert folders.check() == []
    b.mkdir()
    shutil.rmtree(a)
    assert sorted((c.folder, c.kind) for c in folders.check()) == [(str(a), "missing"), (str(b), "back")]
    b.rename(tmp_path / "old-b")
    b.mkdir()  # another folder under the same name: its watch must be made anew
    assert [(c.folder, c.kind) for c in folders.check()] == [(str(b), "replaced")]


def test_only_pdfs_directly_in_the_folder_are_listed(tmp_path: Path) -> None:
    (tmp_path / "sent").mkdir()
    (tmp_path / "sent" / "old.pdf").write_bytes(b"x")
    (tmp_path / "a.pdf").write_bytes(b"x")
    (tmp_path / "b.txt").write_bytes(b"x")
    assert [p.name for p in list_pdfs(str(tmp_path))] == ["a.pdf"]


def test_unc_paths_count_as_network_shares_and_local_folders_do_not(tmp_path: Path) -> None:
    assert is_network(r"\\server\faktury") and is_network("//server/faktury")
    assert not is_network(str(tmp_path))
