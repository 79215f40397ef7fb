"""Build the one-folder bundle (`Sellintegro/`) with PyInstaller, then prove it is complete.

    python packaging/build.py [--dist DIR] [--work DIR] [--check-only]

The check runs the bundle's SellintegroAppWorker with `--plugin` (it must load its plugin type through
the entry points and say it is ready), then the bundle's Sellintegro supervisor headless, which must start
that worker from the same folder. It prints the build time: on 2 shared cores about 2 minutes, which is
why this is a script run by .ci/run and not a unit test (tests/service/test_bundle.py checks a built one).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXE = ".exe" if sys.platform == "win32" else ""


def build(dist: Path, work: Path) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(HERE / "sellintegro.spec")],
                   check=True, cwd=ROOT)
    return time.monotonic() - started


def check_worker(folder: Path, workdir: Path) -> dict[str, object]:
    """Run SellintegroAppWorker --plugin CODE from the bundle; it must report ready and stop on EOF."""
    config = _config(workdir)
    worker = folder / f"SellintegroAppWorker{EXE}"
    with subprocess.Popen([str(worker), "--plugin", "PROBE_BUNDLE_1", "--config", str(config)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
        ready = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            message = json.loads(line)
            if message.get("t") == "ready":
                ready = message
                break
        proc.stdin.close()  # the stop request: EOF on stdin
        proc.stdout.read()
        err = proc.stderr.read().decode(errors="replace")
        code = proc.wait(timeout=60)
    if ready is None or code != 0:
        raise SystemExit(f"the bundle's worker did not run (ready={ready}, exit {code}):\n{err}")
    return ready


def check_supervisor(folder: Path, workdir: Path) -> None:
    """Run the bundle's supervisor headless: it must start the bundle's worker (same folder) for the probe."""
    config = _config(workdir)
    main = folder / f"Sellintegro{EXE}"
    with subprocess.Popen([str(main), "run", "--headless", "--config", str(config)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        _check_running(main, config, proc)


def _check_running(main: Path, config: Path, proc: subprocess.Popen[bytes]) -> None:
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = subprocess.run([str(main), "status", "--json", "--config", str(config)],
                                    capture_output=True, text=True)
            if status.returncode == 0:
                workers = json.loads(status.stdout)["workers"]
                if workers and workers[0]["state"] == "RUNNING":
                    import psutil

                    exe = Path(psutil.Process(workers[0]["pid"]).exe()).name
                    if exe != f"SellintegroAppWorker{EXE}":
                        raise SystemExit(f"the supervisor started {exe}, not the bundle's worker")
                    break
            time.sleep(0.3)
        else:
            raise SystemExit("the bundle's supervisor did not get its worker RUNNING within 60 s")
        subprocess.run([str(main), "stop", "--config", str(config)], check=True, capture_output=True)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()


def _config(workdir: Path) -> Path:
    config = workdir / "bundle-check.toml"
    config.write_text(f'[endpoint]\nname = "bundle"\ndata_dir = {json.dumps(str(workdir / "data"))}\n'
                      '[[plugins]]\ncode = "PROBE_BUNDLE_1"\ntype = "probe"\nhang_timeout = 30\n'
                      '[plugins.settings]\ntick_ms = 200\n', encoding="utf-8")
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where Sellintegro/ goes (default dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work directory")
    parser.add_argument("--check-only", action="store_true", help="check an existing bundle, do not build")
    args = parser.parse_args()
    folder = args.dist / "Sellintegro"
    if not args.check_only:
        seconds = build(args.dist, args.work)
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6
        print(f"built {folder} in {seconds:.0f} s ({size:.0f} MB) on {platform.platform()}, "
              f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        ready = check_worker(folder, Path(tmp))
        print(f"worker ok: {folder / ('SellintegroAppWorker' + EXE)} --plugin PROBE_BUNDLE_1 said {ready}")
        check_supervisor(folder, Path(tmp))
        print("supervisor ok: it started the bundle's worker and stopped it")
    shutil.rmtree(args.work / "sellintegro", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
