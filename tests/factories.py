"""Small builders for tests: valid codes, parties and actors with stable values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement
from domain.enterprise import Enterprise
from domain.insurance import InsurancePolicy
from domain.placement import Placement
from domain.school import School
from domain.sealed import Sealed
from domain.student import Student
from domain.uscc import with_check_character

if TYPE_CHECKING:
    from registry.facade import Registry

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


# --- the same parties recorded through the application ------------------------------------


def registered_school(
    app: Registry,
    serial: int = 1,
    majors: Sequence[str] = (),
    *,
    name: str | None = None,
    kind: str = "technician_college",
    prefecture: str = "510100",
) -> UUID:
    """成都技师学院 (a technician college in 510100, established 2010) unless told otherwise,
    with ``majors`` opened in 2018."""
    school_id = app.register_school(
        uscc=uscc("12", serial),
        name=name or ("成都技师学院" if serial == 1 else f"成都技师学院{serial}"),
        kind=kind,
        prefecture=prefecture,
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    for major in majors:
        app.open_major(school_id, name=major, year=2018, actor=ADMIN)
    return school_id


def registered_enterprise(app: Registry, serial: int = 1) -> UUID:
    """四川测试有限公司: private, above designated size, 装备制造, in 510100."""
    return app.register_enterprise(
        uscc=uscc("91", serial),
        name="四川测试有限公司" if serial == 1 else f"四川测试有限公司{serial}",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )


def partnership(
    app: Registry,
    *,
    title: str = "订单班",
    modes: Sequence[str] = ("order_class",),
    majors: Sequence[str] = (),
    countersigned: bool = True,
) -> tuple[UUID, UUID, UUID]:
    """School 1 and enterprise 1 registered, and an agreement for 2024–2026 the enterprise
    proposed (and the school countersigned on 20 December 2023): the three ids."""
    school_id = registered_school(app, majors=majors)
    enterprise_id = registered_enterprise(app)
    agreement_id = app.propose_agreement(
        school_id=school_id,
        enterprise_id=enterprise_id,
        title=title,
        modes=list(modes),
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        majors=list(majors),
        actor=enterprise_user(enterprise_id),
    )
    if countersigned:
        app.countersign_agreement(agreement_id, on=date(2023, 12, 20), actor=school_user(school_id))
    return school_id, enterprise_id, agreement_id


def link_as_the_old_code_did(
    app: Registry, policy_id: UUID, placement_id: UUID, actor: Actor, on: date
) -> None:
    """The events the unchecked ``cover_placements`` recorded before the party rule, appended
    directly: another party's placement put on a policy."""
    policy = app.get(InsurancePolicy, policy_id)
    placement = app.get(Placement, placement_id)
    policy._add_placements(placement_ids=[placement_id], on=on, actor=actor)
    placement._link_policy(policy_id=policy_id, actor=actor)
    app.save_changes(policy, placement)
