"""Small builders for tests: valid codes, parties and actors with stable values."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement
from domain.enterprise import Enterprise
from domain.school import School
from domain.sealed import Sealed
from domain.student import Student
from domain.uscc import with_check_character

ADMIN = Actor("admin-1", Role.PROVINCE_ADMIN)


def uscc(prefix: str = "91", serial: int = 1, prefecture: str = "510100") -> str:
    return with_check_character(f"{prefix}{prefecture}MA{serial:07d}")


def school(
    serial: int = 1, kind: str = "technician_college", majors: tuple[str, ...] = ("数控加工",)
) -> School:
    s = School.register(
        uscc=uscc("12", serial),
        name=f"测试技师学院{serial}",
        kind=kind,
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    for major in majors:
        s.open_major(name=major, year=2018, actor=ADMIN)
    return s


def enterprise(serial: int = 1, above_designated_size: bool = True) -> Enterprise:
    return Enterprise.register(
        uscc=uscc("91", serial),
        name=f"四川测试有限公司{serial}",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=above_designated_size,
        ownership="private",
        actor=ADMIN,
    )


def school_user(party_id: UUID) -> Actor:
    return Actor("school-user", Role.SCHOOL_USER, party_id)


def enterprise_user(party_id: UUID) -> Actor:
    return Actor("enterprise-user", Role.ENTERPRISE_USER, party_id)


def agreement(
    s: School, e: Enterprise, modes: tuple[str, ...] = ("internship_base",)
) -> CooperationAgreement:
    return CooperationAgreement.propose(
        school=s,
        enterprise_id=e.id,
        title="校企合作协议",
        modes=list(modes),
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        majors=[],
        actor=enterprise_user(e.id),
    )


def sealed(text: str) -> Sealed:
    """A stand-in ciphertext: the domain never decrypts, so any non-empty text will do."""
    return Sealed(f"v1:{text}")


def student(s: School, major: str = "数控加工", entry_year: int = 2023) -> Student:
    return Student.register(
        student_id=uuid4(),
        school=s,
        name=sealed("name"),
        id_number=sealed("id"),
        birth_date=sealed("born"),
        gender="female",
        entry_year=entry_year,
        major=major,
        actor=school_user(s.id),
    )
