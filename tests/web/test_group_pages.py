"""Training groups, teachers' practice and annual returns through the test client."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from domain.actors import Actor, Role
from domain.annual_return import AnnualReturn
from domain.training_group import TrainingGroup
from registry.facade import Registry
from tests.factories import ADMIN, registered_enterprise, registered_school, uscc
from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, account, add_admin, post, sign_in
from tests.web.pages import errors, problems


@pytest.fixture
def college(registry: Registry) -> UUID:
    lead = registered_school(registry)
    registered_school(registry, 2, name="成都第二技工学校", kind="technical_school")
    registered_enterprise(registry)
    account(registry, "school", "school_user", party_id=lead)
    return lead


def checklist(page: str) -> dict[str, str]:
    return {
        step: met for met, step in re.findall(r'class="(met|unmet)" data-testid="step-(\w+)"', page)
    }


def test_a_group_is_chartered_after_its_second_school_and_first_enterprise_join(
    client: FlaskClient, registry: Registry, college: UUID
) -> None:
    sign_in(client, "school", PASSWORD)
    proposed = post(
        client,
        "/groups/new",
        {
            "name": "成都智造集团",
            "prefectures": ["510100", "510600"],
            "industry_focus": "装备制造",
            "proposed_on": "2025-01-01",
        },
    )
    assert proposed.status_code == 302
    page = proposed.headers["Location"]
    assert checklist(client.get(page).get_data(as_text=True)) == {
        "proposed": "met",
        "second_school": "unmet",
        "enterprise": "unmet",
        "chartered": "unmet",
        "operating": "unmet",
    }
    early = post(client, f"{page}/charter", {"on": "2025-02-01"})
    assert early.status_code == 422 and "1" in errors(early.get_data(as_text=True))["on"]
    assert (
        post(client, f"{page}/admit", {"party": uscc("12", 2), "on": "2025-01-10"}).status_code
        == 302
    )
    assert (
        post(client, f"{page}/admit", {"party": uscc("91", 1), "on": "2025-01-20"}).status_code
        == 302
    )
    shown = checklist(client.get(page).get_data(as_text=True))
    assert shown["second_school"] == shown["enterprise"] == "met"
    assert post(client, f"{page}/charter", {"on": "2025-02-01"}).status_code == 302
    group = registry.get(TrainingGroup, UUID(page.rsplit("/", 1)[1]))
    assert group.chartered_on == date(2025, 2, 1)


def test_admitting_an_unregistered_code_is_explained_beside_it(
    client: FlaskClient, registry: Registry, college: UUID
) -> None:
    group = registry.propose_group(
        lead_id=college,
        name="集团",
        prefectures=["510100"],
        industry_focus="装备制造",
        actor=Actor("t", Role.SCHOOL_USER, college),
    )
    sign_in(client, "school", PASSWORD)
    response = post(client, f"/groups/{group}/admit", {"party": uscc("91", 7)})
    assert response.status_code == 422
    assert "party" in errors(response.get_data(as_text=True))


def test_a_teachers_practice_is_logged_under_a_practice_station(
    client: FlaskClient, registry: Registry, college: UUID
) -> None:
    enterprise = registry.register_enterprise(
        uscc=uscc("91", 2),
        name="四川实践有限公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
    agreement = registry.propose_agreement(
        school_id=college,
        enterprise_id=enterprise,
        title="教师实践工作站协议",
        modes=["teacher_practice_station"],
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        actor=Actor("t", Role.SCHOOL_USER, college),
    )
    registry.countersign_agreement(agreement, actor=Actor("e", Role.ENTERPRISE_USER, enterprise))
    sign_in(client, "school", PASSWORD)
    form = {
        "staff_number": "T2019-031",
        "agreement": str(agreement),
        "starts_on": "2024-03-01",
        "ends_on": "2024-05-31",
    }
    logged = post(client, "/teachers/new", form)
    assert logged.status_code == 302
    page = logged.headers["Location"]
    overlap = post(
        client, f"{page}/log", {**form, "starts_on": "2024-05-01", "ends_on": "2024-06-30"}
    )
    assert overlap.status_code == 422 and "starts_on" in errors(overlap.get_data(as_text=True))
    shown = client.get(page).get_data(as_text=True)
    assert re.search(r'data-testid="practice-days">\s*92', shown)


def test_returns_are_filed_corrected_and_judged_against_the_deadline(
    client: FlaskClient, registry: Registry, college: UUID
) -> None:
    add_admin(registry)
    year = date.today().year - 1
    sign_in(client, "admin", ADMIN_PASSWORD)
    too_early = post(
        client, "/returns/deadlines", {"step": "set", "year": str(year), "due_on": f"{year}-12-01"}
    )
    assert too_early.status_code == 422 and "due_on" in errors(too_early.get_data(as_text=True))
    assert (
        post(
            client,
            "/returns/deadlines",
            {"step": "set", "year": str(year), "due_on": f"{year + 1}-03-31"},
        ).status_code
        == 302
    )
    client.post("/logout", data={})
    sign_in(client, "school", PASSWORD)
    figures = {
        "enrollment": "1200",
        "students": "3600",
        "senior_students": "1500",
        "graduates": "1000",
        "employed": "1100",
        "training_person_times": "5000",
    }
    wrong = post(client, "/returns/new", {"year": str(year), **figures})
    assert wrong.status_code == 422 and "employed" in errors(wrong.get_data(as_text=True))
    filed = post(client, "/returns/new", {"year": str(year), **figures, "employed": "980"})
    assert filed.status_code == 302
    again = post(client, "/returns/new", {"year": str(year), **figures, "employed": "980"})
    assert again.status_code == 422 and "更正" in problems(again.get_data(as_text=True))
    fixed = post(
        client,
        f"{filed.headers['Location']}/correct",
        {**figures, "employed": "985", "reason": "补录就业数据"},
    )
    assert fixed.status_code == 302
    found = registry.get(AnnualReturn, AnnualReturn.create_id(college, year))
    assert found.figures.employed == 985 and found.as_filed.figures.employed == 980
