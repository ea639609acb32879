"""Teachers in enterprise practice 教师企业实践 (§四(三)4, 专栏5 item 1).

Tables: ``teachers`` (one row per teacher: school and staff number, never a name) and
``teacher_periods`` (each logged period with its agreement and enterprise; a cancelled
period stays, marked). Practice days in the 5 years up to a day asked, and whether a
teacher is short of the 180 days (``REQUIRED_DAYS``) then, are computed in SQL when asked,
with the domain's window (``five_years_before``): from the day after the same date five years
earlier up to the day itself, cancelled periods not counted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlite_utils import Database

from domain.teacher_practice import REQUIRED_DAYS, TeacherPractice, five_years_before
from projections.engine import Page, Recorded, Rows, View, Where, as_stood, page, source, topic
from projections.practice import Period, short_since
from registry.clock import today

view = View("teachers", version=1)


@view.migrations()
def m001_teachers(db: Database) -> None:
    db.table("teachers").create(
        {
            "id": str,
            "school_id": str,
            "staff_number": str,
            "periods": int,
            "registered_at": str,
        },
        pk="id",
    )
    db.table("teachers").create_index(["school_id", "staff_number"])
    periods = db.table("teacher_periods")
    periods.create(
        {
            "teacher_id": str,
            "number": int,
            "agreement_id": str,
            "enterprise_id": str,
            "starts_on": str,
            "ends_on": str,
            "cancelled": int,
            "cancellation_reason": str,
        },
        pk=("teacher_id", "number"),
    )
    periods.create_index(["enterprise_id"])
    periods.create_index(["agreement_id"])


@view.handles(topic(TeacherPractice, "Registered"))
def registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "teachers",
        {
            "id": event.aggregate_id,
            "school_id": event["school_id"],
            "staff_number": event["staff_number"],
            "periods": 0,
            "registered_at": event.timestamp,
        },
    )


@view.handles(topic(TeacherPractice, "PeriodLogged"))
def period_logged(event: Recorded, rows: Rows) -> None:
    rows.put(
        "teacher_periods",
        {
            "teacher_id": event.aggregate_id,
            "number": event["number"],
            "agreement_id": event["agreement_id"],
            "enterprise_id": event["enterprise_id"],
            "starts_on": event["starts_on"],
            "ends_on": event["ends_on"],
            "cancelled": 0,
            "cancellation_reason": None,
        },
    )
    rows.put("teachers", {"id": event.aggregate_id, "periods": event["number"]})


@view.handles(topic(TeacherPractice, "PeriodCancelled"))
def period_cancelled(event: Recorded, rows: Rows) -> None:
    rows.put(
        "teacher_periods",
        {
            "teacher_id": event.aggregate_id,
            "number": event["number"],
            "cancelled": 1,
            "cancellation_reason": event["reason"],
        },
    )


# --- queries -----------------------------------------------------------------------------------


def practice_days_on(
    day: date,
    teacher: str = "t.id",
    window_from: date | None = None,
    *,
    at: int | None = None,
) -> str:
    """SQL: practice days of the teacher in the 5 years ending on ``day`` (or from
    ``window_from`` on), as recorded at ``at``."""
    first = window_from or five_years_before(day)
    d, w = f"'{day.isoformat()}'", f"'{first.isoformat()}'"
    return (
        "(SELECT coalesce(sum(max(0, CAST(julianday(min(p.ends_on, "
        f"{d})) - julianday(max(p.starts_on, {w})) AS INTEGER) + 1)), 0)"
        f" FROM {source('teacher_periods', at, 'p')}"
        f" WHERE p.teacher_id = {teacher} AND p.cancelled = 0)"
    )


def teachers_on(day: date, at: int | None = None) -> str:
    """Teachers ``t`` as of ``at`` with their ``practice_days`` on ``day`` (a subquery the
    filters apply to)."""
    return (
        f"(SELECT t.*, {practice_days_on(day, at=at)} AS practice_days"
        f" FROM {source('teachers', at, 't')}) t"
    )


def _where(
    school_id: str | None, prefecture: str | None, short: bool | None, at: int | None
) -> Where:
    where = Where()
    where.add_if(school_id, "t.school_id = ?")
    where.add_if(
        prefecture,
        f"t.school_id IN (SELECT id FROM {source('schools', at)} WHERE prefecture = ?)",
    )
    if short is not None:
        where.add(f"t.practice_days {'<' if short else '>='} {REQUIRED_DAYS}")
    return where


def _judged(row: dict[str, Any], day: date) -> dict[str, Any]:
    shortfall = max(0, REQUIRED_DAYS - row["practice_days"])
    return {
        **row,
        "window_from": five_years_before(day).isoformat(),
        "shortfall": shortfall,
        "meets_requirement": shortfall == 0,
    }


def list_teachers(
    db: Database,
    *,
    school_id: str | None = None,
    prefecture: str | None = None,
    short: bool | None = None,
    on: date | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Teachers by school and staff number, each with ``practice_days`` in the 5 years up to
    ``on`` (default today), ``window_from``, ``shortfall`` and ``meets_requirement``.

    ``short=True`` keeps those short of 6 months (180 days) that day; ``prefecture`` is the
    school's.
    """
    day = on or today()
    found = page(
        db,
        select="t.*",
        source=teachers_on(day, at),
        where=_where(school_id, prefecture, short, at),
        order_by="t.school_id, t.staff_number",
        limit=limit,
        offset=offset,
    )
    return Page([_judged(row, day) for row in found.items], found.total, limit, offset)


def periods_of(
    db: Database, teacher_ids: list[str] | None = None, *, at: int | None = None
) -> dict[str, list[Period]]:
    """The periods that count (not cancelled) of the given teachers (all if None)."""
    sql = (
        f"SELECT teacher_id, starts_on, ends_on FROM {source('teacher_periods', at)}"
        " WHERE cancelled = 0"
    )
    params: list[str] = []
    if teacher_ids is not None:
        params = sorted(set(teacher_ids))
        sql += f" AND teacher_id IN ({', '.join('?' for _ in params)})"
    found: dict[str, list[Period]] = {}
    for row in db.query(sql + " ORDER BY teacher_id, starts_on", params):
        found.setdefault(row["teacher_id"], []).append(
            (date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"]))
        )
    return found


def teacher(
    db: Database, teacher_id: str, on: date | None = None, *, at: int | None = None
) -> dict[str, Any] | None:
    """One teacher on ``on`` (default today): totals as in ``list_teachers``, every period
    (``period_list``, cancelled ones marked) and ``short_since``, the first day of a
    shortfall that holds on ``on``."""
    day = on or today()
    found = list(db.query(f"SELECT t.* FROM {teachers_on(day, at)} WHERE t.id = ?", [teacher_id]))
    if not found:
        return None
    row = _judged(as_stood(found[0]), day)
    periods = db.query(
        "SELECT number, agreement_id, enterprise_id, starts_on, ends_on, cancelled,"
        f" cancellation_reason FROM {source('teacher_periods', at)}"
        " WHERE teacher_id = ? ORDER BY number",
        [teacher_id],
    )
    row["period_list"] = [{**p, "cancelled": bool(p["cancelled"])} for p in periods]
    since = short_since(periods_of(db, [teacher_id], at=at).get(teacher_id, []), day)
    row["short_since"] = since.isoformat() if since else None
    return row
