"""The practice rule over time: practice days, since when short, when a teacher falls short.

Checked against the domain's own count (``TeacherPractice.practice_days_on``) day by day.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement
from domain.teacher_practice import REQUIRED_DAYS, TeacherPractice
from projections.practice import (
    Period,
    falls_short_within,
    last_met_day,
    practice_days,
    short_since,
)
from tests.factories import enterprise, school, school_user

ONE_DAY = timedelta(days=1)


def logged(periods: list[Period]) -> TeacherPractice:
    """A teacher with these periods, logged through the domain at a long-running station."""
    s, e = school(), enterprise()
    agreement = CooperationAgreement.propose(
        school=s,
        enterprise_id=e.id,
        title="教师企业实践工作站",
        modes=["teacher_practice_station"],
        starts_on=date(2000, 1, 1),
        ends_on=date(2040, 12, 31),
        majors=[],
        actor=Actor("e", Role.ENTERPRISE_USER, e.id),
    )
    agreement.countersign(on=date(1999, 12, 1), actor=school_user(s.id))
    teacher = TeacherPractice.register(school=s, staff_number="T1", actor=school_user(s.id))
    for starts_on, ends_on in periods:
        teacher.log_period(
            agreement=agreement, starts_on=starts_on, ends_on=ends_on, actor=school_user(s.id)
        )
    return teacher


@st.composite
def histories(draw: st.DrawFn) -> list[Period]:
    """Up to four non-overlapping periods between 2012 and 2024 (leap years included)."""
    day, periods = date(2012, 1, 1) + timedelta(days=draw(st.integers(0, 900))), []
    for _ in range(draw(st.integers(0, 4))):
        starts_on = day + timedelta(days=draw(st.integers(0, 700)))
        ends_on = starts_on + timedelta(days=draw(st.integers(0, 200)))
        periods.append((starts_on, ends_on))
        day = ends_on + ONE_DAY
    return periods


days_asked = st.dates(date(2012, 1, 1), date(2031, 12, 31))


@settings(max_examples=60, deadline=None)
@given(histories(), days_asked)
def test_practice_days_are_the_domains(periods: list[Period], day: date) -> None:
    assert practice_days(periods, day) == logged(periods).practice_days_on(day)


def meets(periods: list[Period], day: date) -> bool:
    return practice_days(periods, day) >= REQUIRED_DAYS


@settings(max_examples=60, deadline=None)
@given(histories(), days_asked)
def test_the_last_day_met_is_the_last_day_counted_as_met(periods: list[Period], day: date) -> None:
    found = last_met_day(periods, day)
    first = min((s for s, _ in periods), default=day)
    brute = next(
        (
            day - timedelta(days=k)
            for k in range((day - first).days + 1)
            if meets(periods, day - timedelta(days=k))
        ),
        None,
    )
    assert found == brute


@settings(max_examples=60, deadline=None)
@given(histories(), days_asked, st.integers(1, 400))
def test_falling_short_is_the_first_short_day_ahead(
    periods: list[Period], day: date, within: int
) -> None:
    found = falls_short_within(periods, day, within)
    if not meets(periods, day):
        assert found is None
        return
    ahead = (day + timedelta(days=k) for k in range(1, within + 1))
    assert found == next((d for d in ahead if not meets(periods, d)), None)


def test_short_since_the_day_after_the_last_day_met() -> None:
    # 183 days in 2019: met from 2019-06-29 until old days leave the window in 2024
    periods = [(date(2019, 1, 1), date(2019, 7, 2))]
    assert short_since(periods, date(2020, 6, 1)) is None
    assert last_met_day(periods, date(2024, 12, 31)) == date(2024, 1, 3)
    assert short_since(periods, date(2024, 12, 31)) == date(2024, 1, 4)
    assert practice_days(periods, date(2024, 1, 3)) == REQUIRED_DAYS
    assert practice_days(periods, date(2024, 1, 4)) == REQUIRED_DAYS - 1


def test_a_teacher_who_never_met_the_rule_is_short_over_the_whole_window() -> None:
    periods = [(date(2023, 3, 1), date(2023, 5, 31))]
    assert short_since(periods, date(2025, 12, 31)) == date(2021, 1, 1)
    assert short_since([], date(2025, 12, 31)) == date(2021, 1, 1)


def test_falling_short_across_29_february() -> None:
    # exactly 180 days; the window's first day passes 2020-03-01 on 2025-03-01
    periods = [(date(2020, 3, 1), date(2020, 8, 27))]
    assert practice_days(periods, date(2025, 2, 28)) == REQUIRED_DAYS
    assert falls_short_within(periods, date(2025, 2, 1), 90) == date(2025, 3, 1)
    assert falls_short_within(periods, date(2024, 11, 1), 90) is None
