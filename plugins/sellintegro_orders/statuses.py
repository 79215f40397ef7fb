"""BaseLinker order statuses: the configured ones (ids or names) checked against the account's list.

The list is read once per worker process and kept: one request, not one per cycle. A wrong status is
refused before any document is written, since documents whose status cannot be written back would be
read again and again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sellintegro.baselinker import BaseLinkerClient, OrderStatus

from . import texts
from .catalog import SetupProblem
from .reading import call
from .settings import OrdersSettings

_cache: dict[str, list[OrderStatus]] = {}


@dataclass(frozen=True)
class Statuses:
    """The configured statuses as ids, and every status's name for the journal."""

    taken: frozenset[int]      # empty: every status is taken
    ok: int | None
    error: int | None
    names: dict[int, str]

    def name(self, status_id: int) -> str:
        return self.names.get(status_id, str(status_id))

    def taken_text(self) -> str:
        return ", ".join(texts.t("quoted", name=self.name(s)) for s in sorted(self.taken)) or texts.t("every_status")


def account_statuses(client: BaseLinkerClient, key: str, refresh: bool = False) -> list[OrderStatus]:
    if refresh or key not in _cache:
        data = call(client, "getOrderStatusList", {})
        raw = data.get("statuses", [])
        _cache[key] = [OrderStatus.from_api(s) for s in (raw.values() if isinstance(raw, dict) else raw)]
    return _cache[key]


def forget(key: str) -> None:
    _cache.pop(key, None)


def resolve(client: BaseLinkerClient, key: str, settings: OrdersSettings) -> Statuses:
    """The statuses of `settings` as ids; SetupProblem naming the setting when one does not exist."""
    known = account_statuses(client, key)
    if not _all_known(settings, known):
        known = account_statuses(client, key, refresh=True)  # added in BaseLinker since we read the list
    names = {s.id: s.name for s in known}
    taken = frozenset(_one(v, "statuses", known) for v in settings.statuses)
    ok = _one(settings.status_ok, "status_ok", known) if settings.status_ok is not None else None
    error = _one(settings.status_error, "status_error", known) if settings.status_error is not None else None
    return Statuses(taken, ok, error, names)


def _all_known(settings: OrdersSettings, known: list[OrderStatus]) -> bool:
    wanted = [*settings.statuses, settings.status_ok, settings.status_error]
    ids = {s.id for s in known}
    names = {s.name.strip().lower() for s in known}
    return all(v is None or (v in ids if isinstance(v, int) else v.strip().lower() in names) for v in wanted)


def _one(value: int | str, setting: str, known: list[OrderStatus]) -> int:
    if isinstance(value, int):
        if any(s.id == value for s in known):
            return value
        raise SetupProblem(_unknown(value, setting, known))
    matches = [s.id for s in known if s.name.strip().lower() == value.strip().lower()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise SetupProblem(texts.t("cycle.status_ambiguous", status=f"\"{value}\"", setting=setting,
                                   ids=", ".join(map(str, matches))))
    raise SetupProblem(_unknown(f"\"{value}\"", setting, known))


def _unknown(value: object, setting: str, known: list[OrderStatus]) -> str:
    listed = ", ".join(f"{s.id} \"{s.name}\"" for s in known)
    return texts.t("cycle.status_unknown", status=value, setting=setting, known=listed)
