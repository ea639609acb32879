"""The province indicators of the plan's 专栏1 and 专栏3's technician college per prefecture.

Per year, province-wide and per prefecture, each indicator beside the plan's 2020 baseline
and 2025 target (docs/domain.md#indicators-and-annual-returns):

1. technical schools and 2. technician colleges: the schools that existed on 31 December of
   the year (established by then, not withdrawn by then), by their tier that day, from the
   effective dates of registration, upgrades and withdrawal. This view keeps each school's
   tier history (``indicator_schools``), which the schools view does not;
3.–7. enrollment, students and training (in units of 10,000) and the senior share and the
   first employment rate (ratios of sums, %): from the annual returns view, as corrected
   since filing (``value``) and as filed by the deadline (``as_filed``);
8. training groups: formed (chartered, not dissolved) on 31 December, from the groups view;
   a group counts in its lead college's prefecture.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from domain.group_rules import GROUPS_2020, GROUPS_TARGET_2025
from domain.prefectures import PREFECTURES
from domain.school import School
from projections.engine import Recorded, Rows, View, as_stood, json_text, source, topic
from projections.groups import group_progress
from projections.returns import as_filed_sql, ratio, revisions_by, totals_by_prefecture

view = View("indicators", version=1)
TEN_THOUSAND = Decimal(10_000)
TECHNICIAN_COLLEGE = "technician_college"


@dataclass(frozen=True)
class Indicator:
    number: int
    key: str
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    at_least: bool = False  # the plan writes the target as "≥": a floor, not a level


PLAN: tuple[Indicator, ...] = (
    Indicator(1, "schools", "技工院校数", "schools", Decimal(99), Decimal(120)),
    Indicator(2, "technician_colleges", "技师学院数", "schools", Decimal(21), Decimal(30)),
    Indicator(3, "enrollment", "年招生规模", "10k", Decimal(6), Decimal(8)),
    Indicator(4, "students", "在校生规模", "10k", Decimal("14.84"), Decimal(20)),
    Indicator(
        5, "senior_share", "高级技工学校、技师学院高级工班以上在校生比例", "%", Decimal("22.7"),
        Decimal(40), at_least=True,
    ),
    Indicator(
        6, "employment_rate", "毕业生初次就业率", "%", Decimal(98), Decimal(98), at_least=True
    ),
    Indicator(7, "training", "开展职业培训", "10k person-times", Decimal(13), Decimal(20)),
    Indicator(
        8, "training_groups", "技师学院（职业培训）集团", "groups", Decimal(GROUPS_2020),
        Decimal(GROUPS_TARGET_2025),
    ),
)  # fmt: skip


@view.migrations()
def m001_indicators(db: Database) -> None:
    db.table("indicator_schools").create(
        {
            "id": str,
            "name": str,
            "prefecture": str,
            "established_on": str,
            "withdrawn_on": str,
            "tiers": str,
        },
        pk="id",
    )


@view.handles(topic(School, "Registered"))
def registered(event: Recorded, rows: Rows) -> None:
    rows.put(
        "indicator_schools",
        {
            "id": event.aggregate_id,
            "name": event["name"],
            "prefecture": event["prefecture"],
            "established_on": event["established_on"],
            "withdrawn_on": None,
            "tiers": json_text([[event["established_on"], event["kind"]]]),
        },
    )


def _school(rows: Rows, event: Recorded) -> dict[str, Any]:
    school = rows.get("indicator_schools", event.aggregate_id)
    assert school is not None, f"no school {event.aggregate_id}"
    return school


@view.handles(topic(School, "Upgraded"))
def upgraded(event: Recorded, rows: Rows) -> None:
    tiers = json.loads(_school(rows, event)["tiers"])
    tiers.append([event["on"], event["kind"]])
    rows.put("indicator_schools", {"id": event.aggregate_id, "tiers": json_text(tiers)})


@view.handles(topic(School, "Withdrawn"))
def withdrawn(event: Recorded, rows: Rows) -> None:
    rows.put("indicator_schools", {"id": event.aggregate_id, "withdrawn_on": event["on"]})


@view.handles(topic(School, "Corrected"))
def corrected(event: Recorded, rows: Rows) -> None:
    """A corrected kind is the kind the school has now (its latest tier); a corrected
    establishment date moves the first tier's start with it."""
    field, value = event["field"], event["value"]
    if field in ("name", "prefecture"):
        rows.put("indicator_schools", {"id": event.aggregate_id, field: value})
        return
    tiers = json.loads(_school(rows, event)["tiers"])
    if field == "kind":
        tiers[-1][1] = value
    elif field == "established_on":
        tiers[0][0] = value
        rows.put("indicator_schools", {"id": event.aggregate_id, "established_on": value})
    rows.put("indicator_schools", {"id": event.aggregate_id, "tiers": json_text(tiers)})


