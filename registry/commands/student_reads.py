"""Reading students' personal data: only for a reader the domain allows, logged first.

Every decryption writes an access-log entry (reader, student, purpose, reason, outcome) before
any data is returned; a refusal is logged too. Erased students read as erased.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.actors import Actor, Role
from domain.errors import DomainError, NotPermitted
from domain.id_number import validate_id_number
from domain.rules import require_role, require_text
from domain.sealed import Sealed
from domain.student import (
    PersonalDataInText,
    Student,
    StudentFacts,
    StudentForgotten,
    age_on,
    school_year_on,
)
from registry.clock import today
from registry.commands.students import ID_NUMBER, StudentCommands
from registry.history import aggregate_history
from registry.personal_data import ERASED, PersonalData, StudentRecord, unseal
from registry.stores.access_log import AccessEntry, Outcome, Purpose


class StudentReads(StudentCommands):
    def reveal_student(
        self, student_id: UUID, *, reader: Actor, reason: str = "", on: date | None = None
    ) -> StudentRecord:
        """The student's record with personal data decrypted, for a reader allowed to see it."""
        student = self.get(Student, student_id)
        return self._read(student, reader, reason, Purpose.REVEAL, self.day(on))

    def export_student(
        self, student_id: UUID, *, reader: Actor, reason: str = "", on: date | None = None
    ) -> dict[str, Any]:
        """A copy of everything held about a student (PIPL art. 45): record, history, reads."""
        student = self.get(Student, student_id)
        record = self._read(student, reader, reason, Purpose.EXPORT, self.day(on))
        key = None if record.erased else self.key_store.key(student.id)

        def shown(sealed: Sealed) -> str:
            return unseal(key, student.id, sealed) if key else ERASED

        history = aggregate_history(self, student.id, unseal=shown)
        reads = self.access_log.entries(subject_id=student.id, limit=1_000_000)
        return {
            "student": record.as_dict(),
            "history": [entry.__dict__ for entry in history],
            "access_log": [entry.__dict__ for entry in reads],
        }

    def student_facts(
        self, student_id: UUID, *, on: date, actor: Actor, purpose: str
    ) -> StudentFacts:
        """Age and school year on ``on`` for a rule check, e.g. no post internship under 16.

        The decryption is logged with the acting user and ``purpose``; the caller passes only
        the facts to the domain, and events keep only the rule's outcome.
        """
        student = self.get(Student, student_id)
        personal = None if student.is_forgotten else self._unseal(student)
        if personal is None:
            raise StudentForgotten(student_id=str(student.id))
        self.access_log.record(
            reader=actor,
            subject_id=student.id,
            purpose=Purpose.DERIVE,
            reason=require_text(purpose, "purpose"),
            outcome=Outcome.REVEALED,
        )
        return StudentFacts(
            student_id=student.id,
            school_id=student.school_id,
            age=age_on(personal.birth_date, on),
            school_year=school_year_on(student.entry_year, on),
        )

    def find_students(
        self,
        school_id: UUID,
        *,
        actor: Actor,
        name: str | None = None,
        id_number: str | None = None,
    ) -> list[UUID]:
        """The school's own students with exactly this full name, or this ID number, found
        through the keyed indexes without decrypting anyone; each student found is logged.

        Only the school's users search, and only among its students: a number registered at
        another school is answered as no match.
        """
        require_role(actor, Role.SCHOOL_USER, action="find_students")
        if actor.party_id != school_id:
            raise NotPermitted(action="find_students", role=str(actor.role))
        if id_number is not None:
            number = validate_id_number(id_number, today())
            owner = self.key_store.owner(self.key_store.digest(ID_NUMBER, number))
            found, purpose = ([owner] if owner else []), Purpose.FIND_BY_ID_NUMBER
        else:
            typed = require_text(name or "", "name", 100)
            found = self.key_store.named(self._name_digest(school_id, typed))
            purpose = Purpose.FIND_BY_NAME
        own = [
            student.id
            for student in (self.get(Student, s) for s in found if self.exists(s))
            if student.school_id == school_id and not student.is_forgotten
        ]
        for student_id in own:
            self.access_log.record(
                reader=actor,
                subject_id=student_id,
                purpose=purpose,
                reason="",
                outcome=Outcome.REVEALED,
            )
        return own

    def access_log_entries(
        self,
        *,
        actor: Actor,
        student_id: UUID | None = None,
        reader: str | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[AccessEntry]:
        """Auditors and province administrators browse who read personal data."""
        require_role(actor, Role.AUDITOR, Role.PROVINCE_ADMIN, action="browse_access_log")
        return self.access_log.entries(
            subject_id=student_id, reader=reader, after=after, limit=limit
        )

    def _enterprise_hosts_student(self, enterprise_id: UUID, student_id: UUID, on: date) -> bool:
        """Whether a placement of the student with the enterprise runs on ``on``.

        Placements provide this: their command mixin overrides it. Until then no enterprise
        hosts anyone, so enterprise users are refused every student's personal data.
        """
        return False

    def _read(
        self, student: Student, reader: Actor, reason: str, purpose: Purpose, on: date
    ) -> StudentRecord:
        hosted = (
            reader.role is Role.ENTERPRISE_USER
            and reader.party_id is not None
            and self._enterprise_hosts_student(reader.party_id, student.id, on)
        )
        try:
            reason = student.check_reader(reader, reason=reason, hosted_by_actor=hosted)
        except DomainError:
            # an unchecked reason might name the student: a refusal is logged without it
            self._log(reader, student, purpose, "", Outcome.REFUSED)
            raise
        personal = None if student.is_forgotten else self._unseal(student)
        if personal is not None and personal.appears_in(reason):
            raise PersonalDataInText(field="reason")
        self._log(
            reader, student, purpose, reason, Outcome.REVEALED if personal else Outcome.ERASED
        )
        return StudentRecord(
            student_id=student.id,
            school_id=student.school_id,
            gender=student.gender.value,
            entry_year=student.entry_year,
            major=student.major,
            personal=personal,
            erasure_basis=student.erasure[0] if student.erasure else None,
        )

    def _log(
        self, reader: Actor, student: Student, purpose: Purpose, reason: str, outcome: Outcome
    ) -> None:
        self.access_log.record(
            reader=reader, subject_id=student.id, purpose=purpose, reason=reason, outcome=outcome
        )

    def _unseal(self, student: Student) -> PersonalData | None:
        key = self.key_store.key(student.id)
        if key is None:
            return None
        return PersonalData.unseal(
            key, student.id, student.name, student.id_number, student.birth_date
        )
