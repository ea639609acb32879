"""A registry record remembers the submissions that changed it.

A form sent twice, or retried after a timeout, must be recorded once. Each event's actor may
carry the key of the submission it came from (``Actor.submission``); every record keeps,
for the latest keys, the version of the first event each recorded. Applying an event updates
that memory, so it is rebuilt on every replay from the log itself, with no table beside it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from domain.recording_time import recording_time

# keys remembered per record: a retry comes within minutes, not after a hundred other changes
KEPT_SUBMISSIONS = 100


def submission_of(user_id: str, key: str) -> str:
    """How a user's submission key is remembered (two users may send the same key)."""
    return f"{user_id}\n{key}"


class Record(Aggregate):
    """An aggregate whose events remember the submissions they came from."""

    class Event(Aggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            return recording_time()

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            actor = getattr(self, "actor", None)
            key = getattr(actor, "submission", None)
            if actor is None or not key:
                return
            seen: dict[str, int] = aggregate.__dict__.setdefault("submissions", {})
            seen.setdefault(submission_of(actor.user_id, key), self.originator_version)
            while len(seen) > KEPT_SUBMISSIONS:
                del seen[next(iter(seen))]

    def answer_repeat(self) -> None:
        """Called when a submission that recorded this record comes again; a record kept
        to answer a refusal (an attempt) raises that refusal again."""

    def submitted(self, user_id: str, key: str) -> int | None:
        """The version of the first event this user's submission ``key`` recorded, if any."""
        seen: dict[str, int] = self.__dict__.get("submissions", {})
        return seen.get(submission_of(user_id, key))
