"""Training groups, teachers' practice and annual returns on real stores."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from domain.annual_return import AnnualReturn, ReturnAlreadyFiled, ReturnDeadline
from domain.group_rules import Stage
from domain.organisation import Organisation
from domain.teacher_practice import PracticeOutsideAgreement, TeacherPractice
from domain.training_group import TrainingGroup
from registry.commands import returns as return_commands
from registry.config import Settings
from registry.errors import AlreadyRegistered, NotFound
from registry.facade import Registry
from tests.factories import ADMIN, school_user, uscc
from tests.integration.group_builders import (
    FIGURES,
    register_enterprise,
    register_school,
    seed_group,
    seed_teacher,
)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make the registry record filings and corrections on a chosen Asia/Shanghai day."""

    def set_day(day: date) -> None:
        monkeypatch.setattr(return_commands, "today", lambda: day)

    return set_day


def seed_return(app: Registry, school_id: UUID, on_day: Any) -> UUID:
    app.set_return_deadline(year=2024, due_on=date(2025, 3, 31), actor=ADMIN)
    on_day(date(2025, 3, 31))
    return_id = app.file_annual_return(
        school_id=school_id, year=2024, figures=FIGURES, actor=school_user(school_id)
    )
    on_day(date(2025, 5, 6))
    app.correct_annual_return(
        school_id=school_id,
        year=2024,
        figures={**FIGURES, "employed": 380},
        reason="就业人数按派遣口径核定",
        actor=school_user(school_id),
    )
    return return_id


def test_replay_rebuilds_identical_groups_teachers_and_returns(
    any_store: Registry, store_settings: Settings, on_day: Any
) -> None:
    ids = seed_group(any_store)
    teacher_id = seed_teacher(any_store, ids["lead"], ids["enterprise"])
    return_id = seed_return(any_store, ids["lead"], on_day)
    # a second application on the same store rebuilds every aggregate from its events
    fresh = Registry(store_settings)
    try:
        for cls, record_id in (
            (TrainingGroup, ids["group"]),
            (Organisation, ids["park"]),
            (TeacherPractice, teacher_id),
            (AnnualReturn, return_id),
            (ReturnDeadline, ReturnDeadline.create_id(2024)),
        ):
            assert vars(fresh.get(cls, record_id)) == vars(any_store.get(cls, record_id))
        group = fresh.get(TrainingGroup, ids["group"])
        assert group.lead_id == ids["college"]
        assert group.stage_on(date(2025, 1, 1)) is Stage.OPERATING
        teacher = fresh.get(TeacherPractice, teacher_id)
        assert teacher.practice_days_on(date(2025, 5, 29)) == 190
    finally:
        fresh.close()


def test_get_at_version_gives_each_formation_step_and_each_revision(
    any_store: Registry, on_day: Any
) -> None:
    ids = seed_group(any_store)
    group_id = ids["group"]
    # proposed, three admissions, chartered, operating, lead handed over
    assert any_store.get(TrainingGroup, group_id, version=1).chartered_on is None
    assert len(any_store.get(TrainingGroup, group_id, version=4).memberships) == 4
    assert any_store.get(TrainingGroup, group_id, version=5).chartered_on == date(2024, 3, 1)
    assert any_store.get(TrainingGroup, group_id, version=6).lead_id == ids["lead"]
    assert any_store.get(TrainingGroup, group_id, version=7).lead_id == ids["college"]
    return_id = seed_return(any_store, ids["lead"], on_day)
    filed = any_store.get(AnnualReturn, return_id, version=1)
    assert filed.figures.employed == 392 and not filed.late
    corrected = any_store.get(AnnualReturn, return_id, version=2)
    assert corrected.figures.employed == 380
    assert corrected.as_recorded_by(date(2025, 3, 31)) == filed.figures


def test_filing_twice_is_refused_and_a_late_filing_is_marked(
    any_store: Registry, on_day: Any
) -> None:
    school_id = register_school(any_store, 1)
    any_store.set_return_deadline(year=2024, due_on=date(2025, 3, 31), actor=ADMIN)
    on_day(date(2025, 4, 1))
    return_id = any_store.file_annual_return(
        school_id=school_id, year=2024, figures=FIGURES, actor=school_user(school_id)
    )
    returned = any_store.get(AnnualReturn, return_id)
    assert returned.late and returned.deadline == date(2025, 3, 31)
    with pytest.raises(ReturnAlreadyFiled) as refused:
        any_store.file_annual_return(
            school_id=school_id, year=2024, figures=FIGURES, actor=school_user(school_id)
        )
    assert refused.value.params == {"school_id": str(school_id), "year": 2024}


def test_a_return_filed_before_any_deadline_is_not_late(registry: Registry, on_day: Any) -> None:
    school_id = register_school(registry, 1)
    on_day(date(2026, 11, 1))
    return_id = registry.file_annual_return(
        school_id=school_id, year=2025, figures=FIGURES, actor=school_user(school_id)
    )
    assert not registry.get(AnnualReturn, return_id).late
    assert registry.return_deadline(2025) is None


def test_moved_deadline_decides_later_filings(registry: Registry, on_day: Any) -> None:
    early, late = register_school(registry, 1), register_school(registry, 2)
    registry.set_return_deadline(year=2024, due_on=date(2025, 3, 31), actor=ADMIN)
    on_day(date(2025, 4, 10))
    first = registry.file_annual_return(
        school_id=early, year=2024, figures=FIGURES, actor=school_user(early)
    )
    registry.move_return_deadline(
        year=2024, due_on=date(2025, 4, 15), reason="系统升级顺延", actor=ADMIN
    )
    second = registry.file_annual_return(
        school_id=late, year=2024, figures=FIGURES, actor=school_user(late)
    )
    assert registry.get(AnnualReturn, first).late
    assert not registry.get(AnnualReturn, second).late


def test_a_park_cannot_take_a_schools_code(any_store: Registry) -> None:
    register_school(any_store, 1)
    with pytest.raises(AlreadyRegistered):
        any_store.register_organisation(
            uscc=uscc("12", 1), name="冒用", kind="association", prefecture="510100", actor=ADMIN
        )


def test_admitting_an_unknown_party_is_not_found(registry: Registry) -> None:
    ids = seed_group(registry)
    secretariat = Actor("secretary", Role.GROUP_SECRETARIAT, ids["group"])
    with pytest.raises(NotFound) as refused:
        registry.admit_to_group(ids["group"], party_id=UUID(int=5), actor=secretariat)
    assert refused.value.params == {"kind": "party", "id": str(UUID(int=5))}


def test_practice_outside_the_agreement_names_its_active_dates(registry: Registry) -> None:
    school_id, enterprise_id = register_school(registry, 1), register_enterprise(registry, 1)
    seed_teacher(registry, school_id, enterprise_id)
    teacher = registry.get(TeacherPractice, registry.teacher_id(school_id, "2019031"))
    with pytest.raises(PracticeOutsideAgreement) as refused:
        registry.log_teacher_practice(
            school_id=school_id,
            staff_number="2019031",
            agreement_id=teacher.periods[0].agreement_id,
            starts_on=date(2026, 10, 1),
            ends_on=date(2027, 3, 31),
            actor=school_user(school_id),
        )
    assert refused.value.params["active"] == "2024-01-01 to 2026-12-31"
    assert len(registry.get(TeacherPractice, teacher.id).periods) == 2
