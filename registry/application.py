"""The one eventsourcing application for the whole registry.

Command methods live in mixins under ``registry/commands/``, one module per concept; each has
one shape: get → one aggregate command → save → return an id. This module holds what they
share: configuration, transcodings, translating storage errors, and the after-save hook
through which outer layers (projections) catch up without the registry importing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Mapper, Recording

from registry import submissions
from registry.caches import LRU
from registry.clock import today
from registry.config import Settings
from registry.decoding import CheckedMapper
from registry.errors import AlreadyRegistered, ConflictingChange, NotFound
from registry.personal_data import ENCRYPTED
from registry.stores.side_stores import SideStores
from registry.transcodings import TRANSCODINGS

A = TypeVar("A", bound=Aggregate)
AfterSave = Callable[[int], None]


class RegistryApplication(Application[UUID]):
    """Shared machinery of the registry's command mixins."""

    name = "Registry"

    PEEK_CACHE_SIZE = 1024

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._after_save: list[AfterSave] = []
        self._existing: set[tuple[type[Aggregate], UUID]] = set()
        self._peeked: LRU[UUID, Any] = LRU(self.PEEK_CACHE_SIZE)
        self.side_stores = SideStores(self.settings)
        super().__init__(env=self.settings.eventsourcing_env())

    def close(self) -> None:
        self.side_stores.close()
        super().close()

    def construct_mapper(self) -> Mapper[UUID]:
        mapper = self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=CheckedMapper
        )
        assert isinstance(mapper, CheckedMapper)
        mapper.locate = self.position_of
        return mapper

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in TRANSCODINGS:
            transcoder.register(transcoding)

    # --- hooks ------------------------------------------------------------------------------

    def on_saved(self, hook: AfterSave) -> None:
        """Call ``hook(notification_id)`` after each save with the last position it wrote."""
        self._after_save.append(hook)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if recordings and self._after_save:
            position = max(r.notification.id for r in recordings)
            for hook in self._after_save:
                hook(position)

    def sealed_placeholder(self, subject_id: UUID) -> str:
        """What a view shows instead of a subject's sealed data it may not decrypt."""
        return ENCRYPTED

    # --- the shape every command shares -----------------------------------------------------

    def get(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        """The aggregate of type ``cls`` (optionally as it was after ``version`` events)."""
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(kind=cls.__name__, id=str(aggregate_id)) from None
        if not isinstance(aggregate, cls):
            raise NotFound(kind=cls.__name__, id=str(aggregate_id))
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def version_of(self, aggregate_id: UUID) -> int:
        """The record's version (0 if it has none), reading its newest stored event, no replay.

        A page puts it in its forms; a command checks it with ``submissions.check_version``.
        """
        newest = self.recorder.select_events(aggregate_id, desc=True, limit=1)
        return int(newest[0].originator_version) if newest else 0

    def require_exists(self, cls: type[Aggregate], aggregate_id: UUID) -> UUID:
        """Check that a record of type ``cls`` exists, reading one stored event, no replay.

        Cheaper than ``get`` where a command needs only to know that the record is there.
        Records are never deleted, so once seen, a record's existence is remembered.
        """
        if (cls, aggregate_id) in self._existing:
            return aggregate_id
        first = self.recorder.select_events(aggregate_id, limit=1)
        if not first or not first[0].topic.startswith(f"{cls.__module__}:{cls.__qualname__}."):
            raise NotFound(kind=cls.__name__, id=str(aggregate_id))
        self._existing.add((cls, aggregate_id))
        return aggregate_id

    def peek(self, cls: type[A], aggregate_id: UUID) -> A:
        """The current state of a record that a command only checks and never changes.

        A small per-process cache keeps such records (a school checked before each proposal);
        each peek brings the cached copy up to date with the events recorded since, by any
        process, so it is as current as ``get`` while reading only the new events. The
        returned object is shared: never call its commands or save it.
        """
        aggregate: A | None = self._peeked.get(aggregate_id)
        if aggregate is None:
            aggregate = self.get(cls, aggregate_id)
        else:
            domain_event: Any
            for domain_event in self.events.get(aggregate_id, gt=aggregate.version):
                domain_event.mutate(aggregate)
        self._peeked.put(aggregate_id, aggregate)
        return aggregate

    def save_changes(self, *aggregates: Aggregate) -> int:
        """Save atomically; return the last notification id written.

        A duplicate natural key becomes ``AlreadyRegistered``; two writers changing the same
        aggregate at once become ``ConflictingChange`` (the caller may reload and retry); events
        of a submission recorded already (``registry/submissions.py``) become ``Resubmitted``.
        """
        created = [
            a
            for a in aggregates
            if a.pending_events and a.pending_events[0].originator_version == a.INITIAL_VERSION
        ]
        keyed = submissions.check_unsaved(aggregates)
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            submissions.check_stored(self, keyed)
            if created:
                first = created[0]
                raise AlreadyRegistered(
                    kind=type(first).__name__,
                    id=str(first.id),
                    key=str(getattr(first, "uscc", first.id)),
                ) from None
            raise ConflictingChange(ids=[str(a.id) for a in aggregates]) from None
        self._existing.update((type(a), a.id) for a in created)
        return max((r.notification.id for r in recordings), default=0)

    @staticmethod
    def day(on: date | None) -> date:
        """Effective dates default to today in Asia/Shanghai."""
        return on or today()

    # --- reading the log --------------------------------------------------------------------

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def position_of(self, originator_id: UUID, version: int, topic: str) -> int | None:
        """The position in the log of a record's event (read from the record's events,
        which carry none); a scan of the events of its type, for reporting a damaged one."""
        start = None
        while found := self.recorder.select_notifications(
            start=start, limit=10_000, topics=[topic], inclusive_of_start=False
        ):
            for notification in found:
                if (
                    notification.originator_id == originator_id
                    and notification.originator_version == version
                ):
                    return notification.id
            start = found[-1].id
        return None

    def read_log(self, after: int = 0, batch: int = 1000) -> Iterator[Any]:
        """Domain events in log order after ``after``, streamed in batches of ``batch``."""
        start = after
        while True:
            notifications = self.recorder.select_notifications(
                start=start, limit=batch, inclusive_of_start=False
            )
            if not notifications:
                return
            for notification in notifications:
                yield notification.id, self.mapper.to_domain_event(notification)
            start = notifications[-1].id
