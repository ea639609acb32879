"""How the findings view keeps its rows: its tables, and opening and closing a finding.

``findings``: one row per finding, with its rule, subject (``subject_type``, ``subject_id``
and ``subject_key``: a major's name, a fee's number), the parties it concerns, the day it
opened and the position of the event that opened it, and, once closed, the day and the
position of the closing event. ``finding_subjects`` holds per rule and subject how many
findings there have been and which one is open now, so a rule reopened later gets a new
row. The other tables hold what later events need (see the handler modules).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from projections.engine import Recorded, Rows, View, json_text
from registry.clock import SHANGHAI

# the handlers' working notes on schools, enterprises, co-builders, placements and policies:
# no query reads them, so they keep no versions (finding_agreements is read by the computed
# findings)
view = View(
    "findings",
    version=2,
    internal={
        "finding_policies",
        "finding_schools",
        "finding_enterprises",
        "finding_co_builders",
        "finding_placements",
    },
)


@view.migrations()
def m001_findings(db: Database) -> None:
    create_tables(db)


@view.migrations()
def m002_finding_policies(db: Database) -> None:
    db.table("finding_policies").create(
        {"id": str, "holder_id": str, "insurer": str, "policy_number": str}, pk="id"
    )


def create_tables(db: Database) -> None:
    findings = db.table("findings")
    findings.create(
        {
            "id": str,
            "rule": str,
            "subject_type": str,
            "subject_id": str,
            "subject_key": str,
            "school_id": str,
            "enterprise_id": str,
            "agreement_id": str,
            "opened_on": str,
            "opened_position": int,
            "closed_on": str,
            "closed_position": int,
            "detail": str,
        },
        pk="id",
    )
    for columns in (["rule", "opened_on"], ["school_id"], ["enterprise_id"], ["opened_on"]):
        findings.create_index(columns)
    db.table("finding_subjects").create(
        {"rule": str, "subject_id": str, "subject_key": str, "count": int, "open_id": str},
        pk=("rule", "subject_id", "subject_key"),
    )
    db.table("finding_placements").create(
        {
            "id": str,
            "school_id": str,
            "enterprise_id": str,
            "agreement_id": str,
            "kind": str,
            "ended_on": str,
            "fees": int,
        },
        pk="id",
    )
    db.table("finding_schools").create({"id": str, "kind": str}, pk="id")
    db.table("finding_enterprises").create(
        {"id": str, "above_designated_size": int, "co_built": str}, pk="id"
    )
    agreements = db.table("finding_agreements")
    agreements.create(
        {
            "id": str,
            "school_id": str,
            "enterprise_id": str,
            "status": str,
            "starts_on": str,
            "ends_on": str,
            "terminated_on": str,
            "majors": str,
            "pending": str,
        },
        pk="id",
    )
    agreements.create_index(["ends_on"])
    db.table("finding_co_builders").create(
        {"school_id": str, "major": str, "agreement_id": str},
        pk=("school_id", "major", "agreement_id"),
    )


def recorded_day(event: Recorded) -> str:
    """The Asia/Shanghai day an event was recorded (for events with no effective date)."""
    return datetime.fromisoformat(event.timestamp).astimezone(SHANGHAI).date().isoformat()


def open_finding(
    rows: Rows,
    rule: str,
    subject: tuple[str, str, str],
    event: Recorded,
    opened_on: str,
    parties: dict[str, Any],
    detail: dict[str, Any],
) -> None:
    """Open a finding about ``subject`` (type, id, key) unless one is open already."""
    subject_type, subject_id, key = subject
    state = rows.get("finding_subjects", rule, subject_id, key)
    if state is not None and state["open_id"] is not None:
        return
    number = (state["count"] if state else 0) + 1
    finding_id = f"{rule}/{subject_id}/{key}/{number}"
    rows.put(
        "findings",
        {
            "id": finding_id,
            "rule": rule,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "subject_key": key,
            "school_id": parties.get("school_id"),
            "enterprise_id": parties.get("enterprise_id"),
            "agreement_id": parties.get("agreement_id"),
            "opened_on": opened_on,
            "opened_position": event.position,
            "closed_on": None,
            "closed_position": None,
            "detail": json_text(detail),
        },
    )
    rows.put(
        "finding_subjects",
        {
            "rule": rule,
            "subject_id": subject_id,
            "subject_key": key,
            "count": number,
            "open_id": finding_id,
        },
    )


def close_finding(
    rows: Rows, rule: str, subject_id: str, key: str, event: Recorded, closed_on: str
) -> None:
    """Close the open finding of ``rule`` about the subject, if there is one (never on a day
    before it opened)."""
    state = rows.get("finding_subjects", rule, subject_id, key)
    if state is None or state["open_id"] is None:
        return
    finding = rows.get("findings", state["open_id"])
    assert finding is not None
    rows.put(
        "findings",
        {
            "id": state["open_id"],
            "closed_on": max(closed_on, finding["opened_on"]),
            "closed_position": event.position,
        },
    )
    rows.put(
        "finding_subjects",
        {"rule": rule, "subject_id": subject_id, "subject_key": key, "open_id": None},
    )
