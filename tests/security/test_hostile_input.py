"""Hostile input: every form of the URL map, as an account allowed to use it, sent every
class of payload (overlong, control characters, bytes that are not UTF-8, markup, SQL-ish,
absurd dates, huge and odd numbers, record ids that are not, missing and duplicated fields,
a JSON or multipart body). No answer is a server error; a refusal records nothing; markup
that is accepted comes back escaped on the page that shows it.

``make test`` sends each class to each form once, and a bounded number of drawn values to
single fields; ``make fuzz`` draws many more (``REGISTRY_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from tests.security.conftest import (
    csrf_of,
    examples,
    fuzzing,
    log_position,
    signed_in,
    still_signed_in,
)
from tests.security.demo_store import Demo
from tests.security.filling import current
from tests.security.form_cases import FormCase, form_cases
from tests.security.payloads import CLASSES, MARKUP, VALUES, Pairs, hostile, one_field, send, values

ESCAPED = "&lt;script&gt;"


@pytest.fixture(scope="module")
def clients() -> dict[str | None, FlaskClient]:
    """Signed-in clients, kept across the module's examples (signing in is slow on purpose)."""
    return {}


def _client(
    app: Flask, clients: dict[str | None, FlaskClient], username: str | None
) -> FlaskClient:
    client = clients.get(username) or signed_in(app, username)
    clients[username] = client = still_signed_in(app, client, username)
    return client


@pytest.fixture(scope="module")
def cases(shared_app: Flask, demo: Demo) -> list[FormCase]:
    return form_cases(shared_app, demo)


def _problems(
    app: Flask, client: FlaskClient, case: FormCase, shape: str, pairs: Pairs
) -> list[str]:
    """What is wrong with the answer to one hostile submission, if anything."""
    before = log_position(app)
    response: TestResponse = send(client, case.path, shape, pairs, csrf_of(client))
    moved = log_position(app) - before
    status, found = response.status_code, []
    if status >= 500:
        found.append(f"{status}")
    if status >= 400 and moved:
        found.append(f"refused with {status} but {moved} events recorded")
    pages = [response.get_data(as_text=True)]
    if status == 302 and moved and response.headers.get("Location", "").startswith("/"):
        shown = client.get(response.headers["Location"])
        if shown.status_code >= 500:
            found.append(f"{shown.status_code} showing {response.headers['Location']}")
        pages.append(shown.get_data(as_text=True))
    if any("<script>alert" in page for page in pages):
        found.append("markup shown unescaped")
    return found


def test_there_is_a_form_case_for_every_command(shared_app: Flask, cases: list[FormCase]) -> None:
    from tests.security.routes import requests

    covered = {(c.endpoint, c.name) for c in cases}
    posts = {(rule.endpoint, name) for rule, name in requests(shared_app, "POST")}
    assert len(cases) >= 75
    # a command no demo account may use on a demo record is the only kind left out
    assert sorted(posts - covered) == []


def test_every_form_survives_every_payload_class(
    shared_app: Flask, cases: list[FormCase], clients: dict[str | None, FlaskClient]
) -> None:
    failures, sent = [], 0
    for case in cases:
        client = _client(shared_app, clients, case.username)
        for payload in CLASSES:
            listed = VALUES.get(payload, [None])
            for value in listed if fuzzing() else listed[:2]:
                shape, pairs = hostile(case.answers, payload, value)
                found = _problems(shared_app, client, case, shape, pairs)
                sent += 1
                failures += [f"{case.label} {payload} {value!r:.40}: {p}" for p in found]
    assert sent >= len(cases) * len(CLASSES)
    assert not failures, "\n".join(failures)


@pytest.mark.fuzz
@settings(
    derandomize=True,
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_hostile_value_in_any_single_field(
    shared_app: Flask,
    cases: list[FormCase],
    clients: dict[str | None, FlaskClient],
    data: st.DataObject,
) -> None:
    case = data.draw(st.sampled_from(cases), label="form")
    if not case.answers:
        return
    field = data.draw(st.sampled_from(sorted(case.answers)), label="field")
    value = data.draw(values(), label="value")
    client = _client(shared_app, clients, case.username)
    found = _problems(shared_app, client, case, "form", one_field(case.answers, field, value))
    assert not found, f"{case.label} {field}={value!r:.80}: {found}"


def test_accepted_markup_is_shown_escaped(
    shared_app: Flask, cases: list[FormCase], clients: dict[str | None, FlaskClient]
) -> None:
    """At least some forms accept text with markup (a reason, a name): their pages show it
    as text."""
    shown = 0
    for case in cases:
        text_fields = [k for k, v in case.answers.items() if v == "测试内容"]
        if not text_fields or case.username is None:
            continue
        client = _client(shared_app, clients, case.username)
        answers = current(shared_app, case.path, case.answers)
        pairs = [(k, MARKUP if k in text_fields else v) for k, v in one_field(answers, "", "")]
        before = log_position(shared_app)
        response = send(client, case.path, "form", pairs, csrf_of(client))
        if response.status_code == 302 and log_position(shared_app) > before:
            page = client.get(response.headers["Location"]).get_data(as_text=True)
            assert "<script>alert" not in page, case.label
            shown += ESCAPED in page
    assert shown >= 3
