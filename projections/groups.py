"""Training groups 技师学院（职业培训）集团 and the parks and associations that join them
(§四(四)3, §四(五)2, 专栏1 item 8, 专栏5 item 3).

Tables: ``groups`` (one row per group: its dates, the history of its lead as ``leads``),
``group_prefectures`` (the region, one row per prefecture), ``group_members`` (one row per
membership spell: a party that leaves and joins again has two) and ``organisations``
(industry parks and associations). A group's stage, its lead, its members and what it still
lacks for a charter are answered for the day asked from those dates, exactly as
``TrainingGroup.stage_on``, ``lead_on``, ``members_on`` and ``charter_shortfall`` answer them.
Members' names come from the agreements view's ``agreement_parties`` (schools and
enterprises) and from ``organisations``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from sqlite_utils import Database

from domain.group_rules import Stage, charter_shortfall
from domain.organisation import Organisation
from domain.training_group import TrainingGroup
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
from projections.vocabulary import sql_text
from registry.clock import today

view = View("groups", version=1)

STAGES = ("proposed", "chartered", "operating", "dissolved")


@view.migrations()
def m001_groups(db: Database) -> None:
    db.table("groups").create(
        {
            "id": str,
            "name": str,
            "lead_id": str,
            "prefectures": str,
            "industry_focus": str,
            "proposed_on": str,
            "chartered_on": str,
            "operating_from": str,
            "dissolved_on": str,
            "dissolution_reason": str,
            "leads": str,
            "spells": str,
            "proposed_at": str,
            "chartered_position": int,
        },
        pk="id",
    )
    db.table("groups").create_index(["lead_id"])
    db.table("group_prefectures").create(
        {"group_id": str, "prefecture": str}, pk=("group_id", "prefecture")
    )
    db.table("group_prefectures").create_index(["prefecture"])
    db.table("group_members").create(
        {
            "group_id": str,
            "party_id": str,
            "spell": int,
            "party_type": str,
            "joined_on": str,
            "left_on": str,
            "removal_reason": str,
        },
        pk=("group_id", "party_id", "spell"),
    )
    db.table("group_members").create_index(["party_id"])
    db.table("organisations").create(
        {
            "id": str,
            "uscc": str,
            "name": str,
            "kind": str,
            "prefecture": str,
            "registered_at": str,
        },
        pk="id",
    )
    db.table("organisations").create_index(["kind"])
    db.table("organisations").create_index(["prefecture"])


# --- organisations ----------------------------------------------------------------------------


@view.handles(topic(Organisation, "Registered"))
def organisation_registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "organisations",
        {
            "id": event.aggregate_id,
            "uscc": event["uscc"],
            "name": event["name"],
            "kind": event["kind"],
            "prefecture": event["prefecture"],
            "registered_at": event.timestamp,
        },
    )


@view.handles(topic(Organisation, "Corrected"))
def organisation_corrected(event: Recorded, rows: Rows) -> None:
    rows.put("organisations", {"id": event.aggregate_id, event["field"]: event["value"]})


# --- groups ------------------------------------------------------------------------------------


def _set_prefectures(rows: Rows, group_id: str, old: list[str], new: list[str]) -> None:
    for prefecture in set(old) - set(new):
        rows.delete("group_prefectures", group_id, prefecture)
    for prefecture in new:
        if prefecture not in old:
            rows.put("group_prefectures", {"group_id": group_id, "prefecture": prefecture})


def _admit(rows: Rows, group: dict[str, Any], party_id: str, party_type: str, on: str) -> None:
    spells = json.loads(group["spells"])
    spell = spells.get(party_id, 0) + 1
    spells[party_id] = spell
    rows.put("groups", {"id": group["id"], "spells": json_text(spells)})
    rows.put(
        "group_members",
        {
            "group_id": group["id"],
            "party_id": party_id,
            "spell": spell,
            "party_type": party_type,
            "joined_on": on,
            "left_on": None,
            "removal_reason": None,
        },
    )


@view.handles(topic(TrainingGroup, "Proposed"))
def proposed(event: Recorded, rows: Rows) -> None:
    group = {
        "id": event.aggregate_id,
        "name": event["name"],
        "lead_id": event["lead_id"],
        "prefectures": json_text(event["prefectures"]),
        "industry_focus": event["industry_focus"],
        "proposed_on": event["proposed_on"],
        "chartered_on": None,
        "operating_from": None,
        "dissolved_on": None,
        "dissolution_reason": None,
        "leads": json_text([[event["proposed_on"], event["lead_id"]]]),
        "spells": "{}",
        "proposed_at": event.timestamp,
        "chartered_position": None,
    }
    rows.put("groups", group)
    _set_prefectures(rows, event.aggregate_id, [], event["prefectures"])
    _admit(rows, group, event["lead_id"], "school", event["proposed_on"])


def _group(rows: Rows, event: Recorded) -> dict[str, Any]:
    group = rows.get("groups", event.aggregate_id)
    assert group is not None, f"no group {event.aggregate_id}"
    return group


@view.handles(topic(TrainingGroup, "MemberAdmitted"))
def member_admitted(event: Recorded, rows: Rows) -> None:
    _admit(rows, _group(rows, event), event["party_id"], event["party_type"], event["on"])


@view.handles(topic(TrainingGroup, "MemberRemoved"))
def member_removed(event: Recorded, rows: Rows) -> None:
    spells = json.loads(_group(rows, event)["spells"])
    rows.put(
        "group_members",
        {
            "group_id": event.aggregate_id,
            "party_id": event["party_id"],
            "spell": spells[event["party_id"]],
            "left_on": event["on"],
            "removal_reason": event["reason"],
        },
    )


@view.handles(topic(TrainingGroup, "Chartered"))
def chartered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "groups",
        {
            "id": event.aggregate_id,
            "chartered_on": event["on"],
            "chartered_position": event.position,
        },
    )


@view.handles(topic(TrainingGroup, "OperatingDeclared"))
def operating_declared(event: Recorded, rows: Rows) -> None:
    rows.put("groups", {"id": event.aggregate_id, "operating_from": event["on"]})


@view.handles(topic(TrainingGroup, "LeadHandedOver"))
def lead_handed_over(event: Recorded, rows: Rows) -> None:
    leads = json.loads(_group(rows, event)["leads"])
    leads.append([event["on"], event["to_id"]])
    rows.put(
        "groups", {"id": event.aggregate_id, "lead_id": event["to_id"], "leads": json_text(leads)}
    )


@view.handles(topic(TrainingGroup, "Dissolved"))
def dissolved(event: Recorded, rows: Rows) -> None:
    rows.put(
        "groups",
        {
            "id": event.aggregate_id,
            "dissolved_on": event["on"],
            "dissolution_reason": event["reason"],
        },
    )


@view.handles(topic(TrainingGroup, "Corrected"))
def corrected(event: Recorded, rows: Rows) -> None:
    if event["field"] == "prefectures":
        old = json.loads(_group(rows, event)["prefectures"])
        _set_prefectures(rows, event.aggregate_id, old, event["value"])
        rows.put("groups", {"id": event.aggregate_id, "prefectures": json_text(event["value"])})
    else:
        rows.put("groups", {"id": event.aggregate_id, event["field"]: event["value"]})


# --- queries -----------------------------------------------------------------------------------


def _members(at: int | None) -> str:
    """SQL for ``FROM``: the membership spells ``m`` as of ``at``."""
    return source("group_members", at, "m")


def _party_names(at: int | None) -> str:
    """SQL joining each spell's party ``p`` (a school or enterprise) or organisation ``o``."""
    return (
        f"LEFT JOIN {source('agreement_parties', at, 'p')} ON p.party_id = m.party_id"
        f" LEFT JOIN {source('organisations', at, 'o')} ON o.id = m.party_id"
    )


