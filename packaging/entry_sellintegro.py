"""Sellintegro(.exe) in the PyInstaller build: the `sellintegro` command (supervisor, tray, CLI, service host)."""

import multiprocessing
import sys

from sellintegro.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # plugins' spawn children re-enter here
    sys.exit(main())
