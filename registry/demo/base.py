"""What the demo's parts share: the application, stable ids, acting parties, the calendar."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.actors import Actor, Role
from registry.facade import Registry

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:demo")
DEMO_USER = "system:demo"

OPENING_DAY = date(2019, 1, 2)
"""The registry's first day: the schools and enterprises of the time are entered that week."""
FIRST_RECORDS = date(2019, 1, 14)
"""The first day anything else (an agreement, a group) is entered."""

Story = Iterator[date]
"""A record's steps: yields each step's day, then takes the step (registry/demo/timeline.py)."""


def demo_id(*parts: object) -> UUID:
    """A stable id for a demo record that has no natural key."""
    return uuid5(_NAMESPACE, "/".join(str(p) for p in parts))


def acting_for(party_id: UUID | None = None) -> Actor:
    """The demo loader is a named system actor, acting for a party where a step needs one."""
    return Actor(DEMO_USER, Role.SYSTEM, party_id)


@dataclass
class DemoSchool:
    id: UUID
    name: str
    kind: str
    prefecture: str
    majors: list[str]
    withdrawn: bool = False
    first_kind: str = ""
    established_on: date = OPENING_DAY
    upgraded_on: date | None = None
    new_major_on: date | None = None
    """The day its fourth major (``majors[-1]`` then) is opened, if it has one."""
    withdrawn_on: date | None = None


@dataclass
class DemoEnterprise:
    id: UUID
    name: str
    prefecture: str
    industry: str
    above_designated_size: bool


@dataclass
class DemoStudent:
    id: UUID
    school_id: UUID
    entry_year: int
    forgotten: bool


@dataclass
class DemoContext:
    app: Registry
    rng: random.Random = field(default_factory=lambda: random.Random(2021))
    schools: list[DemoSchool] = field(default_factory=list)
    enterprises: list[DemoEnterprise] = field(default_factory=list)
    agreements: dict[str, list[UUID]] = field(default_factory=dict)
    students: list[DemoStudent] = field(default_factory=list)
    registered_on: dict[UUID, date] = field(default_factory=dict)
    """The day each party is registered, so nothing refers to one before."""
    settled_on: dict[UUID, date] = field(default_factory=dict)
    """The day of each agreement's last change of status or terms."""
    recorded: tuple[datetime, datetime] | None = None
    """The simulated recorded-at times of the first and last event the load recorded."""
