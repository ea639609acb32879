"""Effective dates ("in force on D") as recorded at past positions, against the domain objects.

On the demo, whose events carry effective dates chosen apart from when they were recorded,
for positions along the log and days across the demo's years: agreements in force, policies
in force, placements running and group membership and stage must be what the aggregates,
loaded as they stood at that position, say for that day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.agreement import CooperationAgreement
from domain.insurance import InsurancePolicy
from domain.placement import Placement
from domain.training_group import TrainingGroup
from projections import attach
from projections.agreement_queries import list_agreements
from projections.engine.read_models import ReadModels
from projections.groups import group
from projections.placements import list_placements
from projections.policies import list_policies
from registry.config import Settings
from registry.demo import load_demo
from registry.facade import Registry

DAYS = [date(2021, 3, 1), date(2023, 9, 1), date(2024, 6, 15), date(2025, 3, 1), date(2026, 1, 1)]
# along the demo's log: agreements and groups recorded, placements and policies half way,
# everything
SHARES = [0.4, 0.95, 1.0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Registry, ReadModels]]:
    app = Registry(Settings(data_dir=tmp_path_factory.mktemp("demo")))
    models = attach(app)
    load_demo(app)
    yield app, models
    app.close()


def standing_at(app: Registry, position: int, kind: type[Any]) -> dict[str, Any]:
    """Every aggregate of ``kind`` as it stood after the events up to ``position``."""
    versions: dict[UUID, int] = {}
    for at, event in app.read_log():
        if at > position:
            break
        if isinstance(event, kind.Event):  # type: ignore[attr-defined]
            versions[event.originator_id] = event.originator_version
    return {str(i): app.repository.get(i, version=v) for i, v in versions.items()}


def ids(page: Any) -> set[str]:
    assert not page.has_more
    return {row["id"] for row in page.items}


@pytest.mark.parametrize("share", SHARES)
def test_in_force_on_a_day_as_recorded_at_a_position(
    demo: tuple[Registry, ReadModels], share: float
) -> None:
    app, models = demo
    position = round(app.max_position() * share)
    agreements = standing_at(app, position, CooperationAgreement)
    policies = standing_at(app, position, InsurancePolicy)
    placements = standing_at(app, position, Placement)
    groups = standing_at(app, position, TrainingGroup)
    assert agreements and groups and (share < 0.9 or (policies and placements))
    with models.reading() as db:
        for day in DAYS:
            active = list_agreements(db, status="active", on=day, at=position, limit=500)
            assert ids(active) == {
                i for i, a in agreements.items() if a.status_on(day) == "active"
            }, day
            in_force = list_policies(db, in_force=True, on=day, at=position, limit=500)
            assert ids(in_force) == {i for i, p in policies.items() if p.in_force_on(day)}, day
            running = list_placements(db, running=True, on=day, at=position, limit=500)
            assert ids(running) == {i for i, p in placements.items() if p.is_running_on(day)}
            for group_id, aggregate in groups.items():
                found = group(db, group_id, day, at=position)
                assert found is not None
                assert found["stage_on"] == aggregate.stage_on(day).value, (group_id, day)
                assert {m["party_id"] for m in found["members"] if m["member_on"]} == {
                    str(m.party_id) for m in aggregate.members_on(day)
                }, (group_id, day)
