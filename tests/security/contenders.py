"""Records two or more users answer at the same moment, and how to make them answer in lockstep.

A race is a list of contenders, each a command and the events that command alone would add to
the log (per record). Whoever wins, the log must hold exactly the winner's events: never two
where one is allowed, never half of a command that touches two records.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.actors import Actor, Role
from domain.id_number import with_check_character
from registry.facade import Registry
from tests.factories import ADMIN, partnership
from tests.integration.placement_builders import (
    START,
    add_placement,
    add_policy,
    add_student,
)
from tests.integration.placement_builders import (
    setting as placement_setting,
)

Added = dict[UUID, list[str]]


@dataclass(frozen=True)
class Setting:
    """A school and an enterprise with an agreement the enterprise proposed (countersigned or
    not), and, for cover, a placement under it with two policies the school holds."""

    school: UUID
    enterprise: UUID
    agreement: UUID
    placements: tuple[UUID, ...] = ()
    policies: tuple[UUID, ...] = ()


def teacher(setting: Setting, n: int) -> Actor:
    return Actor(f"teacher-{n}", Role.SCHOOL_USER, setting.school)


def manager(setting: Setting, n: int) -> Actor:
    return Actor(f"manager-{n}", Role.ENTERPRISE_USER, setting.enterprise)


def proposal(app: Registry) -> Setting:
    school, enterprise, agreement = partnership(app, majors=["数控加工"], countersigned=False)
    return Setting(school, enterprise, agreement)


def in_force(app: Registry) -> Setting:
    school, enterprise, agreement = partnership(app, majors=["数控加工"])
    return Setting(school, enterprise, agreement)


def amendment_pending(app: Registry) -> Setting:
    setting = in_force(app)
    app.propose_amendment(
        setting.agreement, reason="延长一年", actor=teacher(setting, 0), **AMENDED
    )
    return setting


AMENDED: dict[str, Any] = {
    "modes": ["order_class", "internship_base"],
    "starts_on": date(2024, 1, 1),
    "ends_on": date(2027, 12, 31),
}


def cohort(app: Registry, covered: bool = False) -> Setting:
    """Two placements of one school's students and two of the school's policies; with
    ``covered``, the first placement is on the first policy already."""
    school, enterprise, agreement = placement_setting(app)
    placements = tuple(
        add_placement(app, school, agreement, add_student(app, school, number))
        for number in (
            with_check_character("51010420070315123"),
            with_check_character("51010420070315124"),
        )
    )
    policies = tuple(
        add_policy(app, school, kind, number)
        for kind, number in (("internship_liability", "L-1"), ("personal_accident", "A-1"))
    )
    if covered:
        app.cover_placements(policies[0], placement_ids=[placements[0]], on=START, actor=ADMIN)
    return Setting(school, enterprise, agreement, placements, policies)


# --- races through the registry: each contender a command and what it alone adds -------

Command = Callable[[Registry], object]


@dataclass(frozen=True)
class Race:
    """What is raced on a fresh store: contenders, each a command and the events it adds."""

    prepare: Callable[[Registry], Setting]
    contenders: Callable[[Setting], list[tuple[Command, Added]]]
    # only one may ever succeed; otherwise each is allowed once the other is recorded
    exclusive: bool = True


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
    "one placement on two policies": Race(cohort, one_placement_on_two_policies, exclusive=False),
    "the same uncover twice": Race(lambda app: cohort(app, covered=True), uncover_twice),
    "cover while uncovering": Race(
        lambda app: cohort(app, covered=True), cover_while_uncovering, exclusive=False
    ),
}


# --- lockstep ----------------------------------------------------------------------------------


def in_lockstep(apps: Sequence[Registry], timeout: float = 20) -> None:
    """Hold each application's next save until every one has reached its own: each has read
    the record before any writes it, so the store itself must choose the one that wins.

    The hold is on ``save`` (below the application's translation of storage conflicts), once;
    a contender refused before it saves breaks the barrier after ``timeout`` and the others
    carry on.
    """
    barrier = threading.Barrier(len(apps), timeout=timeout)
    for app in apps:
        original = app.save

        def save(*aggregates: Any, _app: Registry = app, _save: Any = original, **kw: Any) -> Any:
            del _app.save  # once: the next save is the class's own again
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            return _save(*aggregates, **kw)

        app.save = save  # type: ignore[method-assign]


def at_once(calls: Sequence[Callable[[], object]], timeout: float = 60) -> list[object]:
    """Run each call in a thread of its own; each call's result, or the exception it raised."""
    outcomes: list[object] = [None] * len(calls)

    def run(n: int) -> None:
        try:
            outcomes[n] = calls[n]()
        except Exception as error:  # kept for the test to judge
            outcomes[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a contender never finished"
    return outcomes


# --- the log ---------------------------------------------------------------------------------


def recorded(app: Registry, record_ids: Sequence[UUID]) -> Counter[tuple[UUID, str]]:
    """Each record's events by name, as stored in the log."""
    return Counter(
        (record_id, stored.topic.rsplit(".", 1)[1])
        for record_id in record_ids
        for stored in app.recorder.select_events(record_id)
    )


def added_between(before: Counter[tuple[UUID, str]], after: Counter[tuple[UUID, str]]) -> Added:
    added: Added = {}
    for (record_id, name), count in sorted((after - before).items(), key=repr):
        added.setdefault(record_id, []).extend([name] * count)
    return added
