"""The current views and their queries, kept by the after-save hook on a real SQLite store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement
from domain.enterprise import Enterprise
from projections import attach
from projections.agreement_queries import agreement, count_agreements, list_agreements
from projections.enterprises import count_enterprises, enterprise, list_enterprises
from projections.investments import investment_by_year, list_investments
from projections.schools import count_schools, list_schools, majors, school
from registry.demo import load_demo
from registry.facade import Registry
from tests.factories import ADMIN, enterprise_user, school_user
from tests.integration.world import World, register_enterprise, register_school
from tests.readmodels import dump, from_scratch


@pytest.fixture
def world(registry: Registry) -> World:
    models = attach(registry)
    return World(
        registry,
        models,
        register_school(registry, 1, "510100", "technician_college"),
        register_school(registry, 2, "510700", "technical_school"),
        register_enterprise(registry, 1, "510100", "装备制造"),
        register_enterprise(registry, 2, "511500", "电子信息"),
    )


def test_a_command_returns_once_the_read_models_hold_its_event(world: World) -> None:
    # a command saves; before it returns, the hook has caught the read models up
    world.app.open_major(world.chengdu_school, name="汽车维修", year=2024, actor=ADMIN)
    assert world.models.position() == world.app.max_position()
    with world.models.reading() as db:
        assert [m["name"] for m in majors(db, school_id=str(world.chengdu_school))] == [
            "数控加工",
            "汽车维修",
        ]


def test_schools_list_counts_and_majors_as_they_stand(world: World) -> None:
    app = world.app
    app.upgrade_school(world.mianyang_school, to_kind="senior_technical_school", actor=ADMIN)
    app.close_major(world.chengdu_school, name="数控加工", year=2024, actor=ADMIN)
    app.withdraw_school(world.mianyang_school, reason="学校合并", on=date(2025, 1, 1), actor=ADMIN)
    with world.models.reading() as db:
        assert count_schools(db, "kind") == {"senior_technical_school": 1, "technician_college": 1}
        assert count_schools(db, "prefecture", withdrawn=False) == {"510100": 1}
        listed = list_schools(db, prefecture="510700")
        assert listed.total == 1 and listed.items[0]["withdrawn_on"] == "2025-01-01"
        found = school(db, str(world.chengdu_school))
        assert found is not None
        assert found["majors"][0]["closed_year"] == 2024
        assert found["majors"][0]["opened_as"] == "technician_college"
        assert majors(db, name="数控加工", open_only=True) == [
            {
                "school_id": str(world.mianyang_school),
                "name": "数控加工",
                "opened_year": 2018,
                "opened_as": "technical_school",
                "closed_year": None,
            }
        ]


def test_enterprises_filter_by_certification_on_a_day(world: World) -> None:
    app = world.app
    app.certify_enterprise(world.chengdu_maker, on=date(2022, 6, 1), actor=ADMIN)
    app.decertify_enterprise(world.chengdu_maker, reason="复核", on=date(2024, 6, 1), actor=ADMIN)
    app.change_enterprise(world.yibin_chipmaker, actor=ADMIN, above_designated_size=False)
    with world.models.reading() as db:
        certified = list_enterprises(db, certified_on=date(2023, 1, 1))
        assert [e["id"] for e in certified.items] == [str(world.chengdu_maker)]
        assert list_enterprises(db, certified_on=date(2024, 6, 1)).total == 0
        assert count_enterprises(db, "above_designated_size") == {"0": 1, "1": 1}
        found = enterprise(db, str(world.chengdu_maker))
        assert found is not None and found["certified_on"] is None
        assert found["periods"] == [
            {"number": 1, "starts_on": "2022-06-01", "ends_on": "2024-06-01"}
        ]


def test_agreements_by_prefecture_count_in_each_partys_prefecture(world: World) -> None:
    world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    world.propose(world.mianyang_school, world.yibin_chipmaker, ["internship_base"])
    world.propose(world.chengdu_school, world.yibin_chipmaker, ["curriculum"])
    with world.models.reading() as db:
        assert count_agreements(db, "prefecture") == {"510100": 2, "510700": 1, "511500": 2}
        assert list_agreements(db, prefecture="511500").total == 2
        assert count_agreements(db, "industry") == {"装备制造": 1, "电子信息": 2}
        assert count_agreements(db, "school") == {
            str(world.chengdu_school): 2,
            str(world.mianyang_school): 1,
        }
        mine = list_agreements(db, party=str(world.yibin_chipmaker))
        assert {a["school_name"] for a in mine.items} == {"学校1", "学校2"}


def test_agreement_status_follows_dates_with_no_event(world: World) -> None:
    app = world.app
    running = world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    app.suspend_agreement(
        running, reason="停产", on=date(2024, 3, 1), actor=enterprise_user(world.chengdu_maker)
    )
    app.resume_agreement(running, on=date(2024, 5, 1), actor=school_user(world.chengdu_school))
    app.terminate_agreement(
        running, reason="提前终止", on=date(2025, 7, 1), actor=school_user(world.chengdu_school)
    )
    later = world.propose(
        world.chengdu_school, world.yibin_chipmaker, ["curriculum"], date(2025, 1, 1)
    )
    world.propose(world.mianyang_school, world.chengdu_maker, ["curriculum"], countersign=False)
    aggregate = app.get(CooperationAgreement, running)
    with world.models.reading() as db:
        # the view's state on any day is the one the aggregate computes
        for day in (date(2024, 2, 1), date(2024, 3, 1), date(2024, 5, 1), date(2025, 7, 1)):
            found = agreement(db, str(running), on=day)
            assert found is not None and found["status_on"] == aggregate.status_on(day)
        assert count_agreements(db, "status", on=date(2024, 4, 1)) == {
            "suspended": 1,
            "not_yet_started": 1,
            "proposed": 1,
        }
        assert count_agreements(db, "status", on=date(2027, 1, 1)) == {
            "terminated": 1,
            "expired": 1,
            "proposed": 1,
        }
        active = list_agreements(db, status="active", on=date(2025, 2, 1))
        assert {a["id"] for a in active.items} == {str(running), str(later)}
        with pytest.raises(ValueError, match="status must be one of"):
            list_agreements(db, status="countersigned")


def test_modes_change_only_when_an_amendment_is_accepted(world: World) -> None:
    app = world.app
    agreement_id = world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    enterprise_actor = enterprise_user(world.chengdu_maker)
    app.propose_amendment(
        agreement_id,
        modes=["order_class", "apprenticeship"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 12, 31),
        reason="增加学徒制",
        actor=enterprise_actor,
    )
    with world.models.reading() as db:
        assert list_agreements(db, mode="apprenticeship").total == 0
        found = agreement(db, str(agreement_id))
        assert found is not None and found["pending_amendment"]["ends_on"] == "2027-12-31"
    app.accept_amendment(agreement_id, actor=school_user(world.chengdu_school))
    with world.models.reading() as db:
        assert list_agreements(db, mode="apprenticeship").total == 1
        assert count_agreements(db, "mode") == {"apprenticeship": 1, "order_class": 1}
        found = agreement(db, str(agreement_id))
        assert found is not None
        assert found["ends_on"] == "2027-12-31" and found["pending_amendment"] is None


def test_a_partys_new_industry_and_name_show_on_its_agreements(world: World) -> None:
    world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    world.app.change_enterprise(world.chengdu_maker, actor=ADMIN, industry="数字经济")
    world.app.correct_enterprise(
        world.chengdu_maker, field="name", value="成都新名有限公司", reason="更名", actor=ADMIN
    )
    with world.models.reading() as db:
        assert list_agreements(db, industry="装备制造").total == 0
        (found,) = list_agreements(db, industry="数字经济").items
        assert found["enterprise_name"] == "成都新名有限公司"


def test_offset_uses_certification_in_force_on_the_investment_day(world: World) -> None:
    app = world.app
    agreement_id = world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    investor = enterprise_user(world.chengdu_maker)
    for amount, day in (("100000.50", date(2024, 3, 1)), ("200000", date(2024, 9, 1))):
        app.record_investment(
            agreement_id, kind="money", amount=Decimal(amount), invested_on=day, actor=investor
        )
    app.record_investment(
        agreement_id,
        kind="equipment",
        amount=Decimal("50000"),
        invested_on=date(2025, 2, 1),
        actor=investor,
    )
    # certified later, effective from a date before the second investment; withdrawn in 2025
    app.certify_enterprise(world.chengdu_maker, on=date(2024, 6, 1), actor=ADMIN)
    app.decertify_enterprise(world.chengdu_maker, reason="复核", on=date(2025, 1, 1), actor=ADMIN)
    app.correct_investment(
        agreement_id,
        number=2,
        amount=Decimal("210000"),
        invested_on=date(2024, 9, 2),
        reason="金额有误",
        actor=investor,
    )
    with world.models.reading() as db:
        assert investment_by_year(db) == [
            {
                "enterprise_id": str(world.chengdu_maker),
                "enterprise_name": "企业1",
                "year": 2024,
                "total": Decimal("310000.50"),
                "certified_total": Decimal("210000"),
                "creditable": Decimal("63000.0"),
            },
            {
                "enterprise_id": str(world.chengdu_maker),
                "enterprise_name": "企业1",
                "year": 2025,
                "total": Decimal("50000"),
                "certified_total": Decimal("0"),
                "creditable": Decimal("0.0"),
            },
        ]
        listed = list_investments(db, year=2024)
        assert [(i["number"], i["certified"]) for i in listed] == [(1, False), (2, True)]
    # the same answer the write model gives
    certified = app.get(Enterprise, world.chengdu_maker).certified_during
    assert [certified(date.fromisoformat(i["invested_on"])) for i in listed] == [False, True]


def test_a_second_process_sees_the_same_views_through_the_pointer(world: World) -> None:
    world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    other = Registry(world.app.settings)
    try:
        # another process opens the same directory: same live file, already caught up
        models = attach(other)
        assert models.live() == world.models.live()
        with models.reading() as db:
            assert list_agreements(db).total == 1
        other.countersign_agreement(
            world.propose(
                world.mianyang_school, world.chengdu_maker, ["curriculum"], countersign=False
            ),
            on=date(2023, 12, 1),
            actor=Actor("s", Role.SCHOOL_USER, world.mianyang_school),
        )
    finally:
        other.close()
    with world.models.reading() as db:
        assert count_agreements(db, "status", on=date(2024, 6, 1)) == {"active": 2}


def test_views_kept_while_loading_the_demo_equal_a_rebuild(registry: Registry) -> None:
    models = attach(registry)
    load_demo(registry)
    with models.reading() as db:
        assert dump(db.conn) == from_scratch(registry)
        assert count_agreements(db, "status", on=date(2025, 6, 1))["active"] > 0
