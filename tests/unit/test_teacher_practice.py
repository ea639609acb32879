"""Teachers' enterprise practice: periods under active practice-station agreements, and the
rule of 6 months in every 5 years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.agreement import AgreementNotInForce, CooperationAgreement
from domain.errors import EndBeforeStart, InvalidValue, NotPermitted
from domain.school import School, SchoolWithdrawn
from domain.teacher_practice import (
    REQUIRED_DAYS,
    InvalidStaffNumber,
    NoPracticeStation,
    NotTheSchoolsAgreement,
    PracticeOutsideAgreement,
    PracticeOverlaps,
    TeacherPractice,
    active_spans,
    five_years_before,
)
from registry.messages import describe
from tests.factories import ADMIN, agreement, enterprise, enterprise_user, school, school_user

STATION = ("teacher_practice_station", "internship_base")


def station(s: School, modes: tuple[str, ...] = STATION) -> CooperationAgreement:
    """A countersigned agreement active 2024-01-01 to 2026-12-31."""
    a = agreement(s, enterprise(), modes=modes)
    a.countersign(on=date(2023, 12, 20), actor=school_user(s.id))
    return a


@pytest.fixture
def s() -> School:
    return school()


@pytest.fixture
def teacher(s: School) -> TeacherPractice:
    return TeacherPractice.register(school=s, staff_number="2019031", actor=school_user(s.id))


def log(teacher: TeacherPractice, a: CooperationAgreement, starts_on: date, ends_on: date) -> int:
    return teacher.log_period(
        agreement=a, starts_on=starts_on, ends_on=ends_on, actor=school_user(teacher.school_id)
    )


def test_school_logs_practice_and_the_rule_is_judged_on_any_date(
    s: School, teacher: TeacherPractice
) -> None:
    a = station(s)
    # construct: the teacher is known by school and staff number only
    assert teacher.id == TeacherPractice.create_id(s.id, "2019031")
    assert not hasattr(teacher, "name")
    # evolve: two stays of 100 and 90 days
    assert log(teacher, a, date(2024, 3, 1), date(2024, 6, 8)) == 1
    assert log(teacher, a, date(2025, 3, 1), date(2025, 5, 29)) == 2
    period = teacher.periods[0]
    assert (period.agreement_id, period.enterprise_id) == (a.id, a.enterprise_id)
    # query: days counted up to the date asked, within the 5 years ending on it
    assert teacher.practice_days_on(date(2024, 4, 9)) == 40
    assert teacher.practice_days_on(date(2024, 12, 31)) == 100
    assert teacher.shortfall_on(date(2024, 12, 31)) == REQUIRED_DAYS - 100
    assert teacher.practice_days_on(date(2025, 5, 29)) == 190
    assert teacher.meets_requirement_on(date(2025, 5, 29))
    # five years after the first stay began, its first days drop out of the window
    assert teacher.practice_days_on(date(2029, 3, 10)) == 180
    assert not teacher.meets_requirement_on(date(2029, 3, 11))


def test_six_whole_calendar_months_meet_the_rule(s: School, teacher: TeacherPractice) -> None:
    log(teacher, station(s), date(2025, 9, 1), date(2026, 2, 28))
    assert teacher.practice_days_on(date(2026, 2, 28)) == 181
    assert teacher.meets_requirement_on(date(2026, 2, 28))


@pytest.mark.parametrize("staff_number", ["", "张三", "a b", "x" * 33])
def test_staff_number_is_a_code_never_a_name(s: School, staff_number: str) -> None:
    with pytest.raises(InvalidStaffNumber):
        TeacherPractice.register(school=s, staff_number=staff_number, actor=school_user(s.id))


def test_only_the_teachers_school_logs(s: School, teacher: TeacherPractice) -> None:
    a = station(s)
    with pytest.raises(NotPermitted):
        TeacherPractice.register(school=s, staff_number="1", actor=enterprise_user(a.enterprise_id))
    with pytest.raises(NotPermitted):
        teacher.log_period(
            agreement=a,
            starts_on=date(2024, 3, 1),
            ends_on=date(2024, 4, 1),
            actor=enterprise_user(a.enterprise_id),
        )


def test_withdrawn_school_registers_no_teacher(s: School) -> None:
    s.withdraw(on=date(2024, 6, 30), reason="合并", actor=ADMIN)
    with pytest.raises(SchoolWithdrawn):
        TeacherPractice.register(school=s, staff_number="1", actor=school_user(s.id))


def test_agreement_needs_a_practice_station(s: School, teacher: TeacherPractice) -> None:
    a = station(s, modes=("internship_base", "order_class"))
    with pytest.raises(NoPracticeStation) as refused:
        log(teacher, a, date(2024, 3, 1), date(2024, 4, 1))
    assert refused.value.params["modes"] == "internship_base,order_class"


def test_agreement_must_be_the_teachers_schools(teacher: TeacherPractice) -> None:
    other = station(school(2))
    with pytest.raises(NotTheSchoolsAgreement):
        log(teacher, other, date(2024, 3, 1), date(2024, 4, 1))


def test_agreement_must_be_countersigned(s: School, teacher: TeacherPractice) -> None:
    proposed = agreement(s, enterprise(), modes=STATION)
    with pytest.raises(AgreementNotInForce):
        log(teacher, proposed, date(2024, 3, 1), date(2024, 4, 1))


def test_period_outside_active_dates_is_refused_naming_them(
    s: School, teacher: TeacherPractice
) -> None:
    a = station(s)
    a.suspend(on=date(2024, 7, 1), reason="停产", actor=school_user(s.id))
    a.resume(on=date(2024, 9, 1), actor=school_user(s.id))
    with pytest.raises(PracticeOutsideAgreement) as refused:
        log(teacher, a, date(2024, 6, 1), date(2024, 7, 15))
    assert refused.value.params == {
        "starts_on": "2024-06-01",
        "ends_on": "2024-07-15",
        "active": "2024-01-01 to 2024-06-30, 2024-09-01 to 2026-12-31",
    }
    assert "2024-09-01 to 2026-12-31" in describe(refused.value)
    with pytest.raises(PracticeOutsideAgreement):
        log(teacher, a, date(2023, 12, 1), date(2024, 1, 31))
    log(teacher, a, date(2024, 9, 1), date(2024, 10, 31))


def test_terminated_agreement_is_active_until_the_day_before(
    s: School, teacher: TeacherPractice
) -> None:
    a = station(s)
    a.terminate(on=date(2025, 1, 1), reason="提前终止", actor=school_user(s.id))
    assert active_spans(a) == [(date(2024, 1, 1), date(2024, 12, 31))]
    with pytest.raises(PracticeOutsideAgreement):
        log(teacher, a, date(2024, 12, 1), date(2025, 1, 1))


def test_periods_of_one_teacher_do_not_overlap(s: School, teacher: TeacherPractice) -> None:
    a, b = station(s), station(s)
    log(teacher, a, date(2024, 3, 1), date(2024, 5, 31))
    with pytest.raises(PracticeOverlaps) as refused:
        log(teacher, b, date(2024, 5, 31), date(2024, 6, 30))
    assert refused.value.params == {
        "starts_on": "2024-05-31",
        "ends_on": "2024-06-30",
        "other_starts_on": "2024-03-01",
        "other_ends_on": "2024-05-31",
    }
    # the next day is free, at another enterprise
    log(teacher, b, date(2024, 6, 1), date(2024, 6, 30))


def test_period_ends_after_it_starts(s: School, teacher: TeacherPractice) -> None:
    with pytest.raises(EndBeforeStart):
        log(teacher, station(s), date(2024, 5, 1), date(2024, 4, 30))


def test_cancelled_period_stops_counting(s: School, teacher: TeacherPractice) -> None:
    a = station(s)
    log(teacher, a, date(2024, 3, 1), date(2024, 5, 31))
    teacher.cancel_period(number=1, reason="误录", actor=school_user(s.id))
    assert teacher.practice_days_on(date(2024, 12, 31)) == 0
    # its dates are free again; a cancelled period cannot be cancelled twice
    log(teacher, a, date(2024, 4, 1), date(2024, 4, 30))
    with pytest.raises(InvalidValue):
        teacher.cancel_period(number=1, reason="误录", actor=school_user(s.id))
    with pytest.raises(InvalidValue):
        teacher.cancel_period(number=2, reason=" ", actor=school_user(s.id))


def test_five_year_window_starts_the_day_after_five_years_back() -> None:
    assert five_years_before(date(2025, 6, 30)) == date(2020, 7, 1)
    assert five_years_before(date(2024, 2, 29)) == date(2019, 3, 1)


@settings(deadline=None)
@given(
    suspensions=st.lists(st.integers(min_value=0, max_value=1000), max_size=3, unique=True),
    lengths=st.lists(st.integers(min_value=0, max_value=200), min_size=3, max_size=3),
    terminated_after=st.one_of(st.none(), st.integers(min_value=0, max_value=1200)),
)
def test_active_spans_are_exactly_the_days_the_agreement_is_active(
    suspensions: list[int], lengths: list[int], terminated_after: int | None
) -> None:
    s = school()
    a = station(s)
    start, actor = date(2024, 1, 1), school_user(s.id)
    for offset, length in zip(sorted(suspensions), lengths, strict=False):
        suspended_on = start + timedelta(days=offset)
        if a.suspensions and suspended_on < (a.suspensions[-1][1] or start):
            continue
        a.suspend(on=suspended_on, reason="停产", actor=actor)
        a.resume(on=suspended_on + timedelta(days=length), actor=actor)
    if terminated_after is not None:
        a.terminate(on=start + timedelta(days=terminated_after), reason="终止", actor=actor)
    spans = active_spans(a)
    for day in (start + timedelta(days=n) for n in range(-3, 1100)):
        assert a.is_active_on(day) == any(first <= day <= last for first, last in spans)
