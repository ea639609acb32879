"""Reading stored events: the one place where a damaged event becomes ``CorruptEvent``.

Every reader of the log decodes through here: the application's mapper (records replayed
for commands, ``registry history``, ``registry stats``) and the views' fast path
(projections/engine/events.py). A stored event that does not decode (a byte that breaks its JSON,
a value its transcoding refuses, a type no longer known) is reported by its position in the
log, its record and its version, never as a traceback from deep inside a reader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent

from registry.errors import CorruptEvent

Locate = Callable[[UUID, int, str], int | None]
"""Finds a stored event's position in the log from its record, version and topic."""


def damaged(stored: Any, error: Exception, locate: Locate | None = None) -> CorruptEvent:
    """The ``CorruptEvent`` naming ``stored`` (a notification or a stored event), which
    ``error`` stopped from decoding; ``locate`` finds the position of a stored event read
    without it."""
    position = getattr(stored, "id", None)
    if position is None and locate is not None:
        position = locate(stored.originator_id, stored.originator_version, stored.topic)
    return CorruptEvent(
        position=position,
        originator_id=stored.originator_id,
        version=stored.originator_version,
        topic=stored.topic,
        problem=str(error.__cause__ or error),
    )


class CheckedMapper(Mapper[UUID]):
    """The application's mapper: a stored event that does not decode raises ``CorruptEvent``."""

    locate: Locate | None = None

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        try:
            return super().to_domain_event(stored_event)
        except Exception as error:
            raise damaged(stored_event, error, self.locate) from error
