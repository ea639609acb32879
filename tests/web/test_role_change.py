"""Changing an account's role: the selector starts at the role the account has, sending it
unchanged records nothing, and a role that reads or manages everything asks first, naming
the old and the new role."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from domain.account import Account, account_id_for
from domain.actors import Role
from registry.facade import Registry
from tests.factories import ADMIN, uscc
from tests.web.conftest import ADMIN_PASSWORD, add_admin, post, sign_in


@pytest.fixture
def holder(client: FlaskClient, registry: Registry) -> str:
    """An approved enterprise account; the administrator signed in on its page."""
    enterprise = registry.register_enterprise(
        uscc=uscc("91", 3),
        name="四川成都岷山食品饮料有限公司",
        prefecture="510100",
        industry="食品",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
    account_id = registry.add_account(
        username="minshan",
        display_name="李华",
        role="enterprise_user",
        party_id=enterprise,
        actor=ADMIN,
    )
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    return f"/admin/accounts/{account_id}"


def selected_role(page: str) -> list[str]:
    select = re.search(r'<select id="role" name="role".*?</select>', page, re.S)
    assert select, "no role selector"
    return re.findall(r'<option value="([^"]*)" selected>', select.group(0))


def test_the_role_selector_starts_at_the_accounts_role(client: FlaskClient, holder: str) -> None:
    assert selected_role(client.get(holder).get_data(as_text=True)) == ["enterprise_user"]


def test_sending_the_current_role_changes_nothing(
    client: FlaskClient, registry: Registry, holder: str
) -> None:
    before = registry.max_position()
    sent = post(client, f"{holder}/role", {"role": "enterprise_user"}, follow_redirects=True)
    assert sent.status_code == 200
    assert "该账户已是此角色，未作任何更改。" in sent.get_data(as_text=True)
    assert registry.max_position() == before


@pytest.mark.parametrize(
    ("role", "label"), [("auditor", "审计/督导"), ("province_admin", "省人社厅管理员")]
)
def test_a_role_that_reads_or_manages_everything_is_confirmed_first(
    client: FlaskClient, registry: Registry, holder: str, role: str, label: str
) -> None:
    before = registry.max_position()
    # the first step only asks, naming both roles by their labels
    asked = post(client, f"{holder}/role", {"role": role})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'data-testid="confirm-role"' in page
    assert re.search(r'data-testid="old-role">企业用户<', page)
    assert re.search(rf'data-testid="new-role">{label}<', page)
    assert registry.max_position() == before
    assert registry.get(Account, account_id_for("minshan")).role is Role.ENTERPRISE_USER
    # the second step grants it
    confirmed = post(client, f"{holder}/role", {"role": role, "confirm": "yes"})
    assert confirmed.status_code == 302
    assert registry.get(Account, account_id_for("minshan")).role is Role(role)


def test_another_binding_of_an_ordinary_role_applies_at_once(
    client: FlaskClient, registry: Registry, holder: str
) -> None:
    changed = post(client, f"{holder}/role", {"role": "prefecture_officer", "prefecture": "510700"})
    assert changed.status_code == 302
    found = registry.get(Account, account_id_for("minshan"))
    assert found.role is Role.PREFECTURE_OFFICER and found.prefecture == "510700"
