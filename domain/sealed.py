"""Personal data the domain carries without being able to read it."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidValue


@dataclass(frozen=True)
class Sealed:
    """A value encrypted by the application with a key of its subject's.

    Events carry only the ciphertext; the domain never sees the plaintext, so destroying the
    subject's key erases the value from every event without rewriting the log.
    """

    ciphertext: str

    def __repr__(self) -> str:
        return "Sealed(…)"


def require_sealed(value: object, field: str) -> Sealed:
    """Refuse plaintext where personal data must arrive encrypted (the value is not echoed)."""
    if not isinstance(value, Sealed) or not value.ciphertext:
        raise InvalidValue(field=field, problem="not_sealed")
    return value
