"""Students 学生: pseudonymous records whose personal data the domain holds only sealed.

Name, ID number and birth date arrive as ``Sealed`` ciphertext from the application, which
holds the keys; the domain keeps the facts rules need in the clear (school, gender, year of
entry, major) and decides who may read the sealed part. Derived facts such as age are computed
by the application from decrypted data and passed in; events keep only outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.actors import Actor, Role
from domain.errors import DomainError, InvalidValue, NotPermitted
from domain.record import Record
from domain.rules import (
    check_correction,
    require_administrator,
    require_party_or_administrator,
    require_plain,
    require_reason,
    require_role,
    require_text,
)
from domain.school import MajorNotOpen, School, SchoolWithdrawn
from domain.sealed import Sealed, require_sealed
from domain.student_number import validate_student_number

SCHOOL_YEAR_STARTS = (9, 1)


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"


class RequestedBy(StrEnum):
    """Who asked for an erasure; a category, never a name, so the receipt holds no one's data."""

    STUDENT = "student"
    GUARDIAN = "guardian"
    SCHOOL = "school"
    PROVINCE = "province"


class StudentForgotten(DomainError):
    """The student's personal data has been erased; the record takes no further changes."""

    code = "student_forgotten"


class IdNumberRegistered(DomainError):
    """A student with this ID number is registered already."""

    code = "id_number_registered"


class PersonalDataInText(DomainError):
    """A free-text field repeats the student's personal data, which would outlive an erasure."""

    code = "personal_data_in_text"


def validate_gender(value: Any) -> str:
    try:
        return Gender(str(value)).value
    except ValueError:
        raise InvalidValue(field="gender", problem="unknown", value=str(value)) from None


