"""`python -m sellintegro.service ...`: the run modes' commands, and the host a service manager starts."""

from __future__ import annotations

import argparse
import sys

from .cli import add_parsers, internal_parsers


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    parser = argparse.ArgumentParser(prog="python -m sellintegro.service",
                                     description="Sellintegro run modes: service, mode, autostart.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parsers(sub, common)
    internal_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from ..cli import run_command

    return run_command(build_parser(), argv)


if __name__ == "__main__":
    sys.exit(main())
