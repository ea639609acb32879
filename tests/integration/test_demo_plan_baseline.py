"""The demo against the plan's 2020 baseline (专栏1), and the commands that show it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner

from domain.account import Account, account_id_for
from domain.agreement import CooperationAgreement
from domain.annual_return import AnnualReturn
from domain.school import School, SchoolKind
from domain.teacher_practice import TeacherPractice
from projections import attach
from projections.agreement_queries import list_agreements
from projections.engine.read_models import ReadModels
from projections.finding_queries import findings
from projections.groups import group_progress
from projections.indicators import PLAN, indicator_table, indicators, technician_colleges_on
from projections.placements import list_placements
from projections.returns import list_returns, return_totals
from projections.teachers import list_teachers
from registry.cli import main
from registry.config import Settings
from registry.demo import load_demo
from registry.demo.base import DemoContext, demo_id
from registry.demo.placements import RENEWAL
from registry.demo.returns import apportion
from registry.demo.teachers import practice_agreements
from registry.facade import Registry


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Registry, DemoContext]]:
    """The demo, loaded once for this module's read-only tests."""
    app = Registry(Settings(data_dir=tmp_path_factory.mktemp("demo") / "var"))
    attach(app)
    context = load_demo(app)
    yield app, context
    app.close()


@pytest.fixture
def models(demo: tuple[Registry, DemoContext]) -> ReadModels:
    return attach(demo[0])


@pytest.fixture
def runner(demo: tuple[Registry, DemoContext], monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REGISTRY_DATA_DIR", str(demo[0].settings.data_dir))
    monkeypatch.delenv("REGISTRY_EVENT_STORE", raising=False)
    return CliRunner()


def test_demo_2020_returns_equal_the_plan_baseline(
    demo: tuple[Registry, DemoContext], models: ReadModels
) -> None:
    app, _ = demo
    with models.reading() as db:
        totals = return_totals(db, 2020)
        filers = [UUID(r["school_id"]) for r in list_returns(db, year=2020, limit=500).items]
    assert totals["returns"] == 99
    assert totals["sums"]["students"] == 148_400
    assert totals["sums"]["enrollment"] == 60_000
    assert totals["sums"]["training_person_times"] == 130_000
    assert totals["senior_share"] == Decimal("22.7")
    assert totals["employment_rate"] == Decimal("98.0")
    assert Decimal(totals["sums"]["employed"]) / totals["sums"]["graduates"] == Decimal("0.98")
    # the 99 returns are the 99 schools of 2020, 21 of them technician colleges then
    kinds = [
        kind_at_end_of_2020(app.get(School, school_id), app.get(School, school_id, version=1).kind)
        for school_id in set(filers)
    ]
    assert len(set(filers)) == 99
    # §一: 21 technician colleges, 16 senior technical schools, 62 technical schools
    assert kinds.count(SchoolKind.TECHNICIAN_COLLEGE) == 21
    assert kinds.count(SchoolKind.SENIOR_TECHNICAL_SCHOOL) == 16
    assert kinds.count(SchoolKind.TECHNICAL_SCHOOL) == 62


def kind_at_end_of_2020(school: School, first_kind: SchoolKind) -> SchoolKind:
    upgrades = [kind for upgraded_on, kind in school.upgrades if upgraded_on <= date(2020, 12, 31)]
    return upgrades[-1] if upgrades else first_kind


def test_demo_returns_move_toward_2025_with_corrections_and_late_filings(
    models: ReadModels,
) -> None:
    with models.reading() as db:
        by_year = {year: return_totals(db, year) for year in range(2020, 2026)}
        as_filed_2025 = return_totals(db, 2025, by=date(2026, 3, 31))
    assert [t["sums"]["students"] for t in by_year.values()] == sorted(
        t["sums"]["students"] for t in by_year.values()
    )
    assert sum(t["corrected"] for t in by_year.values()) > 0
    assert by_year[2020]["late"] == 0
    # most 2025 returns are filed by the deadline, a few in April, late
    assert 0 < by_year[2025]["late"] < by_year[2025]["returns"] / 2
    assert as_filed_2025["returns"] == by_year[2025]["returns"] - by_year[2025]["late"]
    assert by_year[2025]["senior_share"] is not None and by_year[2025]["senior_share"] < 40


def test_demo_groups_reach_every_formation_stage(models: ReadModels) -> None:
    with models.reading() as db:
        in_2020 = group_progress(db, date(2020, 12, 31))
        in_2025 = group_progress(db, date(2025, 12, 31))
    assert sum(p["formed"] for p in in_2020) == 2
    assert sum(p["formed"] for p in in_2025) == 6
    assert {p["stage_on"] for p in in_2025} == {"proposed", "chartered", "operating", "dissolved"}
    assert sorted(tuple(p["lacks"].values()) for p in in_2025 if p["stage_on"] == "proposed") == [
        (0, 1),
        (1, 0),
        (1, 1),
    ]


def test_demo_teachers_meet_or_fall_short_of_the_rule(
    demo: tuple[Registry, DemoContext], models: ReadModels
) -> None:
    app, _ = demo
    assert practice_agreements()
    with models.reading() as db:
        listed = list_teachers(db, limit=500).items
    teachers = [app.get(TeacherPractice, UUID(t["id"])) for t in listed]
    judged = [t.meets_requirement_on(date(2025, 12, 31)) for t in teachers]
    assert True in judged and False in judged
    assert any(p.cancelled for t in teachers for p in t.periods)


def test_apportion_splits_exactly_by_weight() -> None:
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(apportion(148_400, [3, 2, 2, 1, 7])) == 148_400


def test_history_shows_the_new_records(
    runner: CliRunner, demo: tuple[Registry, DemoContext]
) -> None:
    _, context = demo
    return_id = AnnualReturn.create_id(context.schools[0].id, 2022)

    def history(record_id: UUID) -> list[dict[str, Any]]:
        result = runner.invoke(main, ["history", str(record_id), "--json"])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.output.splitlines()]

    group = history(demo_id("group", 2))
    assert group[0]["event"] == "TrainingGroup.Proposed"
    assert group[0]["fields"]["prefectures"] == ["510700", "510800", "511300"]
    assert "TrainingGroup.LeadHandedOver" in [e["event"] for e in group]
    [filed] = history(return_id)
    assert filed["event"] == "AnnualReturn.Filed"
    assert filed["fields"]["figures"]["students"] > 0
    assert filed["fields"]["late"] is False and filed["fields"]["deadline"] is None


