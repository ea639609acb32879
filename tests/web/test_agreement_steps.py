"""The steps of an agreement after its proposal, through the test client: amendment,
suspension and resumption, termination, investments, a school's own proposal."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from uuid import UUID

from flask.testing import FlaskClient

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement, Status
from registry.facade import Registry
from tests.factories import uscc
from tests.web.conftest import PASSWORD, World, post, sign_in
from tests.web.pages import errors

TODAY_RANGE = {"starts_on": "2026-09-01", "ends_on": "2029-08-31"}


def offered(client: FlaskClient, agreement: UUID) -> tuple[list[str], str]:
    """The steps the agreement's page offers, and the version it shows."""
    page = client.get(f"/agreements/{agreement}").get_data(as_text=True)
    found = re.search(r'name="version" value="(\d+)"', page)
    return re.findall(r'data-testid="action-([a-z_]+)"', page), found.group(1) if found else ""


def countersigned(registry: Registry, world: World) -> UUID:
    registry.countersign_agreement(
        world.agreement, actor=Actor("colleague", Role.SCHOOL_USER, world.school)
    )
    return world.agreement


def test_steps_are_offered_to_the_parties_by_state(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "school", PASSWORD)
    steps, _ = offered(client, world.agreement)
    assert steps == []
    countersigned(registry, world)
    steps, _ = offered(client, world.agreement)
    assert steps == ["amend", "record_investment", "suspend", "terminate", "renew"]
    # an officer reads the agreement but is offered nothing
    client.post("/logout", data={"csrf_token": ""})
    sign_in(client, "officer", PASSWORD)
    steps, _ = offered(client, world.others_agreement)
    assert steps == []


def test_suspension_and_resumption_check_their_dates(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    agreement = countersigned(registry, world)
    sign_in(client, "enterprise", PASSWORD)
    _, version = offered(client, agreement)
    before = post(
        client,
        f"/agreements/{agreement}/act/suspend",
        {"version": version, "on": "2026-01-01", "reason": "停产检修"},
    )
    assert before.status_code == 422
    assert "2026-01-01" in errors(before.get_data(as_text=True))["on"]
    assert "停产检修" in before.get_data(as_text=True)
    suspended = post(
        client,
        f"/agreements/{agreement}/act/suspend",
        {"version": version, "on": "2027-01-01", "reason": "停产检修"},
    )
    assert suspended.status_code == 302
    steps, version = offered(client, agreement)
    assert "resume" in steps and "suspend" not in steps
    resumed = post(
        client, f"/agreements/{agreement}/act/resume", {"version": version, "on": "2027-03-01"}
    )
    assert resumed.status_code == 302
    found = registry.get(CooperationAgreement, agreement)
    assert found.suspensions == [(date(2027, 1, 1), date(2027, 3, 1))]


def test_a_step_on_a_changed_agreement_keeps_the_reason_and_saves_nothing(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    agreement = countersigned(registry, world)
    sign_in(client, "school", PASSWORD)
    _, version = offered(client, agreement)
    registry.plan_investment(
        agreement,
        amount=Decimal(1000),
        actor=Actor("someone", Role.ENTERPRISE_USER, world.enterprise),
    )
    stale = post(
        client,
        f"/agreements/{agreement}/act/terminate",
        {"version": version, "reason": "合作方向调整"},
    )
    assert stale.status_code == 409 and "合作方向调整" in stale.get_data(as_text=True)
    assert registry.get(CooperationAgreement, agreement).status is Status.COUNTERSIGNED


def test_investments_are_recorded_corrected_and_listed(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    agreement = countersigned(registry, world)
    sign_in(client, "enterprise", PASSWORD)
    _, version = offered(client, agreement)
    outside = {
        "version": version,
        "kind": "equipment",
        "amount": "120,000",
        "invested_on": "2030-01-01",
        "description": "数控机床",
    }
    refused = post(client, f"/agreements/{agreement}/act/record_investment", outside)
    assert refused.status_code == 422 and "2030-01-01" in refused.get_data(as_text=True)
    inside = {**outside, "invested_on": "2027-05-01"}
    assert post(client, f"/agreements/{agreement}/act/record_investment", inside).status_code == 302
    steps, version = offered(client, agreement)
    assert "correct_investment" in steps
    fixed = post(
        client,
        f"/agreements/{agreement}/act/correct_investment",
        {
            "version": version,
            "number": "1",
            "amount": "130000",
            "invested_on": "2027-05-01",
            "reason": "按发票更正",
        },
    )
    assert fixed.status_code == 302
    page = client.get(f"/agreements/{agreement}").get_data(as_text=True)
    assert "¥130,000.00" in page and "数控机床" in page


def test_an_amendment_is_proposed_for_the_other_party_to_answer(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    agreement = countersigned(registry, world)
    sign_in(client, "school", PASSWORD)
    _, version = offered(client, agreement)
    amended = post(
        client,
        f"/agreements/{agreement}/act/amend",
        {
            "version": version,
            "modes": ["order_class", "apprenticeship"],
            **TODAY_RANGE,
            "reason": "增加学徒制",
        },
    )
    assert amended.status_code == 302
    pending = registry.get(CooperationAgreement, agreement).pending_amendment
    assert pending is not None and pending[2] == "增加学徒制"


def test_a_school_proposes_to_an_enterprise_named_by_its_code(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "school", PASSWORD)
    form = {"modes": ["internship_base"], **TODAY_RANGE}
    unknown = post(client, "/school/partnerships/new", {**form, "enterprise": uscc("91", 9)})
    assert unknown.status_code == 422 and "enterprise" in errors(unknown.get_data(as_text=True))
    done = post(client, "/school/partnerships/new", {**form, "enterprise": uscc("91", 1)})
    assert done.status_code == 302
    agreement = registry.get(CooperationAgreement, UUID(done.headers["Location"].rsplit("/", 1)[1]))
    assert agreement.enterprise_id == world.enterprise and agreement.proposed_by.value == "school"