def validate_entry_year(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1949 <= value <= 2100:
        raise InvalidValue(field="entry_year", problem="out_of_range", value=str(value))
    return value


def validate_requested_by(value: str) -> str:
    try:
        return RequestedBy(value).value
    except ValueError:
        raise InvalidValue(
            field="requested_by",
            problem="unknown",
            value=value,
            known=[r.value for r in RequestedBy],
        ) from None


@dataclass(frozen=True)
class StudentFacts:
    """Facts placement rules need, derived by the application from decrypted data."""

    student_id: UUID
    school_id: UUID
    age: int
    school_year: int


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on ``on`` (a birthday on 29 February counts from 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def school_year_on(entry_year: int, on: date) -> int:
    """The student's school year on ``on``: 1 from 1 September of the entry year; 0 before."""
    return on.year - entry_year + ((on.month, on.day) >= SCHOOL_YEAR_STARTS)


class Student(Record):
    """A student of one school, known to the log by a random id."""

    CORRECTABLE: ClassVar[dict[str, Any]] = {
        "name": lambda v: require_sealed(v, "name"),
        "gender": validate_gender,
        "entry_year": validate_entry_year,
        "major": lambda v: require_text(str(v), "major"),
        "student_number": lambda v: validate_student_number(str(v)),
    }

    @staticmethod
    def create_id(student_id: UUID) -> UUID:
        return student_id

    @classmethod
    def register(
        cls,
        *,
        student_id: UUID,
        school: School,
        name: Sealed,
        id_number: Sealed,
        birth_date: Sealed,
        gender: str,
        entry_year: int,
        major: str,
        actor: Actor,
        student_number: str | None = None,
    ) -> Student:
        """A school registers its own students; ``student_id`` is random, chosen by the caller.

        ``student_number`` (学号) is optional; the application keeps it unique in the school.
        """
        require_role(actor, Role.SCHOOL_USER, action="register_student")
        if not actor.acts_for(school.id):
            raise NotPermitted(action="register_student", role=str(actor.role))
        if school.is_withdrawn:
            raise SchoolWithdrawn(school_id=str(school.id))
        major = require_text(major, "major")
        if major not in school.open_majors():
            raise MajorNotOpen(major=major)
        student: Student = cls(
            student_id=student_id,
            school_id=school.id,
            name=require_sealed(name, "name"),
            id_number=require_sealed(id_number, "id_number"),
            birth_date=require_sealed(birth_date, "birth_date"),
            gender=validate_gender(gender),
            entry_year=validate_entry_year(entry_year),
            major=major,
            student_number=validate_student_number(student_number) if student_number else None,
            actor=actor,
        )
        return student

    @event("Registered")
    def __init__(
        self,
        *,
        student_id: UUID,
        school_id: UUID,
        name: Sealed,
        id_number: Sealed,
        birth_date: Sealed,
        gender: str,
        entry_year: int,
        major: str,
        actor: Actor,
        student_number: str | None = None,
    ) -> None:
        self.school_id = school_id
        self.student_number = student_number
        self.name = name
        self.id_number = id_number
        self.birth_date = birth_date
        self.gender = Gender(gender)
        self.entry_year = entry_year
        self.major = major
        self.erasure: tuple[str, RequestedBy] | None = None
        self.placements: dict[UUID, UUID] = {}

    @property
    def is_forgotten(self) -> bool:
        return self.erasure is not None

    def _require_not_forgotten(self) -> None:
        if self.erasure is not None:
            raise StudentForgotten(student_id=str(self.id))

    def check_reader(self, actor: Actor, *, reason: str, hosted_by_actor: bool) -> str:
        """Who may read the sealed data; returns the reason to log with the read.

        Users of the student's school, and users of an enterprise hosting the student at the
        time (``hosted_by_actor``, which the application works out from placements), may read
        it; auditors, province administrators and the command line's system actor must state
        a reason. Everyone else is refused.
        """
        if actor.role in (Role.AUDITOR, Role.PROVINCE_ADMIN, Role.SYSTEM):
            return require_reason(reason)
        if actor.role is Role.SCHOOL_USER and actor.party_id == self.school_id:
            return require_plain(reason, "reason", multiline=True)
        if actor.role is Role.ENTERPRISE_USER and hosted_by_actor:
            return require_plain(reason, "reason", multiline=True)
        raise NotPermitted(action="read_personal_data", role=str(actor.role))

    def correct(self, *, field: str, value: Any, reason: str, school: School, actor: Actor) -> None:
        """Fix a fact registered wrongly; a corrected name arrives sealed like the original."""
        require_party_or_administrator(actor, self.school_id, "correct_student")
        self._require_not_forgotten()
        value, reason = check_correction(self.CORRECTABLE, field, value, reason)
        if field == "major" and value not in school.majors:
            raise MajorNotOpen(major=value)
        self._correct(field=field, value=value, reason=reason, actor=actor)

    @event("Corrected")
    def _correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        setattr(self, field, Gender(value) if field == "gender" else value)

    def correct_id_number(
        self, *, id_number: Sealed, birth_date: Sealed, reason: str, actor: Actor
    ) -> None:
        """A corrected ID number brings the birth date its digits 7–14 encode."""
        require_party_or_administrator(actor, self.school_id, "correct_student")
        self._require_not_forgotten()
        self._correct_id_number(
            id_number=require_sealed(id_number, "id_number"),
            birth_date=require_sealed(birth_date, "birth_date"),
            reason=require_reason(reason),
            actor=actor,
        )

    @event("IdNumberCorrected")
    def _correct_id_number(
        self, *, id_number: Sealed, birth_date: Sealed, reason: str, actor: Actor
    ) -> None:
        self.id_number = id_number
        self.birth_date = birth_date

    def assign_placement(self, *, placement_id: UUID, enterprise_id: UUID, actor: Actor) -> None:
        """Note a placement, so that its host enterprise may read the student's data."""
        self._require_not_forgotten()
        self._assign_placement(placement_id=placement_id, enterprise_id=enterprise_id, actor=actor)

    @event("PlacementAssigned")
    def _assign_placement(self, *, placement_id: UUID, enterprise_id: UUID, actor: Actor) -> None:
        self.placements[placement_id] = enterprise_id

    def forget(self, *, basis: str, requested_by: str, actor: Actor) -> None:
        """Record an erasure: its legal basis and who asked (the receipt auditors count)."""
        require_administrator(actor, "forget_student")
        self._require_not_forgotten()
        self._forget(
            basis=require_text(basis, "basis"),
            requested_by=validate_requested_by(requested_by),
            actor=actor,
        )

    @event("Forgotten")
    def _forget(self, *, basis: str, requested_by: str, actor: Actor) -> None:
        self.erasure = (basis, RequestedBy(requested_by))