def test_groups_returns_and_practice_commands(
    runner: CliRunner, demo: tuple[Registry, DemoContext]
) -> None:
    app, _ = demo
    groups = runner.invoke(main, ["groups", "--on", "2020-12-31"])
    assert groups.exit_code == 0, groups.output
    assert "formed on 2020-12-31: 2 (2020: 2, 2025 target: 10)" in groups.output
    later = runner.invoke(main, ["groups", "--on", "2025-12-31"]).output
    assert "lacks schools: 1, enterprises: 1" in later and "dissolved since 2023-12-31" in later
    returns = runner.invoke(main, ["returns", "2020"])
    assert "99 filed, 0 late" in returns.output
    assert "students: 148400" in returns.output and "senior_share: 22.7%" in returns.output
    as_filed = runner.invoke(main, ["returns", "2025", "--by", "2026-03-31"]).output
    everything = runner.invoke(main, ["returns", "2025"]).output
    assert ", 0 late" in as_filed and ", 0 late" not in everything
    with attach(app).reading() as db:
        first = list_teachers(db, limit=1).items[0]
    teacher = app.get(TeacherPractice, UUID(first["id"]))
    practice = runner.invoke(
        main, ["practice", str(teacher.school_id), teacher.staff_number, "--on", "2025-12-31"]
    )
    assert practice.exit_code == 0, practice.output
    assert "Practice days in the 5 years to 2025-12-31" in practice.output
    bad = runner.invoke(main, ["groups", "--on", "31/12/2025"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    unknown = runner.invoke(main, ["practice", str(teacher.school_id), "张三"])
    assert unknown.exit_code == 1 and "staff_number_invalid" in unknown.output


def test_demo_2020_indicators_equal_the_plan_baseline(models: ReadModels) -> None:
    with models.reading() as db:
        province = indicators(db, 2020)
        table = indicator_table(db, 2020)
        colleges = technician_colleges_on(db, date(2025, 12, 31))
    values = {i["key"]: i["value"] for i in province["items"]}
    # 专栏1: 99 schools, 21 technician colleges, 6 and 14.84 (10k), 22.7%, 98%, 13 (10k), 2
    assert values == {
        "schools": 99,
        "technician_colleges": 21,
        "enrollment": 6,
        "students": Decimal("14.84"),
        "senior_share": Decimal("22.7"),
        "employment_rate": 98,
        "training": 13,
        "training_groups": 2,
    }
    assert all(i["value"] == i["baseline_2020"] for i in province["items"])
    assert [i["as_filed"] for i in province["items"]][2:7] == [
        6,
        Decimal("14.84"),
        Decimal("22.7"),
        98,
        13,
    ]
    # the prefectures add up to the province; shares are recomputed from their own sums
    for number in (1, 2, 8):
        assert (
            sum(p["items"][number - 1]["value"] for p in table["prefectures"].values())
            == values[PLAN[number - 1].key]
        )
    assert table["prefectures"]["513300"]["items"][1]["met"] is False
    # 专栏3 at the end of 2025: 甘孜 alone still has no technician college
    assert [code for code, found in colleges.items() if not found] == ["513300"]


def test_the_demo_accounts_each_find_work_to_do(
    demo: tuple[Registry, DemoContext], models: ReadModels
) -> None:
    app, _ = demo
    school = str(app.get(Account, account_id_for("school")).party_id)
    enterprise = str(app.get(Account, account_id_for("enterprise")).party_id)
    with models.reading() as db:
        # the school has a proposal to countersign
        assert list_agreements(db, party=school, awaiting="school").total >= 1
        # the enterprise has the lapsed school's renewal to countersign ...
        awaiting = list_agreements(db, party=enterprise, awaiting="enterprise").items
        assert [row["id"] for row in awaiting] == [str(RENEWAL)]
        renewal = app.get(CooperationAgreement, RENEWAL)
        assert str(renewal.enterprise_id) == enterprise and renewal.countersigned_on is None
        # ... hosts that school's placement, and sees the lapse of its cover among its findings
        hosted = list_placements(db, enterprise_id=enterprise).items
        assert {row["school_id"] for row in hosted} == {str(renewal.school_id)}
        rules = {row["rule"] for row in findings(db, enterprise=enterprise, state="open").items}
        assert "cover_lapse" in rules
