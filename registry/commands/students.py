"""Students and their personal data: sealed per student, read only with a logged reason, erasable.

The application holds the keys (``registry/key_store.py``): it validates and seals personal
data before the domain sees it, and decrypts only for a reader the domain allows, writing an
access-log entry first. Forgetting a student records the erasure, then destroys the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from domain.actors import Actor, Role
from domain.errors import DomainError
from domain.id_number import birth_date_of, validate_id_number
from domain.rules import require_administrator, require_role, require_text
from domain.school import School
from domain.sealed import Sealed
from domain.student import (
    IdNumberRegistered,
    PersonalDataInText,
    Student,
    StudentForgotten,
    age_on,
    school_year_on,
)
from registry.access_log import AccessEntry, AccessLog, Outcome, Purpose, SQLiteAccessLog
from registry.application import RegistryApplication
from registry.clock import today
from registry.config import Settings
from registry.errors import AlreadyRegistered
from registry.history import aggregate_history
from registry.key_store import BlindIndexTaken, KeyStore, SQLiteKeyStore, new_key
from registry.personal_data import (
    ENCRYPTED,
    ERASED,
    PersonalData,
    StudentRecord,
    appears_in,
    seal,
    unseal,
)

ID_NUMBER = "id_number"


@dataclass(frozen=True)
class StudentFacts:
    """Facts rules need, derived from decrypted data; only these leave the application."""

    age: int
    school_year: int


class StudentCommands(RegistryApplication):
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        key_store: KeyStore | None = None,
        access_log: AccessLog | None = None,
    ) -> None:
        super().__init__(settings)
        self.key_store = key_store or SQLiteKeyStore(self.settings.key_store_path)
        self.access_log = access_log or SQLiteAccessLog(self.settings.access_log_path)

    def close(self) -> None:
        self.key_store.close()
        self.access_log.close()
        super().close()

    # --- writing ----------------------------------------------------------------------------

    def register_student(
        self,
        *,
        school_id: UUID,
        name: str,
        id_number: str,
        gender: str,
        entry_year: int,
        major: str,
        actor: Actor,
        student_id: UUID | None = None,
    ) -> UUID:
        """Register a student under a random id; refuse an ID number registered already."""
        school = self.get(School, school_id)
        number = validate_id_number(id_number, today())
        personal = PersonalData(require_text(name, "name", 100), number, birth_date_of(number))
        if student_id is not None and self.exists(student_id):
            raise AlreadyRegistered(kind="Student", id=str(student_id), key=str(student_id))
        student_id = student_id or uuid4()
        key = new_key()
        student = Student.register(
            student_id=student_id,
            school=school,
            **personal.seal(key, student_id),
            gender=gender,
            entry_year=entry_year,
            major=major,
            actor=actor,
        )
        try:
            self.key_store.add(student_id, key, self.key_store.digest(ID_NUMBER, number))
        except BlindIndexTaken as taken:
            raise self._duplicate(taken.owner, school_id) from None
        try:
            self.save_changes(student)
        except BaseException:
            self.key_store.destroy(student_id)
            raise
        return student_id

    def _duplicate(self, owner: UUID, school_id: UUID) -> IdNumberRegistered:
        """Name the registered student only to its own school."""
        if self.exists(owner) and self.get(Student, owner).school_id == school_id:
            return IdNumberRegistered(same_school=True, student_id=str(owner))
        return IdNumberRegistered(same_school=False)

    def correct_student(
        self, student_id: UUID, *, field: str, value: Any, reason: str, actor: Actor
    ) -> UUID:
        """Correct a registered fact; a name or ID number is sealed before the domain sees it."""
        student = self.get(Student, student_id)
        if field == ID_NUMBER:
            return self._correct_id_number(student, str(value), reason, actor)
        if field == "name":
            name = require_text(str(value), "name", 100)
            if appears_in(reason, name=name):
                raise PersonalDataInText(field="reason")
            value = seal(self._key_of(student), student.id, name)
        student.correct(
            field=field,
            value=value,
            reason=reason,
            school=self.get(School, student.school_id),
            actor=actor,
        )
        self.save_changes(student)
        return student.id

    def _correct_id_number(self, student: Student, value: str, reason: str, actor: Actor) -> UUID:
        key = self._key_of(student)
        number = validate_id_number(value, today())
        born = birth_date_of(number)
        if appears_in(reason, id_number=number, born=born):
            raise PersonalDataInText(field="reason")
        student.correct_id_number(
            id_number=seal(key, student.id, number),
            birth_date=seal(key, student.id, born.isoformat()),
            reason=reason,
            actor=actor,
        )
        try:
            previous = self.key_store.reindex(student.id, self.key_store.digest(ID_NUMBER, number))
        except BlindIndexTaken as taken:
            raise self._duplicate(taken.owner, student.school_id) from None
        try:
            self.save_changes(student)
        except BaseException:
            if previous is not None:
                self.key_store.reindex(student.id, previous)
            raise
        return student.id

    def forget_student(
        self, student_id: UUID, *, basis: str, requested_by: str, actor: Actor
    ) -> UUID:
        """Erase a student's personal data: record the erasure and its basis, destroy the key.

        The event is saved first, so an erasure is never done without its receipt. Should the
        key's destruction be interrupted, forgetting the student again completes it.
        """
        student = self.get(Student, student_id)
        if student.is_forgotten:
            self.key_store.destroy(student.id)
        student.forget(basis=basis, requested_by=requested_by, actor=actor)
        self.save_changes(student)
        self.key_store.destroy(student.id)
        return student.id

    def reapply_erasures(self, *, actor: Actor) -> list[UUID]:
        """Destroy again every key the log says was destroyed; return the students concerned.

        For after the key store is restored from a backup taken before some erasures: the
        backup brings their keys back, and the ``Forgotten`` events say which to destroy.
        """
        require_administrator(actor, "reapply_erasures")
        destroyed = []
        for _, domain_event in self.read_log():
            if type(domain_event).__qualname__ != "Student.Forgotten":
                continue
            student_id = domain_event.originator_id
            if self.key_store.key(student_id) is not None:
                self.key_store.destroy(student_id)
                destroyed.append(student_id)
        return destroyed

    # --- reading ----------------------------------------------------------------------------

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
        return StudentFacts(age_on(personal.birth_date, on), school_year_on(student.entry_year, on))

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

    def sealed_placeholder(self, subject_id: UUID) -> str:
        return ENCRYPTED if self.key_store.key(subject_id) else ERASED

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

    def _key_of(self, student: Student) -> bytes:
        key = None if student.is_forgotten else self.key_store.key(student.id)
        if key is None:
            raise StudentForgotten(student_id=str(student.id))
        return key
