"""Resident identity card numbers 公民身份号码 (GB 11643-1999).

Eighteen characters: a six-digit address code, the birth date as ``YYYYMMDD`` (digits 7–14),
a three-digit sequence (odd for men, even for women) and a check character.
"""

from __future__ import annotations

from datetime import date

from domain.errors import DomainError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
LENGTH = 18
EARLIEST_BIRTH_YEAR = 1900


class InvalidIdNumber(DomainError):
    """An ID number is malformed, has an impossible birth date, or has a typo in it."""

    code = "id_number_invalid"


def check_character(first17: str) -> str:
    """The check character GB 11643 prescribes for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def with_check_character(first17: str) -> str:
    """Complete 17 digits into a valid number (used to generate demo and test data)."""
    return first17 + check_character(first17)


def birth_date_of(number: str) -> date:
    """The birth date digits 7–14 encode; the number must be valid already."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def validate_id_number(number: str, today: date) -> str:
    """Return ``number`` normalised (trimmed, ``x`` → ``X``) or raise ``InvalidIdNumber``.

    Reasons, in the order they are checked, so a form can say exactly what to fix:
    ``length``; ``character`` (position and character: only digits, and ``X`` last);
    ``birth_date`` (digits 7–14 are no calendar date, or one before 1900);
    ``birth_date_in_future``; ``check_character`` (the found and expected check
    characters: the number has a typo somewhere).
    """
    number = number.strip().upper()
    if len(number) != LENGTH:
        raise InvalidIdNumber(reason="length", length=len(number), expected=LENGTH)
    for position, char in enumerate(number, start=1):
        if not (char in "0123456789" or (char == "X" and position == LENGTH)):
            raise InvalidIdNumber(reason="character", position=position, character=char)
    try:
        born = birth_date_of(number)
    except ValueError:
        born = None
    if born is None or born.year < EARLIEST_BIRTH_YEAR:
        raise InvalidIdNumber(reason="birth_date", digits=number[6:14])
    if born > today:
        raise InvalidIdNumber(reason="birth_date_in_future", birth_date=born.isoformat())
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(reason="check_character", found=number[17], expected=expected)
    return number


def sex_of(number: str) -> str:
    """``"male"`` or ``"female"``, as digit 17 (the sequence's last) encodes it: odd for men."""
    return "male" if int(number[16]) % 2 else "female"
