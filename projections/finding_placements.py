"""Findings events open about placements: fees, working arrangements, intermediaries, links
to another party's policy, and late annual returns (each handler joins the findings
view of projections/finding_book.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.annual_return import AnnualReturn
from domain.insurance import InsurancePolicy
from domain.placement import MINIMUM_PAY_SHARE, IntermediaryAttempt, Placement, PlacementKind
from projections.engine import Recorded, Rows, topic
from projections.finding_book import close_finding, open_finding, recorded_day, view
from projections.finding_rules import RuleId

WORKING_RULES = (
    RuleId.PAY_BELOW_80_PERCENT,
    RuleId.NIGHT_SHIFT,
    RuleId.OVERTIME,
    RuleId.HOLIDAY_WORK,
)


@view.handles(topic(Placement, "Registered"))
def placement_registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "finding_placements",
        {
            "id": event.aggregate_id,
            "school_id": event["school_id"],
            "enterprise_id": event["enterprise_id"],
            "agreement_id": event["agreement_id"],
            "kind": event["kind"],
            "ended_on": None,
            "fees": 0,
        },
    )


def _placement(rows: Rows, event: Recorded) -> dict[str, Any]:
    placement = rows.get("finding_placements", event.aggregate_id)
    assert placement is not None, f"no placement {event.aggregate_id}"
    return placement


def _parties(placement: dict[str, Any]) -> dict[str, Any]:
    return {k: placement[k] for k in ("school_id", "enterprise_id", "agreement_id")}


@view.handles(topic(Placement, "FeeReported"))
def fee_reported(event: Recorded, rows: Rows) -> None:
    """严禁向学生违规收取实习实训费用: each reported fee is a finding no event closes."""
    placement = _placement(rows, event)
    number = placement["fees"] + 1
    rows.put("finding_placements", {"id": placement["id"], "fees": number})
    open_finding(
        rows,
        RuleId.FEE_CHARGED_TO_STUDENT,
        ("placement", placement["id"], str(number)),
        event,
        event["charged_on"],
        _parties(placement),
        {"amount": event["amount"], "purpose": event["purpose"]},
    )


def working_violations(kind: str, event: Recorded) -> dict[str, dict[str, Any]]:
    """The violations of a working arrangement, as ``Placement.working_violations``."""
    found: dict[str, dict[str, Any]] = {}
    post_wage = event["post_wage"]
    underpaid = (
        post_wage is not None and Decimal(event["pay"]) < Decimal(post_wage) * MINIMUM_PAY_SHARE
    )
    if kind == PlacementKind.POST_INTERNSHIP and underpaid:
        found[RuleId.PAY_BELOW_80_PERCENT] = {"pay": event["pay"], "post_wage": post_wage}
    for rule, flag in (
        (RuleId.NIGHT_SHIFT, "night_shifts"),
        (RuleId.OVERTIME, "overtime"),
        (RuleId.HOLIDAY_WORK, "holiday_work"),
    ):
        if event[flag]:
            found[rule] = {}
    return found


@view.handles(topic(Placement, "WorkingArrangementRecorded"))
def working_arrangement_recorded(event: Recorded, rows: Rows) -> None:
    """The latest arrangement recorded is the one in force: it opens the violations it has
    and closes those it no longer has, from its effective day."""
    placement = _placement(rows, event)
    found = working_violations(placement["kind"], event)
    for rule in WORKING_RULES:
        if rule in found:
            subject = ("placement", placement["id"], "")
            day = event["effective_on"]
            open_finding(rows, rule, subject, event, day, _parties(placement), found[rule])
            if placement["ended_on"] is not None:
                close_finding(rows, rule, placement["id"], "", event, placement["ended_on"])
        else:
            close_finding(rows, rule, placement["id"], "", event, event["effective_on"])


@view.handles(topic(Placement, "Completed"), topic(Placement, "EndedEarly"))
def placement_ended(event: Recorded, rows: Rows) -> None:
    """A working arrangement ends with its placement."""
    rows.put("finding_placements", {"id": event.aggregate_id, "ended_on": event["on"]})
    for rule in WORKING_RULES:
        close_finding(rows, rule, event.aggregate_id, "", event, event["on"])


@view.handles(topic(IntermediaryAttempt, "Recorded"))
def intermediary_attempted(event: Recorded, rows: Rows) -> None:
    open_finding(
        rows,
        RuleId.INTERMEDIARY_PLACEMENT,
        ("attempt", event.aggregate_id, ""),
        event,
        recorded_day(event),
        {k: event[k] for k in ("school_id", "enterprise_id", "agreement_id")},
        {"kind": event["kind"], "intermediary": event["intermediary"]},
    )


@view.handles(topic(InsurancePolicy, "Registered"))
def policy_registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "finding_policies",
        {
            "id": event.aggregate_id,
            "holder_id": event["holder_id"],
            "insurer": event["insurer"],
            "policy_number": event["policy_number"],
        },
    )


@view.handles(topic(InsurancePolicy, "PlacementsAdded"))
def placements_added(event: Recorded, rows: Rows) -> None:
    """A policy covers only placements of its holder: a placement of another party put on it
    (as the registry allowed before it enforced the rule) is a finding until corrected."""
    policy = rows.get("finding_policies", event.aggregate_id)
    assert policy is not None, f"no policy {event.aggregate_id}"
    for placement_id in event["placement_ids"]:
        placement = rows.get("finding_placements", placement_id)
        if placement is None or policy["holder_id"] in (
            placement["school_id"],
            placement["enterprise_id"],
        ):
            continue
        open_finding(
            rows,
            RuleId.CROSS_PARTY_COVER,
            ("placement", placement_id, event.aggregate_id),
            event,
            recorded_day(event),
            _parties(placement),
            {"insurer": policy["insurer"], "policy_number": policy["policy_number"]},
        )


@view.handles(topic(InsurancePolicy, "CrossPartyPlacementsRemoved"))
def cross_party_placements_removed(event: Recorded, rows: Rows) -> None:
    """The correction closes each placement's finding, on the day it was recorded."""
    for placement_id in event["placement_ids"]:
        close_finding(
            rows,
            RuleId.CROSS_PARTY_COVER,
            placement_id,
            event.aggregate_id,
            event,
            recorded_day(event),
        )


@view.handles(topic(AnnualReturn, "Filed"))
def return_filed(event: Recorded, rows: Rows) -> None:
    if event["late"]:
        open_finding(
            rows,
            RuleId.RETURN_LATE,
            ("return", event.aggregate_id, ""),
            event,
            event["recorded_on"],
            {"school_id": event["school_id"]},
            {"year": event["year"], "deadline": event["deadline"]},
        )
