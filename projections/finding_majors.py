"""Findings about majors newly opened by technician colleges without an above-designated-size
co-builder (§四(五)3), and the agreements the findings view keeps (each handler joins the view of
projections/finding_book.py).

A major counts as newly opened when a school that is a technician college at the time opens
it in the plan's period (from 2021). It is co-built by a countersigned agreement with the
``co_built_major`` mode naming it, with an enterprise above designated size. The finding
opens on 1 January of the year the major opened (the registry knows only the year) and
closes on the day such a co-builder appears: the countersignature, an accepted amendment
naming the major (the day it was recorded), or the enterprise becoming above designated
size; or on 1 January after the year the major closed. Once co-built, the rule is met: a
later termination does not reopen it.
"""

from __future__ import annotations

import json
from typing import Any

from domain.agreement import CooperationAgreement, Mode, Status
from domain.enterprise import Enterprise
from domain.school import School
from projections.engine import Recorded, Rows, json_text, topic
from projections.finding_book import close_finding, open_finding, recorded_day, view
from projections.finding_rules import PLAN_STARTS, RuleId

RULE = RuleId.MAJOR_WITHOUT_CO_BUILDER


def co_built_majors(modes: list[str], majors: list[str]) -> list[str]:
    return list(majors) if Mode.CO_BUILT_MAJOR.value in modes else []


# --- schools and their majors --------------------------------------------------------------


@view.handles(topic(School, "Registered"), topic(School, "Upgraded"))
def school_kind(event: Recorded, rows: Rows) -> None:
    rows.put("finding_schools", {"id": event.aggregate_id, "kind": event["kind"]})


@view.handles(topic(School, "Corrected"))
def school_corrected(event: Recorded, rows: Rows) -> None:
    if event["field"] == "kind":
        rows.put("finding_schools", {"id": event.aggregate_id, "kind": event["value"]})


@view.handles(topic(School, "MajorOpened"))
def major_opened(event: Recorded, rows: Rows) -> None:
    school = rows.get("finding_schools", event.aggregate_id)
    if school is None or school["kind"] != "technician_college":
        return
    if event["year"] < PLAN_STARTS.year:
        return
    co_builders = rows.select(
        "SELECT 1 FROM finding_co_builders c JOIN finding_enterprises e"
        " ON e.id = (SELECT enterprise_id FROM finding_agreements WHERE id = c.agreement_id)"
        " WHERE c.school_id = ? AND c.major = ? AND e.above_designated_size = 1",
        [event.aggregate_id, event["name"]],
    )
    if not co_builders:
        open_finding(
            rows,
            RULE,
            ("school", event.aggregate_id, event["name"]),
            event,
            f"{event['year']}-01-01",
            {"school_id": event.aggregate_id},
            {"major": event["name"], "year": event["year"]},
        )


@view.handles(topic(School, "MajorClosed"))
def major_closed(event: Recorded, rows: Rows) -> None:
    closed_on = f"{event['year'] + 1}-01-01"  # a major runs to the end of its closing year
    close_finding(rows, RULE, event.aggregate_id, event["name"], event, closed_on)


# --- enterprises: size, and the majors they co-build ------------------------------------------


@view.handles(topic(Enterprise, "Registered"))
def enterprise_registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "finding_enterprises",
        {
            "id": event.aggregate_id,
            "above_designated_size": int(event["above_designated_size"]),
            "co_built": "[]",
        },
    )


def _size_changed(event: Recorded, rows: Rows, above: bool, on: str) -> None:
    rows.put("finding_enterprises", {"id": event.aggregate_id, "above_designated_size": int(above)})
    if above:
        enterprise = rows.get("finding_enterprises", event.aggregate_id)
        assert enterprise is not None
        for school_id, major, _ in json.loads(enterprise["co_built"]):
            close_finding(rows, RULE, school_id, major, event, on)


@view.handles(topic(Enterprise, "AttributesChanged"))
def enterprise_changed(event: Recorded, rows: Rows) -> None:
    if "above_designated_size" in event["changes"]:
        above = bool(event["changes"]["above_designated_size"])
        _size_changed(event, rows, above, event["effective_on"])


@view.handles(topic(Enterprise, "Corrected"))
def enterprise_corrected(event: Recorded, rows: Rows) -> None:
    if event["field"] == "above_designated_size":
        _size_changed(event, rows, bool(event["value"]), recorded_day(event))


# --- agreements ------------------------------------------------------------------------------


def _agreement(rows: Rows, event: Recorded) -> dict[str, Any]:
    agreement = rows.get("finding_agreements", event.aggregate_id)
    assert agreement is not None, f"no agreement {event.aggregate_id}"
    return agreement


