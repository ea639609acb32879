"""Insurance policies for placed students (§四(六)4), with their periods and placements.

Tables: ``policies`` (one row per policy: holder, kind, insurer, number, the first day of
cover and the last day of its latest period, cancellation, how many placements are on it
now), ``policy_periods`` (each period of cover, in order: the registered one, renewals; an
extension moves the latest period's end) and ``policy_placements`` (one row per policy and
placement with every span the placement spent on the policy, ``[added on, removed on]``,
the removal day exclusive). Cover on a day is computed from these rows when asked
(projections/cover.py), never stored.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlite_utils import Database

from domain.insurance import InsurancePolicy
from projections.engine import (
    Page,
    Recorded,
    Rows,
    View,
    Where,
    as_stood,
    json_text,
    page,
    source,
    topic,
)
from registry.clock import today

view = View("policies", version=1)


@view.migrations()
def m001_policies(db: Database) -> None:
    policies = db.table("policies")
    policies.create(
        {
            "id": str,
            "holder_id": str,
            "kind": str,
            "insurer": str,
            "policy_number": str,
            "covers_from": str,
            "covers_until": str,
            "periods": int,
            "cancelled_on": str,
            "cancellation_reason": str,
            "placements": int,
            "registered_at": str,
        },
        pk="id",
    )
    for columns in (["holder_id"], ["kind"], ["insurer"], ["covers_until"]):
        policies.create_index(columns)
    db.table("policy_periods").create(
        {"policy_id": str, "number": int, "starts_on": str, "ends_on": str},
        pk=("policy_id", "number"),
    )
    placements = db.table("policy_placements")
    placements.create(
        {
            "policy_id": str,
            "placement_id": str,
            "spans": str,
            "on_from": str,
            "on_until": str,
        },
        pk=("policy_id", "placement_id"),
    )
    placements.create_index(["placement_id"])


@view.handles(topic(InsurancePolicy, "Registered"))
def registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "policies",
        {
            "id": event.aggregate_id,
            "holder_id": event["holder_id"],
            "kind": event["kind"],
            "insurer": event["insurer"],
            "policy_number": event["policy_number"],
            "covers_from": event["covers_from"],
            "covers_until": event["covers_until"],
            "periods": 1,
            "cancelled_on": None,
            "cancellation_reason": None,
            "placements": 0,
            "registered_at": event.timestamp,
        },
    )
    rows.put(
        "policy_periods",
        {
            "policy_id": event.aggregate_id,
            "number": 1,
            "starts_on": event["covers_from"],
            "ends_on": event["covers_until"],
        },
    )


def _policy(rows: Rows, event: Recorded) -> dict[str, Any]:
    policy = rows.get("policies", event.aggregate_id)
    assert policy is not None, f"no policy {event.aggregate_id}"
    return policy


@view.handles(topic(InsurancePolicy, "PlacementsAdded"))
def placements_added(event: Recorded, rows: Rows) -> None:
    policy_id, on = event.aggregate_id, event["on"]
    for placement_id in event["placement_ids"]:
        found = rows.get("policy_placements", policy_id, placement_id)
        spans = json.loads(found["spans"]) if found else []
        spans.append([on, None])
        rows.put(
            "policy_placements",
            {
                "policy_id": policy_id,
                "placement_id": placement_id,
                "spans": json_text(spans),
                "on_from": on,
                "on_until": None,
            },
        )
    count = _policy(rows, event)["placements"] + len(event["placement_ids"])
    rows.put("policies", {"id": policy_id, "placements": count})


@view.handles(topic(InsurancePolicy, "PlacementsRemoved"))
def placements_removed(event: Recorded, rows: Rows) -> None:
    policy_id, on = event.aggregate_id, event["on"]
    for placement_id in event["placement_ids"]:
        found = rows.get("policy_placements", policy_id, placement_id)
        assert found is not None
        spans = json.loads(found["spans"])
        spans[-1][1] = on
        rows.put(
            "policy_placements",
            {
                "policy_id": policy_id,
                "placement_id": placement_id,
                "spans": json_text(spans),
                "on_until": on,
            },
        )
    count = _policy(rows, event)["placements"] - len(event["placement_ids"])
    rows.put("policies", {"id": policy_id, "placements": count})


@view.handles(topic(InsurancePolicy, "CrossPartyPlacementsRemoved"))
def cross_party_placements_removed(event: Recorded, rows: Rows) -> None:
    """A correction: placements of another party come off the policy, as never on it."""
    policy_id = event.aggregate_id
    still_on = 0
    for placement_id in event["placement_ids"]:
        found = rows.get("policy_placements", policy_id, placement_id)
        if found is None:
            continue
        still_on += found["on_until"] is None
        rows.delete("policy_placements", policy_id, placement_id)
    count = _policy(rows, event)["placements"] - still_on
    rows.put("policies", {"id": policy_id, "placements": count})


@view.handles(topic(InsurancePolicy, "Renewed"))
def renewed(event: Recorded, rows: Rows) -> None:
    number = _policy(rows, event)["periods"] + 1
    rows.put(
        "policy_periods",
        {
            "policy_id": event.aggregate_id,
            "number": number,
            "starts_on": event["covers_from"],
            "ends_on": event["covers_until"],
        },
    )
    rows.put(
        "policies",
        {"id": event.aggregate_id, "periods": number, "covers_until": event["covers_until"]},
    )


@view.handles(topic(InsurancePolicy, "Extended"))
def extended(event: Recorded, rows: Rows) -> None:
    number = _policy(rows, event)["periods"]
    rows.put(
        "policy_periods",
        {"policy_id": event.aggregate_id, "number": number, "ends_on": event["covers_until"]},
    )
    rows.put("policies", {"id": event.aggregate_id, "covers_until": event["covers_until"]})


@view.handles(topic(InsurancePolicy, "Cancelled"))
def cancelled(event: Recorded, rows: Rows) -> None:
    rows.put(
        "policies",
        {
            "id": event.aggregate_id,
            "cancelled_on": event["on"],
            "cancellation_reason": event["reason"],
        },
    )


# --- queries -----------------------------------------------------------------------------------

HOLDER_COLUMNS = "h.name AS holder_name, h.side AS holder_side, h.prefecture AS holder_prefecture"


def policies_with_holders(at: int | None) -> str:
    """SQL for ``FROM``: the policies ``p`` with their holders ``h``, as of ``at``."""
    return (
        f"{source('policies', at, 'p')}"
        f" LEFT JOIN {source('agreement_parties', at, 'h')} ON h.party_id = p.holder_id"
    )


def in_force_on(day: date, at: int | None = None) -> str:
    """SQL: the policy is in force on ``day`` (``InsurancePolicy.in_force_on``), as of ``at``."""
    d = f"'{day.isoformat()}'"  # a date's ISO form: safe to inline
    return (
        f"((p.cancelled_on IS NULL OR {d} < p.cancelled_on) AND EXISTS (SELECT 1 FROM"
        f" {source('policy_periods', at, 'q')}"
        f" WHERE q.policy_id = p.id AND q.starts_on <= {d} AND {d} <= q.ends_on))"
    )


def list_policies(
    db: Database,
    *,
    holder: str | None = None,
    kind: str | None = None,
    insurer: str | None = None,
    placement: str | None = None,
    in_force: bool | None = None,
    ending_from: date | None = None,
    ending_until: date | None = None,
    on: date | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Policies by last day of cover, each with its holder's name and side and
    ``in_force_on`` for the day ``on`` (default today).

    ``placement`` keeps the policies the placement has been on; ``in_force`` those in force
    (or not) on ``on``; ``ending_from``/``ending_until`` those whose latest period ends in
    that range of days (both inclusive) and are not cancelled.
    """
    day = on or today()
    where = Where()
    where.add_if(holder, "p.holder_id = ?")
    where.add_if(kind, "p.kind = ?")
    where.add_if(insurer, "p.insurer = ?")
    where.add_if(
        placement,
        f"p.id IN (SELECT policy_id FROM {source('policy_placements', at)} WHERE placement_id = ?)",
    )
    if in_force is not None:
        where.add(in_force_on(day, at) if in_force else f"NOT {in_force_on(day, at)}")
    if ending_from is not None or ending_until is not None:
        where.add("p.cancelled_on IS NULL")
    where.add_if(ending_from and ending_from.isoformat(), "p.covers_until >= ?")
    where.add_if(ending_until and ending_until.isoformat(), "p.covers_until <= ?")
    found = page(
        db,
        select=f"p.*, {HOLDER_COLUMNS}, {in_force_on(day, at)} AS in_force_on",
        source=policies_with_holders(at),
        where=where,
        order_by="p.covers_until, p.id",
        limit=limit,
        offset=offset,
    )
    items = [{**row, "in_force_on": bool(row["in_force_on"])} for row in found.items]
    return Page(items, found.total, limit, offset)


