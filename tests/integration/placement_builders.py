"""Placements built through the application: the parties, their agreement, a student, cover."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.id_number import with_check_character
from projections import attach
from projections.engine.read_models import ReadModels
from registry.facade import Registry
from tests.factories import (
    ADMIN,
    enterprise_user,
    registered_enterprise,
    registered_school,
    school_user,
)

START = date(2025, 3, 1)
# born 15 March 2007: 17 on START; entered in 2023, so in the second school year on START
ADULT = with_check_character("51010420070315123")


def setting(app: Registry, serial: int = 1) -> tuple[UUID, UUID, UUID]:
    """A school and an enterprise (``serial`` tells several apart) with a countersigned
    internship agreement."""
    school_id = registered_school(app, serial, majors=["数控加工"])
    enterprise_id = registered_enterprise(app, serial)
    agreement_id = app.propose_agreement(
        school_id=school_id,
        enterprise_id=enterprise_id,
        title="实习基地协议",
        modes=["internship_base"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=enterprise_user(enterprise_id),
    )
    app.countersign_agreement(agreement_id, on=date(2023, 12, 20), actor=school_user(school_id))
    return school_id, enterprise_id, agreement_id


def add_student(app: Registry, school_id: UUID, number: str = ADULT) -> UUID:
    return app.register_student(
        school_id=school_id,
        name="李小华",
        id_number=number,
        gender="female",
        entry_year=2023,
        major="数控加工",
        actor=school_user(school_id),
    )


def add_placement(app: Registry, school_id: UUID, agreement_id: UUID, student_id: UUID) -> UUID:
    return app.register_placement(
        student_id=student_id,
        agreement_id=agreement_id,
        kind="post_internship",
        position="数控操作工",
        workplace_prefecture="510100",
        starts_on=START,
        ends_on=date(2025, 8, 31),
        mentor="E-0007",
        supervising_teacher="T-0042",
        pay=Decimal("3200"),
        actor=school_user(school_id),
    )


def add_policy(app: Registry, school_id: UUID, kind: str, number: str, **dates: date) -> UUID:
    return app.register_policy(
        holder_id=school_id,
        kind=kind,
        insurer="中国人保四川分公司",
        policy_number=number,
        covers_from=dates.get("covers_from", date(2025, 1, 1)),
        covers_until=dates.get("covers_until", date(2025, 12, 31)),
        actor=school_user(school_id),
    )


@dataclass
class Placed:
    app: Registry
    models: ReadModels
    school_id: UUID
    enterprise_id: UUID
    agreement_id: UUID
    student_id: UUID
    placement_id: UUID
    liability: UUID
    accident: UUID


def place(registry: Registry) -> Placed:
    """A post internship from 2025-03-01, covered by two school policies for 2025, started."""
    models = attach(registry)
    school_id, enterprise_id, agreement_id = setting(registry)
    student_id = add_student(registry, school_id)
    placement_id = add_placement(registry, school_id, agreement_id, student_id)
    liability = add_policy(registry, school_id, "internship_liability", "L-2025")
    accident = add_policy(registry, school_id, "personal_accident", "A-2025")
    for policy_id in (liability, accident):
        registry.cover_placements(policy_id, placement_ids=[placement_id], on=START, actor=ADMIN)
    registry.record_tripartite_agreement(placement_id, signed_on=START, actor=ADMIN)
    registry.start_placement(placement_id, on=START, actor=school_user(school_id))
    return Placed(
        registry,
        models,
        school_id,
        enterprise_id,
        agreement_id,
        student_id,
        placement_id,
        liability,
        accident,
    )
