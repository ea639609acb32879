"""Withdrawing a proposal or an amendment, the second step before countersigning, declining
and terminating, the countersignature's preconditions with a warning for a period already
past, a renewal beside the agreement it renews, and an agreement's record id and trail."""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import UUID

from flask.testing import FlaskClient

from domain.actors import Actor, Role
from domain.agreement import CooperationAgreement, Status
from registry.facade import Registry
from tests.factories import uscc
from tests.web.conftest import PASSWORD, World, account, post, sign_in

TODAY = date.today()


def text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


def proposed_by_enterprise(
    registry: Registry, world: World, starts_on: date, ends_on: date
) -> UUID:
    return registry.propose_agreement(
        school_id=world.school,
        enterprise_id=world.enterprise,
        title="实习基地协议",
        modes=["internship_base"],
        starts_on=starts_on,
        ends_on=ends_on,
        actor=Actor("someone", Role.ENTERPRISE_USER, world.enterprise),
    )


def countersigned(registry: Registry, world: World) -> UUID:
    registry.countersign_agreement(
        world.agreement, actor=Actor("colleague", Role.SCHOOL_USER, world.school)
    )
    return world.agreement


def test_the_proposer_withdraws_its_proposal_with_a_reason_after_a_second_step(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "enterprise", PASSWORD)
    page = text(client.get(f"/agreements/{world.agreement}"))
    assert 'data-testid="withdraw"' in page and 'data-testid="countersign"' not in page
    # the first step records nothing and shows what will be recorded
    path = f"/agreements/{world.agreement}/withdraw"
    asked = post(client, path, {"reason": "条款填写有误"})
    assert asked.status_code == 200
    assert "撤回提议" in text(asked) and "条款填写有误" in text(asked)
    assert registry.get(CooperationAgreement, world.agreement).status is Status.PROPOSED
    # the second step records it, with the reason, under its label
    done = post(client, path, {"reason": "条款填写有误", "confirm": "yes"})
    assert done.status_code == 302
    assert registry.get(CooperationAgreement, world.agreement).status is Status.WITHDRAWN
    shown = text(client.get(f"/agreements/{world.agreement}"))
    assert "已由提议方撤回" in shown and "撤回提议" in shown and "条款填写有误" in shown
    # the school has nothing left to answer
    client.post("/logout", data={"csrf_token": ""})
    sign_in(client, "school", PASSWORD)
    assert str(world.agreement) not in text(client.get("/school/"))
    refused = post(client, f"/agreements/{world.agreement}/countersign", {"confirm": "yes"})
    assert refused.status_code == 422 and "撤回" in text(refused)


def test_only_the_proposer_may_withdraw_and_only_with_a_reason(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "school", PASSWORD)
    refused = post(client, f"/agreements/{world.agreement}/withdraw", {"reason": "不要了"})
    assert refused.status_code == 422 and "只有提出" in text(refused)
    client.post("/logout", data={"csrf_token": ""})
    sign_in(client, "enterprise", PASSWORD)
    empty = post(client, f"/agreements/{world.agreement}/withdraw", {"reason": ""})
    assert empty.status_code == 422 and 'data-testid="error-reason"' in text(empty)
    assert registry.get(CooperationAgreement, world.agreement).status is Status.PROPOSED


