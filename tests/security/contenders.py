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
from registry.registry import Registry
from tests.factories import ADMIN, partnership
from tests.integration.test_placements import (
    START,
    add_placement,
    add_policy,
    add_student,
)
from tests.integration.test_placements import (
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
