"""The 6-months-in-5-years rule of teachers' enterprise practice (§四(三)4) over time.

``TeacherPractice.practice_days_on`` answers one day. Findings and notices need more: since
when a teacher has been short, and on which day within the next weeks a teacher who meets
the rule now will fall short as old practice leaves the window. Day by day that would mean
thousands of evaluations per teacher; instead the days are cut into stretches on which the
count changes at a constant rate (each period's ends, the days the window's first day passes
them, and the days around 29 February where the window's first day jumps or stalls), so a
few evaluations per stretch give the exact day.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta

from domain.teacher_practice import REQUIRED_DAYS, WINDOW_YEARS, five_years_before

Period = tuple[date, date]
ONE_DAY = timedelta(days=1)


def practice_days(periods: Sequence[Period], day: date) -> int:
    """Practice days in the 5 years ending on ``day``, as ``TeacherPractice.practice_days_on``."""
    first = five_years_before(day)
    total = 0
    for starts_on, ends_on in periods:
        start, end = max(starts_on, first), min(ends_on, day)
        if start <= end:
            total += (end - start).days + 1
    return total


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _breakpoints(periods: Sequence[Period], low: date, high: date) -> list[date]:
    """Days in [low, high] after which the count may change at another rate."""
    points = {low, high}
    for starts_on, ends_on in periods:
        for edge in (starts_on, ends_on + ONE_DAY):
            points.add(edge)
            # the day the window's first day reaches ``edge``, give or take a leap day
            reached = _years_later(edge - ONE_DAY, WINDOW_YEARS)
            points.update(reached + timedelta(days=k) for k in range(-2, 3))
    for year in range(low.year, high.year + 1):
        points.update({date(year, 2, 28), date(year, 3, 1), date(year, 3, 2)})
        if calendar.isleap(year):
            points.add(date(year, 2, 29))
    return sorted(p for p in points if low <= p <= high)


def _stretches(periods: Sequence[Period], low: date, high: date) -> list[tuple[date, date]]:
    points = _breakpoints(periods, low, high)
    ends = [p - ONE_DAY for p in points[1:]] + [high]
    return list(zip(points, ends, strict=True))


def last_met_day(periods: Sequence[Period], day: date) -> date | None:
    """The last day up to ``day`` on which the teacher met the rule (None: never)."""
    if not periods:
        return None
    low = min(starts_on for starts_on, _ in periods)
    logged = sum(max(0, (min(ends_on, day) - starts_on).days + 1) for starts_on, ends_on in periods)
    if day < low or logged < REQUIRED_DAYS:
        return None  # not enough practice logged up to ``day`` to have met it at any time
    for first, last in reversed(_stretches(periods, low, day)):
        at_last = practice_days(periods, last)
        if at_last >= REQUIRED_DAYS:
            return last
        at_first = practice_days(periods, first)
        if at_first >= REQUIRED_DAYS:
            falling = at_first - practice_days(periods, first + ONE_DAY)
            return first + timedelta(days=(at_first - REQUIRED_DAYS) // falling)
    return None


def short_since(periods: Sequence[Period], day: date) -> date | None:
    """The first day of the shortfall that holds on ``day`` (None if the teacher meets the
    rule on ``day``); a teacher who never met it is short since the window's first day."""
    if practice_days(periods, day) >= REQUIRED_DAYS:
        return None
    met = last_met_day(periods, day)
    return met + ONE_DAY if met is not None else five_years_before(day)


def falls_short_within(periods: Sequence[Period], day: date, days: int) -> date | None:
    """The first day in the ``days`` after ``day`` on which a teacher who meets the rule on
    ``day`` falls short, counting only the practice logged so far (None if it never does)."""
    if practice_days(periods, day) < REQUIRED_DAYS:
        return None
    for first, last in _stretches(periods, day + ONE_DAY, day + timedelta(days=days)):
        at_first = practice_days(periods, first)
        if at_first < REQUIRED_DAYS:
            return first
        at_last = practice_days(periods, last)
        if at_last < REQUIRED_DAYS:
            falling = at_first - practice_days(periods, first + ONE_DAY)
            return first + timedelta(days=(at_first - REQUIRED_DAYS) // falling + 1)
    return None
