"""The views of training groups, organisations, teachers' practice and annual returns."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from domain.teacher_practice import TeacherPractice
from domain.training_group import TrainingGroup
from projections import attach
from projections.engine.read_models import ReadModels
from projections.groups import group, group_progress, list_groups, list_organisations, organisation
from projections.returns import annual_return, list_returns, return_deadlines, return_totals
from projections.teachers import list_teachers, teacher
from registry.commands import returns as return_commands
from registry.facade import Registry
from tests.factories import ADMIN, school_user
from tests.integration.group_builders import (
    FIGURES,
    register_enterprise,
    register_school,
    seed_group,
    seed_teacher,
)
from tests.readmodels import dump, from_scratch

DAYS = [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 900, 17)]


@pytest.fixture
def models(registry: Registry) -> ReadModels:
    return attach(registry)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make the registry record filings and corrections on a chosen Asia/Shanghai day."""

    def set_day(day: date) -> None:
        monkeypatch.setattr(return_commands, "today", lambda: day)

    return set_day


def test_group_stage_lead_members_and_lacks_on_any_day_are_the_aggregates(
    registry: Registry, models: ReadModels
) -> None:
    # construct: proposed 2024-01-01, three members 2024-02-01, chartered, operating, new lead
    ids = seed_group(registry)
    aggregate = registry.get(TrainingGroup, ids["group"])
    with models.reading() as db:
        for day in DAYS:
            found = group(db, str(ids["group"]), on=day)
            assert found is not None
            assert found["stage_on"] == aggregate.stage_on(day).value
            assert found["formed"] == aggregate.is_formed_on(day)
            assert found["lead_on"] == str(aggregate.lead_on(day))
            assert found["members_on"] == len(aggregate.members_on(day))
            expected = aggregate.charter_shortfall(day) if found["stage_on"] == "proposed" else {}
            assert found["lacks"] == expected
        early = group(db, str(ids["group"]), on=date(2024, 1, 15))
    assert early is not None and early["lacks"] == {"schools": 1, "enterprises": 1}
    names = {m["name"] for m in early["members"]}
    assert names == {"测试学校1", "测试学校2", "四川测试有限公司1", "成都高新技术产业开发区"}
    assert [m["party_type"] for m in early["members"] if m["member_on"]] == ["school"]


def test_a_member_who_leaves_and_rejoins_has_two_spells(
    registry: Registry, models: ReadModels
) -> None:
    ids = seed_group(registry)
    secretariat = Actor("secretary", Role.GROUP_SECRETARIAT, ids["group"])
    registry.remove_from_group(
        ids["group"],
        party_id=ids["enterprise"],
        reason="转产",
        on=date(2025, 3, 1),
        actor=secretariat,
    )
    registry.admit_to_group(
        ids["group"], party_id=ids["enterprise"], on=date(2025, 6, 1), actor=secretariat
    )
    with models.reading() as db:
        found = group(db, str(ids["group"]), on=date(2025, 4, 1))
        assert found is not None
        spells = [m for m in found["members"] if m["party_id"] == str(ids["enterprise"])]
        assert [(m["spell"], m["joined_on"], m["left_on"], m["member_on"]) for m in spells] == [
            (1, "2024-02-01", "2025-03-01", False),
            (2, "2025-06-01", None, False),
        ]
        assert spells[0]["removal_reason"] == "转产"
        member = str(ids["enterprise"])
        assert list_groups(db, member=member, on=date(2025, 4, 1)).total == 0
        assert list_groups(db, member=member, on=date(2025, 6, 1)).total == 1


