"""Findings about states that arrive without an event, computed for the day asked.

Nothing here is stored: cover lapses, overruns, shortfalls, expiries, a prefecture without
a technician college and missing returns follow from effective dates kept by the views
(placements, policies, teachers, agreements, indicators, returns) and are worked out when a
page asks, for its day D. Each finding opened on or before D; it is closed when the state
ended on or before D (a closing event's position is given where one caused it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
from sqlite_utils import Database

from domain.placement import PlacementKind, last_day_within_six_months
from domain.prefectures import PREFECTURES
from projections.agreement_queries import SIGNED
from projections.cover import covers_of, gaps
from projections.engine import source
from projections.finding_rules import PLAN_STARTS, RuleId
from projections.indicators import schools, technician_college_spells
from projections.placements import last_running_day
from projections.practice import short_since
from projections.teachers import periods_of, teachers_on
from projections.vocabulary import sql_text

ONE_DAY = timedelta(days=1)
IN_LIST_LIMIT = 500


@dataclass(frozen=True)
class Scope:
    """Filters a computation may use to read less (the caller filters exactly)."""

    school: str | None = None
    enterprise: str | None = None


def finding(
    rule: str,
    subject: tuple[str, str, str],
    opened_on: date,
    closed_on: date | None,
    parties: dict[str, Any],
    detail: dict[str, Any],
    closed_position: int | None = None,
) -> dict[str, Any]:
    subject_type, subject_id, key = subject
    return {
        "id": f"{rule}/{subject_id}/{key}/{opened_on.isoformat()}",
        "rule": rule,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "subject_key": key,
        "school_id": parties.get("school_id"),
        "enterprise_id": parties.get("enterprise_id"),
        "agreement_id": parties.get("agreement_id"),
        "opened_on": opened_on.isoformat(),
        "opened_position": None,
        "closed_on": closed_on.isoformat() if closed_on else None,
        "closed_position": closed_position,
        "detail": detail,
    }


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _parties(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("school_id", "enterprise_id", "agreement_id")}


def _placements(
    db: Database, where: str, params: list[Any], scope: Scope, at: int | None
) -> list[dict[str, Any]]:
    sql = (
        "SELECT id, school_id, enterprise_id, agreement_id, kind, required_cover, ends_on,"
        f" started_on, ended_on FROM {source('placements', at, 'a')} WHERE {where}"
    )
    if scope.school:
        sql, params = sql + " AND a.school_id = ?", [*params, scope.school]
    if scope.enterprise:
        sql, params = sql + " AND a.enterprise_id = ?", [*params, scope.enterprise]
    return list(db.query(sql, params))


def cover_lapses(db: Database, day: date, scope: Scope, at: int | None) -> Iterator[dict[str, Any]]:
    """Each stretch while a placement ran on which a required kind was not in force: opened
    the first day without it, closed the day cover resumed or the placement ended."""
    rows = _placements(db, "a.started_on <= ?", [day.isoformat()], scope, at)
    ids = [r["id"] for r in rows]
    covers = covers_of(db, ids if len(ids) <= IN_LIST_LIMIT else None, at=at)
    for row in rows:
        last = last_running_day(row, day)
        if last is None:
            continue
        started_on, ended_on = date.fromisoformat(row["started_on"]), _day(row["ended_on"])
        required = orjson.loads(row["required_cover"])
        for gap in gaps(required, covers.get(row["id"], []), started_on, last):
            closed_on = gap.ends_on
            if closed_on is None and last < day:
                closed_on = ended_on
            yield finding(
                RuleId.COVER_LAPSE,
                ("placement", row["id"], gap.kind),
                gap.starts_on,
                closed_on,
                _parties(row),
                {"kind": gap.kind},
            )


def overruns(db: Database, day: date, scope: Scope, at: int | None) -> Iterator[dict[str, Any]]:
    """Post internships running past 6 months with no exception recorded: opened the first
    day past the 6 months (``Placement.overrun_from``), closed the day the placement ended."""
    latest_start = (day - timedelta(days=181)).isoformat()  # six months are at least 181 days
    where = (
        f"a.kind = {sql_text(PlacementKind.POST_INTERNSHIP)}"
        " AND a.duration_exception = 0 AND a.started_on <= ?"
    )
    for row in _placements(db, where, [latest_start], scope, at):
        started_on, ended_on = date.fromisoformat(row["started_on"]), _day(row["ended_on"])
        overrun_from = last_day_within_six_months(started_on) + ONE_DAY
        if overrun_from > day or (ended_on is not None and ended_on <= overrun_from):
            continue
        closed_on = ended_on if ended_on is not None and ended_on <= day else None
        yield finding(
            RuleId.POST_INTERNSHIP_OVERRUN,
            ("placement", row["id"], ""),
            overrun_from,
            closed_on,
            _parties(row),
            {"started_on": row["started_on"], "planned_end": row["ends_on"]},
        )


def shortfalls(db: Database, day: date, scope: Scope, at: int | None) -> Iterator[dict[str, Any]]:
    """Teachers short of 180 practice days in the 5 years ending on D, open since the first
    day of the shortfall (``practice.short_since``)."""
    sql = f"SELECT t.id, t.school_id, t.staff_number, t.practice_days FROM {teachers_on(day, at)}"
    sql += " WHERE t.practice_days < 180"
    params = []
    if scope.school:
        sql, params = sql + " AND t.school_id = ?", [scope.school]
    short = list(db.query(sql, params))
    ids = [t["id"] for t in short]
    periods = periods_of(db, ids if len(ids) <= IN_LIST_LIMIT else None, at=at)
    for teacher in short:
        since = short_since(periods.get(teacher["id"], []), day)
        assert since is not None
        yield finding(
            RuleId.TEACHER_SHORT_OF_PRACTICE,
            ("teacher", teacher["id"], ""),
            since,
            None,
            {"school_id": teacher["school_id"]},
            {
                "staff_number": teacher["staff_number"],
                "practice_days": teacher["practice_days"],
                "shortfall": 180 - teacher["practice_days"],
            },
        )


def expired_in_use(
    db: Database, day: date, scope: Scope, at: int | None
) -> Iterator[dict[str, Any]]:
    """Agreements whose end date passed while a placement under them still ran: opened the
    first day after the end, closed the day the last such placement ended."""
    sql = (
        "SELECT a.id AS agreement_id, a.school_id, a.enterprise_id, a.ends_on,"
        " count(*) AS placements, max(p.ended_on IS NULL OR p.ended_on > ?) AS running,"
        " max(p.ended_on) AS last_ended_on"
        f" FROM {source('placements', at, 'p')}"
        f" JOIN {source('agreements', at, 'a')} ON a.id = p.agreement_id"
        " WHERE p.started_on <= date(a.ends_on, '+1 day') AND a.ends_on < ?"
        " AND (p.ended_on IS NULL OR p.ended_on > date(a.ends_on, '+1 day'))"
        f" AND a.status IN {SIGNED}"
        " AND (a.terminated_on IS NULL OR a.terminated_on > date(a.ends_on, '+1 day'))"
    )
    params: list[Any] = [day.isoformat(), day.isoformat()]
    if scope.school:
        sql, params = sql + " AND a.school_id = ?", [*params, scope.school]
    if scope.enterprise:
        sql, params = sql + " AND a.enterprise_id = ?", [*params, scope.enterprise]
    for row in db.query(sql + " GROUP BY a.id", params):
        yield finding(
            RuleId.AGREEMENT_EXPIRED_IN_USE,
            ("agreement", row["agreement_id"], ""),
            date.fromisoformat(row["ends_on"]) + ONE_DAY,
            None if row["running"] else date.fromisoformat(row["last_ended_on"]),
            _parties(row),
            {"ends_on": row["ends_on"], "placements": row["placements"]},
        )


def prefectures_without_college(
    db: Database, day: date, scope: Scope, at: int | None
) -> Iterator[dict[str, Any]]:
    """专栏3: each stretch since the plan began on which a prefecture had no technician
    college; closed the day one was established or upgraded."""
    if scope.school or scope.enterprise or day < PLAN_STARTS:
        return
    spells: dict[str, list[tuple[date, date | None]]] = {code: [] for code in PREFECTURES}
    for school in schools(db, at):
        for since, until in technician_college_spells(school):
            spells.setdefault(school["prefecture"], []).append(
                (date.fromisoformat(since), _day(until))
            )
    for code, held in spells.items():
        uncovered = PLAN_STARTS
        for starts_on, ends_on in sorted(held, key=lambda spell: spell[0]):
            if starts_on > day:
                break
            if starts_on > uncovered:
                yield _without(code, uncovered, starts_on)
            if ends_on is None:
                uncovered = date.max
                break
            uncovered = max(uncovered, ends_on)
        if uncovered <= day:
            yield _without(code, uncovered, None)


def _without(code: str, since: date, until: date | None) -> dict[str, Any]:
    return finding(
        RuleId.PREFECTURE_WITHOUT_TECHNICIAN_COLLEGE,
        ("prefecture", code, ""),
        since,
        until,
        {},
        {"prefecture": code, "name": PREFECTURES.get(code)},
    )


def missing_returns(
    db: Database, day: date, scope: Scope, at: int | None
) -> Iterator[dict[str, Any]]:
    """Schools that existed in a year and had no return on record the day after its
    deadline: opened that day, closed the day a late return was recorded."""
    if scope.enterprise:
        return
    for deadline in db.query(
        f"SELECT year, due_on FROM {source('return_deadlines', at)} WHERE due_on < ?",
        [day.isoformat()],
    ):
        year, due_on = deadline["year"], date.fromisoformat(deadline["due_on"])
        sql = (
            "SELECT s.id AS school_id, r.filed_on, r.filed_position"
            f" FROM {source('schools', at, 's')}"
            f" LEFT JOIN {source('annual_returns', at, 'r')} ON r.school_id = s.id AND r.year = ?"
            " WHERE s.established_on < ? AND (s.withdrawn_on IS NULL OR s.withdrawn_on >= ?)"
            " AND (r.filed_on IS NULL OR r.filed_on > ?)"
        )
        params: list[Any] = [year, f"{year + 1}-01-01", f"{year}-01-01", due_on.isoformat()]
        if scope.school:
            sql, params = sql + " AND s.id = ?", [*params, scope.school]
        for row in db.query(sql, params):
            filed_on = _day(row["filed_on"])
            closed = filed_on is not None and filed_on <= day
            yield finding(
                RuleId.RETURN_MISSING,
                ("school", row["school_id"], str(year)),
                due_on + ONE_DAY,
                filed_on if closed else None,
                {"school_id": row["school_id"]},
                {"year": year, "due_on": due_on.isoformat()},
                row["filed_position"] if closed else None,
            )


# each reads the day's population as recorded at a position (None: now)
COMPUTED: dict[RuleId, Callable[[Database, date, Scope, int | None], Iterator[dict[str, Any]]]] = {
    RuleId.COVER_LAPSE: cover_lapses,
    RuleId.POST_INTERNSHIP_OVERRUN: overruns,
    RuleId.TEACHER_SHORT_OF_PRACTICE: shortfalls,
    RuleId.AGREEMENT_EXPIRED_IN_USE: expired_in_use,
    RuleId.PREFECTURE_WITHOUT_TECHNICIAN_COLLEGE: prefectures_without_college,
    RuleId.RETURN_MISSING: missing_returns,
}
