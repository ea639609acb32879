"""A prefecture officer follows each kind of finding of its prefecture to the record behind
it, read-only; a finding or notice links only to pages its reader may open."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from domain.actors import Actor, Role
from domain.placement import IntermediaryRefused
from registry.facade import Registry
from tests.factories import ADMIN
from tests.web.conftest import PASSWORD, Placed, account, sign_in

TODAY = date.today()
FIGURES = {
    "enrollment": 1200,
    "students": 3600,
    "senior_students": 1500,
    "graduates": 1000,
    "employed": 980,
    "training_person_times": 5000,
}


def _placement(registry: Registry, placed: Placed, start: date) -> UUID:
    return registry.register_placement(
        student_id=placed.student,
        agreement_id=placed.agreement,
        kind="cognitive_internship",
        position="数控车工",
        workplace_prefecture="510100",
        starts_on=start,
        ends_on=start + timedelta(days=90),
        mentor="李师傅",
        supervising_teacher="张老师",
        actor=ADMIN,
    )


def fee(registry: Registry, placed: Placed) -> str:
    placement = _placement(registry, placed, TODAY)
    registry.report_fee(
        placement,
        amount=Decimal("300"),
        purpose="实习管理费",
        reported_by="学生",
        charged_on=TODAY,
        actor=ADMIN,
    )
    return f"/placements/{placement}"


def lapse_and_policy_ending(registry: Registry, placed: Placed) -> str:
    # a running placement whose accident cover ends in a week: a notice about the policy
    start = TODAY - timedelta(days=10)
    placement = _placement(registry, placed, start)
    for kind, until in (("internship_liability", 20), ("personal_accident", 7)):
        policy = registry.register_policy(
            holder_id=placed.enterprise,
            kind=kind,
            insurer="中国人保",
            policy_number=f"{kind}-1",
            covers_from=start,
            covers_until=TODAY + timedelta(days=until),
            actor=ADMIN,
        )
        registry.cover_placements(policy, placement_ids=[placement], on=start, actor=ADMIN)
    registry.start_placement(placement, on=start, actor=ADMIN)
    return f"/policies/{policy}"


def intermediary(registry: Registry, placed: Placed) -> str:
    with pytest.raises(IntermediaryRefused):
        registry.register_placement(
            student_id=placed.student,
            agreement_id=placed.agreement,
            kind="cognitive_internship",
            position="数控车工",
            workplace_prefecture="510100",
            starts_on=TODAY,
            ends_on=TODAY + timedelta(days=30),
            mentor="李师傅",
            supervising_teacher="张老师",
            intermediary="某人力资源公司",
            actor=ADMIN,
        )
    return f"/agreements/{placed.agreement}"


def teacher_short(registry: Registry, placed: Placed) -> str:
    station = registry.propose_agreement(
        school_id=placed.school,
        enterprise_id=placed.enterprise,
        title="教师实践工作站协议",
        modes=["teacher_practice_station"],
        starts_on=TODAY - timedelta(days=400),
        ends_on=TODAY + timedelta(days=400),
        actor=Actor("teacher", Role.SCHOOL_USER, placed.school),
    )
    registry.countersign_agreement(
        station, actor=Actor("boss", Role.ENTERPRISE_USER, placed.enterprise)
    )
    teacher = registry.log_teacher_practice(
        school_id=placed.school,
        staff_number="T001",
        agreement_id=station,
        starts_on=TODAY - timedelta(days=40),
        ends_on=TODAY - timedelta(days=30),
        actor=Actor("teacher", Role.SCHOOL_USER, placed.school),
    )
    return f"/teachers/{teacher}"


def late_return(registry: Registry, placed: Placed) -> str:
    year = TODAY.year - 2
    registry.set_return_deadline(year=year, due_on=date(year + 1, 3, 31), actor=ADMIN)
    registry.file_annual_return(
        school_id=placed.school,
        year=year,
        figures=FIGURES,
        actor=Actor("teacher", Role.SCHOOL_USER, placed.school),
    )
    return f"/returns/{placed.school}/{year}"


def major_without_co_builder(registry: Registry, placed: Placed) -> str:
    registry.open_major(placed.school, name="工业机器人", year=TODAY.year, actor=ADMIN)
    return f"/schools/{placed.school}"


BUILDERS: dict[str, Callable[[Registry, Placed], str]] = {
    "placement": fee,
    "policy": lapse_and_policy_ending,
    "agreement": intermediary,
    "teacher": teacher_short,
    "return": late_return,
    "school": major_without_co_builder,
}


def links(page: str) -> set[str]:
    """The record pages the findings page links to (not its filters or menus)."""
    found = re.findall(
        r'href="(/(?:placements|policies|agreements|teachers|returns|schools)/[^"?#]+)"', page
    )
    return set(found)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_an_officer_opens_what_each_kind_of_finding_points_at(
    client: FlaskClient, registry: Registry, placed: Placed, kind: str
) -> None:
    # a finding (or notice) of the officer's prefecture, about a record of this kind
    target = BUILDERS[kind](registry, placed)
    account(registry, "chengdu", "prefecture_officer", prefecture="510100")
    sign_in(client, "chengdu", PASSWORD)
    page = client.get("/findings/").get_data(as_text=True)
    found = links(page)
    # the finding links to the record, and every link it shows opens
    assert target in found
    for link in found:
        assert client.get(link).status_code == 200, link
    # read-only: the record's page offers the officer no form
    shown = client.get(target).get_data(as_text=True)
    assert 'data-testid="actions"' not in shown and 'method="post" action="/placements' not in shown


def test_an_officer_of_another_prefecture_cannot_open_them(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    placement_page = fee(registry, placed)
    policy_page = lapse_and_policy_ending(registry, placed)
    account(registry, "mianyang", "prefecture_officer", prefecture="510700")
    sign_in(client, "mianyang", PASSWORD)
    assert client.get(placement_page).status_code == 404
    assert client.get(policy_page).status_code == 404
    # and the lists stay closed to officers: they read what findings point at
    assert client.get("/placements/").status_code == 403


def test_a_placement_shows_an_officer_no_link_to_the_students_personal_page(
    client: FlaskClient, registry: Registry, placed: Placed
) -> None:
    placement_page = fee(registry, placed)
    account(registry, "chengdu", "prefecture_officer", prefecture="510100")
    sign_in(client, "chengdu", PASSWORD)
    shown = client.get(placement_page).get_data(as_text=True)
    assert str(placed.student)[:8] in shown
    assert f"/students/{placed.student}" not in shown
