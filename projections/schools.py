"""Schools 技工院校 and their majors 专业, as they stand now (§三, §四(二)1).

Tables: ``schools`` (one row per school) and ``school_majors`` (one row per school and major
name; a major reopened after closing is the same row, open again).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from domain.school import School
from projections.engine import (
    Page,
    Recorded,
    Rows,
    View,
    Where,
    as_stood,
    counts,
    page,
    source,
    topic,
)

view = View("schools", version=1)


@view.migrations()
def m001_schools(db: Database) -> None:
    db.table("schools").create(
        {
            "id": str,
            "uscc": str,
            "name": str,
            "kind": str,
            "prefecture": str,
            "established_on": str,
            "withdrawn_on": str,
            "upgraded_on": str,
            "registered_at": str,
        },
        pk="id",
    )
    db.table("schools").create_index(["prefecture", "kind"])
    db.table("schools").create_index(["kind"])
    db.table("schools").create_index(["name"])
    db.table("school_majors").create(
        {
            "school_id": str,
            "name": str,
            "opened_year": int,
            "opened_as": str,
            "closed_year": int,
        },
        pk=("school_id", "name"),
    )
    db.table("school_majors").create_index(["name"])


@view.handles(topic(School, "Registered"))
def registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "schools",
        {
            "id": event.aggregate_id,
            "uscc": event["uscc"],
            "name": event["name"],
            "kind": event["kind"],
            "prefecture": event["prefecture"],
            "established_on": event["established_on"],
            "withdrawn_on": None,
            "upgraded_on": None,
            "registered_at": event.timestamp,
        },
    )


@view.handles(topic(School, "Upgraded"))
def upgraded(event: Recorded, rows: Rows) -> None:
    rows.put(
        "schools", {"id": event.aggregate_id, "kind": event["kind"], "upgraded_on": event["on"]}
    )


@view.handles(topic(School, "Withdrawn"))
def withdrawn(event: Recorded, rows: Rows) -> None:
    rows.put("schools", {"id": event.aggregate_id, "withdrawn_on": event["on"]})


@view.handles(topic(School, "Corrected"))
def corrected(event: Recorded, rows: Rows) -> None:
    rows.put("schools", {"id": event.aggregate_id, event["field"]: event["value"]})


@view.handles(topic(School, "MajorOpened"))
def major_opened(event: Recorded, rows: Rows) -> None:
    school = rows.get("schools", event.aggregate_id)
    assert school is not None
    rows.put(
        "school_majors",
        {
            "school_id": event.aggregate_id,
            "name": event["name"],
            "opened_year": event["year"],
            "opened_as": school["kind"],
            "closed_year": None,
        },
    )


@view.handles(topic(School, "MajorClosed"))
def major_closed(event: Recorded, rows: Rows) -> None:
    rows.put(
        "school_majors",
        {"school_id": event.aggregate_id, "name": event["name"], "closed_year": event["year"]},
    )


# --- queries --------------------------------------------------------------------------------


def _where(
    prefecture: str | None, kind: str | None, withdrawn: bool | None, name: str | None = None
) -> Where:
    where = Where()
    where.add_if(prefecture, "prefecture = ?")
    where.add_if(kind, "kind = ?")
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.add("name LIKE ? ESCAPE '\\'", f"%{escaped}%")
    if withdrawn is not None:
        where.add("withdrawn_on IS NOT NULL" if withdrawn else "withdrawn_on IS NULL")
    return where


def list_schools(
    db: Database,
    *,
    prefecture: str | None = None,
    kind: str | None = None,
    withdrawn: bool | None = None,
    name: str | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Schools by name; ``withdrawn=False`` leaves out schools that left the registry;
    ``name`` keeps those whose name contains it (the partnership form's school picker).
    ``at``: as of that position (projections/engine/asof.py), as in every query here."""
    return page(
        db,
        select="*",
        source=source("schools", at),
        where=_where(prefecture, kind, withdrawn, name),
        order_by="name, id",
        limit=limit,
        offset=offset,
    )


def count_schools(
    db: Database,
    by: str,
    *,
    prefecture: str | None = None,
    kind: str | None = None,
    withdrawn: bool | None = None,
    at: int | None = None,
) -> dict[str, int]:
    """Schools counted by ``kind`` or ``prefecture``."""
    if by not in ("kind", "prefecture"):
        raise ValueError(f"schools are counted by kind or prefecture, not {by!r}")
    where = _where(prefecture, kind, withdrawn)
    return counts(
        db.query(
            f"SELECT {by} AS key, count(*) AS n FROM {source('schools', at)}{where.sql}"
            f" GROUP BY {by}",
            where.params,
        )
    )


def school(db: Database, school_id: str, at: int | None = None) -> dict[str, Any] | None:
    """One school with its majors (open and closed) under ``majors``."""
    found = list(db.query(f"SELECT * FROM {source('schools', at)} WHERE id = ?", [school_id]))
    if not found:
        return None
    return {**as_stood(found[0]), "majors": majors(db, school_id=school_id, at=at)}


def majors(
    db: Database,
    *,
    school_id: str | None = None,
    name: str | None = None,
    open_only: bool = False,
    at: int | None = None,
) -> list[dict[str, Any]]:
    """Majors by school and name, optionally only those still open."""
    where = Where()
    where.add_if(school_id, "school_id = ?")
    where.add_if(name, "name = ?")
    if open_only:
        where.add("closed_year IS NULL")
    return [
        as_stood(row)
        for row in db.query(
            f"SELECT * FROM {source('school_majors', at)}{where.sql} ORDER BY school_id, name",
            where.params,
        )
    ]
