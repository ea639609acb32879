"""Is a placement insured? Pure functions over policies, for any day or span of days.

A placement cannot start unless each kind of cover it requires is in force on its start day;
cover that stops while it runs is a lapse, dated the first day without cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.insurance import InsurancePolicy


@dataclass(frozen=True)
class Lapse:
    kind: str
    on: date


def covered_kinds(policies: Iterable[InsurancePolicy], placement_id: UUID, day: date) -> set[str]:
    return {p.kind.value for p in policies if p.covers(placement_id, day)}


def missing_kinds(
    required: Iterable[str], policies: Iterable[InsurancePolicy], placement_id: UUID, day: date
) -> list[str]:
    """The required kinds of cover not in force for the placement on ``day``, sorted."""
    have = covered_kinds(policies, placement_id, day)
    return sorted(set(required) - have)


def lapses(
    required: Iterable[str],
    policies: list[InsurancePolicy],
    placement_id: UUID,
    starts_on: date,
    until: date,
) -> list[Lapse]:
    """Each required kind's first day without cover within [starts_on, until].

    Cover changes only on the policies' change days, so only those days (and the first day)
    need checking, whatever the length of the span.
    """
    required = sorted(set(required))
    candidates = sorted(
        {starts_on} | {d for p in policies for d in p.change_days() if starts_on <= d <= until}
    )
    found: dict[str, date] = {}
    for day in candidates:
        for kind in missing_kinds(required, policies, placement_id, day):
            found.setdefault(kind, day)
        if len(found) == len(required):
            break
    return [Lapse(kind, day) for kind, day in sorted(found.items(), key=lambda kv: (kv[1], kv[0]))]
