"""Shared by the benchmarks: conditions, a supervisord to compare with, log tails, process cleanup.

Both sides run on this interpreter (sys.executable), so the only difference is the supervisor.
"""

from __future__ import annotations

import http.client
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

import sellintegro
from sellintegro.control import ControlClient
from sellintegro.places import run_dir

BENCH = Path(__file__).resolve().parent
DEFAULT_VENV = BENCH / ".venv-supervisor"


# -- conditions ------------------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def conditions(supervisord: Path, sizes: str) -> str:
    sd_version = subprocess.run([str(supervisord), "--version"], capture_output=True, text=True).stdout.strip()
    return "\n".join([
        f"date:        {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine:     {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu_model()}, "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM, {platform.system()} {platform.release()}",
        f"python:      {platform.python_version()} ({sys.executable})",
        f"versions:    sellintegro {sellintegro.__version__}, supervisord {sd_version}, psutil {psutil.__version__}",
        f"sizes:       {sizes}",
    ])


# -- figures ---------------------------------------------------------------------------------------
def median(xs: list[float]) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def p95(xs: list[float]) -> float:
    """Nearest rank: the smallest value with at least 95 % of the samples at or below it."""
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def machine_ticks() -> tuple[int, int, int]:
    """(busy, steal, total) clock ticks of all CPUs since boot, from /proc/stat (Linux)."""
    with open("/proc/stat") as f:
        user, nice, system, idle, iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    busy = user + nice + system + irq + softirq
    return busy, steal, busy + idle + iowait + steal


def machine_load(before: tuple[int, int, int]) -> tuple[float, float, float]:
    """Since `before` (machine_ticks()): % of all CPUs busy, % stolen by the hypervisor, busy CPU seconds.

    Busy counts every process on the machine: a figure well above what the benchmark's own processes
    use means something else ran at the same time (on a shared VM, or a test run in another shell).
    """
    busy, steal, total = (b - a for a, b in zip(before, machine_ticks(), strict=True))
    return 100 * busy / max(total, 1), 100 * steal / max(total, 1), busy / os.sysconf("SC_CLK_TCK")


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def wait_for(pred: Callable[[], Any], timeout: float, every: float = 0.05, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


class LogTail:
    """Reads what a log file gains after `mark()`; cheap enough for a 2 ms poll."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.seen = b""

    def mark(self) -> None:
        try:
            self.offset = self.path.stat().st_size
        except FileNotFoundError:
            self.offset = 0
        self.seen = b""

    def contains(self, needle: bytes) -> bool:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except FileNotFoundError:
            return False
        self.offset += len(chunk)
        self.seen += chunk
        return needle in self.seen


# -- processes -------------------------------------------------------------------------------------
def children_matching(parent: int, marker: str) -> list[int]:
    """Pids of `parent`'s children whose command line holds `marker` (i.e. after exec)."""
    try:
        kids = psutil.Process(parent).children()
    except psutil.Error:
        return []
    found = []
    for p in kids:
        try:
            if marker in " ".join(p.cmdline()):
                found.append(p.pid)
        except psutil.Error:
            pass  # a zombie (the killed worker not yet reaped) or gone
    return found


def cleanup(procs: list[subprocess.Popen[bytes]], tmp: Path, keep: bool = False) -> None:
    """Stop the supervisors politely, then kill whatever still mentions `tmp` (workers outlive parents)."""
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    for proc in psutil.process_iter(["pid", "cmdline"]):
        if proc.pid != os.getpid() and str(tmp) in " ".join(proc.info["cmdline"] or []):
            try:
                proc.kill()
            except psutil.Error:
                pass
    if keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def make_tmp(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


def on_sigterm_exit() -> None:
    """SIGTERM raises SystemExit, so the `finally` that cleans up runs."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


# -- sellintegro -----------------------------------------------------------------------------------
def start_sellintegro(tmp: Path, plugins: list[tuple[str, int]], extra_endpoint: str = "",
                      extra_settings: str = "") -> tuple[subprocess.Popen[bytes], Path]:
    """Write a config with probe plugins (code, tick_ms) and run the supervisor headless.

    `extra_settings` (TOML lines) goes into every plugin's [plugins.settings], e.g. "burst = 1000\n".
    """
    cfg = tmp / "sellintegro.toml"
    text = (f'[endpoint]\nname = "bench"\ndata_dir = "{tmp / "data"}"\n{extra_endpoint}\n')
    for code, tick_ms in plugins:
        text += (f'[[plugins]]\ncode = "{code}"\ntype = "probe"\ninterval = 60\nhang_timeout = 300\n'
                 f"[plugins.settings]\ntick_ms = {tick_ms}\n{extra_settings}\n")
    cfg.write_text(text)
    out = open(tmp / "sellintegro.stderr", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "sellintegro", "run", "--headless", "--config", str(cfg)],
                            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    return proc, cfg


def sellintegro_client(cfg: Path, timeout: float = 15.0) -> ControlClient:
    """A ControlClient of the supervisor of `cfg`, once its control file is there."""

    data_dir = cfg.parent / "data"
    wait_for(lambda: (run_dir(data_dir) / "control.json").exists(), timeout, what="sellintegro control file")
    return ControlClient(run_dir(data_dir), data_dir)


# -- supervisord -----------------------------------------------------------------------------------
def supervisord_bin(venv: Path = DEFAULT_VENV) -> Path:
    """supervisord from the bench venv; created on first use (see README: "Setup")."""
    exe = venv / "bin" / "supervisord"
    if not exe.exists():
        print(f"creating {venv} with supervisor 4.x (once) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "supervisor>=4,<5"], check=True)
    return exe


def start_supervisord(exe: Path, tmp: Path, programs: dict[str, str], extra_program: str = "") -> tuple[
        subprocess.Popen[bytes], Path]:
    """Run supervisord in the foreground with `programs` (name -> command); stdout of each to <name>.out.

    `extra_program` (ini lines) goes into every [program:x] section, e.g. "stdout_logfile_maxbytes=10MB\n".
    The config has a [supervisorctl] section, so `supervisorctl -c <tmp>/supervisord.conf` finds the socket.
    """
    sock = tmp / "supervisor.sock"
    conf = tmp / "supervisord.conf"
    text = (f"[unix_http_server]\nfile={sock}\n\n"
            f"[supervisord]\nnodaemon=true\nlogfile={tmp / 'supervisord.log'}\npidfile={tmp / 'supervisord.pid'}\n"
            f"childlogdir={tmp}\n\n"
            f"[supervisorctl]\nserverurl=unix://{sock}\n\n"
            "[rpcinterface:supervisor]\n"
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n")
    for name, command in programs.items():
        # supervisord's defaults spelled out: the behaviour the design compares with.
        text += (f"[program:{name}]\ncommand={command}\nautostart=true\nautorestart=true\nstartsecs=1\n"
                 f"startretries=3\nstdout_logfile={tmp / (name + '.out')}\nredirect_stderr=true\n{extra_program}\n")
    conf.write_text(text)
    out = open(tmp / "supervisord.stderr", "wb")
    proc = subprocess.Popen([str(exe), "-n", "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=out,
                            stderr=subprocess.STDOUT)
    wait_for(sock.exists, 15, what="supervisord socket")
    return proc, sock


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost")
        self.unix_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.unix_path = str(path)

    def make_connection(self, host: object) -> http.client.HTTPConnection:
        return _UnixConnection(self.unix_path)


def supervisord_rpc(sock: Path) -> Any:
    """supervisord's XML-RPC over its unix socket (what supervisorctl uses)."""
    return xmlrpc.client.ServerProxy("http://localhost", transport=_UnixTransport(sock))
