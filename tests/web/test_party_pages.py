"""Schools and enterprises through the test client: registering, majors, corrections,
certification, and who sees which."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from domain.enterprise import Enterprise
from domain.school import School, SchoolKind
from registry.facade import Registry
from tests.factories import ADMIN, uscc
from tests.web.conftest import ADMIN_PASSWORD, CLI, add_admin, post, sign_in
from tests.web.pages import errors, problems

PASSWORD = "a good long password"


def account(registry: Registry, username: str, role: str, **binding: object) -> None:
    account_id = registry.add_account(
        username=username, display_name=username.title(), role=role, actor=CLI, **binding
    )
    registry.set_password(account_id, password=PASSWORD, actor=CLI)


def school(registry: Registry, serial: int, prefecture: str = "510100") -> UUID:
    school_id = registry.register_school(
        uscc=uscc("12", serial, prefecture),
        name=f"测试技师学院{serial}",
        kind="senior_technical_school",
        prefecture=prefecture,
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    registry.open_major(school_id, name="数控加工", year=2018, actor=ADMIN)
    return school_id


def enterprise(registry: Registry, serial: int, prefecture: str = "510100") -> UUID:
    return registry.register_enterprise(
        uscc=uscc("91", serial, prefecture),
        name=f"四川测试有限公司{serial}",
        prefecture=prefecture,
        industry="装备制造",
        above_designated_size=False,
        ownership="private",
        actor=ADMIN,
    )


@pytest.fixture
def admin(client: FlaskClient, registry: Registry) -> FlaskClient:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    return client


def test_registering_a_school_explains_each_mistake_and_keeps_the_input(
    admin: FlaskClient, registry: Registry
) -> None:
    code = uscc("12", 3)
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    form = {"uscc": wrong, "name": "", "kind": "technician_college", "prefecture": "510100"}
    response = post(admin, "/schools/new", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    found = errors(page)
    assert f"校验码应为 {code[-1]}" in found["uscc"] or code[-1] in found["uscc"]
    assert set(found) == {"uscc", "name", "established_on"}
    assert f'value="{wrong}"' in page
    # corrected, it registers and the school's page shows it
    done = post(
        admin,
        "/schools/new",
        {**form, "uscc": code, "name": "成都测试技师学院", "established_on": "2012-09-01"},
    )
    assert done.status_code == 302
    assert registry.get(School, UUID(done.headers["Location"].rsplit("/", 1)[1])).name == (
        "成都测试技师学院"
    )


def test_a_second_registration_of_a_code_is_refused_beside_it(
    admin: FlaskClient, registry: Registry
) -> None:
    school(registry, 1)
    response = post(
        admin,
        "/schools/new",
        {
            "uscc": uscc("12", 1),
            "name": "重复",
            "kind": "technical_school",
            "prefecture": "510100",
            "established_on": "2012-09-01",
        },
    )
    assert response.status_code == 422
    assert "uscc" in errors(response.get_data(as_text=True))


def test_school_page_opens_closes_upgrades_and_corrects(
    admin: FlaskClient, registry: Registry
) -> None:
    school_id = school(registry, 1)
    page = f"/schools/{school_id}"
    # an open major cannot be opened again: the refusal names it beside the field
    again = post(admin, f"{page}/open_major", {"name": "数控加工", "year": "2020"})
    assert again.status_code == 422 and "数控加工" in errors(again.get_data(as_text=True))["name"]
    assert (
        post(admin, f"{page}/close_major", {"name": "数控加工", "year": "2024"}).status_code == 302
    )
    assert post(admin, f"{page}/upgrade", {"to_kind": "technician_college"}).status_code == 302
    # a correction names exactly one fact
    two = post(admin, f"{page}/correct", {"name": "新名", "prefecture": "510300", "reason": "录错"})
    assert two.status_code == 422 and "一项" in problems(two.get_data(as_text=True))
    assert post(admin, f"{page}/correct", {"name": "新名", "reason": "录错"}).status_code == 302
    found = registry.get(School, school_id)
    assert found.name == "新名" and found.kind is SchoolKind.TECHNICIAN_COLLEGE
    assert found.majors["数控加工"].closed_year == 2024
    history = admin.get(page).get_data(as_text=True)
    assert history.count('data-testid="actor"') == 5


def test_school_users_manage_majors_of_their_own_school_only(
    client: FlaskClient, registry: Registry
) -> None:
    own, other = school(registry, 1), school(registry, 2)
    account(registry, "school", "school_user", party_id=own)
    sign_in(client, "school", PASSWORD)
    assert client.get("/schools/").headers["Location"].endswith(f"/schools/{own}")
    assert client.get(f"/schools/{other}").status_code == 404
    opened = post(client, f"/schools/{own}/open_major", {"name": "汽车维修", "year": "2025"})
    assert opened.status_code == 302
    # withdrawing is the province's: not offered, and refused if posted
    assert 'data-testid="action-withdraw"' not in client.get(f"/schools/{own}").get_data(
        as_text=True
    )
    assert post(client, f"/schools/{own}/withdraw", {"reason": "x"}).status_code == 403
    assert registry.get(School, own).withdrawn_on is None


def test_officers_list_and_open_schools_of_their_prefecture_only(
    client: FlaskClient, registry: Registry
) -> None:
    here, there = school(registry, 1, "510100"), school(registry, 2, "510300")
    account(registry, "officer", "prefecture_officer", prefecture="510300")
    sign_in(client, "officer", PASSWORD)
    listed = client.get("/schools/?prefecture=510100").get_data(as_text=True)
    assert str(there) in listed and str(here) not in listed
    assert client.get(f"/schools/{here}").status_code == 404
    assert client.get("/schools/new").status_code == 403


def test_enterprise_changes_and_certification_with_dates(
    admin: FlaskClient, registry: Registry
) -> None:
    enterprise_id = enterprise(registry, 1)
    page = f"/enterprises/{enterprise_id}"
    nothing = post(admin, f"{page}/change", {"effective_on": "2025-01-01"})
    assert nothing.status_code == 422
    grown = post(
        admin, f"{page}/change", {"effective_on": "2025-01-01", "above_designated_size": "yes"}
    )
    assert grown.status_code == 302
    assert post(admin, f"{page}/certify", {"on": "2024-03-01"}).status_code == 302
    early = post(admin, f"{page}/decertify", {"on": "2024-01-01", "reason": "复核未通过"})
    assert early.status_code == 422 and "on" in errors(early.get_data(as_text=True))
    found = registry.get(Enterprise, enterprise_id)
    assert found.above_designated_size and found.certified_on == date(2024, 3, 1)
    assert "2024-03-01" in admin.get(page).get_data(as_text=True)


def test_enterprise_users_see_and_change_only_their_own_enterprise(
    client: FlaskClient, registry: Registry
) -> None:
    own, other = enterprise(registry, 1), enterprise(registry, 2)
    account(registry, "enterprise", "enterprise_user", party_id=own)
    sign_in(client, "enterprise", PASSWORD)
    assert client.get(f"/enterprises/{other}").status_code == 404
    renamed = post(
        client,
        f"/enterprises/{own}/change",
        {"effective_on": "2025-05-01", "name": "四川新名有限公司"},
    )
    assert renamed.status_code == 302
    assert registry.get(Enterprise, own).name == "四川新名有限公司"
    assert post(client, f"/enterprises/{own}/certify", {}).status_code == 403
    assert client.get("/enterprises/new").status_code == 403
