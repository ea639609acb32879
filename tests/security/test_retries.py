"""A form sent twice, or again after a client timed out, is recorded once.

Every page draws a one-time submission key into its forms; posting the same form with the
same key again must record nothing and answer as the first post did. The creation forms are
found in the application's URL map, so a new one fails here until it has a case below.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from domain.account import account_id_for
from domain.actors import Actor, Role
from domain.id_number import with_check_character
from registry.facade import Registry
from tests.factories import uscc
from tests.web import conftest as web
from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, Placed, add_admin, csrf_token, sign_in

# the web tests' fixtures: a fresh application and store, and a school, enterprise and student
config, app, registry, placed = web.config, web.app, web.registry, web.placed

TODAY = date.today()
LAST_YEAR = TODAY.year - 1
# forms that create no record of the registry: signing in and out, passwords, the language
NOT_CREATIONS = {
    "main.language",
    "auth.login",
    "auth.logout",
    "auth.logout_everywhere",
    "auth.request_account",
    "auth.change_password",
    # a replay records nothing in the log: its twin is answered with the first result
    # (tests/web/test_replay_page.py)
    "replay.index",
}
Data = Callable[[Registry, Placed], dict[str, Any]]
# per creation form: who fills it in, and what they type
CREATIONS: dict[str, tuple[str, Data]] = {
    "schools.new": (
        "admin",
        lambda _r, _p: {
            "uscc": uscc("12", 7),
            "name": "绵阳技师学院",
            "kind": "technician_college",
            "prefecture": "510700",
            "established_on": "2010-09-01",
        },
    ),
    "enterprises.new": (
        "admin",
        lambda _r, _p: {
            "uscc": uscc("91", 7),
            "name": "四川重试有限公司",
            "prefecture": "510100",
            "industry": "装备制造",
            "above_designated_size": "yes",
            "ownership": "private",
        },
    ),
    "organisations.new": (
        "admin",
        lambda _r, _p: {
            "uscc": uscc("51", 7),
            "name": "成都装备制造产业园",
            "kind": "industry_park",
            "prefecture": "510100",
        },
    ),
    "accounts.add": (
        "admin",
        lambda _r, _p: {"username": "auditor2", "display_name": "审计员", "role": "auditor"},
    ),
    "returns.deadlines": (
        "admin",
        lambda _r, _p: {"step": "set", "year": str(LAST_YEAR), "due_on": f"{TODAY.year}-12-31"},
    ),
    "policies.requirements": (
        "admin",
        lambda _r, _p: {
            "placement_kind": "cognitive_internship",
            "policy_kinds": "internship_liability",
            "reason": "省厅通知要求",
        },
    ),
    "school.propose": (
        "school",
        lambda _r, _p: {
            "enterprise": uscc("91", 1),
            "title": "订单班合作协议",
            "modes": "order_class",
            "starts_on": (TODAY + timedelta(days=30)).isoformat(),
            "ends_on": (TODAY + timedelta(days=800)).isoformat(),
        },
    ),
    "enterprise.submit_partnership": (
        "enterprise",
        lambda _r, p: {
            "school": str(p.school),
            "modes": "order_class",
            "starts_on": (TODAY + timedelta(days=30)).isoformat(),
            "ends_on": (TODAY + timedelta(days=800)).isoformat(),
        },
    ),
    "groups.new": (
        "school",
        lambda _r, _p: {
            "name": "四川装备制造职教集团",
            "prefectures": "510100",
            "industry_focus": "装备制造",
        },
    ),
    "students.new": (
        "school",
        lambda _r, _p: {
            "name": "李小华",
            "id_number": with_check_character("51010420060315002"),
            "gender": "female",
            "entry_year": str(TODAY.year - 1),
            "major": "数控加工",
        },
    ),
    "placements.new": (
        "school",
        lambda _r, p: {
            "student": str(p.student),
            "agreement": str(p.agreement),
            "kind": "cognitive_internship",
            "position": "数控车工",
            "workplace_prefecture": "510100",
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + timedelta(days=30)).isoformat(),
            "mentor": "李师傅",
            "supervising_teacher": "张老师",
        },
    ),
    "policies.new": (
        "school",
        lambda _r, _p: {
            "kind": "internship_liability",
            "insurer": "中国人寿",
            "policy_number": "SC-2025-001",
            "covers_from": TODAY.isoformat(),
            "covers_until": (TODAY + timedelta(days=365)).isoformat(),
        },
    ),
    "teachers.new": (
        "school",
        lambda r, p: {
            "agreement": str(practice_station(r, p)),
            "staff_number": "T0042",
            "starts_on": (TODAY - timedelta(days=20)).isoformat(),
            "ends_on": (TODAY - timedelta(days=10)).isoformat(),
        },
    ),
    "returns.new": (
        "school",
        lambda _r, _p: {
            "year": str(LAST_YEAR),
            "enrollment": "300",
            "students": "900",
            "senior_students": "200",
            "graduates": "280",
            "employed": "260",
            "training_person_times": "1500",
        },
    ),
}


def practice_station(registry: Registry, placed: Placed) -> UUID:
    """A countersigned agreement under which teachers practise at the enterprise."""
    found = registry.propose_agreement(
        school_id=placed.school,
        enterprise_id=placed.enterprise,
        title="教师企业实践工作站协议",
        modes=["teacher_practice_station"],
        starts_on=TODAY - timedelta(days=100),
        ends_on=TODAY + timedelta(days=700),
        actor=Actor("teacher", Role.SCHOOL_USER, placed.school),
    )
    registry.countersign_agreement(
        found, actor=Actor("boss", Role.ENTERPRISE_USER, placed.enterprise)
    )
    return found


# forms whose page needs a choice first (the enterprise picks the school, then fills it in)
PAGES: dict[str, Callable[[Placed], str]] = {
    "enterprise.submit_partnership": lambda p: f"/enterprise/partnerships/new?school={p.school}",
}


def creation_forms(app: Flask) -> set[str]:
    """Every form that posts to a page of its own, not to a record: the creation forms."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and not rule.arguments
    } - NOT_CREATIONS


