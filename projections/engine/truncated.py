"""A log cut short at a position: to build read models as they stood there.

A replay builds the views from the log stopped at a past position to compare them with the
live file's row versions at that position (projections/engine/replay.py); tests build files
that are behind with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from projections.engine.events import Recorded
from projections.engine.projector import EventLog, Notification


class Truncated:
    """The application's log as it was at ``end``: nothing after ``end`` is ever read."""

    def __init__(self, log: EventLog, end: int) -> None:
        self.log, self.end = log, end

    def select(self, after: int, limit: int) -> Sequence[Notification]:
        if after >= self.end:
            return []
        return [n for n in self.log.select(after, limit) if n.id <= self.end]

    def decode(self, notification: Notification) -> Recorded:
        return self.log.decode(notification)

    def head(self) -> int:
        return min(self.end, self.log.head())
