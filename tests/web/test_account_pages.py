"""Account pages through the test client: requests, approval, leavers, passwords."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.account import Account, AccountStatus, account_id_for
from registry.facade import Registry
from tests.factories import ADMIN, uscc
from tests.web.conftest import ADMIN_PASSWORD, CLI, add_admin, post, sign_in

PASSWORD = "a good long password"
USCC = uscc("91", 7)


@pytest.fixture
def enterprise(registry: Registry) -> object:
    add_admin(registry)
    return registry.register_enterprise(
        uscc=USCC,
        name="四川测试有限公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )


def request_form(**changes: str) -> dict[str, str]:
    return {
        "organisation": "四川测试有限公司",
        "uscc": USCC,
        "display_name": "周新",
        "contact": "028-66668888",
        "username": "zhou.xin",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **changes,
    }


def test_bad_request_shows_each_error_beside_its_field_and_keeps_input(
    client: FlaskClient, registry: Registry
) -> None:
    response = post(
        client,
        "/accounts/request",
        request_form(uscc=USCC.lower(), username="Zhou Xin", password_confirm="different!!"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'data-testid="error-uscc">[^<]*小写', page)
    assert re.search(r'data-testid="error-username">[^<]*小写字母', page)
    assert re.search(r'data-testid="error-password_confirm">[^<]*不一致', page)
    assert f'value="{USCC.lower()}"' in page and 'value="四川测试有限公司"' in page
    assert PASSWORD not in page
    assert registry.max_position() == 0


def test_request_approve_and_sign_in(
    app: Flask, client: FlaskClient, registry: Registry, enterprise: object
) -> None:
    # construct: the request
    assert post(client, "/accounts/request", request_form()).status_code == 200
    refused = sign_in(client, "zhou.xin", PASSWORD)
    assert refused.status_code == 422 and "等待" in refused.get_data(as_text=True)
    # evolve: the administrator sees it waiting and approves it
    admin = app.test_client()
    sign_in(admin, "admin", ADMIN_PASSWORD)
    listing = admin.get("/admin/accounts/").get_data(as_text=True)
    assert "有 1 个账户申请等待批准" in listing
    account_id = account_id_for("zhou.xin")
    page = admin.get(f"/admin/accounts/{account_id}").get_data(as_text=True)
    assert "四川测试有限公司" in page and f'value="{USCC}"' in page
    response = post(admin, f"/admin/accounts/{account_id}/approve", {"uscc": USCC})
    assert response.status_code == 302
    # query: the applicant signs in to the enterprise's home
    assert sign_in(client, "zhou.xin", PASSWORD).headers["Location"] == "/"
    assert "四川测试有限公司" in client.get("/enterprise/").get_data(as_text=True)


def test_approval_with_a_mistyped_code_is_explained(
    client: FlaskClient, registry: Registry, enterprise: object
) -> None:
    post(client, "/accounts/request", request_form())
    sign_in(client, "admin", ADMIN_PASSWORD)
    wrong = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    response = post(
        client, f"/admin/accounts/{account_id_for('zhou.xin')}/approve", {"uscc": wrong}
    )
    assert response.status_code == 422
    assert f"校验码应为 {USCC[17]}" in response.get_data(as_text=True)
    account = registry.get(Account, account_id_for("zhou.xin"))
    assert account.status is AccountStatus.REQUESTED


def test_deactivation_ends_the_leavers_session(
    app: Flask, client: FlaskClient, registry: Registry, enterprise: object
) -> None:
    account_id = registry.add_account(
        username="leaver", display_name="离职者", role="auditor", actor=ADMIN
    )
    registry.set_password(account_id, password=PASSWORD, actor=CLI)
    sign_in(client, "leaver", PASSWORD)
    assert client.get("/agreements/").status_code == 200
    admin = app.test_client()
    sign_in(admin, "admin", ADMIN_PASSWORD)
    post(admin, f"/admin/accounts/{account_id}/deactivate", {"reason": "调离"})
    assert client.get("/agreements/").status_code == 302
    assert "已停用" in sign_in(client, "leaver", PASSWORD).get_data(as_text=True)


def test_changing_the_password_ends_other_sessions(app: Flask, registry: Registry) -> None:
    add_admin(registry)
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, "admin", ADMIN_PASSWORD)
    sign_in(elsewhere, "admin", ADMIN_PASSWORD)
    wrong = post(here, "/password", {"current": "nope", "new": "x" * 12, "new_confirm": "x" * 12})
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.get_data(as_text=True)
    changed = post(
        here, "/password", {"current": ADMIN_PASSWORD, "new": PASSWORD, "new_confirm": PASSWORD}
    )
    assert changed.status_code == 302
    assert here.get("/admin/accounts/").status_code == 200
    assert elsewhere.get("/admin/accounts/").status_code == 302


def test_adding_an_account_explains_a_missing_binding(
    client: FlaskClient, registry: Registry
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    response = post(
        client,
        "/admin/accounts/new",
        {"username": "teacher", "display_name": "老师", "role": "school_user"},
    )
    assert response.status_code == 422
    assert re.search(
        r'data-testid="error-party">[^<]*学校、一家企业', response.get_data(as_text=True)
    )
    assert 'value="teacher"' in response.get_data(as_text=True)


def test_adding_an_account_shows_its_one_time_link(client: FlaskClient, registry: Registry) -> None:
    add_admin(registry)
    registry.register_school(
        uscc=uscc("12", 3),
        name="绵阳技师学院",
        kind="technician_college",
        prefecture="510700",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    sign_in(client, "admin", ADMIN_PASSWORD)
    response = post(
        client,
        "/admin/accounts/new",
        {
            "username": "teacher",
            "display_name": "老师",
            "role": "school_user",
            "party": uscc("12", 3),
        },
    )
    link = re.search(r"http://localhost(/reset/[\w-]+)", response.get_data(as_text=True))
    assert link, response.get_data(as_text=True)
    client.get("/")
    assert client.get(link.group(1)).status_code == 200
    assert client.get("/reset/not-a-token").status_code == 404


def test_only_province_administrators_manage_accounts(
    client: FlaskClient, registry: Registry
) -> None:
    account_id = registry.add_account(
        username="auditor", display_name="审计", role="auditor", actor=ADMIN
    )
    registry.set_password(account_id, password=PASSWORD, actor=CLI)
    sign_in(client, "auditor", PASSWORD)
    assert client.get("/admin/accounts/").status_code == 403
    assert (
        post(client, f"/admin/accounts/{account_id}/deactivate", {"reason": "x"}).status_code == 403
    )
