"""Enterprises 企业 as they stand now, with their certification periods as 产教融合型企业.

Tables: ``enterprises`` (one row per enterprise; ``certified_on`` is the start of the
certification in force, if any) and ``enterprise_certifications`` (one row per period, in
order; ``ends_on`` is the day it was withdrawn, exclusive, or empty while it lasts).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlite_utils import Database

from domain.enterprise import Enterprise
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

view = View("enterprises", version=1)

COUNTABLE = ("prefecture", "industry", "ownership", "above_designated_size")


@view.migrations()
def m001_enterprises(db: Database) -> None:
    db.table("enterprises").create(
        {
            "id": str,
            "uscc": str,
            "name": str,
            "prefecture": str,
            "industry": str,
            "above_designated_size": int,
            "ownership": str,
            "certified_on": str,
            "certifications": int,
            "changed_on": str,
            "registered_at": str,
        },
        pk="id",
    )
    for columns in (["prefecture"], ["industry"], ["ownership"], ["above_designated_size"]):
        db.table("enterprises").create_index(columns)
    db.table("enterprises").create_index(["name"])
    db.table("enterprise_certifications").create(
        {"enterprise_id": str, "number": int, "starts_on": str, "ends_on": str},
        pk=("enterprise_id", "number"),
    )
    db.table("enterprise_certifications").create_index(["starts_on"])


@view.handles(topic(Enterprise, "Registered"))
def registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "enterprises",
        {
            "id": event.aggregate_id,
            "uscc": event["uscc"],
            "name": event["name"],
            "prefecture": event["prefecture"],
            "industry": event["industry"],
            "above_designated_size": event["above_designated_size"],
            "ownership": event["ownership"],
            "certified_on": None,
            "certifications": 0,
            "changed_on": None,
            "registered_at": event.timestamp,
        },
    )


@view.handles(topic(Enterprise, "AttributesChanged"))
def attributes_changed(event: Recorded, rows: Rows) -> None:
    rows.put(
        "enterprises",
        {"id": event.aggregate_id, **event["changes"], "changed_on": event["effective_on"]},
    )


@view.handles(topic(Enterprise, "Corrected"))
def corrected(event: Recorded, rows: Rows) -> None:
    rows.put("enterprises", {"id": event.aggregate_id, event["field"]: event["value"]})


@view.handles(topic(Enterprise, "Certified"))
def certified(event: Recorded, rows: Rows) -> None:
    enterprise = rows.get("enterprises", event.aggregate_id)
    assert enterprise is not None
    number = enterprise["certifications"] + 1
    rows.put(
        "enterprise_certifications",
        {
            "enterprise_id": event.aggregate_id,
            "number": number,
            "starts_on": event["on"],
            "ends_on": None,
        },
    )
    rows.put(
        "enterprises",
        {"id": event.aggregate_id, "certified_on": event["on"], "certifications": number},
    )


@view.handles(topic(Enterprise, "Decertified"))
def decertified(event: Recorded, rows: Rows) -> None:
    enterprise = rows.get("enterprises", event.aggregate_id)
    assert enterprise is not None
    rows.put(
        "enterprise_certifications",
        {
            "enterprise_id": event.aggregate_id,
            "number": enterprise["certifications"],
            "ends_on": event["on"],
        },
    )
    rows.put("enterprises", {"id": event.aggregate_id, "certified_on": None})


# --- queries --------------------------------------------------------------------------------


def certified_on_day(at: int | None = None) -> str:
    """SQL keeping enterprises certified on a day (two parameters: the day, twice)."""
    return (
        f"id IN (SELECT enterprise_id FROM {source('enterprise_certifications', at)}"
        " WHERE starts_on <= ? AND (ends_on IS NULL OR ? < ends_on))"
    )


def _where(
    prefecture: str | None,
    industry: str | None,
    ownership: str | None,
    above_designated_size: bool | None,
    certified_on: date | None,
    at: int | None,
) -> Where:
    where = Where()
    where.add_if(prefecture, "prefecture = ?")
    where.add_if(industry, "industry = ?")
    where.add_if(ownership, "ownership = ?")
    if above_designated_size is not None:
        where.add("above_designated_size = ?", int(above_designated_size))
    if certified_on is not None:
        day = certified_on.isoformat()
        where.add(certified_on_day(at), day, day)
    return where


def list_enterprises(
    db: Database,
    *,
    prefecture: str | None = None,
    industry: str | None = None,
    ownership: str | None = None,
    above_designated_size: bool | None = None,
    certified_on: date | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Enterprises by name; ``certified_on`` keeps those certified on that day (in force
    that day, as recorded at ``at``: as of that position, default now)."""
    return page(
        db,
        select="*",
        source=source("enterprises", at),
        where=_where(prefecture, industry, ownership, above_designated_size, certified_on, at),
        order_by="name, id",
        limit=limit,
        offset=offset,
    )


def count_enterprises(
    db: Database,
    by: str,
    *,
    prefecture: str | None = None,
    industry: str | None = None,
    ownership: str | None = None,
    above_designated_size: bool | None = None,
    certified_on: date | None = None,
    at: int | None = None,
) -> dict[str, int]:
    """Enterprises counted by prefecture, industry, ownership or above_designated_size."""
    if by not in COUNTABLE:
        raise ValueError(f"enterprises are counted by one of {COUNTABLE}, not {by!r}")
    where = _where(prefecture, industry, ownership, above_designated_size, certified_on, at)
    return counts(
        db.query(
            f"SELECT {by} AS key, count(*) AS n FROM {source('enterprises', at)}{where.sql}"
            f" GROUP BY {by}",
            where.params,
        )
    )


def enterprise(db: Database, enterprise_id: str, at: int | None = None) -> dict[str, Any] | None:
    """One enterprise with its certification periods under ``periods``."""
    found = list(
        db.query(f"SELECT * FROM {source('enterprises', at)} WHERE id = ?", [enterprise_id])
    )
    if not found:
        return None
    periods = db.query(
        "SELECT number, starts_on, ends_on"
        f" FROM {source('enterprise_certifications', at)}"
        " WHERE enterprise_id = ? ORDER BY number",
        [enterprise_id],
    )
    return {**as_stood(found[0]), "periods": list(periods)}


def find_enterprises(
    db: Database, name: str, limit: int = 6, at: int | None = None
) -> list[dict[str, Any]]:
    """Enterprises by name, for a form that names one: the one registered under exactly
    ``name`` if there is one, else up to ``limit`` whose names contain it, by name."""
    table = source("enterprises", at)
    exact = list(db.query(f"SELECT id, uscc, name, prefecture FROM {table} WHERE name = ?", [name]))
    if exact:
        return exact
    return list(
        db.query(
            f"SELECT id, uscc, name, prefecture FROM {table} WHERE instr(name, ?) > 0"
            " ORDER BY name, id LIMIT ?",
            [name, limit],
        )
    )
