"""Students, placements and insurance through the test client: registering, the personal
data rules, the cover check before a start, and what is reported while a placement runs."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from flask.testing import FlaskClient

from domain.placement import Placement, PlacementStatus
from domain.student import Student
from registry.facade import Registry
from tests.factories import ADMIN, link_as_the_old_code_did, uscc
from tests.web.conftest import (
    ADMIN_PASSWORD,
    ID_NUMBER,
    PASSWORD,
    Placed,
    account,
    add_admin,
    location_id,
    post,
    register_placement,
    sign_in,
)
from tests.web.pages import errors, problems


def test_a_start_without_cover_is_refused_then_allowed_once_on_a_policy(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    created = register_placement(client, placed)
    assert created.status_code == 302  # type: ignore[attr-defined]
    placement = location_id(created)
    page = f"/placements/{placement}"
    # the page shows the check before the start: both kinds missing
    shown = client.get(page).get_data(as_text=True)
    cover = shown[shown.index('data-testid="cover"') : shown.index('data-testid="actions"')]
    assert 'data-testid="cover-warning"' in cover and cover.count("badge missing") == 2
    refused = post(client, f"{page}/start", {})
    assert refused.status_code == 422
    assert "实习实训责任保险" in errors(refused.get_data(as_text=True))["on"]
    # evolve: two policies registered through the form, the placement put on each
    today = date.today()
    for kind, number in (("internship_liability", "L-1"), ("personal_accident", "A-1")):
        policy = post(
            client,
            "/policies/new",
            {
                "kind": kind,
                "insurer": "中国人保",
                "policy_number": number,
                "covers_from": (today - timedelta(days=10)).isoformat(),
                "covers_until": (today + timedelta(days=200)).isoformat(),
            },
        )
        assert policy.status_code == 302
        on_it = post(client, f"{page}/put_on_policy", {"policy": str(location_id(policy))})
        assert on_it.status_code == 302
    assert "cover-warning" not in client.get(page).get_data(as_text=True)
    # query: it starts now
    assert post(client, f"{page}/start", {}).status_code == 302
    assert registry.get(Placement, placement).status is PlacementStatus.STARTED


def test_a_placement_through_an_intermediary_is_refused_and_kept(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    refused = register_placement(client, placed, intermediary="某劳务中介")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "某劳务中介" in problems(refused.get_data(as_text=True))  # type: ignore[attr-defined]
    assert 'value="数控车工"' in refused.get_data(as_text=True)  # type: ignore[attr-defined]


def test_running_placement_reports_are_recorded_and_flagged(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    placement = location_id(register_placement(client, placed))
    client.post("/logout", data={})
    sign_in(client, "enterprise", PASSWORD)
    page = f"/placements/{placement}"
    today = date.today().isoformat()
    arranged = post(
        client,
        f"{page}/working_arrangement",
        {"effective_on": today, "pay": "0", "night_shifts": "on"},
    )
    assert arranged.status_code == 302
    fee = post(
        client,
        f"{page}/report_fee",
        {"amount": "500", "purpose": "住宿管理费", "reported_by": "学生家长", "charged_on": today},
    )
    assert fee.status_code == 302
    found = registry.get(Placement, placement)
    assert found.working_violations() == ["night_shift"] and len(found.fees) == 1


def test_personal_data_is_shown_on_request_and_the_read_is_logged(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    page = client.get(f"/students/{placed.student}").get_data(as_text=True)
    assert "王小明" not in page and ID_NUMBER not in page
    # a reason that repeats the data is refused, and nothing is shown
    named = post(client, f"/students/{placed.student}/reveal", {"reason": "核对王小明信息"})
    assert named.status_code == 422 and ID_NUMBER not in named.get_data(as_text=True)
    shown = post(client, f"/students/{placed.student}/reveal", {"reason": "核对实习登记"})
    assert shown.status_code == 200 and ID_NUMBER in shown.get_data(as_text=True)
    assert [e.reason for e in registry.access_log.entries(subject_id=placed.student)][-1] == (
        "核对实习登记"
    )


def test_an_administrator_must_give_a_reason_and_may_erase(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    add_admin(registry)
    sign_in(client, "admin", ADMIN_PASSWORD)
    page = f"/students/{placed.student}"
    bare = post(client, f"{page}/reveal", {})
    assert bare.status_code == 422 and "reason" in errors(bare.get_data(as_text=True))
    erased = post(
        client,
        f"{page}/forget",
        {"basis": "《个人信息保护法》第四十七条", "requested_by": "student"},
    )
    assert erased.status_code == 302
    assert registry.get(Student, placed.student).is_forgotten
    after = post(client, f"{page}/reveal", {"reason": "复核"})
    assert 'data-testid="student-erased"' in after.get_data(as_text=True)


def test_other_schools_and_enterprises_cannot_open_the_records(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    sign_in(client, "school", PASSWORD)
    placement = location_id(register_placement(client, placed))
    other = registry.register_school(
        uscc=uscc("12", 2),
        name="另一所学校",
        kind="technical_school",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    account(registry, "other", "school_user", party_id=other)
    client.post("/logout", data={})
    sign_in(client, "other", PASSWORD)
    assert client.get(f"/placements/{placement}").status_code == 404
    assert client.get(f"/students/{placed.student}").status_code == 404
    listed = client.get("/placements/").get_data(as_text=True)
    assert str(placement) not in listed and 'data-testid="placements"' not in listed


def school_placement(registry: Registry, placed: Placed) -> UUID:
    """A placement of the school and enterprise of ``placed``, registered by an administrator."""
    return registry.register_placement(
        student_id=placed.student,
        agreement_id=placed.agreement,
        kind="cognitive_internship",
        position="数控车工",
        workplace_prefecture="510100",
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=30),
        mentor="李师傅",
        supervising_teacher="张老师",
        actor=ADMIN,
    )


def other_enterprises_policy(registry: Registry) -> UUID:
    """Another enterprise, its user ``other`` and a policy it holds."""
    other = registry.register_enterprise(
        uscc=uscc("91", 2),
        name="四川另一有限公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
    account(registry, "other", "enterprise_user", party_id=other)
    policy = registry.register_policy(
        holder_id=other,
        kind="personal_accident",
        insurer="中国人保",
        policy_number="A-OTHER",
        covers_from=date.today(),
        covers_until=date.today() + timedelta(days=100),
        actor=ADMIN,
    )
    return policy


def test_a_policy_cannot_cover_another_partys_placement_from_its_own_page(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # a placement of the school and enterprise 1
    placement = school_placement(registry, placed)
    policy = other_enterprises_policy(registry)
    before = registry.recorder.max_notification_id()
    sign_in(client, "other", PASSWORD)
    refused = post(client, f"/policies/{policy}/cover", {"placements": str(placement)})
    # a sentence beside the placements, not a redirect; nothing recorded
    assert refused.status_code == 422
    assert "只承保投保方自己的实习" in errors(refused.get_data(as_text=True))["placements"]
    assert registry.recorder.max_notification_id() == before
    assert registry.get(Placement, placement).policy_ids == []


def test_a_link_recorded_before_the_party_rule_is_shown_and_removed_by_the_holder(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # another party's placement, put on the policy before the rule was enforced
    placement = school_placement(registry, placed)
    policy = other_enterprises_policy(registry)
    link_as_the_old_code_did(registry, policy, placement, ADMIN, date.today())
    sign_in(client, "other", PASSWORD)
    page = client.get(f"/policies/{policy}").get_data(as_text=True)
    # the holder sees that it is not cover, without a link to a record it may not open
    assert "另一方的实习：不计入保障" in page
    assert f"/placements/{placement}" not in page
    # nothing of its own is on the policy, so nothing is offered to take off
    assert f"/policies/{policy}/uncover" not in page
    # the correction needs a reason
    refused = post(client, f"/policies/{policy}/remove_cross_party", {"placements": str(placement)})
    assert refused.status_code == 422 and "reason" in errors(refused.get_data(as_text=True))
    done = post(
        client,
        f"/policies/{policy}/remove_cross_party",
        {"placements": str(placement), "reason": "他方实习误挂本保单"},
    )
    assert done.status_code == 302
    assert registry.get(Placement, placement).policy_ids == []
    shown = client.get(f"/policies/{policy}").get_data(as_text=True)
    assert "另一方的实习：不计入保障" not in shown and "remove_cross_party" not in shown
