"""Enterprise onboarding: a request for an enterprise not registered yet carries its own
registration facts; the administrator registers it and approves the account in one step,
or sends the request back with a reason for the applicant to correct; other requests and
accounts for the same code are pointed out."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.account import Account, AccountStatus, account_id_for
from domain.enterprise import Enterprise
from domain.uscc import party_id_for
from registry.facade import Registry
from tests.factories import ADMIN, uscc
from tests.web.conftest import ADMIN_PASSWORD, add_admin, post, sign_in
from tests.web.pages import errors

PASSWORD = "a good long password"
NEW = uscc("91", 41)
FACTS = {
    "prefecture": "510700",
    "industry": "食品制造",
    "above_designated_size": "yes",
    "ownership": "private",
}


def request_form(**changes: str) -> dict[str, str]:
    return {
        "organisation": "四川绵阳新禾食品有限公司",
        "uscc": NEW,
        "display_name": "周新",
        "contact": "0816-6666888",
        "username": "zhou.xin",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **FACTS,
        **changes,
    }


def act(client: FlaskClient, path: str, step: str, data: dict[str, str]) -> object:
    """Send one of the account page's steps with the version the page showed."""
    shown = re.search(r'name="version" value="(\d+)"', client.get(path).get_data(as_text=True))
    assert shown, "the page shows no version"
    return post(client, f"{path}/{step}", {"version": shown.group(1), **data})


@pytest.fixture
def admin(app: Flask, registry: Registry) -> FlaskClient:
    add_admin(registry)
    client = app.test_client()
    sign_in(client, "admin", ADMIN_PASSWORD)
    return client


def test_a_request_for_an_unregistered_code_asks_for_the_registration_facts(
    client: FlaskClient, registry: Registry
) -> None:
    blank = {name: "" for name in FACTS}
    response = post(client, "/accounts/request", request_form(**blank))
    found = errors(response.get_data(as_text=True))
    assert response.status_code == 422
    assert set(FACTS) <= set(found) and "尚未登记" in found["industry"]
    partial = post(client, "/accounts/request", request_form(industry="", ownership="x"))
    assert {"industry", "ownership"} <= set(errors(partial.get_data(as_text=True)))
    assert registry.max_position() == 0


def test_the_administrator_registers_the_enterprise_and_approves_in_one_step(
    client: FlaskClient, admin: FlaskClient, registry: Registry
) -> None:
    # construct: the request, with the enterprise's own facts
    assert post(client, "/accounts/request", request_form()).status_code == 200
    path = f"/admin/accounts/{account_id_for('zhou.xin')}"
    # evolve: the administrator reviews the facts and approves once
    review = admin.get(path).get_data(as_text=True)
    facts = re.search(r'data-testid="requested-registration">(.*?)</dl>', review, re.S)
    assert facts and "绵阳市" in facts.group(1) and "食品制造" in facts.group(1)
    assert "民营" in facts.group(1)
    assert act(admin, path, "approve-registration", {}).status_code == 302
    # query: the enterprise is registered from the request, the account bound to it
    enterprise = registry.get(Enterprise, party_id_for(NEW))
    assert (enterprise.name, enterprise.prefecture, enterprise.industry) == (
        "四川绵阳新禾食品有限公司",
        "510700",
        "食品制造",
    )
    account = registry.get(Account, account_id_for("zhou.xin"))
    assert account.status is AccountStatus.ACTIVE and account.party_id == enterprise.id
    assert sign_in(client, "zhou.xin", PASSWORD).headers["Location"] == "/"


def test_a_request_sent_back_is_corrected_by_the_applicant_and_waits_again(
    client: FlaskClient, admin: FlaskClient, registry: Registry
) -> None:
    post(client, "/accounts/request", request_form(industry="食品"))
    path = f"/admin/accounts/{account_id_for('zhou.xin')}"
    bare = act(admin, path, "send-back", {"reason": ""})
    assert bare.status_code == 422
    sent = act(admin, path, "send-back", {"reason": "行业请按营业执照填写“食品制造”。"})
    assert sent.status_code == 302
    # the applicant reads the reason when signing in
    told = sign_in(client, "zhou.xin", PASSWORD).get_data(as_text=True)
    assert "退回" in told and "食品制造" in told
    # a stranger cannot amend it; the applicant can, with the same password
    stranger = post(
        client,
        "/accounts/request",
        request_form(password="another password 1", password_confirm="another password 1"),
    )
    assert stranger.status_code == 422 and "username" in errors(stranger.get_data(as_text=True))
    assert post(client, "/accounts/request", request_form()).status_code == 200
    account = registry.get(Account, account_id_for("zhou.xin"))
    assert account.status is AccountStatus.REQUESTED
    assert account.registration is not None and account.registration["industry"] == "食品制造"


def test_duplicate_requests_and_existing_accounts_for_one_code_are_pointed_out(
    client: FlaskClient, admin: FlaskClient, registry: Registry
) -> None:
    registered = uscc("91", 42)
    enterprise = registry.register_enterprise(
        uscc=registered,
        name="四川成都已登记有限公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
    registry.add_account(
        username="first.user",
        display_name="先到者",
        role="enterprise_user",
        party_id=enterprise,
        actor=ADMIN,
    )
    post(client, "/accounts/request", request_form(uscc=registered, username="second.user"))
    post(client, "/accounts/request", request_form(uscc=registered, username="third.user"))
    page = admin.get(f"/admin/accounts/{account_id_for('third.user')}").get_data(as_text=True)
    pointed = re.search(r'data-testid="same-enterprise">(.*?)</div>', page, re.S)
    assert pointed, "no warning about other requests for the code"
    assert "first.user" in pointed.group(1) and "second.user" in pointed.group(1)
    assert "third.user" not in pointed.group(1)
