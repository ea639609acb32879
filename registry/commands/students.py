"""Registering, correcting and forgetting students, whose personal data is sealed per student.

The application holds the keys (``registry/stores/key_store.py``): it validates and seals personal
data before the domain sees it. Forgetting a student records the erasure, then destroys the
key. Reading the data is in ``student_reads.py``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from domain.actors import Actor
from domain.id_number import birth_date_of, validate_id_number
from domain.rules import require_administrator, require_text
from domain.school import School
from domain.student import IdNumberRegistered, PersonalDataInText, Student, StudentForgotten
from domain.student_number import StudentNumber, student_number_id
from registry.application import RegistryApplication
from registry.clock import today
from registry.config import Settings
from registry.errors import AlreadyRegistered
from registry.personal_data import ENCRYPTED, ERASED, PersonalData, appears_in, seal, unseal
from registry.stores.access_log import AccessLog, Outcome, Purpose
from registry.stores.key_store import BlindIndexTaken, KeyStore, new_key
from registry.submissions import creates, once

ID_NUMBER = "id_number"
NAME = "name"


def name_key(school_id: UUID, name: str) -> str:
    """What the name index files a name under: the school and the full name as typed, with
    runs of spaces made one (a school finds only its own students)."""
    return f"{school_id}\x00{' '.join(name.split())}"


class StudentCommands(RegistryApplication):
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        key_store: KeyStore | None = None,
        access_log: AccessLog | None = None,
    ) -> None:
        super().__init__(settings)
        self.key_store = key_store or self.side_stores.key_store()
        self.access_log = access_log or self.side_stores.access_log()

    def close(self) -> None:
        self.key_store.close()
        self.access_log.close()
        super().close()

    @creates("student_id")
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
        student_number: str | None = None,
    ) -> UUID:
        """Register a student under a random id; refuse an ID number registered already, and
        a student number (学号) another student of the school holds."""
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
            student_number=student_number or None,
            actor=actor,
        )
        claims = self._number_claims(student, None, student.student_number, actor)
        digest = self.key_store.digest(ID_NUMBER, number)
        with self.key_store.registering(digest):
            self._store_key(student_id, key, digest, school_id)
            try:
                self.key_store.index_name(student_id, self._name_digest(school_id, personal.name))
                self.save_changes(student, *claims)
            except BaseException:
                self.key_store.destroy(student_id)
                raise
        return student_id

    def _name_digest(self, school_id: UUID, name: str) -> str:
        return self.key_store.digest(NAME, name_key(school_id, name))

    def _number_claims(
        self, student: Student, old: str | None, new: str | None, actor: Actor
    ) -> list[StudentNumber]:
        """The claims to save with the student: ``new`` taken, ``old`` released."""
        claims = []
        if new:
            claim_id = student_number_id(student.school_id, new)
            if self.exists(claim_id):
                claim = self.get(StudentNumber, claim_id)
                claim.take(student_id=student.id, actor=actor)
            else:
                claim = StudentNumber.claim(
                    school_id=student.school_id, number=new, student_id=student.id, actor=actor
                )
            claims.append(claim)
        if old and old != new:
            released = self.get(StudentNumber, student_number_id(student.school_id, old))
            released.release(actor=actor)
            claims.append(released)
        return claims

    def _store_key(self, student_id: UUID, key: bytes, digest: str, school_id: UUID) -> None:
        """Store the new student's key and digest; a row the log does not back is taken over.

        Every registration holds ``registering(digest)`` until its event is saved, and so
        does this one: a row whose student the log does not have is left by a registration
        that died in between (an orphan), and a row of a forgotten student by an erasure that
        stopped before destroying its key. Neither blocks the number: the row is destroyed
        (finishing the erasure in the second case) and the new student's stored instead.
        """
        try:
            self.key_store.add(student_id, key, digest)
            return
        except BlindIndexTaken as taken:
            owner = taken.owner
        if self.exists(owner) and not self.get(Student, owner).is_forgotten:
            raise self._duplicate(owner, school_id)
        self.key_store.destroy(owner)
        self.key_store.add(student_id, key, digest)

    def _duplicate(self, owner: UUID, school_id: UUID) -> IdNumberRegistered:
        """Name the registered student only to its own school."""
        if self.exists(owner) and self.get(Student, owner).school_id == school_id:
            return IdNumberRegistered(same_school=True, student_id=str(owner))
        return IdNumberRegistered(same_school=False)

    @once()
    def correct_student(
        self, student_id: UUID, *, field: str, value: Any, reason: str, actor: Actor
    ) -> UUID:
        """Correct a registered fact; a name or ID number is sealed before the domain sees it."""
        student = self.get(Student, student_id)
        if field == ID_NUMBER:
            return self._correct_id_number(student, str(value), reason, actor)
        claims: list[StudentNumber] = []
        if field == "name":
            name = require_text(str(value), "name", 100)
            if appears_in(reason, name=name):
                raise PersonalDataInText(field="reason")
            value = seal(self._key_of(student), student.id, name)
        old_number = student.student_number
        student.correct(
            field=field,
            value=value,
            reason=reason,
            school=self.get(School, student.school_id),
            actor=actor,
        )
        if field == "student_number":
            claims = self._number_claims(student, old_number, student.student_number, actor)
        self.save_changes(student, *claims)
        if field == "name":
            self.key_store.index_name(student.id, self._name_digest(student.school_id, name))
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

    @once()
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
        number = student.student_number
        student.forget(basis=basis, requested_by=requested_by, actor=actor)
        # the number is free again for the school's next student
        self.save_changes(student, *self._number_claims(student, number, None, actor))
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

    def index_student_names(self, *, actor: Actor) -> int:
        """File every held student's name in the name index again; return how many.

        For students registered before the index existed (or a key store restored from an
        older backup). Each name is decrypted to compute its digest, so each is logged as a
        ``derive`` read by ``actor``.
        """
        require_administrator(actor, "index_student_names")
        indexed = 0
        for _, domain_event in self.read_log():
            if type(domain_event).__qualname__ != "Student.Registered":
                continue
            student = self.get(Student, domain_event.originator_id)
            key = None if student.is_forgotten else self.key_store.key(student.id)
            if key is None:
                continue
            name = unseal(key, student.id, student.name)
            self.access_log.record(
                reader=actor,
                subject_id=student.id,
                purpose=Purpose.DERIVE,
                reason="name index",
                outcome=Outcome.REVEALED,
            )
            self.key_store.index_name(student.id, self._name_digest(student.school_id, name))
            indexed += 1
        return indexed

    def sealed_placeholder(self, subject_id: UUID) -> str:
        return ENCRYPTED if self.key_store.key(subject_id) else ERASED

    def _key_of(self, student: Student) -> bytes:
        key = None if student.is_forgotten else self.key_store.key(student.id)
        if key is None:
            raise StudentForgotten(student_id=str(student.id))
        return key
