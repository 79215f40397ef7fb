"""A real X server (Xvfb), a real XEmbed tray host (trayer), xdotool, and the viewer's read-back channel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sellintegro.desktop import instance

from ..conftest import wait_for

SCREENSHOTS = Path(os.environ.get("SELLINTEGRO_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "docs"
                   / "screenshots")
X_TOOLS = ("Xvfb", "trayer", "xdotool")


def _need_x_tools() -> None:
    missing = [t for t in X_TOOLS if shutil.which(t) is None]
    if missing:
        # .ci/run installs them (apt: xvfb trayer xdotool); a desktop test must not pass without them.
        pytest.fail(f"missing X tools for the desktop tests: {', '.join(missing)} (apt-get install xvfb trayer "
                    "xdotool)")


class XServer:
    """One Xvfb display with its own number (Xvfb picks a free one and reports it on a pipe)."""

    def __init__(self) -> None:
        _need_x_tools()
        read, write = os.pipe()
        self.proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24",
                                      "-nolisten", "tcp", "-noreset"], pass_fds=(write,),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            number = f.readline().strip()  # blocks until the server is ready for connections
        if not number:
            raise RuntimeError(f"Xvfb did not start (exit code {self.proc.poll()})")
        self.display = f":{number}"
        self.env = {**os.environ, "DISPLAY": self.display}
        self.others: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str, timeout: float = 30) -> str:
        out = subprocess.run(list(args), env=self.env, capture_output=True, text=True, timeout=timeout)
        return out.stdout

    def xdotool(self, *args: str) -> str:
        return self.run("xdotool", *args)

    def windows(self, *search: str) -> list[int]:
        return [int(w) for w in self.xdotool("search", *search).split()]

    def start_tray_host(self) -> None:
        """trayer, docked at the top right; ready once it owns the system tray selection."""
        proc = subprocess.Popen(["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
                                 "--height", "32", "--transparent", "false", "--tint", "0x303030"],
                                env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.others.append(proc)
        from sellintegro.desktop import xorg

        wait_for("trayer to own the system tray selection", lambda: xorg.tray_host_missing(self.display) is None,
                 timeout=30)

    def screenshot(self, bbox: tuple[int, int, int, int] | None = None) -> Any:
        from PIL import ImageGrab

        return ImageGrab.grab(bbox=bbox, xdisplay=self.display)

    def close(self) -> None:
        for p in [*self.others, self.proc]:
            if p.poll() is None:
                p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)


@pytest.fixture
def xserver() -> Iterator[XServer]:
    x = XServer()
    try:
        yield x
    finally:
        x.close()


@pytest.fixture
def tray_host(xserver: XServer) -> XServer:
    xserver.start_tray_host()
    return xserver


def viewer_request(data_dir: Path, body: dict[str, Any], timeout: float = 20.0) -> dict[str, Any]:
    return instance.request(instance.key_for(data_dir), body, timeout=timeout)


def viewer_dump(data_dir: Path) -> dict[str, Any]:
    return viewer_request(data_dir, {"cmd": "dump"})


def wait_dump(data_dir: Path, what: str, check: Any, timeout: float = 60.0) -> dict[str, Any]:
    """Poll the viewer's read-back until `check(dump)` holds; the dump on success."""
    def probe() -> dict[str, Any] | None:
        try:
            d = viewer_dump(data_dir)
        except instance.NoViewer:
            return None
        return d if check(d) else None
    result: dict[str, Any] = wait_for(what, probe, timeout=timeout, every=0.1)
    return result


def start_viewer(x: XServer, config: Path, data_dir: Path, lang: str = "en") -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "sellintegro.desktop.viewer", "--config", str(config),
                             "--data-dir", str(data_dir)], env={**x.env, "SELLINTEGRO_LANG": lang},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def save_screenshot(image: Any, name: str) -> Path:
    """A PNG for docs/screenshots (linked from the README): the test's visual artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    image.save(path)
    return path


def dominant_state_colour(image: Any) -> str:
    """Which of the icon state colours covers most of `image` ('ok', 'backoff', 'fatal', 'disconnected')."""
    from sellintegro.desktop.health import Health
    from sellintegro.desktop.icons import COLOURS

    counts = dict.fromkeys(COLOURS, 0)
    rgb = image.convert("RGB")
    for n, pixel in rgb.getcolors(rgb.width * rgb.height):
        for state, colour in COLOURS.items():
            if sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < 60:
                counts[state] += n
    best: Health = max(counts, key=lambda s: counts[s])
    return best.value if counts[best] else "none"