def stage_on(day: date) -> str:
    """SQL for a group's stage on ``day``, mirroring ``TrainingGroup.stage_on``."""
    d = f"'{day.isoformat()}'"  # a date's ISO form: safe to inline
    return (
        "CASE"
        f" WHEN g.dissolved_on IS NOT NULL AND g.dissolved_on <= {d}"
        f" THEN {sql_text(Stage.DISSOLVED)}"
        f" WHEN g.operating_from IS NOT NULL AND g.operating_from <= {d}"
        f" THEN {sql_text(Stage.OPERATING)}"
        f" WHEN g.chartered_on IS NOT NULL AND g.chartered_on <= {d}"
        f" THEN {sql_text(Stage.CHARTERED)}"
        f" ELSE {sql_text(Stage.PROPOSED)} END"
    )


def _member_on(day: date, alias: str = "m") -> str:
    d = f"'{day.isoformat()}'"
    return f"{alias}.joined_on <= {d} AND ({alias}.left_on IS NULL OR {d} < {alias}.left_on)"


def lead_on(leads: list[list[str]], day: date) -> str:
    """The lead on ``day`` from the ``leads`` history, as ``TrainingGroup.lead_on``."""
    current = leads[0][1]
    for since, lead_id in leads:
        if since <= day.isoformat():
            current = lead_id
    return current


def _decoded(row: dict[str, Any], day: date) -> dict[str, Any]:
    leads = json.loads(row.pop("leads"))
    row.pop("spells", None)
    row["prefectures"] = json.loads(row["prefectures"])
    row["lead_on"] = lead_on(leads, day)
    row["leads"] = [{"since": since, "lead_id": lead} for since, lead in leads]
    row["formed"] = row["stage_on"] in (Stage.CHARTERED, Stage.OPERATING)
    return row


