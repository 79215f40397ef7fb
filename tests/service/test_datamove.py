"""Moving data and config between places: verified copies, kept originals, undo, config rewriting."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sellintegro.service.datamove import (
    data_dir_of,
    explicit_data_dir,
    manifest,
    move_config,
    move_data,
    with_data_dir,
)
from sellintegro.service.errors import ServiceError


def _tree(root: Path) -> None:
    (root / "state").mkdir(parents=True)
    (root / "logs").mkdir()
    (root / "run").mkdir()
    (root / "journal.sqlite3").write_bytes(b"journal" * 1000)
    (root / "state" / "P.sqlite3").write_bytes(b"cursor and effects")
    (root / "logs" / "P.log").write_text("one line\n")
    (root / "run" / "control.json").write_text('{"token": "t"}')
    (root / "run" / "supervisor.lock").write_text("")


def test_manifest_leaves_out_the_run_directory(tmp_path: Path) -> None:
    _tree(tmp_path / "d")
    assert sorted(manifest(tmp_path / "d")) == ["journal.sqlite3", "logs/P.log", "state/P.sqlite3"]


def test_move_copies_everything_but_run_keeps_the_original_and_puts_an_older_target_aside(tmp_path: Path) -> None:
    src, dst = tmp_path / "user" / "sellintegro", tmp_path / "machine" / "sellintegro"
    _tree(src)
    dst.mkdir(parents=True)
    (dst / "stale.txt").write_text("from an earlier service period")
    want = manifest(src)

    moved = move_data(src, dst, "20261204-120000")
    assert manifest(dst) == want
    assert not (dst / "run").exists()
    assert not src.exists()
    assert moved.backup == src.with_name("sellintegro.moved-20261204-120000")
    assert manifest(moved.backup) == want
    assert moved.aside is not None and (moved.aside / "stale.txt").exists()

    moved.undo()
    assert manifest(src) == want and (src / "run" / "control.json").exists()
    assert (dst / "stale.txt").exists()


def test_moving_nothing_creates_an_empty_target(tmp_path: Path) -> None:
    moved = move_data(tmp_path / "absent", tmp_path / "dst", "s")
    assert (tmp_path / "dst").is_dir() and moved.backup is None


def test_a_copy_that_cannot_be_verified_is_refused_and_the_source_is_untouched(tmp_path: Path) -> None:
    """A file whose copy cannot be compared with its original (here: a dangling symlink) stops the move
    before the original is renamed, and leaves no half copy behind."""
    src = tmp_path / "src"
    _tree(src)
    (src / "logs" / "gone.log").symlink_to(tmp_path / "nowhere")
    with pytest.raises(ServiceError) as e:
        move_data(src, tmp_path / "dst", "s")
    assert "is untouched" in str(e.value)
    assert (src / "journal.sqlite3").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_config_gets_the_new_data_dir_and_keeps_its_comments(tmp_path: Path) -> None:
    text = '# my shop\n[endpoint]\nname = "Sklep"  # shown in the tray\ndata_dir = "old"\n\n[[plugins]]\ncode = "A"\n'
    out = with_data_dir(text, Path("/var/lib/sellintegro"))
    assert "# my shop" in out and "# shown in the tray" in out
    assert tomllib.loads(out)["endpoint"]["data_dir"] == "/var/lib/sellintegro"
    assert tomllib.loads(out)["plugins"][0]["code"] == "A"


def test_config_without_data_dir_or_endpoint_table_gets_one() -> None:
    assert tomllib.loads(with_data_dir('[endpoint]\nname = "x"\n', Path("/d")))["endpoint"] == {"name": "x",
                                                                                               "data_dir": "/d"}
    assert tomllib.loads(with_data_dir('[[plugins]]\ncode = "A"\n', Path("/d")))["endpoint"] == {"data_dir": "/d"}


def test_windows_paths_survive_as_literal_strings() -> None:
    path = r"C:\ProgramData\sellintegro\data"
    out = with_data_dir("[endpoint]\n", Path(path))
    assert tomllib.loads(out)["endpoint"]["data_dir"] == path


def test_move_config_writes_the_target_and_keeps_the_original_for_undo(tmp_path: Path) -> None:
    src, dst = tmp_path / "home" / "sellintegro.toml", tmp_path / "etc" / "sellintegro.toml"
    src.parent.mkdir()
    src.write_text('[endpoint]\nname = "x"\n')
    moved = move_config(src, dst, tmp_path / "var", "s")
    assert explicit_data_dir(dst) and data_dir_of(dst, Path("/default")) == tmp_path / "var"
    assert not src.exists() and moved.backup is not None and moved.backup.exists()
    moved.undo()
    assert src.exists() and not dst.exists()


def test_data_dir_of_a_config_without_one_is_the_default_and_a_relative_one_is_beside_the_file(tmp_path: Path
                                                                                                ) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[endpoint]\nname = "x"\n')
    assert data_dir_of(cfg, Path("/default")) == Path("/default")
    assert not explicit_data_dir(cfg)
    cfg.write_text('[endpoint]\ndata_dir = "rel"\n')
    assert data_dir_of(cfg, Path("/default")) == tmp_path / "rel"
