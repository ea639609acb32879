"""What a step needs before it can be taken, shown beside its form as a checklist.

Each item is one rule the domain checks when the step is taken, judged here on the read
models for the days the form would use, with what to do where it is not met. The domain
decides again when the step is taken; the checklist only saves a refusal (docs/web.md,
"Placements, cover and preconditions").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from domain.placement import MINIMUM_AGE, PlacementKind, last_day_within_six_months
from domain.student import school_year_on
from registry.clock import today
from web import labels
from web.links import register_first

MET, UNMET, WARNING = "met", "unmet", "warning"


@dataclass
class Item:
    """One precondition: its name, its state on each day judged, and how to put it right."""

    name: str
    states: dict[str, str]
    notes: dict[str, str] = field(default_factory=dict)
    fix: tuple[str, str] | None = None

    @property
    def met(self) -> bool:
        return all(state != UNMET for state in self.states.values())


def _action(name: str, offered: set[str], text: Any) -> tuple[str, str] | None:
    """A link to one of the page's own forms, when the reader is offered it."""
    return (f"#action-{name}", str(text)) if name in offered else None


def start_checklist(
    placement: dict[str, Any],
    agreements: dict[str, dict[str, Any] | None],
    student: dict[str, Any] | None,
    checks: list[dict[str, Any]],
    offered: set[str],
) -> list[Item]:
    """Everything a start is refused for, for each day of ``checks`` (today, and the planned
    start if later): the agreement in force, for a post internship the tripartite agreement,
    age, school year and duration, and each kind of cover the placement requires."""
    days = [check["day"] for check in checks]
    planned = placement["starts_on"]
    items: list[Item] = []

    in_force = {
        d: MET if (agreements.get(d) or {}).get("status_on") == "active" else UNMET for d in days
    }
    agreement = next(iter(agreements.values()), None)
    items.append(
        Item(
            str(_l("The agreement is in force")),
            in_force,
            fix=(
                (
                    url_for("agreements.show", agreement_id=placement["agreement_id"]),
                    str(_l("Open the agreement")),
                )
                if agreement and not all(s == MET for s in in_force.values())
                else None
            ),
        )
    )
    if placement["kind"] == PlacementKind.POST_INTERNSHIP:
        signed = placement["tripartite_signed_on"]
        items.append(
            Item(
                str(_l("Tripartite agreement (三方协议) recorded")),
                {d: MET if signed and signed <= d else UNMET for d in days},
                notes={d: str(_l("signed on %(day)s", day=signed)) for d in days} if signed else {},
                fix=None if signed else _action("tripartite", offered, _l("Record it")),
            )
        )
        items.append(
            Item(
                str(_l("The student is at least %(age)s", age=MINIMUM_AGE)),
                {d: MET if d >= planned else WARNING for d in days},
                notes={
                    d: str(_l("checked for the planned start when it was registered"))
                    if d >= planned
                    else str(_l("checked again when it starts, with a logged read"))
                    for d in days
                },
            )
        )
        if student is not None:
            years = {d: school_year_on(student["entry_year"], date.fromisoformat(d)) for d in days}
            items.append(
                Item(
                    str(_l("The student is past the first school year")),
                    {d: MET if years[d] >= 2 else UNMET for d in days},
                    notes={d: str(_l("school year %(year)s", year=years[d])) for d in days},
                )
            )
        excepted = placement["duration_exception"]
        limits = {d: last_day_within_six_months(date.fromisoformat(d)).isoformat() for d in days}
        items.append(
            Item(
                str(_l("At most 6 months, or a recorded reason")),
                {
                    d: MET if excepted or placement["ends_on"] <= limits[d] else WARNING
                    for d in days
                },
                notes={
                    d: str(_l("reason recorded"))
                    if excepted
                    else str(
                        _l(
                            "planned end %(end)s, limit %(limit)s",
                            end=placement["ends_on"],
                            limit=limits[d],
                        )
                    )
                    for d in days
                },
                fix=None
                if excepted or placement["ends_on"] <= min(limits.values())
                else _action("duration_exception", offered, _l("Record the reason")),
            )
        )
    for kind in sorted(checks[0]["required"]):
        states = {c["day"]: UNMET if kind in c["missing"] else MET for c in checks}
        fix = None
        if UNMET in states.values():
            fix = _action("put_on_policy", offered, _l("Put it on a policy"))
            link = register_first("policies.new")
            if fix is None and link:
                fix = (link, str(_l("Register a policy")))
        items.append(
            Item(
                str(_l("Cover: %(kind)s", kind=labels.label(labels.POLICY_KINDS, kind))),
                states,
                fix=fix,
            )
        )
    return items


def charter_checklist(
    group: dict[str, Any], others: list[dict[str, Any]], offered: set[str]
) -> list[Item]:
    """What a charter is refused for, today: an open group not yet chartered, led by a
    technician college, with another school and an enterprise among its members."""
    day = today().isoformat()
    schools = [m for m in others if m["party_type"] == "school"]
    enterprises = [m for m in others if m["party_type"] == "enterprise"]
    admit = _action("admit", offered, _l("Admit a member"))
    return [
        Item(
            str(_l("Proposed by a technician college as its lead")),
            {day: MET},
            notes={day: group["proposed_on"]},
        ),
        Item(
            str(_l("Another school is a member")),
            {day: MET if schools else UNMET},
            notes={day: schools[0]["name"]} if schools else {},
            fix=None if schools else admit,
        ),
        Item(
            str(_l("An enterprise is a member")),
            {day: MET if enterprises else UNMET},
            notes={day: enterprises[0]["name"]} if enterprises else {},
            fix=None if enterprises else admit,
        ),
        Item(
            str(_l("Not dissolved")),
            {day: UNMET if group["dissolved_on"] else MET},
        ),
    ]
