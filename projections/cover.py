"""Insurance cover of placements on any day, from the rows the policies view keeps.

The same semantics as ``domain.coverage`` and ``InsurancePolicy.covers``, on plain values:
a policy covers a placement on a day when one of its periods includes the day, it was not
cancelled on or before the day, and the placement was on the policy that day (from the day it
was added up to the day before it was removed). Cover changes only on the policies' change
days, so a span of any length is judged by looking at those days alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
from sqlite_utils import Database

from projections.engine import source

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PolicyCover:
    """One policy as it concerns one placement."""

    policy_id: str
    kind: str
    periods: tuple[tuple[date, date], ...]
    cancelled_on: date | None
    spans: tuple[tuple[date, date | None], ...]

    def in_force_on(self, day: date) -> bool:
        if self.cancelled_on is not None and day >= self.cancelled_on:
            return False
        return any(start <= day <= end for start, end in self.periods)

    def covers(self, day: date) -> bool:
        return self.in_force_on(day) and any(
            start <= day and (end is None or day < end) for start, end in self.spans
        )

    def change_days(self) -> set[date]:
        days: set[date] = set()
        for start, end in self.periods:
            days.update({start, end + ONE_DAY})
        if self.cancelled_on is not None:
            days.add(self.cancelled_on)
        for start, until in self.spans:
            days.add(start)
            if until is not None:
                days.add(until)
        return days


@dataclass(frozen=True)
class Gap:
    """A required kind of cover missing from ``starts_on`` up to the day before ``ends_on``
    (``ends_on`` None: still missing on the last day looked at)."""

    kind: str
    starts_on: date
    ends_on: date | None


def covered_kinds(policies: Iterable[PolicyCover], day: date) -> set[str]:
    """The kinds of cover in force for the placement on ``day``."""
    return {p.kind for p in policies if p.covers(day)}


def missing_kinds(required: Iterable[str], policies: Iterable[PolicyCover], day: date) -> list[str]:
    """The required kinds not in force on ``day``, sorted (``domain.coverage.missing_kinds``)."""
    return sorted(set(required) - covered_kinds(policies, day))


def gaps(
    required: Iterable[str], policies: list[PolicyCover], first: date, last: date
) -> list[Gap]:
    """Every stretch of days in [first, last] on which a required kind was not in force,
    ordered by start day then kind."""
    if last < first:
        return []
    kinds = sorted(set(required))
    days = sorted({first} | {d for p in policies for d in p.change_days() if first < d <= last})
    found: list[Gap] = []
    open_since: dict[str, date] = {}
    for day in days:
        missing = set(missing_kinds(kinds, policies, day))
        for kind in kinds:
            if kind in missing and kind not in open_since:
                open_since[kind] = day
            elif kind not in missing and kind in open_since:
                found.append(Gap(kind, open_since.pop(kind), day))
    found.extend(Gap(kind, since, None) for kind, since in open_since.items())
    return sorted(found, key=lambda g: (g.starts_on, g.kind))


def first_lapses(
    required: Iterable[str], policies: list[PolicyCover], first: date, last: date
) -> list[tuple[str, date]]:
    """Each required kind's first day without cover in [first, last]
    (``domain.coverage.lapses``), ordered by day then kind."""
    firsts: dict[str, date] = {}
    for gap in gaps(required, policies, first, last):
        firsts.setdefault(gap.kind, gap.starts_on)
    return sorted(firsts.items(), key=lambda kv: (kv[1], kv[0]))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def policy_periods(
    db: Database, policy_ids: Iterable[str] | None = None, *, at: int | None = None
) -> dict[str, Any]:
    """``{policy_id: (kind, periods, cancelled_on)}`` for the given policies (all if None),
    as of ``at``."""
    sql = (
        "SELECT p.id, p.kind, p.cancelled_on, q.starts_on, q.ends_on"
        f" FROM {source('policies', at, 'p')}"
        f" JOIN {source('policy_periods', at, 'q')} ON q.policy_id = p.id"
    )
    params: list[str] = []
    if policy_ids is not None:
        params = sorted(set(policy_ids))
        sql += f" WHERE p.id IN ({', '.join('?' for _ in params)})"
    found: dict[str, Any] = {}
    for policy_id, kind, cancelled_on, starts_on, ends_on in db.execute(
        sql + " ORDER BY p.id, q.number", params
    ).fetchall():
        periods = found.setdefault(policy_id, (kind, [], _day(cancelled_on)))[1]
        periods.append((date.fromisoformat(starts_on), date.fromisoformat(ends_on)))
    return found


def covers_of(
    db: Database, placement_ids: Iterable[str] | None = None, *, at: int | None = None
) -> dict[str, list[PolicyCover]]:
    """The policies each placement has been on (all placements if None), as ``PolicyCover``,
    as of ``at``.

    Only policies held by the placement's school or enterprise count: a link to another
    party's policy, recorded before that rule was enforced, is a ``cross_party_cover``
    finding (``Placement.countable_policies``), never cover.
    """
    sql = (
        "SELECT pp.placement_id, pp.policy_id, pp.spans"
        f" FROM {source('policy_placements', at, 'pp')}"
        f" JOIN {source('policies', at, 'p')} ON p.id = pp.policy_id"
        f" JOIN {source('placements', at, 'a')} ON a.id = pp.placement_id"
        " WHERE p.holder_id IN (a.school_id, a.enterprise_id)"
    )
    params: list[str] = []
    if placement_ids is not None:
        params = sorted(set(placement_ids))
        if not params:
            return {}
        sql += f" AND pp.placement_id IN ({', '.join('?' for _ in params)})"
    rows = db.execute(sql, params).fetchall()
    wanted = {r[1] for r in rows} if placement_ids is not None else None
    policies = policy_periods(db, wanted, at=at)
    shared = {
        policy_id: (kind, tuple(periods), cancelled)
        for policy_id, (kind, periods, cancelled) in policies.items()
    }
    covers: dict[str, list[PolicyCover]] = {}
    for placement_id, policy_id, spans in rows:
        kind, periods, cancelled_on = shared[policy_id]
        on_policy = tuple((date.fromisoformat(a), _day(b)) for a, b in orjson.loads(spans))
        covers.setdefault(placement_id, []).append(
            PolicyCover(policy_id, kind, periods, cancelled_on, on_policy)
        )
    return covers
