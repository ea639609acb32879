"""Internships and apprenticeships 学生实习 / 企业新型学徒制 (§四(六)4, §四(五)2).

Tables: ``placements`` (one row per placement: student, school, enterprise, agreement, kind,
status, planned dates, the actual start and end, the cover kinds it requires as fixed when it
was registered, counts of fees, incidents and claims) and ``placement_suspensions``. The
policies covering a placement are the policies view's ``policy_placements`` rows (from
``PlacementsAdded``/``PlacementsRemoved``), and its coverage on a day is computed when asked
from the policies' periods and the placement's spans on them (projections/cover.py): in
force, the kinds missing, and each required kind's first lapse while it ran. Nothing about
cover is stored as if an event had happened.

Mentor and supervising teacher (which may be names) are not kept.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from domain.placement import Placement, PlacementStatus
from projections.cover import PolicyCover, covers_of, first_lapses, gaps, missing_kinds
from projections.engine import (
    Page,
    Recorded,
    Rows,
    View,
    Where,
    as_stood,
    counts,
    json_text,
    page,
    source,
    topic,
)
from projections.vocabulary import sql_text
from registry.clock import today

view = View("placements", version=1)

STATUSES = tuple(PlacementStatus)
COUNTABLE = ("kind", "status", "school_id", "enterprise_id")


@view.migrations()
def m001_placements(db: Database) -> None:
    placements = db.table("placements")
    placements.create(
        {
            "id": str,
            "student_id": str,
            "school_id": str,
            "enterprise_id": str,
            "agreement_id": str,
            "kind": str,
            "status": str,
            "position": str,
            "workplace_prefecture": str,
            "starts_on": str,
            "ends_on": str,
            "started_on": str,
            "ended_on": str,
            "tripartite_signed_on": str,
            "duration_exception": int,
            "required_cover": str,
            "suspensions": int,
            "fees": int,
            "incidents": int,
            "claims": int,
            "registered_at": str,
        },
        pk="id",
    )
    for columns in (
        ["school_id"],
        ["enterprise_id"],
        ["agreement_id"],
        ["student_id"],
        ["status"],
        ["kind"],
        ["started_on"],
    ):
        placements.create_index(columns)
    db.table("placement_suspensions").create(
        {"placement_id": str, "number": int, "starts_on": str, "ends_on": str},
        pk=("placement_id", "number"),
    )


@view.handles(topic(Placement, "Registered"))
def registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "placements",
        {
            "id": event.aggregate_id,
            "student_id": event["student_id"],
            "school_id": event["school_id"],
            "enterprise_id": event["enterprise_id"],
            "agreement_id": event["agreement_id"],
            "kind": event["kind"],
            "status": PlacementStatus.REGISTERED,
            "position": event["position"],
            "workplace_prefecture": event["workplace_prefecture"],
            "starts_on": event["starts_on"],
            "ends_on": event["ends_on"],
            "started_on": None,
            "ended_on": None,
            "tripartite_signed_on": None,
            "duration_exception": int(bool(event["duration_exception"])),
            "required_cover": json_text(event["required_cover"]),
            "suspensions": 0,
            "fees": 0,
            "incidents": 0,
            "claims": 0,
            "registered_at": event.timestamp,
        },
    )


def _placement(rows: Rows, event: Recorded) -> dict[str, Any]:
    placement = rows.get("placements", event.aggregate_id)
    assert placement is not None, f"no placement {event.aggregate_id}"
    return placement


@view.handles(topic(Placement, "TripartiteAgreementRecorded"))
def tripartite_recorded(event: Recorded, rows: Rows) -> None:
    rows.put("placements", {"id": event.aggregate_id, "tripartite_signed_on": event["signed_on"]})


@view.handles(topic(Placement, "DurationExceptionRecorded"))
def duration_exception_recorded(event: Recorded, rows: Rows) -> None:
    rows.put("placements", {"id": event.aggregate_id, "duration_exception": 1})


@view.handles(topic(Placement, "Started"))
def started(event: Recorded, rows: Rows) -> None:
    rows.put(
        "placements",
        {"id": event.aggregate_id, "status": PlacementStatus.STARTED, "started_on": event["on"]},
    )


@view.handles(topic(Placement, "Suspended"))
def suspended(event: Recorded, rows: Rows) -> None:
    number = _placement(rows, event)["suspensions"] + 1
    rows.put(
        "placement_suspensions",
        {"placement_id": event.aggregate_id, "number": number, "starts_on": event["on"]},
    )
    rows.put(
        "placements",
        {"id": event.aggregate_id, "status": PlacementStatus.SUSPENDED, "suspensions": number},
    )


@view.handles(topic(Placement, "Resumed"))
def resumed(event: Recorded, rows: Rows) -> None:
    number = _placement(rows, event)["suspensions"]
    rows.put(
        "placement_suspensions",
        {"placement_id": event.aggregate_id, "number": number, "ends_on": event["on"]},
    )
    rows.put("placements", {"id": event.aggregate_id, "status": PlacementStatus.STARTED})


@view.handles(topic(Placement, "Completed"))
def completed(event: Recorded, rows: Rows) -> None:
    rows.put(
        "placements",
        {"id": event.aggregate_id, "status": PlacementStatus.COMPLETED, "ended_on": event["on"]},
    )


@view.handles(topic(Placement, "EndedEarly"))
def ended_early(event: Recorded, rows: Rows) -> None:
    rows.put(
        "placements",
        {"id": event.aggregate_id, "status": PlacementStatus.ENDED_EARLY, "ended_on": event["on"]},
    )


def _count(column: str) -> Any:
    def counted(event: Recorded, rows: Rows) -> None:
        rows.put(
            "placements", {"id": event.aggregate_id, column: _placement(rows, event)[column] + 1}
        )

    return counted


view.handles(topic(Placement, "FeeReported"))(_count("fees"))
view.handles(topic(Placement, "IncidentRecorded"))(_count("incidents"))
view.handles(topic(Placement, "ClaimFiled"))(_count("claims"))


# --- queries -----------------------------------------------------------------------------------

_JSON = ("required_cover",)


def status_on(day: date, at: int | None = None) -> str:
    """SQL for a placement's state on ``day`` from its effective dates: ``registered`` before
    it starts, ``completed`` or ``ended_early`` from its end, ``suspended`` while a suspension
    holds, else ``started``; as recorded at ``at``."""
    d = f"'{day.isoformat()}'"  # a date's ISO form: safe to inline
    return (
        "CASE"
        f" WHEN a.started_on IS NULL OR {d} < a.started_on"
        f" THEN {sql_text(PlacementStatus.REGISTERED)}"
        f" WHEN a.ended_on IS NOT NULL AND a.ended_on <= {d} THEN a.status"
        f" WHEN EXISTS (SELECT 1 FROM {source('placement_suspensions', at, 's')}"
        " WHERE s.placement_id = a.id"
        f" AND s.starts_on <= {d} AND (s.ends_on IS NULL OR {d} < s.ends_on))"
        f" THEN {sql_text(PlacementStatus.SUSPENDED)}"
        f" ELSE {sql_text(PlacementStatus.STARTED)} END"
    )


def running_on(day: date) -> str:
    """SQL: started by ``day`` and not yet ended (``Placement.is_running_on``)."""
    d = f"'{day.isoformat()}'"
    return f"(a.started_on <= {d} AND (a.ended_on IS NULL OR {d} < a.ended_on))"


def last_running_day(row: dict[str, Any], day: date) -> date | None:
    """The last day up to ``day`` on which the placement ran (None if it had not started)."""
    if row["started_on"] is None or day < date.fromisoformat(row["started_on"]):
        return None
    if row["ended_on"] is not None:
        return min(day, date.fromisoformat(row["ended_on"]) - timedelta(days=1))
    return day


def coverage(row: dict[str, Any], policies: list[PolicyCover], day: date) -> dict[str, Any]:
    """Cover of one placement on ``day``: the required kinds, those in force and missing,
    ``in_force`` (nothing missing), each policy with whether it covers that day, and
    ``lapses``: each required kind's first day without cover while the placement ran, up to
    ``day`` (``domain.coverage.lapses`` over the days it ran); ``gaps``: every stretch without
    a required kind while it ran, ``until`` its last day, None while it lasts on ``day``, so
    a gap still open is exactly a kind ``missing`` on ``day`` while the placement runs."""
    required = row["required_cover"]
    if isinstance(required, str):
        required = json.loads(required)
    missing = missing_kinds(required, policies, day)
    last = last_running_day(row, day)
    started = date.fromisoformat(row["started_on"]) if last is not None else None
    lapses = first_lapses(required, policies, started, last) if started and last else []
    stretches = gaps(required, policies, started, last) if started and last else []
    return {
        "required": sorted(required),
        "covered": sorted(set(required) - set(missing)),
        "missing": missing,
        "in_force": not missing,
        "policies": [
            {"policy_id": p.policy_id, "kind": p.kind, "covers": p.covers(day)}
            for p in sorted(policies, key=lambda p: (p.kind, p.policy_id))
        ],
        "lapses": [{"kind": kind, "on": on.isoformat()} for kind, on in lapses],
        "gaps": [
            {
                "kind": gap.kind,
                "on": gap.starts_on.isoformat(),
                "until": (gap.ends_on - timedelta(days=1)).isoformat() if gap.ends_on else None,
            }
            for gap in stretches
        ],
    }


def _where(
    day: date,
    school_id: str | None,
    enterprise_id: str | None,
    agreement_id: str | None,
    student_id: str | None,
    kind: str | None,
    status: str | None,
    running: bool | None,
    policy_id: str | None,
    at: int | None,
) -> Where:
    where = Where()
    where.add_if(school_id, "a.school_id = ?")
    where.add_if(enterprise_id, "a.enterprise_id = ?")
    where.add_if(agreement_id, "a.agreement_id = ?")
    where.add_if(student_id, "a.student_id = ?")
    where.add_if(kind, "a.kind = ?")
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        where.add("a.status = ?", status)
    if running is not None:
        where.add(running_on(day) if running else f"NOT coalesce({running_on(day)}, 0)")
    where.add_if(
        policy_id,
        f"a.id IN (SELECT placement_id FROM {source('policy_placements', at)} WHERE policy_id = ?)",
    )
    return where


def list_placements(
    db: Database,
    *,
    school_id: str | None = None,
    enterprise_id: str | None = None,
    agreement_id: str | None = None,
    student_id: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    running: bool | None = None,
    policy_id: str | None = None,
    on: date | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Placements, latest planned start first, each with ``status_on`` and ``coverage`` on
    the day ``on`` (default today).

    ``status`` is the state the last event left (``STATUSES``); ``running`` keeps those
    started by ``on`` and not yet ended (a suspension does not end one); ``policy_id`` those
    the policy has covered.
    """
    day = on or today()
    found = page(
        db,
        select=f"a.*, {status_on(day, at)} AS status_on",
        source=source("placements", at, "a"),
        where=_where(
            day,
            school_id,
            enterprise_id,
            agreement_id,
            student_id,
            kind,
            status,
            running,
            policy_id,
            at,
        ),
        order_by="a.starts_on DESC, a.id",
        limit=limit,
        offset=offset,
    )
    covers = covers_of(db, [row["id"] for row in found.items], at=at)
    items = [_with_cover(row, covers.get(row["id"], []), day) for row in found.items]
    return Page(items, found.total, limit, offset)


