"""Cover computed from view rows agrees with the domain's policies, day by day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.coverage import lapses
from domain.insurance import InsurancePolicy
from projections.cover import Gap, PolicyCover, first_lapses, gaps, missing_kinds
from tests.factories import ADMIN

START = date(2025, 1, 1)
KINDS = ["internship_liability", "personal_accident", "work_injury"]
PLACEMENT = uuid4()
HOLDER = uuid4()


@dataclass(frozen=True)
class Placed:
    id: UUID
    school_id: UUID
    enterprise_id: UUID


ON_HOLDERS = Placed(PLACEMENT, HOLDER, uuid4())


def day(offset: int) -> date:
    return START + timedelta(days=offset)


@st.composite
def policies(draw: st.DrawFn) -> InsurancePolicy:
    """A policy through its commands: renewals, extensions, the placement on and off, a
    cancellation, all on days in the first 200 days of 2025."""
    first = draw(st.integers(0, 60))
    policy = InsurancePolicy.register(
        holder_id=HOLDER,
        kind=draw(st.sampled_from(KINDS)),
        insurer="人保",
        policy_number=str(uuid4()),
        covers_from=day(first),
        covers_until=day(first + draw(st.integers(0, 60))),
        actor=ADMIN,
    )
    for step in draw(st.lists(st.sampled_from(["renew", "extend", "add", "remove"]), max_size=5)):
        end = (policy.periods[-1].ends_on - START).days
        if step == "renew":
            starts = end + draw(st.integers(1, 20))
            policy.renew(
                covers_from=day(starts),
                covers_until=day(starts + draw(st.integers(0, 40))),
                actor=ADMIN,
            )
        elif step == "extend":
            policy.extend(covers_until=day(end + draw(st.integers(1, 30))), actor=ADMIN)
        elif step == "add" and not policy.is_on_policy(PLACEMENT):
            # cover begins on a day one of the policy's periods includes
            period = draw(st.sampled_from(policy.periods))
            length = (period.ends_on - period.starts_on).days
            on = period.starts_on + timedelta(days=draw(st.integers(0, length)))
            policy.add_placements(placements=[ON_HOLDERS], on=on, actor=ADMIN)
        elif step == "remove" and policy.is_on_policy(PLACEMENT):
            policy.remove_placements(
                placement_ids=[PLACEMENT], on=day(draw(st.integers(0, 200))), actor=ADMIN
            )
    if draw(st.booleans()):
        policy.cancel(on=day(draw(st.integers(0, 200))), reason="退保", actor=ADMIN)
    return policy


def as_rows(policy: InsurancePolicy) -> PolicyCover:
    """The policy as the policies view keeps it."""
    return PolicyCover(
        str(policy.id),
        policy.kind.value,
        tuple((p.starts_on, p.ends_on) for p in policy.periods),
        policy.cancelled_on,
        tuple(policy.placements.get(PLACEMENT, [])),
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(policies(), max_size=4), st.sets(st.sampled_from(KINDS), min_size=1))
def test_cover_lapses_and_missing_kinds_are_the_domains(
    domain_policies: list[InsurancePolicy], required: set[str]
) -> None:
    rows = [as_rows(p) for p in domain_policies]
    for offset in range(0, 230, 3):
        assert [p.covers(day(offset)) for p in rows] == [
            p.covers(PLACEMENT, day(offset)) for p in domain_policies
        ]
        assert missing_kinds(required, rows, day(offset)) == sorted(
            required - {p.kind.value for p in domain_policies if p.covers(PLACEMENT, day(offset))}
        )
    expected = lapses(required, domain_policies, PLACEMENT, day(10), day(220))
    assert first_lapses(required, rows, day(10), day(220)) == [(x.kind, x.on) for x in expected]


@settings(max_examples=80, deadline=None)
@given(st.lists(policies(), max_size=3), st.sets(st.sampled_from(KINDS), min_size=1))
def test_gaps_are_exactly_the_days_without_cover(
    domain_policies: list[InsurancePolicy], required: set[str]
) -> None:
    rows = [as_rows(p) for p in domain_policies]
    found = gaps(required, rows, day(5), day(210))
    for offset in range(5, 211):
        missing = set(missing_kinds(required, rows, day(offset)))
        within = {
            g.kind
            for g in found
            if g.starts_on <= day(offset) and (g.ends_on is None or day(offset) < g.ends_on)
        }
        assert within == missing, day(offset)


def test_a_cancelled_cohort_policy_opens_a_gap_that_a_new_policy_closes() -> None:
    kept = PolicyCover("a", "personal_accident", ((day(0), day(300)),), day(100), ((day(0), None),))
    later = PolicyCover(
        "b", "personal_accident", ((day(120), day(300)),), None, ((day(130), None),)
    )
    assert gaps(["personal_accident"], [kept, later], day(0), day(200)) == [
        Gap("personal_accident", day(100), day(130))
    ]
    assert gaps(["personal_accident"], [kept], day(0), day(200)) == [
        Gap("personal_accident", day(100), None)
    ]
