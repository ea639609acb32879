"""What the demo's parts share: the application, stable ids, acting parties."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.actors import Actor, Role
from registry.facade import Registry

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:demo")
DEMO_USER = "system:demo"


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
