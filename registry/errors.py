"""Errors the application raises at its boundary, in the same code-and-parameters shape as
the domain's refusals so every edge can phrase both the same way."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.errors import DomainError


class NotFound(DomainError):
    """No record of that kind has that id."""

    code = "not_found"


class AlreadyRegistered(DomainError):
    """A record with the same natural key (e.g. the USCC) is registered already."""

    code = "already_registered"


class ConflictingChange(DomainError):
    """Someone else changed the same record at the same time; reload and try again."""

    code = "conflicting_change"


class CorruptEvent(Exception):
    """A stored event cannot be read: its stored state is damaged, so the log needs repair.

    Not a refusal: nothing the user did is wrong. Every reader of the log stops at the event
    and names it: its ``position`` in the log (None where the store cannot say), its record
    (``originator_id``) and ``version``. A catch-up that stopped says which position the
    read models ``kept``; ``stopped`` says what stopped: ``"read"``, ``"catch_up"`` or
    ``"rebuild"``.
    """

    code = "corrupt_event"

    def __init__(
        self,
        *,
        position: int | None,
        originator_id: UUID,
        version: int,
        topic: str,
        problem: str,
        stopped: str = "read",
        kept: int | None = None,
    ) -> None:
        self.position = position
        self.originator_id = originator_id
        self.version = version
        self.topic = topic
        self.problem = problem
        self.stopped = stopped
        self.kept = kept
        super().__init__(
            f"damaged event at position {position} (record {originator_id}, version {version},"
            f" {topic}): {problem}"
        )

    def params(self) -> dict[str, Any]:
        """Everything it names, as JSON-friendly values (e.g. to pass it between processes)."""
        return {
            "position": self.position,
            "originator_id": str(self.originator_id),
            "version": self.version,
            "topic": self.topic,
            "problem": self.problem,
            "stopped": self.stopped,
            "kept": self.kept,
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> CorruptEvent:
        return cls(**{**params, "originator_id": UUID(params["originator_id"])})

    def stopping(self, stopped: str, kept: int | None = None) -> CorruptEvent:
        """The same event, reported by a reader that stopped there."""
        return CorruptEvent.from_params({**self.params(), "stopped": stopped, "kept": kept})
