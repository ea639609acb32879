"""A school's student number 学号, held by at most one of its students at a time.

A student number is the school's own: unique within the school, free in another. Its claim
is a record of its own whose id is derived from the school and the number, so two
registrations of one number are told apart by the store itself; it is released when its
student takes another number or is forgotten, and may then be taken again.
"""

from __future__ import annotations

import re
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Actor
from domain.errors import DomainError
from domain.record import Record

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:student-number")
_FORMAT = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")


class InvalidStudentNumber(DomainError):
    """A student number is 1–32 letters, digits, dots, dashes or underscores (never a name)."""

    code = "student_number_invalid"


class StudentNumberTaken(DomainError):
    """Another student of the school holds this student number."""

    code = "student_number_taken"


def validate_student_number(value: str) -> str:
    number = value.strip()
    if not _FORMAT.fullmatch(number):
        raise InvalidStudentNumber(student_number=number)
    return number


class StudentNumber(Record):
    """Who holds one student number of one school (``holder`` None once released)."""

    @staticmethod
    def create_id(school_id: UUID, number: str) -> UUID:
        return student_number_id(school_id, number)

    @classmethod
    def claim(
        cls, *, school_id: UUID, number: str, student_id: UUID, actor: Actor
    ) -> StudentNumber:
        claimed: StudentNumber = cls(
            school_id=school_id,
            number=validate_student_number(number),
            student_id=student_id,
            actor=actor,
        )
        return claimed

    @event("Claimed")
    def __init__(self, *, school_id: UUID, number: str, student_id: UUID, actor: Actor) -> None:
        self.school_id = school_id
        self.number = number
        self.holder: UUID | None = student_id

    def take(self, *, student_id: UUID, actor: Actor) -> None:
        """A released number given to another student (or back to the same one)."""
        if self.holder is not None and self.holder != student_id:
            raise StudentNumberTaken(student_number=self.number)
        if self.holder is None:
            self._take(student_id=student_id, actor=actor)

    @event("Taken")
    def _take(self, *, student_id: UUID, actor: Actor) -> None:
        self.holder = student_id

    def release(self, *, actor: Actor) -> None:
        if self.holder is not None:
            self._release(actor=actor)

    @event("Released")
    def _release(self, *, actor: Actor) -> None:
        self.holder = None


def student_number_id(school_id: UUID, number: str) -> UUID:
    return uuid5(_NAMESPACE, f"{school_id}/{number}")
