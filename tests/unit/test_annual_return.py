"""Annual statistics returns: consistency checks, corrections as new events, deadlines and
late filings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.actors import Actor, Role
from domain.annual_return import (
    AnnualReturn,
    DeadlineBeforeYearEnd,
    EmployedExceedsGraduates,
    Figures,
    NegativeFigure,
    NoReturnForYear,
    NothingToCorrect,
    ReturnDeadline,
    SeniorExceedsStudents,
    YearNotOver,
)
from domain.errors import InvalidValue, NotPermitted
from domain.school import School
from tests.factories import ADMIN, school, school_user

DEADLINE = date(2025, 3, 31)


def figures(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "enrollment": 600,
        "students": 1500,
        "senior_students": 340,
        "graduates": 420,
        "employed": 412,
        "training_person_times": 1300,
    }
    values.update(changes)
    return values


@pytest.fixture
def s() -> School:
    return school()


def file(s: School, recorded_on: date = date(2025, 2, 20), **kwargs: Any) -> AnnualReturn:
    values: dict[str, Any] = {
        "school": s,
        "year": 2024,
        "figures": figures(),
        "recorded_on": recorded_on,
        "deadline": DEADLINE,
        "actor": school_user(s.id),
    }
    values.update(kwargs)
    return AnnualReturn.file(**values)


def test_filed_and_corrected_figures_both_stay_visible(s: School) -> None:
    # construct: filed before the deadline
    r = file(s)
    assert r.id == AnnualReturn.create_id(s.id, 2024)
    assert not r.late and r.deadline == DEADLINE
    # evolve: a correction after the deadline, with its reason
    r.correct(
        figures=figures(employed=409),
        reason="就业人数按派遣口径核定",
        recorded_on=date(2025, 5, 10),
        actor=school_user(s.id),
    )
    # query: as filed by the deadline, and as corrected since
    assert r.as_recorded_by(DEADLINE) == Figures(**figures())
    assert r.figures == Figures(**figures(employed=409))
    assert r.as_filed.figures.employed == 412
    assert [(v.version, v.recorded_on, v.reason) for v in r.revisions] == [
        (1, date(2025, 2, 20), None),
        (2, date(2025, 5, 10), "就业人数按派遣口径核定"),
    ]
    assert r.as_recorded_by(date(2025, 2, 19)) is None


def test_return_recorded_after_the_deadline_is_accepted_and_marked_late(s: School) -> None:
    r = file(s, recorded_on=date(2025, 4, 1))
    assert r.late
    assert r.as_recorded_by(DEADLINE) is None
    assert r.figures.students == 1500


def test_return_filed_on_the_deadline_is_on_time(s: School) -> None:
    assert not file(s, recorded_on=DEADLINE).late


def test_without_a_deadline_no_return_is_late(s: School) -> None:
    r = file(s, recorded_on=date(2026, 11, 1), deadline=None)
    assert not r.late and r.deadline is None


@pytest.mark.parametrize(
    ("changes", "error", "params"),
    [
        (
            {"employed": 421},
            EmployedExceedsGraduates,
            {"employed": 421, "graduates": 420},
        ),
        (
            {"senior_students": 1501},
            SeniorExceedsStudents,
            {"senior_students": 1501, "students": 1500},
        ),
        ({"enrollment": -1}, NegativeFigure, {"field": "enrollment", "value": -1}),
        (
            {"training_person_times": 12.5},
            InvalidValue,
            {"field": "training_person_times", "problem": "not_an_integer", "value": "12.5"},
        ),
        (
            {"students": True},
            InvalidValue,
            {"field": "students", "problem": "not_an_integer", "value": "True"},
        ),
        ({"teachers": 80}, InvalidValue, {"field": "teachers", "problem": "unknown_field"}),
    ],
)
def test_figures_are_checked_for_consistency(
    s: School, changes: dict[str, Any], error: type[Exception], params: dict[str, Any]
) -> None:
    with pytest.raises(error) as refused:
        file(s, figures=figures(**changes))
    assert refused.value.params == params  # type: ignore[attr-defined]


def test_every_figure_is_required(s: School) -> None:
    values = figures()
    del values["graduates"]
    with pytest.raises(InvalidValue) as refused:
        file(s, figures=values)
    assert refused.value.params == {"field": "graduates", "problem": "required"}


def test_corrections_are_checked_and_must_change_something(s: School) -> None:
    r = file(s)
    actor = school_user(s.id)
    with pytest.raises(EmployedExceedsGraduates):
        r.correct(
            figures=figures(graduates=400), reason="x", recorded_on=date(2025, 5, 1), actor=actor
        )
    with pytest.raises(NothingToCorrect):
        r.correct(figures=figures(), reason="x", recorded_on=date(2025, 5, 1), actor=actor)
    with pytest.raises(InvalidValue):
        r.correct(
            figures=figures(employed=1), reason=" ", recorded_on=date(2025, 5, 1), actor=actor
        )
    assert len(r.revisions) == 1


def test_school_files_its_own_return_and_the_province_may_correct_it(s: School) -> None:
    with pytest.raises(NotPermitted):
        file(s, actor=school_user(school(2).id))
    with pytest.raises(NotPermitted):
        file(s, actor=ADMIN)
    r = file(s)
    with pytest.raises(NotPermitted):
        r.correct(
            figures=figures(employed=1),
            reason="x",
            recorded_on=date(2025, 5, 1),
            actor=Actor("auditor", Role.AUDITOR),
        )
    r.correct(
        figures=figures(employed=1), reason="督导核查", recorded_on=date(2025, 5, 1), actor=ADMIN
    )
    assert r.figures.employed == 1


def test_a_year_is_returned_after_it_ends(s: School) -> None:
    with pytest.raises(YearNotOver) as refused:
        file(s, recorded_on=date(2024, 12, 31))
    assert refused.value.params == {"year": 2024, "recorded_on": "2024-12-31"}


def test_no_return_before_a_school_existed_or_after_it_withdrew(s: School) -> None:
    with pytest.raises(NoReturnForYear) as refused:
        file(s, year=2009, recorded_on=date(2010, 2, 1))
    assert refused.value.params == {"year": 2009, "established_on": "2010-09-01"}
    s.withdraw(on=date(2023, 6, 30), reason="合并", actor=ADMIN)
    file(s, year=2023)
    with pytest.raises(NoReturnForYear):
        file(s, year=2024)


@pytest.mark.parametrize("year", [1999, 2101])
def test_year_must_be_plausible(s: School, year: int) -> None:
    with pytest.raises(InvalidValue):
        file(s, year=year)


def test_province_sets_and_moves_a_deadline_after_the_year() -> None:
    deadline = ReturnDeadline.set(year=2024, due_on=DEADLINE, actor=ADMIN)
    assert deadline.id == ReturnDeadline.create_id(2024)
    deadline.move(due_on=date(2025, 4, 15), reason="系统升级顺延", actor=ADMIN)
    assert deadline.due_on == date(2025, 4, 15)
    with pytest.raises(DeadlineBeforeYearEnd) as refused:
        deadline.move(due_on=date(2024, 12, 31), reason="提前", actor=ADMIN)
    assert refused.value.params == {"year": 2024, "due_on": "2024-12-31"}
    with pytest.raises(InvalidValue):
        deadline.move(due_on=date(2025, 5, 1), reason="", actor=ADMIN)


def test_only_the_province_sets_deadlines(s: School) -> None:
    for actor in (school_user(s.id), Actor("auditor", Role.AUDITOR)):
        with pytest.raises(NotPermitted):
            ReturnDeadline.set(year=2024, due_on=DEADLINE, actor=actor)
    deadline = ReturnDeadline.set(year=2024, due_on=DEADLINE, actor=ADMIN)
    with pytest.raises(NotPermitted):
        deadline.move(due_on=date(2025, 5, 1), reason="x", actor=school_user(s.id))
