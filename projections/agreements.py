"""Cooperation agreements 校企合作协议 as they stand now (§四(四), 专栏5).

Tables: ``agreements`` (one row per agreement, with the agreement a renewal ``renews``),
``agreement_modes`` (one row per agreement and mode), ``agreement_suspensions`` (one row
per suspension, in order) and
``agreement_parties`` (each school's and enterprise's name, prefecture and industry, kept
from their own events so this view never reads another view's tables). Queries join the
parties in, so a renamed or relocated party needs one row changed, and filters by a
party's prefecture or industry go through that small table's indexes.
Queries are in projections/agreement_queries.py.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from domain.agreement import CooperationAgreement, Status
from domain.enterprise import Enterprise
from domain.school import School
from projections.engine import Recorded, Rows, View, json_text, topic

view = View("agreements", version=2)

PARTY_FACTS = ("name", "prefecture", "industry")


@view.migrations()
def m001_agreements(db: Database) -> None:
    agreements = db.table("agreements")
    agreements.create(
        {
            "id": str,
            "title": str,
            "school_id": str,
            "enterprise_id": str,
            "proposed_by": str,
            "status": str,
            "modes": str,
            "majors": str,
            "starts_on": str,
            "ends_on": str,
            "proposed_at": str,
            "countersigned_on": str,
            "terminated_on": str,
            "suspensions": int,
            "pending_amendment": str,
        },
        pk="id",
    )
    for columns in (["school_id"], ["enterprise_id"], ["status"], ["starts_on"]):
        agreements.create_index(columns)
    db.table("agreement_modes").create(
        {"agreement_id": str, "mode": str}, pk=("agreement_id", "mode")
    )
    db.table("agreement_modes").create_index(["mode", "agreement_id"])
    db.table("agreement_suspensions").create(
        {"agreement_id": str, "number": int, "starts_on": str, "ends_on": str},
        pk=("agreement_id", "number"),
    )
    parties = db.table("agreement_parties")
    parties.create(
        {"party_id": str, "side": str, "name": str, "prefecture": str, "industry": str},
        pk="party_id",
    )
    parties.create_index(["prefecture"])
    parties.create_index(["industry"])


@view.migrations()
def m002_renewals(db: Database) -> None:
    """The agreement a renewal continues (proposals before renewals were recorded: none)."""
    db.table("agreements").add_column("renews", str)
    db.table("agreements").create_index(["renews"])


# --- the parties' facts the view keeps --------------------------------------------------------


def _party_changed(rows: Rows, party_id: str, changes: dict[str, Any]) -> None:
    kept = {fact: value for fact, value in changes.items() if fact in PARTY_FACTS}
    if kept:
        rows.put("agreement_parties", {"party_id": party_id, **kept})


@view.handles(topic(School, "Registered"))
def school_registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "agreement_parties",
        {
            "party_id": event.aggregate_id,
            "side": "school",
            "name": event["name"],
            "prefecture": event["prefecture"],
            "industry": None,
        },
    )


@view.handles(topic(Enterprise, "Registered"))
def enterprise_registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "agreement_parties",
        {
            "party_id": event.aggregate_id,
            "side": "enterprise",
            "name": event["name"],
            "prefecture": event["prefecture"],
            "industry": event["industry"],
        },
    )


@view.handles(topic(School, "Corrected"), topic(Enterprise, "Corrected"))
def party_corrected(event: Recorded, rows: Rows) -> None:
    _party_changed(rows, event.aggregate_id, {event["field"]: event["value"]})


@view.handles(topic(Enterprise, "AttributesChanged"))
def enterprise_changed(event: Recorded, rows: Rows) -> None:
    _party_changed(rows, event.aggregate_id, event["changes"])


# --- the agreement's own life ------------------------------------------------------------------


def _set_modes(rows: Rows, agreement_id: Any, old: list[str], new: list[str]) -> None:
    for mode in set(old) - set(new):
        rows.delete("agreement_modes", agreement_id, mode)
    for mode in new:
        if mode not in old:
            rows.put("agreement_modes", {"agreement_id": agreement_id, "mode": mode})


@view.handles(topic(CooperationAgreement, "Proposed"))
def proposed(event: Recorded, rows: Rows) -> None:
    rows.put(
        "agreements",
        {
            "id": event.aggregate_id,
            "title": event["title"],
            "school_id": event["school_id"],
            "enterprise_id": event["enterprise_id"],
            "proposed_by": event["proposed_by"],
            "status": Status.PROPOSED,
            "modes": json_text(event["modes"]),
            "majors": json_text(event["majors"]),
            "starts_on": event["starts_on"],
            "ends_on": event["ends_on"],
            "proposed_at": event.timestamp,
            "countersigned_on": None,
            "terminated_on": None,
            "suspensions": 0,
            "pending_amendment": None,
            "renews": event.get("renews"),
        },
    )
    _set_modes(rows, event.aggregate_id, [], event["modes"])


@view.handles(topic(CooperationAgreement, "Countersigned"))
def countersigned(event: Recorded, rows: Rows) -> None:
    rows.put(
        "agreements",
        {"id": event.aggregate_id, "status": Status.COUNTERSIGNED, "countersigned_on": event["on"]},
    )


@view.handles(topic(CooperationAgreement, "Declined"))
def declined(event: Recorded, rows: Rows) -> None:
    rows.put("agreements", {"id": event.aggregate_id, "status": Status.DECLINED})


@view.handles(topic(CooperationAgreement, "ProposalWithdrawn"))
def withdrawn(event: Recorded, rows: Rows) -> None:
    rows.put("agreements", {"id": event.aggregate_id, "status": Status.WITHDRAWN})


@view.handles(topic(CooperationAgreement, "AmendmentProposed"))
def amendment_proposed(event: Recorded, rows: Rows) -> None:
    pending = {
        "proposed_by": event["proposed_by"],
        "modes": event["modes"],
        "starts_on": event["starts_on"],
        "ends_on": event["ends_on"],
        "majors": event["majors"],
        "reason": event["reason"],
    }
    rows.put("agreements", {"id": event.aggregate_id, "pending_amendment": json_text(pending)})


@view.handles(topic(CooperationAgreement, "AmendmentAccepted"))
def amendment_accepted(event: Recorded, rows: Rows) -> None:
    agreement = rows.get("agreements", event.aggregate_id)
    assert agreement is not None and agreement["pending_amendment"] is not None
    terms = json.loads(agreement["pending_amendment"])
    _set_modes(rows, event.aggregate_id, json.loads(agreement["modes"]), terms["modes"])
    rows.put(
        "agreements",
        {
            "id": event.aggregate_id,
            "modes": json_text(terms["modes"]),
            "starts_on": terms["starts_on"],
            "ends_on": terms["ends_on"],
            "majors": json_text(terms["majors"]),
            "pending_amendment": None,
        },
    )


@view.handles(
    topic(CooperationAgreement, "AmendmentDeclined"),
    topic(CooperationAgreement, "AmendmentWithdrawn"),
)
def amendment_dropped(event: Recorded, rows: Rows) -> None:
    rows.put("agreements", {"id": event.aggregate_id, "pending_amendment": None})


@view.handles(topic(CooperationAgreement, "Suspended"))
def suspended(event: Recorded, rows: Rows) -> None:
    agreement = rows.get("agreements", event.aggregate_id)
    assert agreement is not None
    number = agreement["suspensions"] + 1
    rows.put(
        "agreement_suspensions",
        {"agreement_id": event.aggregate_id, "number": number, "starts_on": event["on"]},
    )
    rows.put(
        "agreements", {"id": event.aggregate_id, "status": Status.SUSPENDED, "suspensions": number}
    )


@view.handles(topic(CooperationAgreement, "Resumed"))
def resumed(event: Recorded, rows: Rows) -> None:
    agreement = rows.get("agreements", event.aggregate_id)
    assert agreement is not None
    rows.put(
        "agreement_suspensions",
        {
            "agreement_id": event.aggregate_id,
            "number": agreement["suspensions"],
            "ends_on": event["on"],
        },
    )
    rows.put("agreements", {"id": event.aggregate_id, "status": Status.COUNTERSIGNED})


@view.handles(topic(CooperationAgreement, "Terminated"))
def terminated(event: Recorded, rows: Rows) -> None:
    rows.put(
        "agreements",
        {
            "id": event.aggregate_id,
            "status": Status.TERMINATED,
            "terminated_on": event["on"],
            "pending_amendment": None,
        },
    )


@view.handles(topic(CooperationAgreement, "Corrected"))
def corrected(event: Recorded, rows: Rows) -> None:
    rows.put("agreements", {"id": event.aggregate_id, event["field"]: event["value"]})