def signed_in(app: Flask, registry: Registry, username: str) -> FlaskClient:
    client = app.test_client()
    if username == "admin":
        add_admin(registry)
    response = sign_in(client, username, ADMIN_PASSWORD if username == "admin" else PASSWORD)
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def form_key(client: FlaskClient, path: str) -> str:
    """The submission key the page drew into its form."""
    page = client.get(path)
    assert page.status_code == 200, path
    found = re.search(r'name="submission" value="([^"]+)"', page.get_data(as_text=True))
    assert found, f"the form on {path} carries no submission key"
    return found.group(1)


def typed_form(data: dict[str, Any]) -> dict[str, Any]:
    return {name: v if isinstance(v, list) else str(v) for name, v in data.items()}


def send(client: FlaskClient, path: str, data: dict[str, Any], key: str) -> TestResponse:
    form = {**typed_form(data), "csrf_token": csrf_token(client), "submission": key}
    return client.post(path, data=form)


def path_of(app: Flask, endpoint: str) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    return rule.rule


def test_every_creation_form_has_a_retry_case(app: Flask) -> None:
    assert creation_forms(app) == set(CREATIONS)


def answered_record(app: Flask, response: TestResponse, data: dict[str, Any]) -> str:
    """Where a response leads: the redirect, or (a new account) the account's page."""
    if response.status_code == 302:
        return response.headers["Location"]
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return f"/admin/accounts/{account_id_for(data['username'])}"


