"""Secrets out of every text the endpoint stores or shows: known secret values and secret-looking patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"

# Each pattern keeps its group 1 (the name) and masks what follows.
_PATTERNS = [
    # X-BLToken: <token>   Authorization: Bearer <token>
    r"(X-BLToken[\"']?\s*[:=]\s*[\"']?)[^\s\"',;}&]+",
    r"(Bearer\s+)[A-Za-z0-9._~+/=-]+",
    # token=..., pwd=...; (URLs, ODBC connection strings, key=value logs) and "password": "..." (JSON)
    r"((?:token|password|passwd|pwd|secret|api[_-]?key)\s*=\s*[\"']?)[^\s\"',;}&]+",
    r"((?:token|password|passwd|pwd|secret|api[_-]?key)[\"']\s*:\s*[\"'])[^\"']+",
    # token: VALUE in prose: only a value that looks like a secret (a digit in it, or 16+ characters),
    # so that "ERROR_BAD_TOKEN: invalid or missing token" stays readable.
    r"((?:token|password|passwd|pwd|secret|api[_-]?key)\s*:\s*)(?=[^\s\"',;}&]*\d|[^\s\"',;}&]{16})"
    r"[^\s\"',;}&]+",
]
# A BaseLinker API token: digits-digits-long upper-case alphanumerics.
_BL_TOKEN = r"\b\d{4,}-\d{4,}-[A-Z0-9]{20,}\b"


# Cheap first look: a text without one of these words (any case), a secret value, or digits-dash-digits
# cannot match a pattern. Most log records have none, and the log hub redacts every record. Substring
# tests and a search led by a literal "-" scan fast; one regex alternation would try every position.
_TRIGGER_WORDS = ("token", "bearer", "passw", "pwd", "secret", "api")
_DASHED = r"-(?<=\d{4}-)\d{4}"  # \d{4}-\d{4}, found from its "-"


class Redactor:
    """Masks the given secret values and anything matching a secret pattern."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets: set[str] = set()
        self._values: re.Pattern[str] | None = None
        self._words: tuple[str, ...] = _TRIGGER_WORDS
        self._dashed = re.compile(_DASHED)
        self._patterns = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
        self._bl = re.compile(_BL_TOKEN)
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        # Short values (e.g. "1") would mask ordinary text; a secret that short is no secret anyway.
        self.secrets.update(s for s in secrets if isinstance(s, str) and len(s) >= 4)
        if self.secrets:
            longest_first = sorted(self.secrets, key=len, reverse=True)
            self._values = re.compile("|".join(re.escape(s) for s in longest_first))
            # Looked for in the lower-cased text: it holds a lower-cased secret wherever the text holds one.
            self._words = (*_TRIGGER_WORDS, *(s.lower() for s in longest_first))

    def suspect(self, text: str) -> bool:
        """Whether `text` may hold something to mask (False: __call__ would return it unchanged).

        One look at many texts joined costs far less than one per text: the log hub asks it per batch.
        """
        low = text.lower()
        return any(w in low for w in self._words) or self._dashed.search(low) is not None

    def __call__(self, text: str) -> str:
        if not text or not self.suspect(text):
            return text
        if self._values is not None:
            text = self._values.sub(MASK, text)
        text = self._patterns.sub(_keep_name, text)
        return self._bl.sub(MASK, text)


def _keep_name(m: re.Match[str]) -> str:
    name = next((g for g in m.groups() if g is not None), "")
    return name + MASK
