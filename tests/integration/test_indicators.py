"""Province indicators from effective dates and returns: tiers on 31 December, ratios of
sums per prefecture, as filed and as corrected, groups formed, 专栏3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.actors import Actor, Role
from projections import attach
from projections.engine.read_models import ReadModels
from projections.indicators import group_formation, indicators, technician_colleges_on
from registry.commands import returns as return_commands
from registry.facade import Registry
from tests.factories import ADMIN, school_user, uscc
from tests.integration.group_builders import FIGURES, register_enterprise


@pytest.fixture
def models(registry: Registry) -> ReadModels:
    return attach(registry)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_day(day: date) -> None:
        monkeypatch.setattr(return_commands, "today", lambda: day)

    return set_day


def school(app: Registry, serial: int, kind: str, established_on: date, prefecture: str) -> UUID:
    return app.register_school(
        uscc=uscc("12", serial, prefecture),
        name=f"学校{serial}",
        kind=kind,
        prefecture=prefecture,
        established_on=established_on,
        actor=ADMIN,
    )


def values(models: ReadModels, year: int, prefecture: str | None = None) -> dict[str, Any]:
    with models.reading() as db:
        found = indicators(db, year, prefecture=prefecture)
    return {i["key"]: i["value"] for i in found["items"]}


def test_schools_count_by_their_tier_on_31_december(registry: Registry, models: ReadModels) -> None:
    early = date(2015, 9, 1)
    upgraded_on_new_years_eve = school(registry, 1, "senior_technical_school", early, "510100")
    upgraded_next_day = school(registry, 2, "senior_technical_school", early, "510100")
    school(registry, 3, "technical_school", date(2022, 12, 31), "510700")
    school(registry, 4, "technical_school", date(2023, 1, 1), "510700")
    withdrawn = school(registry, 5, "technician_college", early, "510700")
    registry.upgrade_school(
        upgraded_on_new_years_eve, to_kind="technician_college", on=date(2022, 12, 31), actor=ADMIN
    )
    registry.upgrade_school(
        upgraded_next_day, to_kind="technician_college", on=date(2023, 1, 1), actor=ADMIN
    )
    registry.withdraw_school(withdrawn, reason="撤并", on=date(2022, 12, 31), actor=ADMIN)
    assert (values(models, 2021)["schools"], values(models, 2021)["technician_colleges"]) == (3, 1)
    assert (values(models, 2022)["schools"], values(models, 2022)["technician_colleges"]) == (3, 1)
    assert (values(models, 2023)["schools"], values(models, 2023)["technician_colleges"]) == (4, 2)
    assert values(models, 2022, "510700")["schools"] == 1
    with models.reading() as db:
        assert technician_colleges_on(db, date(2022, 12, 30))["510100"] == []
        assert technician_colleges_on(db, date(2022, 12, 31))["510700"] == []


def test_a_corrected_kind_or_establishment_date_moves_the_counts(
    registry: Registry, models: ReadModels
) -> None:
    school_id = school(registry, 1, "technical_school", date(2021, 3, 1), "510100")
    registry.correct_school(
        school_id, field="kind", value="technician_college", reason="录入错误", actor=ADMIN
    )
    registry.correct_school(
        school_id, field="established_on", value=date(2019, 9, 1), reason="录入错误", actor=ADMIN
    )
    assert (values(models, 2020)["schools"], values(models, 2020)["technician_colleges"]) == (1, 1)


def test_shares_are_ratios_of_sums_per_prefecture_as_filed_and_as_corrected(
    registry: Registry, models: ReadModels, on_day: Any
) -> None:
    first = school(registry, 1, "technician_college", date(2010, 9, 1), "510100")
    second = school(registry, 2, "senior_technical_school", date(2010, 9, 1), "510100")
    third = school(registry, 3, "technical_school", date(2010, 9, 1), "510700")
    registry.set_return_deadline(year=2024, due_on=date(2025, 3, 31), actor=ADMIN)
    on_day(date(2025, 3, 1))
    for school_id, students, senior in ((first, 1000, 500), (second, 3000, 300), (third, 1000, 0)):
        figures = {**FIGURES, "students": students, "senior_students": senior}
        registry.file_annual_return(
            school_id=school_id, year=2024, figures=figures, actor=school_user(school_id)
        )
    on_day(date(2025, 6, 1))
    registry.correct_annual_return(
        school_id=third,
        year=2024,
        figures={**FIGURES, "students": 1000, "senior_students": 0, "enrollment": 1600},
        reason="补录",
        actor=school_user(third),
    )
    with models.reading() as db:
        chengdu = {i["key"]: i for i in indicators(db, 2024, prefecture="510100")["items"]}
        province = {i["key"]: i for i in indicators(db, 2024)["items"]}
    # 800 of 4,000 students: 20.0%, not the average of 50% and 10%
    assert chengdu["senior_share"]["value"] == Decimal("20.0")
    assert province["senior_share"]["value"] == Decimal("16.0")
    assert province["students"]["value"] == Decimal("0.5")
    # the correction is in the value, not in the figures as filed by the deadline
    assert province["enrollment"]["as_filed"] == Decimal("0.18")
    assert province["enrollment"]["value"] == Decimal("0.28")
    assert (province["senior_share"]["baseline_2020"], province["senior_share"]["target_2025"]) == (
        Decimal("22.7"),
        Decimal(40),
    )
    assert (
        chengdu["technician_colleges"]["target_2025"] == 1 and chengdu["technician_colleges"]["met"]
    )


def test_groups_count_while_formed_in_their_leads_prefecture(
    registry: Registry, models: ReadModels
) -> None:
    lead = school(registry, 1, "technician_college", date(2010, 9, 1), "510700")
    other = school(registry, 2, "technical_school", date(2010, 9, 1), "510700")
    enterprise = register_enterprise(registry, 1)
    group_id = registry.propose_group(
        lead_id=lead,
        name="川北汽车产业技师学院集团",
        prefectures=["510700"],
        industry_focus="汽车",
        proposed_on=date(2021, 5, 1),
        actor=school_user(lead),
    )
    secretariat = Actor("secretary", Role.GROUP_SECRETARIAT, group_id)
    for party in (other, enterprise):
        registry.admit_to_group(group_id, party_id=party, on=date(2021, 6, 1), actor=secretariat)
    registry.charter_group(group_id, on=date(2022, 4, 15), actor=secretariat)
    registry.dissolve_group(group_id, reason="并入", on=date(2023, 12, 31), actor=secretariat)
    assert values(models, 2021)["training_groups"] == 0
    assert values(models, 2022)["training_groups"] == 1
    assert values(models, 2022, "510700")["training_groups"] == 1
    assert values(models, 2022, "510100")["training_groups"] == 0
    assert values(models, 2023)["training_groups"] == 0  # dissolved on 31 December
    with models.reading() as db:
        progress = group_formation(db, date(2022, 12, 31))
    assert (progress["formed"], progress["baseline_2020"], progress["target_2025"]) == (1, 2, 10)
    assert [(g["id"], g["formed_on"]) for g in progress["groups"]] == [
        (str(group_id), "2022-04-15")
    ]
