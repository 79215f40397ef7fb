"""The LinuxOS seam on the real machine: pwd/grp lookups, owned directories, groupadd, systemctl."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import ServiceError
from .seam import UserInfo


class RealLinuxOS:
    def is_root(self) -> bool:
        if sys.platform == "win32":
            return False
        return os.geteuid() == 0

    def user(self, name: str) -> UserInfo | None:
        if sys.platform == "win32":
            return None
        import pwd

        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            return None
        return UserInfo(pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir)

    def group_exists(self, name: str) -> bool:
        if sys.platform == "win32":
            return False
        import grp

        try:
            grp.getgrnam(name)
        except KeyError:
            return False
        return True

    def add_group(self, name: str) -> None:
        self._run(["groupadd", "--system", name])

    def make_dir(self, path: str, mode: int, user: str, group: str) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        shutil.chown(path, user, group)
        os.chmod(path, mode)

    def chown_tree(self, path: str, user: str, group: str) -> None:
        self._run(["chown", "-R", f"{user}:{group}", path])

    def write_file(self, path: str, content: str, mode: int, user: str, group: str) -> None:
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(content)
        os.chmod(tmp, mode)
        shutil.chown(tmp, user, group)
        os.replace(tmp, path)

    def remove_file(self, path: str) -> None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass

    def which(self, command: str) -> str | None:
        return shutil.which(command)

    def systemd_running(self) -> bool:
        return os.path.isdir("/run/systemd/system")

    def pid1(self) -> str:
        try:
            return Path("/proc/1/comm").read_text(encoding="utf-8").strip() or "?"
        except OSError:
            return "?"

    def systemctl(self, *args: str) -> str:
        return self._run(["systemctl", *args])

    def _run(self, argv: list[str]) -> str:
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ServiceError(f"{' '.join(argv)}: {e}") from None
        if proc.returncode != 0:
            raise ServiceError(f"{' '.join(argv)} failed (exit {proc.returncode}): "
                               f"{(proc.stderr or proc.stdout).strip()}")
        return proc.stdout
