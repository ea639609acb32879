"""Sealing a student's personal data with the student's own key (AES-256-GCM).

A sealed value is ``v1:`` followed by base64 of a random 96-bit nonce and the ciphertext with
its tag. The subject's id is authenticated with it, so a ciphertext copied onto another
student's record does not decrypt. Only the application seals and unseals: events, read models
and the domain see ``Sealed`` text, never plaintext.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.errors import DomainError
from domain.sealed import Sealed

FORMAT = "v1"
NONCE_BYTES = 12
ENCRYPTED = "[encrypted]"
ERASED = "[erased]"


class Unreadable(DomainError):
    """Sealed personal data cannot be decrypted (damaged): it fails its subject's key's check."""

    code = "personal_data_damaged"


def seal(key: bytes, subject_id: UUID, plaintext: str) -> Sealed:
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext.encode(), subject_id.bytes)
    return Sealed(f"{FORMAT}:{base64.b64encode(nonce + ciphertext).decode('ascii')}")


def unseal(key: bytes, subject_id: UUID, sealed: Sealed) -> str:
    """The plaintext. Callers treat a missing key as an erasure; a value that does not
    decrypt with the key that is there is damaged (or copied from another record)."""
    version, _, payload = sealed.ciphertext.partition(":")
    if version != FORMAT:
        raise Unreadable(subject_id=str(subject_id), problem="unknown_format")
    try:
        raw = base64.b64decode(payload, validate=True)
        plaintext = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], subject_id.bytes)
        return plaintext.decode()
    except InvalidTag:
        raise Unreadable(subject_id=str(subject_id), problem="authentication_failed") from None
    except ValueError:
        raise Unreadable(subject_id=str(subject_id), problem="malformed") from None


@dataclass(frozen=True)
class PersonalData:
    """The decrypted part of a student's record."""

    name: str
    id_number: str
    birth_date: date

    def seal(self, key: bytes, subject_id: UUID) -> dict[str, Sealed]:
        return {
            "name": seal(key, subject_id, self.name),
            "id_number": seal(key, subject_id, self.id_number),
            "birth_date": seal(key, subject_id, self.birth_date.isoformat()),
        }

    @classmethod
    def unseal(
        cls, key: bytes, subject_id: UUID, name: Sealed, id_number: Sealed, birth_date: Sealed
    ) -> PersonalData:
        return cls(
            name=unseal(key, subject_id, name),
            id_number=unseal(key, subject_id, id_number),
            birth_date=date.fromisoformat(unseal(key, subject_id, birth_date)),
        )

    def appears_in(self, text: str) -> bool:
        return appears_in(text, name=self.name, id_number=self.id_number, born=self.birth_date)


def appears_in(text: str, *, name: str = "", id_number: str = "", born: date | None = None) -> bool:
    """Whether free text repeats personal data, in the ways people write it.

    Free text (reasons) is kept in the log and the access log, which an erasure cannot touch,
    so text that names the student is refused before it is kept.
    """
    spellings = [name, id_number, id_number[6:14]]
    if born is not None:
        spellings += [
            born.isoformat(),
            born.strftime("%Y%m%d"),
            f"{born.year}年{born.month}月{born.day}日",
            f"{born.year}/{born.month}/{born.day}",
            f"{born.year}.{born.month}.{born.day}",
        ]
    folded = text.casefold()
    return any(len(s) > 1 and s.casefold() in folded for s in spellings)


@dataclass(frozen=True)
class StudentRecord:
    """A student as a page or an export shows it; ``personal`` is None once erased."""

    student_id: UUID
    school_id: UUID
    gender: str
    entry_year: int
    major: str
    personal: PersonalData | None
    erasure_basis: str | None = None

    @property
    def erased(self) -> bool:
        return self.personal is None

    def as_dict(self) -> dict[str, Any]:
        personal = self.personal
        return {
            "student_id": str(self.student_id),
            "school_id": str(self.school_id),
            "name": personal.name if personal else ERASED,
            "id_number": personal.id_number if personal else ERASED,
            "birth_date": personal.birth_date.isoformat() if personal else ERASED,
            "gender": self.gender,
            "entry_year": self.entry_year,
            "major": self.major,
            "erased": self.erased,
            "erasure_basis": self.erasure_basis,
        }
