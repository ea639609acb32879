"""Teachers' enterprise practice: periods logged under agreements with a practice station."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.actors import Actor
from domain.agreement import CooperationAgreement
from domain.school import School
from domain.teacher_practice import TeacherPractice, validate_staff_number
from registry.application import RegistryApplication
from registry.submissions import once


class TeacherCommands(RegistryApplication):
    def teacher_id(self, school_id: UUID, staff_number: str) -> UUID:
        return TeacherPractice.create_id(school_id, validate_staff_number(staff_number))

    @once(lambda app, kw: app.teacher_id(kw["school_id"], kw["staff_number"]))
    def log_teacher_practice(
        self,
        *,
        school_id: UUID,
        staff_number: str,
        agreement_id: UUID,
        starts_on: date,
        ends_on: date,
        actor: Actor,
    ) -> UUID:
        """The teacher's log is opened with its first period; returns the teacher's id."""
        teacher_id = self.teacher_id(school_id, staff_number)
        if self.exists(teacher_id):
            teacher = self.get(TeacherPractice, teacher_id)
        else:
            teacher = TeacherPractice.register(
                school=self.get(School, school_id), staff_number=staff_number, actor=actor
            )
        teacher.log_period(
            agreement=self.get(CooperationAgreement, agreement_id),
            starts_on=starts_on,
            ends_on=ends_on,
            actor=actor,
        )
        self.save_changes(teacher)
        return teacher.id

    @once()
    def cancel_teacher_practice(
        self, teacher_id: UUID, *, number: int, reason: str, actor: Actor
    ) -> UUID:
        teacher = self.get(TeacherPractice, teacher_id)
        teacher.cancel_period(number=number, reason=reason, actor=actor)
        self.save_changes(teacher)
        return teacher.id