def list_groups(
    db: Database,
    *,
    stage: str | None = None,
    prefecture: str | None = None,
    member: str | None = None,
    on: date | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Groups proposed by ``on`` (default today), in order of proposal.

    Each carries ``stage_on`` and ``formed`` (counted toward 专栏1 item 8: chartered and not
    dissolved), ``lead_on`` and ``members_on`` (how many members it had that day).
    ``prefecture`` keeps groups whose region includes it; ``member`` those the party belonged
    to on ``on``.
    """
    day = on or today()
    where = Where()
    where.add("g.proposed_on <= ?", day.isoformat())
    if stage is not None:
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, not {stage!r}")
        where.add(f"{stage_on(day)} = ?", stage)
    where.add_if(
        prefecture,
        f"g.id IN (SELECT group_id FROM {source('group_prefectures', at)} WHERE prefecture = ?)",
    )
    where.add_if(
        member,
        f"g.id IN (SELECT m.group_id FROM {_members(at)}"
        f" WHERE m.party_id = ? AND {_member_on(day)})",
    )
    found = page(
        db,
        select=(
            f"g.*, {stage_on(day)} AS stage_on, (SELECT count(*) FROM {_members(at)}"
            f" WHERE m.group_id = g.id AND {_member_on(day)}) AS members_on"
        ),
        source=source("groups", at, "g"),
        where=where,
        order_by="g.proposed_on, g.name, g.id",
        limit=limit,
        offset=offset,
    )
    return Page([_decoded(row, day) for row in found.items], found.total, limit, offset)


def members(
    db: Database, group_id: str, on: date | None = None, *, at: int | None = None
) -> list[dict[str, Any]]:
    """Every membership spell of the group in order of joining, with the party's name and
    prefecture and ``member_on``: whether the spell covers ``on`` (default today)."""
    day = on or today()
    return [
        {**row, "member_on": bool(row["member_on"])}
        for row in db.query(
            f"SELECT m.party_id, m.spell, m.party_type, m.joined_on, m.left_on,"
            f" m.removal_reason, coalesce(p.name, o.name) AS name,"
            f" coalesce(p.prefecture, o.prefecture) AS prefecture,"
            f" ({_member_on(day)}) AS member_on"
            f" FROM {_members(at)} {_party_names(at)} WHERE m.group_id = ?"
            " ORDER BY m.joined_on, m.party_id, m.spell",
            [group_id],
        )
    ]


def group(
    db: Database, group_id: str, on: date | None = None, *, at: int | None = None
) -> dict[str, Any] | None:
    """One group on ``on`` (default today): its stage, lead, members and ``lacks``.

    ``lacks`` is what a group not yet chartered on ``on`` still lacks for a charter
    (``{"schools": n, "enterprises": n}``, from ``group_rules.charter_shortfall``); empty once
    it is chartered or dissolved.
    """
    day = on or today()
    found = list(
        db.query(
            f"SELECT g.*, {stage_on(day)} AS stage_on FROM {source('groups', at, 'g')}"
            " WHERE g.id = ?",
            [group_id],
        )
    )
    if not found:
        return None
    row = _decoded(as_stood(found[0]), day)
    spells = members(db, group_id, day, at=at)
    current = [(UUID(m["party_id"]), m["party_type"]) for m in spells if m["member_on"]]
    row["members"] = spells
    row["members_on"] = len(current)
    row["lacks"] = (
        charter_shortfall(current, UUID(row["lead_on"])) if row["stage_on"] == "proposed" else {}
    )
    return row


def group_progress(
    db: Database, on: date | None = None, *, at: int | None = None
) -> list[dict[str, Any]]:
    """Every group proposed by ``on`` with its stage, ``formed``, ``formed_on`` (the charter
    date of a group counted as formed), members on the day and what it lacks, in order of
    proposal: the progress toward 专栏1 item 8's 10 groups."""
    day = on or today()
    progress = []
    offset = 0
    while True:
        listed = list_groups(db, on=day, limit=500, offset=offset, at=at)
        for row in listed.items:
            found = group(db, row["id"], day, at=at)
            assert found is not None
            found.pop("members")
            found["formed_on"] = found["chartered_on"] if found["formed"] else None
            progress.append(found)
        if not listed.has_more:
            return progress
        offset += len(listed.items)


def list_organisations(
    db: Database,
    *,
    kind: str | None = None,
    prefecture: str | None = None,
    limit: int = 50,
    offset: int = 0,
    at: int | None = None,
) -> Page:
    """Industry parks and associations by name."""
    where = Where()
    where.add_if(kind, "kind = ?")
    where.add_if(prefecture, "prefecture = ?")
    return page(
        db,
        select="*",
        source=source("organisations", at),
        where=where,
        order_by="name, id",
        limit=limit,
        offset=offset,
    )


def organisation(
    db: Database, organisation_id: str, *, at: int | None = None
) -> dict[str, Any] | None:
    """One park or association with the groups it has joined (``memberships``)."""
    found = list(
        db.query(f"SELECT * FROM {source('organisations', at)} WHERE id = ?", [organisation_id])
    )
    if not found:
        return None
    memberships = db.query(
        "SELECT m.group_id, g.name AS group_name, m.joined_on, m.left_on"
        f" FROM {_members(at)} JOIN {source('groups', at, 'g')} ON g.id = m.group_id"
        " WHERE m.party_id = ?"
        " ORDER BY m.joined_on",
        [organisation_id],
    )
    return {**as_stood(found[0]), "memberships": list(memberships)}
