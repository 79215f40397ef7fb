"""Sellintegro: an on-premises integration endpoint that runs each plugin in its own worker process."""

__version__ = "0.1.0"