def test_the_proposer_of_an_amendment_withdraws_it_with_a_reason(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    agreement = countersigned(registry, world)
    registry.propose_amendment(
        agreement,
        modes=["order_class", "apprenticeship"],
        starts_on=date(2026, 9, 1),
        ends_on=date(2029, 8, 31),
        reason="增加学徒制",
        actor=Actor("someone", Role.ENTERPRISE_USER, world.enterprise),
    )
    sign_in(client, "enterprise", PASSWORD)
    path = f"/agreements/{agreement}/amendment/withdraw"
    assert post(client, path, {"reason": ""}).status_code == 422
    assert post(client, path, {"reason": "另行协商"}).status_code == 302
    found = registry.get(CooperationAgreement, agreement)
    assert found.pending_amendment is None
    assert "另行协商" in text(client.get(f"/agreements/{agreement}"))


def test_countersigning_declining_and_terminating_ask_before_recording(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "school", PASSWORD)
    decline = f"/agreements/{world.agreement}/decline"
    asked = post(client, decline, {"reason": "专业不对口"})
    assert 'data-testid="confirm-step"' in text(asked) and "专业不对口" in text(asked)
    # going back records nothing; the link leads to the agreement
    assert f'href="/agreements/{world.agreement}"' in text(asked)
    assert registry.get(CooperationAgreement, world.agreement).version == 1
    countersign = f"/agreements/{world.agreement}/countersign"
    asked = post(client, countersign, {})
    assert 'data-testid="confirm-step"' in text(asked) and "订单班合作协议" in text(asked)
    assert post(client, countersign, {"confirm": "yes"}).status_code == 302
    terminate = f"/agreements/{world.agreement}/act/terminate"
    asked = post(client, terminate, {"reason": "合作方向调整"})
    assert 'data-testid="confirm-step"' in text(asked) and "合作方向调整" in text(asked)
    assert registry.get(CooperationAgreement, world.agreement).status is Status.COUNTERSIGNED
    assert post(client, terminate, {"reason": "合作方向调整", "confirm": "yes"}).status_code == 302
    assert registry.get(CooperationAgreement, world.agreement).status is Status.TERMINATED


def test_countersigning_shows_its_preconditions_and_warns_of_a_past_period(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    past = proposed_by_enterprise(
        registry, world, TODAY - timedelta(days=400), TODAY - timedelta(days=30)
    )
    partly = proposed_by_enterprise(
        registry, world, TODAY - timedelta(days=30), TODAY + timedelta(days=300)
    )
    future = proposed_by_enterprise(
        registry, world, TODAY + timedelta(days=30), TODAY + timedelta(days=300)
    )
    sign_in(client, "school", PASSWORD)
    for agreement, warning in ((past, "整个期限"), (partly, "部分期限"), (future, None)):
        page = text(client.get(f"/agreements/{agreement}"))
        checklist = re.search(r'data-testid="checklist">(.*?)</ul>', page, re.S)
        assert checklist and "您代表该提议所致的一方" in checklist.group(1)
        asked = text(post(client, f"/agreements/{agreement}/countersign", {}))
        if warning:
            assert warning in checklist.group(1)
            assert 'data-testid="confirm-warning"' in asked and warning in asked
        else:
            assert "整个期限" not in page and "部分期限" not in page
            assert 'data-testid="confirm-warning"' not in asked


def test_a_renewal_links_the_agreement_it_renews_and_shows_what_changes(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    agreement = countersigned(registry, world)
    sign_in(client, "school", PASSWORD)
    # the renewal form starts from the terms agreed; its dates are left to choose
    page = text(client.get(f"/agreements/{agreement}"))
    renew = re.search(r'data-testid="action-renew"(.*?)</details>', page, re.S)
    assert renew and re.search(r'value="order_class"\s+checked', renew.group(1))
    assert 'id="renew-starts_on" name="starts_on" type="date"\n    value=""' in renew.group(1)
    done = post(
        client,
        f"/agreements/{agreement}/act/renew",
        {
            "modes": ["order_class", "apprenticeship"],
            "starts_on": "2029-09-01",
            "ends_on": "2032-08-31",
        },
    )
    assert done.status_code == 302
    old = text(client.get(f"/agreements/{agreement}"))
    found = re.search(r'data-testid="renewed-by"><a href="/agreements/([0-9a-f-]{36})"', old)
    assert found, "the renewed agreement does not link its renewal"
    renewal = registry.get(CooperationAgreement, UUID(found.group(1)))
    assert renewal.renews == agreement and renewal.status is Status.PROPOSED
    new = text(client.get(f"/agreements/{renewal.id}"))
    assert f'data-testid="renews"><a href="/agreements/{agreement}"' in new
    changes = re.search(r'data-testid="renewal-changes">(.*?)</section>', new, re.S)
    assert changes, "the renewal does not show what changes"
    assert "新增：企业新型学徒制" in changes.group(1)
    assert "2026-09-01 – 2029-08-31" in changes.group(1)
    assert "2029-09-01 – 2032-08-31" in changes.group(1)


def test_an_agreement_page_shows_its_record_id_and_links_its_trail(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "school", PASSWORD)
    page = text(client.get(f"/agreements/{world.agreement}"))
    assert f'data-testid="record-id">{world.agreement}<' in page
    assert 'data-testid="audit-link"' in page and 'id="history"' in page
    client.post("/logout", data={"csrf_token": ""})
    account(registry, "auditor", "auditor")
    sign_in(client, "auditor", PASSWORD)
    page = text(client.get(f"/agreements/{world.agreement}"))
    trail = f"/audit/?record={world.agreement}"
    assert f'href="{trail}" data-testid="audit-link"' in page
    assert client.get(trail).status_code == 200


def test_a_school_finds_the_enterprise_by_name_and_is_told_of_an_unregistered_code(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    sign_in(client, "school", PASSWORD)
    form = {"modes": ["internship_base"], "starts_on": "2027-09-01", "ends_on": "2030-08-31"}
    path = "/school/partnerships/new"
    # a part of a name shared by two enterprises lists both, with their codes
    several = text(post(client, path, {**form, "enterprise": "测试有限"}))
    assert "四川测试有限公司1（" in several and "四川测试有限公司2（" in several
    assert uscc("91", 1) in several
    nothing = post(client, path, {**form, "enterprise": "不存在的公司"})
    assert nothing.status_code == 422 and "申请账户" in text(nothing)
    # a code that passes its check but is not registered says so, and how to register
    unregistered = post(client, path, {**form, "enterprise": uscc("91", 9)})
    assert unregistered.status_code == 422
    assert uscc("91", 9) in text(unregistered) and "申请账户" in text(unregistered)
    # the full name finds the one enterprise
    done = post(client, path, {**form, "enterprise": "四川测试有限公司1"})
    assert done.status_code == 302
    created = UUID(done.headers["Location"].rsplit("/", 1)[1])
    assert registry.get(CooperationAgreement, created).enterprise_id == world.enterprise


def test_a_renewal_sent_twice_is_proposed_once(
    client: FlaskClient, registry: Registry, world: World
) -> None:
    agreement = countersigned(registry, world)
    sign_in(client, "school", PASSWORD)
    form = {
        "modes": ["order_class"],
        "starts_on": "2029-09-01",
        "ends_on": "2032-08-31",
        "submission": "renewal-key-0123456789",
    }
    first = post(client, f"/agreements/{agreement}/act/renew", form)
    second = post(client, f"/agreements/{agreement}/act/renew", form)
    assert first.status_code == second.status_code == 302
    page = text(client.get(f"/agreements/{agreement}"))
    assert page.count('data-testid="renewed-by"') == 1
