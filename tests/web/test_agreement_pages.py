"""Agreement pages through the test client: scope, answers, conflicts and refusals."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement, Status
from registry.facade import Registry
from tests.web.conftest import PASSWORD, World, post, propose, sign_in


def agreement_links(page: str) -> set[str]:
    return set(re.findall(r'href="/agreements/([0-9a-f-]{36})"', page))


def test_enterprise_sees_only_its_own_agreements(client: FlaskClient, world: World) -> None:
    sign_in(client, "enterprise", PASSWORD)
    # the list ignores filters that would widen its scope
    home = client.get(f"/enterprise/?party={world.other_enterprise}").get_data(as_text=True)
    assert agreement_links(home) == {str(world.agreement)}
    assert client.get(f"/agreements/{world.agreement}").status_code == 200
    # another enterprise's agreement is "not found", by any address
    assert client.get(f"/agreements/{world.others_agreement}").status_code == 404
    listed = client.get("/agreements/?prefecture=510700").get_data(as_text=True)
    assert str(world.others_agreement) not in agreement_links(listed)


def test_officer_sees_agreements_touching_the_prefecture_only(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, "officer", PASSWORD)
    listed = client.get("/agreements/?prefecture=510100").get_data(as_text=True)
    assert agreement_links(listed) == {str(world.others_agreement)}
    assert client.get(f"/agreements/{world.agreement}").status_code == 404
    assert client.get("/enterprise/").status_code == 403


def test_another_party_cannot_answer_by_posting(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "enterprise", PASSWORD)
    response = post(client, f"/agreements/{world.others_agreement}/countersign", {"version": 1})
    assert response.status_code == 404
    own = post(client, f"/agreements/{world.agreement}/countersign", {"version": 1})
    assert own.status_code == 422 and "另一方" in own.get_data(as_text=True)
    assert registry.get(CooperationAgreement, world.agreement).status is Status.PROPOSED


def test_school_countersigns_and_the_timeline_names_both(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "school", PASSWORD)
    inbox = client.get("/school/").get_data(as_text=True)
    assert str(world.agreement) in inbox
    asked = post(client, f"/agreements/{world.agreement}/countersign", {"version": 1})
    assert asked.status_code == 200 and 'data-testid="confirm-step"' in asked.get_data(as_text=True)
    assert registry.get(CooperationAgreement, world.agreement).status is Status.PROPOSED
    response = post(
        client, f"/agreements/{world.agreement}/countersign", {"version": 1, "confirm": "yes"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已会签" in page and "School" in page and "someone" in page
    assert registry.get(CooperationAgreement, world.agreement).status is Status.COUNTERSIGNED


def test_a_stale_page_asks_to_reload_and_keeps_the_reason(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    # construct: the school opened the proposal at version 1; meanwhile it was declined
    sign_in(client, "school", PASSWORD)
    registry.decline_agreement(
        world.agreement,
        reason="已另行安排",
        actor=Actor("colleague", Role.SCHOOL_USER, world.school),
    )
    # evolve: its own decline, with a reason typed, arrives with the old version
    response = post(
        client, f"/agreements/{world.agreement}/decline", {"version": 1, "reason": "专业不对口"}
    )
    # query: nothing saved, the page says why, the typed reason is still there
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "刷新页面" in text and "专业不对口" in text
    assert registry.get(CooperationAgreement, world.agreement).version == 2


def test_declining_needs_a_reason_beside_the_box(client: FlaskClient, world: World) -> None:
    sign_in(client, "school", PASSWORD)
    response = post(client, f"/agreements/{world.agreement}/decline", {"version": 1, "reason": ""})
    assert response.status_code == 422
    assert 'data-testid="error-reason"' in response.get_data(as_text=True)


def test_lists_paginate_on_the_server(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    for _ in range(25):
        propose(registry, world.school, world.enterprise)
    sign_in(client, "enterprise", PASSWORD)
    first = client.get("/enterprise/").get_data(as_text=True)
    second = client.get("/enterprise/?page=2").get_data(as_text=True)
    assert len(agreement_links(first) - {str(world.agreement)}) >= 19
    assert len(agreement_links(first) | agreement_links(second)) == 26
    assert "第 21–26 条，共 26 条" in second
    assert client.get("/enterprise/?page=banana").status_code == 200
