"""Training groups and teachers' practice built through the application; a return's figures."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.actors import Actor, Role
from registry.facade import Registry
from tests.factories import ADMIN, enterprise_user, school_user, uscc

FIGURES = {
    "enrollment": 600,
    "students": 1500,
    "senior_students": 340,
    "graduates": 400,
    "employed": 392,
    "training_person_times": 1300,
}


def register_school(app: Registry, serial: int, kind: str = "technician_college") -> UUID:
    school_id = app.register_school(
        uscc=uscc("12", serial),
        name=f"测试学校{serial}",
        kind=kind,
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    app.open_major(school_id, name="数控加工", year=2018, actor=ADMIN)
    return school_id


def register_enterprise(app: Registry, serial: int) -> UUID:
    return app.register_enterprise(
        uscc=uscc("91", serial),
        name=f"四川测试有限公司{serial}",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )


def seed_group(app: Registry) -> dict[str, UUID]:
    ids = {
        "lead": register_school(app, 1),
        "college": register_school(app, 2),
        "enterprise": register_enterprise(app, 1),
        "park": app.register_organisation(
            uscc=uscc("11", 1),
            name="成都高新技术产业开发区",
            kind="industry_park",
            prefecture="510100",
            actor=ADMIN,
        ),
    }
    group_id = app.propose_group(
        lead_id=ids["lead"],
        name="成都智能制造技师学院集团",
        prefectures=["510100"],
        industry_focus="装备制造",
        proposed_on=date(2024, 1, 1),
        actor=school_user(ids["lead"]),
    )
    secretariat = Actor("secretary", Role.GROUP_SECRETARIAT, group_id)
    for party in ("college", "enterprise", "park"):
        app.admit_to_group(group_id, party_id=ids[party], on=date(2024, 2, 1), actor=secretariat)
    app.charter_group(group_id, on=date(2024, 3, 1), actor=secretariat)
    app.declare_group_operating(group_id, on=date(2024, 9, 1), actor=secretariat)
    app.hand_over_group_lead(
        group_id, to_id=ids["college"], on=date(2025, 1, 1), actor=school_user(ids["lead"])
    )
    return {**ids, "group": group_id}


def seed_teacher(app: Registry, school_id: UUID, enterprise_id: UUID) -> UUID:
    agreement_id = app.propose_agreement(
        school_id=school_id,
        enterprise_id=enterprise_id,
        title="教师企业实践工作站",
        modes=["teacher_practice_station"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=enterprise_user(enterprise_id),
    )
    app.countersign_agreement(agreement_id, on=date(2023, 12, 20), actor=school_user(school_id))
    for starts_on, ends_on in ((date(2024, 3, 1), date(2024, 6, 8)), (date(2025, 3, 1), None)):
        teacher_id = app.log_teacher_practice(
            school_id=school_id,
            staff_number="2019031",
            agreement_id=agreement_id,
            starts_on=starts_on,
            ends_on=ends_on or date(2025, 5, 29),
            actor=school_user(school_id),
        )
    return teacher_id
