"""Queries as of a past position, and effective dates against recorded states, on a real store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from projections import attach, audit
from projections.accounts import list_accounts
from projections.agreement_queries import agreement, count_agreements, list_agreements
from projections.audit import audit_trail
from projections.engine.asof import source
from projections.enterprises import enterprise, list_enterprises
from projections.investments import list_investments
from projections.schools import count_schools, school
from registry.facade import Registry
from tests.factories import ADMIN, enterprise_user, school_user
from tests.integration.world import World, register_enterprise, register_school

TERMINATED_ON = date(2024, 6, 1)


@pytest.fixture
def world(registry: Registry) -> World:
    """Two schools and two enterprises, as in tests/integration/test_views.py."""
    return World(
        registry,
        attach(registry),
        register_school(registry, 1, "510100", "technician_college"),
        register_school(registry, 2, "510700", "technical_school"),
        register_enterprise(registry, 1, "510100", "装备制造"),
        register_enterprise(registry, 2, "511500", "电子信息"),
    )


def test_a_back_dated_termination_differs_as_recorded_and_as_in_force(world: World) -> None:
    app = world.app
    agreement_id = world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    signed = app.max_position()
    # weeks later the school records that the agreement ended on 1 June, already past
    app.terminate_agreement(
        agreement_id,
        reason="企业搬迁",
        on=TERMINATED_ON,
        actor=school_user(world.chengdu_school),
    )
    with world.models.reading() as db:
        # in force on 1 June as recorded before the termination; terminated as known now
        before = agreement(db, str(agreement_id), on=TERMINATED_ON, at=signed)
        assert before is not None and before["status_on"] == "active"
        now = agreement(db, str(agreement_id), on=TERMINATED_ON)
        assert now is not None and now["status_on"] == "terminated"
        in_force = list_agreements(db, status="active", on=TERMINATED_ON, at=signed)
        assert [a["id"] for a in in_force.items] == [str(agreement_id)]
        assert list_agreements(db, status="active", on=TERMINATED_ON).total == 0
        assert count_agreements(db, "status", on=TERMINATED_ON, at=signed) == {"active": 1}


def test_records_are_absent_before_the_position_that_made_them(world: World) -> None:
    app = world.app
    before = app.max_position()
    newcomer = register_school(app, 9, "513300", "technical_school")
    with world.models.reading() as db:
        assert school(db, str(newcomer), at=before) is None
        assert count_schools(db, "prefecture", at=before) == {"510100": 1, "510700": 1}
        found = school(db, str(newcomer))
        assert found is not None and [m["name"] for m in found["majors"]] == ["数控加工"]
        # as of its registration the major was not opened yet (a later event)
        at_registration = school(db, str(newcomer), at=before + 1)
        assert at_registration is not None and at_registration["majors"] == []


def test_an_enterprise_as_of_a_position_has_the_name_and_periods_it_had(world: World) -> None:
    app = world.app
    app.certify_enterprise(world.chengdu_maker, on=date(2022, 6, 1), actor=ADMIN)
    certified = app.max_position()
    app.correct_enterprise(
        world.chengdu_maker, field="name", value="成都新名有限公司", reason="更名", actor=ADMIN
    )
    app.decertify_enterprise(world.chengdu_maker, reason="复核", on=date(2024, 6, 1), actor=ADMIN)
    with world.models.reading() as db:
        then = enterprise(db, str(world.chengdu_maker), at=certified)
        assert then is not None and then["name"] == "企业1"
        assert then["periods"] == [{"number": 1, "starts_on": "2022-06-01", "ends_on": None}]
        # certified on a day after the withdrawal, as recorded then; not as known now
        later = date(2025, 1, 1)
        assert list_enterprises(db, certified_on=later, at=certified).total == 1
        assert list_enterprises(db, certified_on=later).total == 0
        now = enterprise(db, str(world.chengdu_maker))
        assert now is not None and now["name"] == "成都新名有限公司"


def test_an_investment_counts_as_certified_by_what_was_recorded_then(world: World) -> None:
    app = world.app
    agreement_id = world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    app.record_investment(
        agreement_id,
        kind="money",
        amount=Decimal("1000"),
        invested_on=date(2024, 9, 1),
        actor=enterprise_user(world.chengdu_maker),
    )
    recorded = app.max_position()
    # a certification recorded afterwards, effective before the investment
    app.certify_enterprise(world.chengdu_maker, on=date(2024, 1, 1), actor=ADMIN)
    with world.models.reading() as db:
        (then,) = list_investments(db, agreement_id=str(agreement_id), at=recorded)
        (now,) = list_investments(db, agreement_id=str(agreement_id))
        assert (then["certified"], now["certified"]) == (False, True)


def test_the_audit_trail_as_of_a_position_ends_there(world: World) -> None:
    app = world.app
    agreement_id = world.propose(world.chengdu_school, world.chengdu_maker, ["order_class"])
    proposed_and_signed = app.max_position()
    app.suspend_agreement(
        agreement_id, reason="停产", on=date(2024, 3, 1), actor=school_user(world.chengdu_school)
    )
    with world.models.reading() as db:
        then = audit_trail(db, party=str(world.chengdu_maker), at=proposed_and_signed)
        assert [e["event"] for e in then.items] == ["Registered", "Proposed", "Countersigned"]
        now = audit_trail(db, party=str(world.chengdu_maker))
        assert [e["event"] for e in now.items][-1] == "Suspended"


def test_an_account_as_of_a_position_has_the_status_it_had(world: World) -> None:
    app = world.app
    before = app.max_position()
    account_id = app.add_account(
        username="officer",
        display_name="市局科员",
        role="prefecture_officer",
        prefecture="510100",
        actor=ADMIN,
    )
    added = app.max_position()
    app.deactivate_account(account_id, reason="调岗", actor=ADMIN)
    with world.models.reading() as db:
        assert [a["status"] for a in list_accounts(db, at=added).items] == ["active"]
        assert [a["status"] for a in list_accounts(db).items] == ["deactivated"]
        assert list_accounts(db, at=before).total == 0


def test_a_position_is_a_whole_number() -> None:
    with pytest.raises(ValueError, match="a position is a whole number"):
        source("schools", -1)
    with pytest.raises(ValueError, match="a position is a whole number"):
        source("schools", "1; DROP TABLE schools")  # type: ignore[arg-type]


def test_a_views_internal_tables_keep_no_versions_and_have_no_past_to_read(world: World) -> None:
    # the audit's record attributes and the findings' working notes are only the handlers'
    with world.models.reading() as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        for internal in ("audit_records", "finding_enterprises", "return_deadline_ids"):
            assert internal in tables
            assert f"{internal}__versions" not in tables
        assert "agreements__versions" in tables
        assert "finding_agreements__versions" in tables
    with pytest.raises(ValueError, match="audit_records is a view's internal table"):
        audit.view.source("audit_records", 1)
