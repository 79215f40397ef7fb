"""SellintegroAppWorker(.exe) in the PyInstaller build: one plugin's worker, started by the supervisor."""

import multiprocessing
import sys

from sellintegro.worker import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a plugin's spawn children (e.g. the probe's) re-enter here
    sys.exit(main())
