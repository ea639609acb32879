"""Putting placements on policies: cover begins only within the policy's period, the placement
page's cover table and its list of gaps agree, and a refusal names whose policy it is."""

from __future__ import annotations

import re
from datetime import date, timedelta
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from domain.errors import InvalidValue
from domain.placement import Placement
from registry.facade import Registry
from tests.factories import ADMIN
from tests.web.conftest import PASSWORD, Placed, post, sign_in
from tests.web.pages import errors, problems

TODAY = date.today()


def placement_of(registry: Registry, placed: Placed, starts_on: date = TODAY) -> UUID:
    return registry.register_placement(
        student_id=placed.student,
        agreement_id=placed.agreement,
        kind="cognitive_internship",
        position="数控车工",
        workplace_prefecture="510100",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=120),
        mentor="李师傅",
        supervising_teacher="张老师",
        actor=ADMIN,
    )


def policy_of(
    registry: Registry, holder: UUID, kind: str, number: str, start: date, end: date
) -> UUID:
    return registry.register_policy(
        holder_id=holder,
        kind=kind,
        insurer="中国人保",
        policy_number=number,
        covers_from=start,
        covers_until=end,
        actor=ADMIN,
    )


def test_cover_dated_before_the_policy_starts_is_refused_beside_the_date(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # a policy of the school's from next month, and a placement of the school's
    placement = placement_of(registry, placed)
    later = TODAY + timedelta(days=30)
    policy = policy_of(
        registry, placed.school, "personal_accident", "A-LATE", later, later + timedelta(300)
    )
    before = registry.recorder.max_notification_id()
    sign_in(client, "school", PASSWORD)
    # from the placement's page, cover from a year before the policy starts
    too_early = (later - timedelta(days=395)).isoformat()
    refused = post(
        client,
        f"/placements/{placement}/put_on_policy",
        {"policy": str(policy), "on": too_early},
    )
    assert refused.status_code == 422
    said = errors(refused.get_data(as_text=True))["on"]
    assert too_early in said and later.isoformat() in said
    # and from the policy's page, the whole cohort form says the same beside its date
    refused = post(
        client, f"/policies/{policy}/cover", {"placements": str(placement), "on": too_early}
    )
    assert refused.status_code == 422 and too_early in errors(refused.get_data(as_text=True))["on"]
    assert registry.recorder.max_notification_id() == before
    assert registry.get(Placement, placement).policy_ids == []
    # within the period it is accepted
    done = post(
        client, f"/placements/{placement}/put_on_policy", {"policy": str(policy), "on": later}
    )
    assert done.status_code == 302


def test_the_domain_refuses_cover_outside_every_period_of_the_policy(
    registry: Registry, placed: Placed
) -> None:
    placement = placement_of(registry, placed)
    policy = policy_of(
        registry, placed.school, "personal_accident", "A-1", TODAY, TODAY + timedelta(10)
    )
    with pytest.raises(InvalidValue) as refused:
        registry.cover_placements(
            policy, placement_ids=[placement], on=TODAY + timedelta(11), actor=ADMIN
        )
    assert refused.value.params["field"] == "on"
    assert refused.value.params["problem"] == "outside_policy_period"


def test_the_cover_table_never_contradicts_the_list_of_gaps(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # a placement started 60 days ago with both kinds of cover; its accident cover ended 31
    # days ago and a second accident policy took over 20 days ago
    start = TODAY - timedelta(days=60)
    placement = placement_of(registry, placed, starts_on=start)
    liability = policy_of(
        registry, placed.school, "internship_liability", "L-1", start, TODAY + timedelta(200)
    )
    first = policy_of(
        registry, placed.school, "personal_accident", "A-1", start, TODAY - timedelta(31)
    )
    second = policy_of(
        registry,
        placed.school,
        "personal_accident",
        "A-2",
        TODAY - timedelta(20),
        TODAY + timedelta(200),
    )
    for policy in (liability, first):
        registry.cover_placements(policy, placement_ids=[placement], on=start, actor=ADMIN)
    registry.start_placement(placement, on=start, actor=ADMIN)
    registry.cover_placements(
        second, placement_ids=[placement], on=TODAY - timedelta(20), actor=ADMIN
    )
    sign_in(client, "school", PASSWORD)
    page = client.get(f"/placements/{placement}").get_data(as_text=True)
    # today both kinds are in force, so no gap is shown as still open ...
    today_table = re.search(r'data-testid="cover-check-[^"]+">(.*?)</table>', page, re.S)
    assert today_table and "badge missing" not in today_table.group(1)
    assert 'data-testid="gap-open"' not in page
    # ... and the gap that was is shown with its first and last day
    closed = re.findall(r'data-testid="gap-closed">([^<]*)<', page)
    gap_from, gap_until = TODAY - timedelta(30), TODAY - timedelta(21)
    assert len(closed) == 1
    assert gap_from.isoformat() in closed[0] and gap_until.isoformat() in closed[0]
    # the two accident policies are told apart by their numbers
    links = re.findall(r'<a href="/policies/[0-9a-f-]{36}">([^<]*)</a>', page)
    assert len(links) == 3 and len(set(links)) == 3


def test_a_school_is_told_whose_policy_it_is_not_that_its_role_may_not(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    # the enterprise holds a policy; the school's placement is hosted by that enterprise
    placement = placement_of(registry, placed)
    policy = policy_of(
        registry, placed.enterprise, "personal_accident", "E-1", TODAY, TODAY + timedelta(100)
    )
    sign_in(client, "school", PASSWORD)
    # the picker offers the school only policies it holds
    page = client.get(f"/placements/{placement}").get_data(as_text=True)
    assert f'value="{policy}"' not in page
    # a form sent with the enterprise's policy anyway is refused with the real reason
    refused = post(client, f"/placements/{placement}/put_on_policy", {"policy": str(policy)})
    assert refused.status_code == 422
    said = problems(refused.get_data(as_text=True))
    assert "由该实习的企业持有" in said and "联系企业" in said
    assert "账户角色" not in said


def test_a_placement_on_a_policy_from_a_later_day_is_not_offered_again(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    placement = placement_of(registry, placed, starts_on=TODAY + timedelta(days=7))
    policy = policy_of(
        registry, placed.school, "personal_accident", "A-1", TODAY, TODAY + timedelta(300)
    )
    registry.cover_placements(
        policy, placement_ids=[placement], on=TODAY + timedelta(days=7), actor=ADMIN
    )
    sign_in(client, "school", PASSWORD)
    page = client.get(f"/policies/{policy}").get_data(as_text=True)
    cover_form = re.search(r'data-testid="action-cover"(.*?)</details>', page, re.S)
    assert cover_form and f'value="{placement}"' not in cover_form.group(1)
    uncover_form = re.search(r'data-testid="action-uncover"(.*?)</details>', page, re.S)
    assert uncover_form and f'value="{placement}"' in uncover_form.group(1)