@pytest.mark.parametrize("endpoint", sorted(CREATIONS))
def test_a_creation_form_sent_twice_records_once(
    app: Flask, registry: Registry, placed: Placed, endpoint: str
) -> None:
    username, typed = CREATIONS[endpoint]
    client = signed_in(app, registry, username)
    path = path_of(app, endpoint)
    data = typed(registry, placed)
    key = form_key(client, PAGES.get(endpoint, lambda _p: path)(placed))
    # the first post records the form
    before = registry.max_position()
    first = send(client, path, data, key)
    recorded = registry.max_position()
    assert recorded > before, re.findall(
        r'class="(?:field-error|problems)"[^>]*>(.*?)</', first.get_data(as_text=True), re.S
    )
    # the same form again, as after a timeout: nothing more, the same record
    second = send(client, path, data, key)
    assert second.status_code == 302
    assert second.headers["Location"] == answered_record(app, first, data)
    assert registry.max_position() == recorded
    followed = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "nothing was recorded twice" in followed or "没有重复记录" in followed


def sent_at_once(
    app: Flask, cookie_client: FlaskClient, page: str, path: str, data: dict[str, Any]
) -> list[TestResponse]:
    """Two posts of the same form, with the same key, released together."""
    key = form_key(cookie_client, page)
    token = csrf_token(cookie_client)
    gate = threading.Barrier(2)
    responses: list[TestResponse] = []

    def post() -> None:
        client = app.test_client()
        client._cookies = cookie_client._cookies  # the same browser session
        gate.wait()
        responses.append(
            client.post(path, data={**typed_form(data), "csrf_token": token, "submission": key})
        )

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.mark.parametrize("endpoint", ["enterprise.submit_partnership", "placements.new"])
def test_a_creation_form_sent_twice_at_once_records_once(
    app: Flask, registry: Registry, placed: Placed, endpoint: str
) -> None:
    username, typed = CREATIONS[endpoint]
    client = signed_in(app, registry, username)
    path = path_of(app, endpoint)
    page = PAGES.get(endpoint, lambda _p: path)(placed)
    before = registry.max_position()
    responses = sent_at_once(app, client, page, path, typed(registry, placed))
    assert [r.status_code for r in responses] == [302, 302], [
        re.findall(r'class="(?:field-error|problems)"[^>]*>(.*?)</', r.get_data(as_text=True), re.S)
        for r in responses
    ]
    assert len({r.headers["Location"] for r in responses}) == 1
    created = UUID(responses[0].headers["Location"].rsplit("/", 1)[1])
    # exactly one record: its creation is the only first event the two posts left
    new = [e for _, e in registry.read_log(after=before) if e.originator_version == 1]
    assert [e.originator_id for e in new] == [created]


def events_of(registry: Registry, record_id: UUID) -> list[Any]:
    return list(registry.events.get(record_id))


def placement(registry: Registry, placed: Placed) -> UUID:
    return registry.register_placement(
        student_id=placed.student,
        agreement_id=placed.agreement,
        kind="cognitive_internship",
        position="数控车工",
        workplace_prefecture="510100",
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=30),
        mentor="李师傅",
        supervising_teacher="张老师",
        actor=Actor("teacher", Role.SCHOOL_USER, placed.school),
    )


def proposal(registry: Registry, placed: Placed) -> UUID:
    return registry.propose_agreement(
        school_id=placed.school,
        enterprise_id=placed.enterprise,
        title="订单班合作协议",
        modes=["order_class"],
        starts_on=TODAY + timedelta(days=30),
        ends_on=TODAY + timedelta(days=800),
        actor=Actor("teacher", Role.SCHOOL_USER, placed.school),
    )


def version(registry: Registry, record_id: UUID) -> str:
    return str(len(events_of(registry, record_id)))


# record actions: (who, the record, the page, the path the form posts to, what is typed)
Case = Callable[[Registry, Placed], tuple[str, UUID, str, str, dict[str, Any]]]


def fee(registry: Registry, placed: Placed) -> tuple[str, UUID, str, str, dict[str, Any]]:
    found = placement(registry, placed)
    typed = {
        "version": version(registry, found),
        "amount": "200",
        "purpose": "住宿费",
        "reported_by": "学生家长",
        "charged_on": TODAY,
    }
    return "school", found, f"/placements/{found}", f"/placements/{found}/report_fee", typed


