"""A log cut short at a position: to build read models that are behind."""

from __future__ import annotations

from collections.abc import Sequence

from projections.engine.events import Recorded
from projections.engine.projector import EventLog, Notification


class Truncated:
    """The application's log as it was at ``end``: to build a file that is behind."""

    def __init__(self, log: EventLog, end: int) -> None:
        self.log, self.end = log, end

    def select(self, after: int, limit: int) -> Sequence[Notification]:
        return [n for n in self.log.select(after, limit) if n.id <= self.end]

    def decode(self, notification: Notification) -> Recorded:
        return self.log.decode(notification)

    def head(self) -> int:
        return min(self.end, self.log.head())
