"""Facts about a student that placement rules need, derived outside the domain.

A student's birth date is personal data, encrypted per student; the application decrypts it,
derives these facts for the day in question and passes only them to the domain, so events keep
only the outcome (DOMAIN.md "Internships and apprenticeships").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

SCHOOL_YEAR_STARTS = (9, 1)


@dataclass(frozen=True)
class StudentFacts:
    student_id: UUID
    school_id: UUID
    age: int
    school_year: int


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day``: a student is 16 on their 16th birthday."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def school_year_on(entry_year: int, day: date) -> int:
    """Which school year a student who entered in September of ``entry_year`` is in on ``day``."""
    return day.year - entry_year + ((day.month, day.day) >= SCHOOL_YEAR_STARTS)