def incident(registry: Registry, placed: Placed) -> tuple[str, UUID, str, str, dict[str, Any]]:
    found = placement(registry, placed)
    typed = {
        "version": version(registry, found),
        "occurred_on": TODAY,
        "severity": "minor",
        "description": "手指划伤，已处理",
    }
    return (
        "enterprise",
        found,
        f"/placements/{found}",
        f"/placements/{found}/record_incident",
        typed,
    )


def countersign(registry: Registry, placed: Placed) -> tuple[str, UUID, str, str, dict[str, Any]]:
    found = proposal(registry, placed)
    # the confirmation's answer is the submission that records
    typed = {"version": version(registry, found), "confirm": "yes"}
    return "enterprise", found, f"/agreements/{found}", f"/agreements/{found}/countersign", typed


def withdraw(registry: Registry, placed: Placed) -> tuple[str, UUID, str, str, dict[str, Any]]:
    found = proposal(registry, placed)
    typed = {"version": version(registry, found), "reason": "条款有误", "confirm": "yes"}
    return "school", found, f"/agreements/{found}", f"/agreements/{found}/withdraw", typed


def amend(registry: Registry, placed: Placed) -> tuple[str, UUID, str, str, dict[str, Any]]:
    found = placed.agreement
    typed = {
        "version": version(registry, found),
        "modes": ["internship_base", "order_class"],
        "starts_on": TODAY - timedelta(days=400),
        "ends_on": TODAY + timedelta(days=500),
        "reason": "增设订单班",
    }
    return "school", found, f"/agreements/{found}", f"/agreements/{found}/act/amend", typed


ACTIONS: dict[str, Case] = {
    "report_fee": fee,
    "record_incident": incident,
    "countersign": countersign,
    "withdraw": withdraw,
    "amend": amend,
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_record_action_sent_twice_records_one_event(
    app: Flask, registry: Registry, placed: Placed, action: str
) -> None:
    username, record, page, path, typed = ACTIONS[action](registry, placed)
    client = signed_in(app, registry, username)
    key = form_key(client, page)
    before = len(events_of(registry, record))
    first = send(client, path, typed, key)
    assert first.status_code == 302, first.get_data(as_text=True)[:3000]
    assert len(events_of(registry, record)) == before + 1
    # again with the same key: the same page, no second event, not "changed meanwhile"
    second = send(client, path, typed, key)
    assert second.status_code == 302, second.get_data(as_text=True)[:3000]
    assert second.headers["Location"] == first.headers["Location"]
    assert len(events_of(registry, record)) == before + 1


@pytest.mark.parametrize("action", ["report_fee", "countersign"])
def test_a_record_action_sent_twice_at_once_records_one_event(
    app: Flask, registry: Registry, placed: Placed, action: str
) -> None:
    username, record, page, path, typed = ACTIONS[action](registry, placed)
    client = signed_in(app, registry, username)
    before = len(events_of(registry, record))
    key = form_key(client, page)
    token = csrf_token(client)
    gate = threading.Barrier(2)
    responses: list[TestResponse] = []

    def post() -> None:
        twin = app.test_client()
        twin._cookies = client._cookies
        gate.wait()
        responses.append(
            twin.post(path, data={**typed_form(typed), "csrf_token": token, "submission": key})
        )

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [302, 302], [
        re.findall(r'class="(?:field-error|problems)"[^>]*>(.*?)</', r.get_data(as_text=True), re.S)
        for r in responses
    ]
    assert len(events_of(registry, record)) == before + 1


def test_a_form_sent_again_with_a_new_key_is_a_new_submission(
    app: Flask, registry: Registry, placed: Placed
) -> None:
    username, record, page, path, typed = fee(registry, placed)
    client = signed_in(app, registry, username)
    for _ in range(2):
        # the page shown again: a new key, and the version the first submission left
        key, typed["version"] = form_key(client, page), version(registry, record)
        assert send(client, path, typed, key).status_code == 302
    fees = [e for e in events_of(registry, record) if type(e).__name__ == "FeeReported"]
    assert len(fees) == 2
