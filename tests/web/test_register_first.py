"""A picker with nothing to pick links to the form that registers it, and that form comes
back to the page the user was on, through a ``next`` that must be a path of this site."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import unquote

from flask.testing import FlaskClient

from registry.facade import Registry
from tests.factories import ADMIN, uscc
from tests.web.conftest import (
    ADMIN_PASSWORD,
    PASSWORD,
    Placed,
    account,
    add_admin,
    post,
    sign_in,
)

TODAY = date.today()


def a_placement(registry: Registry, placed: Placed) -> str:
    placement = registry.register_placement(
        student_id=placed.student,
        agreement_id=placed.agreement,
        kind="cognitive_internship",
        position="数控车工",
        workplace_prefecture="510100",
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=30),
        mentor="李师傅",
        supervising_teacher="张老师",
        actor=ADMIN,
    )
    return f"/placements/{placement}"


def register_link(page: str, field: str) -> str:
    found = re.search(rf'data-testid="register-first-{field}">(.*?)</p>', page, re.S)
    assert found, f"no register-first hint beside {field}"
    link = re.search(r'href="([^"]+)"', found.group(1))
    assert link, "the hint has no link"
    return link.group(1).replace("&amp;", "&")


POLICY = {
    "kind": "personal_accident",
    "insurer": "中国人保",
    "policy_number": "A-1",
    "covers_from": TODAY.isoformat(),
    "covers_until": (TODAY + timedelta(days=200)).isoformat(),
}


def test_an_empty_policy_picker_links_to_registering_one_and_comes_back(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    page = a_placement(registry, placed)
    sign_in(client, "school", PASSWORD)
    shown = client.get(page).get_data(as_text=True)
    link = register_link(shown, "policy")
    assert link.startswith("/policies/new?") and unquote(link).endswith(f"next={page}")
    # the form keeps the way back in its own address, and goes back there once registered
    form = client.get(link).get_data(as_text=True)
    action = re.search(r'data-testid="create-form"', form) and re.search(
        r'<form class="stacked" method="post" action="([^"]+)"', form
    )
    assert action and unquote(action.group(1).replace("&amp;", "&")).endswith(f"next={page}")
    done = post(client, action.group(1).replace("&amp;", "&"), POLICY)
    assert done.status_code == 302 and done.headers["Location"].endswith(page)
    # the picker now offers the new policy
    assert "A-1" in client.get(page).get_data(as_text=True)


def test_a_next_to_another_site_is_not_followed(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    done = post(client, "/policies/new?next=//evil.example/x", POLICY)
    assert done.status_code == 302
    assert "evil" not in done.headers["Location"]
    assert re.search(r"/policies/[0-9a-f-]{36}$", done.headers["Location"])


def test_an_empty_student_picker_links_to_registering_a_student(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # a school with no student registered yet
    school = registry.register_school(
        uscc=uscc("12", 7),
        name="成都新技工学校",
        kind="technical_school",
        prefecture="510100",
        established_on=date(2020, 9, 1),
        actor=ADMIN,
    )
    account(registry, "new_school", "school_user", party_id=school)
    sign_in(client, "new_school", PASSWORD)
    shown = client.get("/placements/new").get_data(as_text=True)
    assert "目前尚无可选项" in shown
    link = register_link(shown, "student")
    assert link.startswith("/students/new?") and unquote(link).endswith("next=/placements/new")
    assert client.get(link).status_code == 200


def test_an_account_request_for_an_unregistered_enterprise_links_to_registering_it(
    client: FlaskClient, registry: Registry
) -> None:
    add_admin(registry)
    code = uscc("91", 42)
    request = registry.request_account(
        username="applicant",
        display_name="陈经理",
        uscc=code,
        organisation="四川新申请有限公司",
        contact="028-12345678",
        password="a long enough password",
    )
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = f"/admin/accounts/{request}"
    shown = client.get(page).get_data(as_text=True)
    found = re.search(r'data-testid="register-first-enterprise" href="([^"]+)"', shown)
    assert found
    link = found.group(1).replace("&amp;", "&")
    assert link.startswith("/enterprises/new?") and unquote(link).endswith(f"next={page}")
    # the form opens with the request's code and name filled in
    form = client.get(link).get_data(as_text=True)
    assert f'value="{code}"' in form and 'value="四川新申请有限公司"' in form