def test_groups_filter_by_stage_region_and_count_toward_ten(
    registry: Registry, models: ReadModels
) -> None:
    ids = seed_group(registry)
    in_formation = registry.propose_group(
        lead_id=ids["college"],
        name="川北汽车产业技师学院集团",
        prefectures=["510700", "510800"],
        industry_focus="汽车",
        proposed_on=date(2025, 3, 1),
        actor=school_user(ids["college"]),
    )
    registry.correct_group(
        in_formation,
        field="prefectures",
        value=["510700", "511300"],
        reason="区域更正",
        actor=school_user(ids["college"]),
    )
    day = date(2025, 6, 30)
    with models.reading() as db:
        assert [g["id"] for g in list_groups(db, stage="proposed", on=day).items] == [
            str(in_formation)
        ]
        assert list_groups(db, prefecture="511300", on=day).total == 1
        assert list_groups(db, prefecture="510800", on=day).total == 0
        assert list_groups(db, on=date(2024, 12, 31)).total == 1  # proposed later: not yet
        progress = group_progress(db, day)
        with pytest.raises(ValueError, match="stage must be one of"):
            list_groups(db, stage="formed")
    assert [(p["name"], p["formed"], p["formed_on"]) for p in progress] == [
        ("成都智能制造技师学院集团", True, "2024-03-01"),
        ("川北汽车产业技师学院集团", False, None),
    ]
    assert progress[1]["lacks"] == {"schools": 1, "enterprises": 1}


def test_organisations_and_the_groups_they_joined(registry: Registry, models: ReadModels) -> None:
    ids = seed_group(registry)
    registry.correct_organisation(
        ids["park"], field="name", value="成都高新区", reason="简称", actor=ADMIN
    )
    with models.reading() as db:
        (park,) = list_organisations(db, kind="industry_park", prefecture="510100").items
        found = organisation(db, str(ids["park"]))
    assert park["name"] == "成都高新区"
    assert found is not None
    assert [(m["group_id"], m["joined_on"]) for m in found["memberships"]] == [
        (str(ids["group"]), "2024-02-01")
    ]


def test_teacher_practice_days_and_shortfall_on_any_day_are_the_aggregates(
    registry: Registry, models: ReadModels
) -> None:
    # 100 days in 2024 and 90 in 2025: 180 reached on 2025-05-19
    school_id = register_school(registry, 1)
    teacher_id = seed_teacher(registry, school_id, register_enterprise(registry, 1))
    aggregate = registry.get(TeacherPractice, teacher_id)
    with models.reading() as db:
        for day in [*DAYS, date(2025, 5, 18), date(2025, 5, 19), date(2029, 3, 11)]:
            (found,) = list_teachers(db, school_id=str(school_id), on=day).items
            assert found["practice_days"] == aggregate.practice_days_on(day), day
            assert found["shortfall"] == aggregate.shortfall_on(day)
        assert list_teachers(db, short=True, on=date(2025, 5, 18)).total == 1
        assert list_teachers(db, short=True, on=date(2025, 5, 19)).total == 0
        assert list_teachers(db, short=False, prefecture="510100", on=date(2025, 5, 19)).total == 1
        later = teacher(db, str(teacher_id), on=date(2029, 3, 11))
    assert later is not None and later["short_since"] == "2029-03-11"
    assert later["window_from"] == "2024-03-12" and later["practice_days"] == 179


def test_a_cancelled_period_stops_counting(registry: Registry, models: ReadModels) -> None:
    school_id = register_school(registry, 1)
    teacher_id = seed_teacher(registry, school_id, register_enterprise(registry, 1))
    registry.cancel_teacher_practice(
        teacher_id, number=1, reason="误录", actor=school_user(school_id)
    )
    with models.reading() as db:
        found = teacher(db, str(teacher_id), on=date(2025, 12, 31))
    assert found is not None and found["practice_days"] == 90
    assert [(p["number"], p["cancelled"]) for p in found["period_list"]] == [(1, True), (2, False)]
    assert found["short_since"] == "2021-01-01"


