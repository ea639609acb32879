"""Students registered through the application, with the auditor who reads their files."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.actors import Actor, Role
from domain.id_number import with_check_character
from registry.facade import Registry
from tests.factories import ADMIN, school_user, uscc

AUDITOR = Actor("auditor-1", Role.AUDITOR)
NUMBER = with_check_character("51010420070315123")


def add_school(app: Registry, serial: int = 1) -> UUID:
    school_id = app.register_school(
        uscc=uscc("12", serial),
        name=f"测试技师学院{serial}",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    app.open_major(school_id, name="数控加工", year=2018, actor=ADMIN)
    return school_id


def add_student(app: Registry, school_id: UUID, name: str = "张小明", number: str = NUMBER) -> UUID:
    return app.register_student(
        school_id=school_id,
        name=name,
        id_number=number,
        gender="male",
        entry_year=2023,
        major="数控加工",
        actor=school_user(school_id),
    )
