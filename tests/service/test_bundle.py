"""The PyInstaller one-folder bundle: its worker runs a plugin, its supervisor starts that worker.

Building takes one to two minutes on 2 cores, so `packaging/build.py` builds (and runs these same checks);
.ci/run calls it before the tests. Here the bundle is checked where it was built: $SELLINTEGRO_BUNDLE, or
dist/Sellintegro in the repository.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("SELLINTEGRO_BUNDLE") or ROOT / "dist" / "Sellintegro")
EXE = ".exe" if sys.platform == "win32" else ""

needs_bundle = pytest.mark.skipif(not (BUNDLE / f"SellintegroAppWorker{EXE}").exists(),
                                  reason=f"no bundle at {BUNDLE}: build it with `python packaging/build.py`")


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sellintegro_build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_bundle
def test_the_bundles_worker_runs_its_plugin_and_stops_on_eof(tmp_path: Path) -> None:
    ready = _build_script().check_worker(BUNDLE, tmp_path)
    assert ready["t"] == "ready"


@needs_bundle
def test_the_bundles_supervisor_starts_the_worker_from_the_same_folder(tmp_path: Path) -> None:
    _build_script().check_supervisor(BUNDLE, tmp_path)


def test_the_spec_makes_the_two_programs_in_one_folder() -> None:
    spec = (ROOT / "packaging" / "sellintegro.spec").read_text(encoding="utf-8")
    assert 'name="Sellintegro"' in spec and 'name="SellintegroAppWorker"' in spec
    assert spec.count("COLLECT(") == 1 and "console=not WINDOWS" in spec