def policy(
    db: Database, policy_id: str, on: date | None = None, *, at: int | None = None
) -> dict[str, Any] | None:
    """One policy with its ``period_list`` and every placement it has covered (``covered``:
    each with its spans on the policy, whether it is on the policy on ``on``, and whether it
    is another party's placement linked before the party rule, ``cross_party``)."""
    day = on or today()
    found = list(
        db.query(
            f"SELECT p.*, {HOLDER_COLUMNS}, {in_force_on(day, at)} AS in_force_on"
            f" FROM {policies_with_holders(at)} WHERE p.id = ?",
            [policy_id],
        )
    )
    if not found:
        return None
    periods = db.query(
        f"SELECT number, starts_on, ends_on FROM {source('policy_periods', at)}"
        " WHERE policy_id = ? ORDER BY number",
        [policy_id],
    )
    covered = []
    holder = found[0]["holder_id"]
    for row in db.query(
        "SELECT pp.placement_id, pp.spans, a.school_id, a.enterprise_id"
        f" FROM {source('policy_placements', at, 'pp')}"
        f" LEFT JOIN {source('placements', at, 'a')} ON a.id = pp.placement_id"
        " WHERE pp.policy_id = ? ORDER BY pp.on_from, pp.placement_id",
        [policy_id],
    ):
        spans = json.loads(row["spans"])
        on_policy = any(
            a <= day.isoformat() and (b is None or day.isoformat() < b) for a, b in spans
        )
        covered.append(
            {
                "placement_id": row["placement_id"],
                "spans": spans,
                "on_policy": on_policy,
                # linked before the party rule: a finding, never cover (projections/cover.py)
                "cross_party": row["school_id"] is not None
                and holder not in (row["school_id"], row["enterprise_id"]),
            }
        )
    return {
        **as_stood(found[0]),
        "in_force_on": bool(found[0]["in_force_on"]),
        "period_list": list(periods),
        "covered": covered,
    }