# --- schools by tier on a day ----------------------------------------------------------------


def kind_on(school: dict[str, Any], day: date) -> str | None:
    """The school's tier on ``day``, or None if it did not exist then (not yet established,
    or withdrawn on or before that day)."""
    text = day.isoformat()
    if school["established_on"] > text:
        return None
    if school["withdrawn_on"] is not None and school["withdrawn_on"] <= text:
        return None
    kind = None
    for since, tier in json.loads(school["tiers"]):
        if kind is None or since <= text:
            kind = tier
    return kind


def schools(db: Database, at: int | None = None) -> list[dict[str, Any]]:
    """Every school with its prefecture, dates and tier history (``tiers`` as JSON text),
    as of ``at``."""
    found = db.query(
        f"SELECT * FROM {source('indicator_schools', at)} ORDER BY prefecture, name, id"
    )
    return [as_stood(row) for row in found]


def technician_colleges_on(
    db: Database, day: date, *, at: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    """专栏3: the technician colleges of every prefecture on ``day`` (empty list: none)."""
    found: dict[str, list[dict[str, Any]]] = {code: [] for code in PREFECTURES}
    for school in schools(db, at):
        if kind_on(school, day) == TECHNICIAN_COLLEGE:
            found.setdefault(school["prefecture"], []).append(
                {"id": school["id"], "name": school["name"]}
            )
    return found


def technician_college_spells(school: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The stretches ``[from, until)`` during which the school was a technician college."""
    spells: list[tuple[str, str | None]] = []
    tiers = json.loads(school["tiers"])
    for index, (since, tier) in enumerate(tiers):
        if tier != TECHNICIAN_COLLEGE:
            continue
        start = max(since, school["established_on"])
        until = tiers[index + 1][0] if index + 1 < len(tiers) else None
        if school["withdrawn_on"] is not None:
            until = min(until or school["withdrawn_on"], school["withdrawn_on"])
        if until is None or start < until:
            spells.append((start, until))
    return spells


# --- the indicators ------------------------------------------------------------------------


def _item(
    indicator: Indicator,
    value: Decimal | None,
    as_filed: Decimal | None,
    baseline: Decimal | None,
    target: Decimal | None,
) -> dict[str, Any]:
    return {
        "number": indicator.number,
        "key": indicator.key,
        "name": indicator.name,
        "unit": indicator.unit,
        "value": value,
        "as_filed": as_filed,
        "baseline_2020": baseline,
        "target_2025": target,
        "at_least": indicator.at_least,
        "met": None if value is None or target is None else value >= target,
    }


def _return_values(totals: dict[str, Any] | None) -> dict[str, Decimal | None]:
    if totals is None:
        return dict.fromkeys(
            ("enrollment", "students", "senior_share", "employment_rate", "training")
        )
    sums = totals["sums"]
    return {
        "enrollment": Decimal(sums["enrollment"]) / TEN_THOUSAND,
        "students": Decimal(sums["students"]) / TEN_THOUSAND,
        "senior_share": ratio(sums["senior_students"], sums["students"]),
        "employment_rate": ratio(sums["employed"], sums["graduates"]),
        "training": Decimal(sums["training_person_times"]) / TEN_THOUSAND,
    }


def _values(
    db: Database, year: int, at: int | None
) -> dict[str, dict[str, dict[str, Decimal | None]]]:
    """Every indicator's value (as corrected) and as filed, per prefecture and "province",
    as of ``at``."""
    day = date(year, 12, 31)
    every = schools(db, at)
    prefecture_of = {s["id"]: s["prefecture"] for s in every}
    counted: dict[str, dict[str, int]] = {
        scope: {"schools": 0, "technician_colleges": 0, "training_groups": 0}
        for scope in (*PREFECTURES, *prefecture_of.values(), "province")
    }
    for school in every:
        kind = kind_on(school, day)
        if kind is not None:
            for scope in (school["prefecture"], "province"):
                counted[scope]["schools"] += 1
                counted[scope]["technician_colleges"] += kind == TECHNICIAN_COLLEGE
    for group in group_progress(db, day, at=at):
        lead_prefecture = prefecture_of.get(group["lead_on"])
        if group["formed"] and lead_prefecture is not None:
            for scope in (lead_prefecture, "province"):
                counted[scope]["training_groups"] += 1
    corrected: dict[str, dict[str, Any] | None] = {
        **totals_by_prefecture(db, revisions_by(year, None, at=at), year, at=at)
    }
    filed: dict[str, dict[str, Any] | None] = {
        **totals_by_prefecture(db, as_filed_sql(db, year, at=at), year, at=at)
    }
    corrected["province"], filed["province"] = _province(corrected), _province(filed)
    return {
        scope: {
            "value": {
                **{k: Decimal(v) for k, v in counts.items()},
                **_return_values(corrected.get(scope)),
            },
            "as_filed": _return_values(filed.get(scope)),
        }
        for scope, counts in counted.items()
    }


def _province(by_prefecture: dict[str, dict[str, Any] | None]) -> dict[str, Any] | None:
    parts = [p for p in by_prefecture.values() if p is not None]
    if not parts:
        return None
    return {"sums": {name: sum(p["sums"][name] for p in parts) for name in parts[0]["sums"]}}


def _items(
    values: dict[str, dict[str, Decimal | None]],
    own_2020: dict[str, Decimal | None] | None,
) -> list[dict[str, Any]]:
    items = []
    for indicator in PLAN:
        baseline: Decimal | None
        target: Decimal | None
        if own_2020 is None:
            baseline, target = indicator.baseline, indicator.target
        else:
            baseline = own_2020[indicator.key]
            target = Decimal(1) if indicator.key == "technician_colleges" else None
        value, as_filed = values["value"][indicator.key], values["as_filed"].get(indicator.key)
        items.append(_item(indicator, value, as_filed, baseline, target))
    return items


def indicators(
    db: Database, year: int, *, prefecture: str | None = None, at: int | None = None
) -> dict[str, Any]:
    """The eight indicators of 专栏1 for ``year``, province-wide or for one prefecture.

    Each item has ``value`` (items 3–7 from returns as corrected since filing),
    ``as_filed`` (items 3–7 as filed by the deadline; None for 1, 2 and 8),
    ``baseline_2020`` and ``target_2025`` (the plan's, province-wide; for a prefecture its
    own 2020 value and, for technician colleges, 专栏3's target of one), and ``met``
    (value at or above the target). Counts are in schools and groups; 3, 4 and 7 in units
    of 10,000; 5 and 6 in %, to one decimal.
    """
    scope = prefecture or "province"
    values = _values(db, year, at)[scope]
    own_2020 = _values(db, 2020, at)[scope]["value"] if prefecture else None
    return {"year": year, "prefecture": prefecture, "items": _items(values, own_2020)}


def indicator_table(db: Database, year: int, *, at: int | None = None) -> dict[str, Any]:
    """The indicators of ``year`` province-wide (``province``) and for every prefecture
    (``prefectures``, by code), as ``indicators`` gives them, computed in one pass."""
    values, in_2020 = _values(db, year, at), _values(db, 2020, at)
    return {
        "year": year,
        "province": {"year": year, "prefecture": None, "items": _items(values["province"], None)},
        "prefectures": {
            code: {
                "year": year,
                "prefecture": code,
                "items": _items(values[code], in_2020[code]["value"]),
            }
            for code in PREFECTURES
        },
    }


def group_formation(
    db: Database, on: date, *, prefecture: str | None = None, at: int | None = None
) -> dict[str, Any]:
    """Progress toward 专栏1 item 8: the groups formed on ``on`` with the date each formed
    (its charter), against 2020's 2 and 2025's 10. For a ``prefecture``, only the groups
    whose lead college is there on ``on``: those its indicator 8 counts."""
    lead_prefecture = {s["id"]: s["prefecture"] for s in schools(db, at)}
    formed = [
        {"id": g["id"], "name": g["name"], "formed_on": g["formed_on"], "lead_id": g["lead_on"]}
        for g in group_progress(db, on, at=at)
        if g["formed"] and (prefecture is None or lead_prefecture.get(g["lead_on"]) == prefecture)
    ]
    return {
        "on": on.isoformat(),
        "prefecture": prefecture,
        "formed": len(formed),
        "baseline_2020": GROUPS_2020,
        "target_2025": GROUPS_TARGET_2025,
        "groups": sorted(formed, key=lambda g: (g["formed_on"], g["name"])),
    }
