"""Errors of the service modes, each with the exit code the command line contract gives it.

SellintegroError
 ├── ServiceError       the service manager or the machine refused, or something failed (exit 1)
 └── PreflightError     a wrong input found before any change: password, account, config (exit 2)
"""

from __future__ import annotations

from ..errors import SellintegroError


class ServiceError(SellintegroError):
    exit_code = 1


class PreflightError(SellintegroError):
    exit_code = 2
