"""An aggregate's events in order, as ``registry history`` prints them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.sealed import Sealed
from registry.application import RegistryApplication
from registry.clock import local_time
from registry.errors import NotFound
from registry.personal_data import ENCRYPTED

_ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}
Unseal = Callable[[Sealed], Any]


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    recorded_at: str
    actor: str
    role: str
    event: str
    fields: dict[str, Any]


def plain(value: Any) -> Any:
    """A JSON-friendly rendering of an event attribute."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def event_fields(domain_event: Any, unseal: Unseal | None = None) -> dict[str, Any]:
    """The event's own fields; sealed personal data goes through ``unseal`` (or stays hidden)."""
    render = unseal or (lambda _: ENCRYPTED)
    return {
        k: render(v) if isinstance(v, Sealed) else plain(v)
        for k, v in vars(domain_event).items()
        if k not in _ENVELOPE
    }


def aggregate_history(
    app: RegistryApplication, aggregate_id: UUID, unseal: Unseal | None = None
) -> list[HistoryEntry]:
    """The record's events; sealed fields show as encrypted or erased unless ``unseal`` is given.

    Showing decrypted values is for callers that have checked and logged the read.
    """
    events: list[Any] = list(app.events.get(aggregate_id))
    if not events:
        raise NotFound(kind="record", id=str(aggregate_id))
    if unseal is None:
        shown = app.sealed_placeholder(aggregate_id)

        def unseal(_: Sealed) -> str:
            return shown

    entries = []
    for domain_event in events:
        actor: Actor = domain_event.actor
        entries.append(
            HistoryEntry(
                version=domain_event.originator_version,
                recorded_at=local_time(domain_event.timestamp),
                actor=actor.user_id,
                role=actor.role.value,
                event=type(domain_event).__qualname__,
                fields=event_fields(domain_event, unseal),
            )
        )
    return entries
