"""Races: two or three users answer the same record at the same moment, on SQLite and on
PostgreSQL, through the registry and through the web.

Each contender runs on an application of its own (as separate processes or nodes would), and
every save is held until all contenders have read the record (``in_lockstep``): the store
alone decides. Exactly one wins; the others are refused with ``ConflictingChange`` (through
the web: a 409 page, never a 500); the log holds exactly the winner's events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import pytest

from domain.errors import DomainError
from registry.config import Settings
from registry.errors import ConflictingChange
from registry.registry import Registry
from tests.integration.test_placements import START
from tests.security.contenders import (
    AMENDED,
    Added,
    Setting,
    added_between,
    amendment_pending,
    at_once,
    cohort,
    in_force,
    in_lockstep,
    manager,
    proposal,
    recorded,
    teacher,
)

Command = Callable[[Registry], object]


@dataclass(frozen=True)
class Race:
    """What is raced on a fresh store: contenders, each a command and the events it adds."""

    prepare: Callable[[Registry], Setting]
    contenders: Callable[[Setting], list[tuple[Command, Added]]]


def countersignatures(s: Setting) -> list[tuple[Command, Added]]:
    return [
        (
            lambda app, n=n: app.countersign_agreement(s.agreement, actor=teacher(s, n)),
            {s.agreement: ["Countersigned"]},
        )
        for n in (1, 2, 3)
    ]


def countersign_or_decline(s: Setting) -> list[tuple[Command, Added]]:
    return [
        (
            lambda app: app.countersign_agreement(s.agreement, actor=teacher(s, 1)),
            {s.agreement: ["Countersigned"]},
        ),
        (
            lambda app: app.decline_agreement(s.agreement, reason="条件不符", actor=teacher(s, 2)),
            {s.agreement: ["Declined"]},
        ),
    ]


def amendments_from_both_sides(s: Setting) -> list[tuple[Command, Added]]:
    return [
        (
            lambda app, actor=actor: app.propose_amendment(
                s.agreement, reason="调整合作方式", actor=actor, **AMENDED
            ),
            {s.agreement: ["AmendmentProposed"]},
        )
        for actor in (teacher(s, 1), manager(s, 1))
    ]


def accept_or_decline_amendment(s: Setting) -> list[tuple[Command, Added]]:
    return [
        (
            lambda app: app.accept_amendment(s.agreement, actor=manager(s, 1)),
            {s.agreement: ["AmendmentAccepted"]},
        ),
        (
            lambda app: app.decline_amendment(s.agreement, reason="不同意", actor=manager(s, 2)),
            {s.agreement: ["AmendmentDeclined"]},
        ),
    ]


def cover(s: Setting, policy: UUID, placement: UUID) -> Command:
    return lambda app: app.cover_placements(
        policy, placement_ids=[placement], on=START, actor=teacher(s, 1)
    )


def same_cover_twice(s: Setting) -> list[tuple[Command, Added]]:
    policy, placement = s.policies[0], s.placements[0]
    added: Added = {policy: ["PlacementsAdded"], placement: ["PolicyLinked"]}
    return [(cover(s, policy, placement), added), (cover(s, policy, placement), added)]


def one_placement_on_two_policies(s: Setting) -> list[tuple[Command, Added]]:
    # both commands write the placement too: the loser's policy must not keep its half
    placement = s.placements[0]
    return [
        (cover(s, policy, placement), {policy: ["PlacementsAdded"], placement: ["PolicyLinked"]})
        for policy in s.policies
    ]


def uncover(s: Setting, policy: UUID, placement: UUID) -> Command:
    return lambda app: app.uncover_placements(
        policy, placement_ids=[placement], on=START, actor=teacher(s, 2)
    )


def uncover_twice(s: Setting) -> list[tuple[Command, Added]]:
    policy, placement = s.policies[0], s.placements[0]
    return [(uncover(s, policy, placement), {policy: ["PlacementsRemoved"]})] * 2


def cover_while_uncovering(s: Setting) -> list[tuple[Command, Added]]:
    policy, (covered, other) = s.policies[0], s.placements
    return [
        (uncover(s, policy, covered), {policy: ["PlacementsRemoved"]}),
        (cover(s, policy, other), {policy: ["PlacementsAdded"], other: ["PolicyLinked"]}),
    ]


RACES = {
    "three countersignatures": Race(proposal, countersignatures),
    "countersign or decline": Race(proposal, countersign_or_decline),
    "amendments from both sides": Race(in_force, amendments_from_both_sides),
    "accept or decline an amendment": Race(amendment_pending, accept_or_decline_amendment),
    "the same cover twice": Race(cohort, same_cover_twice),
    "one placement on two policies": Race(cohort, one_placement_on_two_policies),
    "the same uncover twice": Race(lambda app: cohort(app, covered=True), uncover_twice),
    "cover while uncovering": Race(lambda app: cohort(app, covered=True), cover_while_uncovering),
}


def winner(outcomes: list[object]) -> int:
    """The one contender that succeeded; every other was refused as a conflict."""
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, DomainError)
    ]
    assert unexpected == [], unexpected
    won = [n for n, outcome in enumerate(outcomes) if not isinstance(outcome, Exception)]
    assert len(won) == 1, outcomes
    assert all(isinstance(o, ConflictingChange) for n, o in enumerate(outcomes) if n != won[0])
    return won[0]


@pytest.mark.parametrize("race", RACES.values(), ids=RACES.keys())
def test_of_commands_raced_on_one_record_exactly_one_is_recorded(
    race: Race, any_store: Registry, store_settings: Settings
) -> None:
    # construct: the record, and one application per contender on the same store
    s = race.prepare(any_store)
    contenders = race.contenders(s)
    records = sorted({r for _, added in contenders for r in added}, key=str)
    before = recorded(any_store, records)
    nodes = [Registry(store_settings) for _ in contenders]
    try:
        # evolve: all read the record, then all save at once
        in_lockstep(nodes)
        outcomes = at_once(
            [lambda c=c, node=node: c(node) for (c, _), node in zip(contenders, nodes, strict=True)]
        )
    finally:
        for node in nodes:
            node.close()
    # query: one won, the others were refused, and the log holds the winner's events only
    won = winner(outcomes)
    assert added_between(before, recorded(any_store, records)) == contenders[won][1]