def _co_build(rows: Rows, event: Recorded, agreement: dict[str, Any], majors: list[str]) -> None:
    """The agreement now co-builds ``majors`` (in force): record it, close open findings."""
    enterprise = rows.get("finding_enterprises", agreement["enterprise_id"])
    co_built = json.loads(enterprise["co_built"]) if enterprise else []
    known = {(s, m, a) for s, m, a in co_built}
    for major in majors:
        entry = (agreement["school_id"], major, agreement["id"])
        rows.put(
            "finding_co_builders",
            {"school_id": entry[0], "major": major, "agreement_id": entry[2]},
        )
        if entry not in known:
            co_built.append(list(entry))
    if enterprise is None:
        return
    rows.put("finding_enterprises", {"id": enterprise["id"], "co_built": json_text(co_built)})
    if enterprise["above_designated_size"]:
        on = event["on"] if "on" in event else recorded_day(event)
        for major in majors:
            close_finding(rows, RULE, agreement["school_id"], major, event, on)


def _no_longer_co_built(rows: Rows, agreement: dict[str, Any], majors: list[str]) -> None:
    for major in majors:
        rows.delete("finding_co_builders", agreement["school_id"], major, agreement["id"])
    enterprise = rows.get("finding_enterprises", agreement["enterprise_id"])
    if enterprise is not None:
        dropped = {(agreement["school_id"], m, agreement["id"]) for m in majors}
        kept = [e for e in json.loads(enterprise["co_built"]) if tuple(e) not in dropped]
        rows.put("finding_enterprises", {"id": enterprise["id"], "co_built": json_text(kept)})


@view.handles(topic(CooperationAgreement, "Proposed"))
def agreement_proposed(event: Recorded, rows: Rows) -> None:
    rows.put(
        "finding_agreements",
        {
            "id": event.aggregate_id,
            "school_id": event["school_id"],
            "enterprise_id": event["enterprise_id"],
            "status": Status.PROPOSED,
            "starts_on": event["starts_on"],
            "ends_on": event["ends_on"],
            "terminated_on": None,
            "majors": json_text(co_built_majors(event["modes"], event["majors"])),
            "pending": None,
        },
    )


@view.handles(topic(CooperationAgreement, "Countersigned"))
def agreement_countersigned(event: Recorded, rows: Rows) -> None:
    agreement = _agreement(rows, event)
    rows.put("finding_agreements", {"id": agreement["id"], "status": Status.COUNTERSIGNED})
    _co_build(rows, event, agreement, json.loads(agreement["majors"]))


def _agreement_status(event: Recorded, rows: Rows, status: Status) -> None:
    rows.put("finding_agreements", {"id": event.aggregate_id, "status": status})


@view.handles(topic(CooperationAgreement, "Declined"))
def agreement_declined(event: Recorded, rows: Rows) -> None:
    _agreement_status(event, rows, Status.DECLINED)


@view.handles(topic(CooperationAgreement, "Suspended"))
def agreement_suspended(event: Recorded, rows: Rows) -> None:
    _agreement_status(event, rows, Status.SUSPENDED)


@view.handles(topic(CooperationAgreement, "Resumed"))
def agreement_resumed(event: Recorded, rows: Rows) -> None:
    _agreement_status(event, rows, Status.COUNTERSIGNED)


@view.handles(topic(CooperationAgreement, "Terminated"))
def agreement_terminated(event: Recorded, rows: Rows) -> None:
    rows.put(
        "finding_agreements",
        {"id": event.aggregate_id, "status": Status.TERMINATED, "terminated_on": event["on"]},
    )


@view.handles(topic(CooperationAgreement, "AmendmentProposed"))
def amendment_proposed(event: Recorded, rows: Rows) -> None:
    pending = {
        "starts_on": event["starts_on"],
        "ends_on": event["ends_on"],
        "majors": co_built_majors(event["modes"], event["majors"]),
    }
    rows.put("finding_agreements", {"id": event.aggregate_id, "pending": json_text(pending)})


@view.handles(topic(CooperationAgreement, "AmendmentAccepted"))
def amendment_accepted(event: Recorded, rows: Rows) -> None:
    agreement = _agreement(rows, event)
    terms = json.loads(agreement["pending"])
    old = json.loads(agreement["majors"])
    rows.put(
        "finding_agreements",
        {
            "id": agreement["id"],
            "starts_on": terms["starts_on"],
            "ends_on": terms["ends_on"],
            "majors": json_text(terms["majors"]),
            "pending": None,
        },
    )
    _no_longer_co_built(rows, agreement, [m for m in old if m not in terms["majors"]])
    _co_build(rows, event, agreement, [m for m in terms["majors"] if m not in old])


@view.handles(
    topic(CooperationAgreement, "AmendmentDeclined"),
    topic(CooperationAgreement, "AmendmentWithdrawn"),
)
def amendment_dropped(event: Recorded, rows: Rows) -> None:
    rows.put("finding_agreements", {"id": event.aggregate_id, "pending": None})