def _with_cover(row: dict[str, Any], policies: list[PolicyCover], day: date) -> dict[str, Any]:
    row = {**row, "required_cover": json.loads(row["required_cover"])}
    row["duration_exception"] = bool(row["duration_exception"])
    row["coverage"] = coverage(row, policies, day)
    return row


def count_placements(
    db: Database,
    by: str,
    *,
    school_id: str | None = None,
    enterprise_id: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    running: bool | None = None,
    on: date | None = None,
    at: int | None = None,
) -> dict[str, int]:
    """Placements matching the filters, counted by one of ``COUNTABLE``."""
    if by not in COUNTABLE:
        raise ValueError(f"placements are counted by one of {COUNTABLE}, not {by!r}")
    day = on or today()
    where = _where(day, school_id, enterprise_id, None, None, kind, status, running, None, at)
    return counts(
        db.query(
            f"SELECT a.{by} AS key, count(*) AS n FROM {source('placements', at, 'a')}"
            f"{where.sql} GROUP BY a.{by}",
            where.params,
        )
    )


def placement(
    db: Database, placement_id: str, on: date | None = None, *, at: int | None = None
) -> dict[str, Any] | None:
    """One placement on ``on`` (default today) with its suspensions and coverage."""
    day = on or today()
    found = list(
        db.query(
            f"SELECT a.*, {status_on(day, at)} AS status_on"
            f" FROM {source('placements', at, 'a')} WHERE a.id = ?",
            [placement_id],
        )
    )
    if not found:
        return None
    covers = covers_of(db, [placement_id], at=at).get(placement_id, [])
    suspensions = db.query(
        f"SELECT number, starts_on, ends_on FROM {source('placement_suspensions', at)}"
        " WHERE placement_id = ? ORDER BY number",
        [placement_id],
    )
    stood = as_stood(found[0])
    return {**_with_cover(stood, covers, day), "suspension_periods": list(suspensions)}
