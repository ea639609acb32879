"""An account's history says what each step granted: the role, and what it is bound to."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from domain.account import account_id_for
from registry.facade import Registry
from tests.factories import ADMIN
from tests.web.conftest import ADMIN_PASSWORD, add_admin, post, sign_in


def history(page: str) -> list[str]:
    found = re.search(r'data-testid="account-history">(.*?)</ol>', page, re.S)
    assert found, "no history on the account's page"
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def test_the_history_names_the_role_granted_and_its_binding(
    client: FlaskClient, registry: Registry
) -> None:
    # construct: an auditor's account, then made an officer of 绵阳市
    add_admin(registry)
    registry.add_account(username="li.hua", display_name="李华", role="auditor", actor=ADMIN)
    sign_in(client, "admin", ADMIN_PASSWORD)
    path = f"/admin/accounts/{account_id_for('li.hua')}"
    # evolve
    granted = post(client, f"{path}/role", {"role": "prefecture_officer", "prefecture": "510700"})
    assert granted.status_code == 302
    # query: each step says which role it gave, the grant what it was bound to
    steps = history(client.get(path).get_data(as_text=True))
    assert len(steps) == 3
    assert "审计/督导" in steps[1]
    assert "市（州）人社局" in steps[2] and "绵阳市" in steps[2]
    assert "prefecture_officer" not in " ".join(steps) and "510700" not in " ".join(steps)