def file_two_returns(registry: Registry, on_day: Any) -> tuple[UUID, UUID]:
    """One return filed by the deadline then corrected, one filed late."""
    school_id, other = (
        register_school(registry, 1),
        register_school(registry, 2, "technical_school"),
    )
    registry.set_return_deadline(year=2024, due_on=date(2025, 3, 31), actor=ADMIN)
    on_day(date(2025, 3, 31))
    registry.file_annual_return(
        school_id=school_id, year=2024, figures=FIGURES, actor=school_user(school_id)
    )
    on_day(date(2025, 5, 6))
    registry.correct_annual_return(
        school_id=school_id,
        year=2024,
        figures={**FIGURES, "employed": 380},
        reason="就业人数按派遣口径核定",
        actor=school_user(school_id),
    )
    on_day(date(2025, 4, 2))
    registry.file_annual_return(
        school_id=other,
        year=2024,
        figures={**FIGURES, "senior_students": 0},
        actor=school_user(other),
    )
    return school_id, other


def test_returns_as_filed_by_the_deadline_and_as_corrected_since(
    registry: Registry, models: ReadModels, on_day: Any
) -> None:
    school_id, other = file_two_returns(registry, on_day)
    with models.reading() as db:
        as_filed = return_totals(db, 2024, as_filed=True)
        by_deadline = return_totals(db, 2024, by=date(2025, 3, 31))
        corrected = return_totals(db, 2024)
        found = annual_return(db, str(school_id), 2024)
        late = annual_return(db, str(other), 2024)
        assert list_returns(db, late=True).total == 1
        assert [r["school_id"] for r in list_returns(db, corrected=True).items] == [str(school_id)]
        assert list_returns(db, year=2024, prefecture="510100").total == 2
    assert as_filed == by_deadline
    assert (as_filed["returns"], as_filed["sums"]["employed"]) == (1, 392)
    assert as_filed["employment_rate"] == Decimal("98.0")
    assert (corrected["returns"], corrected["late"], corrected["corrected"]) == (2, 1, 1)
    assert corrected["sums"]["employed"] == 380 + 392
    # ratios of sums, never averages of school ratios
    assert corrected["senior_share"] == Decimal("11.3")
    assert found is not None and late is not None
    assert [(r["version"], r["recorded_on"], r["reason"]) for r in found["revision_list"]] == [
        (1, "2025-03-31", None),
        (2, "2025-05-06", "就业人数按派遣口径核定"),
    ]
    assert all(r["recorded_at"].endswith("+00:00") for r in found["revision_list"])
    assert found["as_filed"] is not None and found["as_filed"]["employed"] == 392
    assert found["employed"] == 380 and not found["late"]
    assert late["late"] and late["as_filed"] is None and late["deadline"] == "2025-03-31"


def test_a_moved_deadline_moves_what_counts_as_filed(
    registry: Registry, models: ReadModels, on_day: Any
) -> None:
    file_two_returns(registry, on_day)
    registry.move_return_deadline(year=2024, due_on=date(2025, 4, 30), reason="延期", actor=ADMIN)
    with models.reading() as db:
        as_filed = return_totals(db, 2024, as_filed=True)
        (deadline,) = return_deadlines(db)
        assert return_totals(db, 2023)["returns"] == 0
    # both returns were on record by 30 April; the late mark recorded at filing stays
    assert (as_filed["returns"], as_filed["late"]) == (2, 1)
    assert (deadline["due_on"], deadline["moves"], deadline["moved_reason"]) == (
        "2025-04-30",
        1,
        "延期",
    )


def test_the_views_kept_after_each_command_equal_a_rebuild(
    registry: Registry, models: ReadModels, on_day: Any
) -> None:
    ids = seed_group(registry)
    seed_teacher(registry, ids["lead"], ids["enterprise"])
    registry.set_return_deadline(year=2023, due_on=date(2024, 3, 31), actor=ADMIN)
    on_day(date(2024, 3, 1))
    registry.file_annual_return(
        school_id=ids["lead"], year=2023, figures=FIGURES, actor=school_user(ids["lead"])
    )
    with models.reading() as db:
        assert dump(db.conn) == from_scratch(registry)
