"""One viewer per endpoint: the lock and the request channel (real sockets, no display)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sellintegro.desktop import instance


@pytest.fixture
def first(tmp_path: Path) -> Iterator[tuple[instance.Instance, list[dict[str, Any]]]]:
    inst = instance.Instance("k", tmp_path)
    seen: list[dict[str, Any]] = []

    def handle(req: dict[str, Any]) -> dict[str, Any]:
        seen.append(req)
        return {"pid": 4242}
    assert inst.acquire()
    inst.serve(handle)
    yield inst, seen
    inst.close()


def test_a_second_instance_cannot_take_the_lock_and_asks_the_first_to_focus(
        tmp_path: Path, first: tuple[instance.Instance, list[dict[str, Any]]]) -> None:
    _, seen = first
    second = instance.Instance("k", tmp_path)
    assert second.acquire() is False
    reply = instance.request("k", {"cmd": "focus"}, directory=tmp_path)
    assert reply["pid"] == 4242
    assert seen == [{"cmd": "focus"}]  # the token is checked and removed


def test_instances_of_different_endpoints_do_not_interfere(
        tmp_path: Path, first: tuple[instance.Instance, list[dict[str, Any]]]) -> None:
    other = instance.Instance(instance.key_for(tmp_path / "other-data"), tmp_path)
    assert other.acquire() is True
    other.close()


def test_a_request_with_a_wrong_token_is_refused(tmp_path: Path,
                                                 first: tuple[instance.Instance, list[dict[str, Any]]]) -> None:
    _, seen = first
    info = tmp_path / "k.json"
    data = json.loads(info.read_text())
    info.write_text(json.dumps({**data, "token": "guess"}))
    with pytest.raises(instance.NoViewer, match="wrong token"):
        instance.request("k", {"cmd": "focus"}, directory=tmp_path)
    assert seen == []


def test_the_channel_file_is_private(tmp_path: Path, first: tuple[instance.Instance, list[dict[str, Any]]]) -> None:
    assert (tmp_path / "k.json").stat().st_mode & 0o077 == 0


def test_no_viewer_when_nobody_listens(tmp_path: Path) -> None:
    with pytest.raises(instance.NoViewer):
        instance.request("nobody", {"cmd": "focus"}, directory=tmp_path)


def test_closing_releases_the_lock_for_the_next_viewer(tmp_path: Path) -> None:
    a = instance.Instance("k", tmp_path)
    assert a.acquire()
    a.serve(lambda req: {})
    a.close()
    assert not (tmp_path / "k.json").exists()
    b = instance.Instance("k", tmp_path)
    assert b.acquire()
    b.close()


def test_the_key_is_the_resolved_data_directory(tmp_path: Path) -> None:
    assert instance.key_for(tmp_path / "d") == instance.key_for(tmp_path / "x" / ".." / "d")
    assert instance.key_for(tmp_path / "d") != instance.key_for(tmp_path / "e")
