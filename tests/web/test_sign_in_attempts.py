"""Failed sign-ins are limited per address and per address and username, across workers.

A spraying client tries one password on many usernames from one address; a guessing one
tries many passwords on one username. Both are counted where every worker of the server
sees the count, and a throttled attempt is answered before any password is checked.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from registry.facade import Registry
from tests.web.conftest import ADMIN_PASSWORD, add_admin, csrf_token, post, web_app
from web.config import WebConfig

SPRAYER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"


def attempt(client: FlaskClient, username: str, password: str, address: str) -> TestResponse:
    return client.post(
        "/login",
        data={"csrf_token": csrf_token(client), "username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def strict(config: WebConfig) -> WebConfig:
    return replace(
        config, login_address_rate_limit="5 per 10 minutes", login_rate_limit="3 per 10 minutes"
    )


def test_spraying_forty_usernames_from_one_address_is_stopped(app: Flask) -> None:
    # construct: the default limits; one address tries one password on 40 usernames
    client = app.test_client()
    statuses = [
        attempt(client, f"user{n:02}", "Spring2026!", SPRAYER).status_code for n in range(40)
    ]
    # query: the first 30 are checked and refused; every later one is throttled
    assert statuses == [422] * 30 + [429] * 10


def test_a_throttled_attempt_is_not_even_checked(config: WebConfig, registry: Registry) -> None:
    add_admin(registry)
    with web_app(strict(config)) as app:
        client = app.test_client()
        for n in range(5):
            attempt(client, f"user{n}", "wrong password", SPRAYER)
        # the right password, from the throttled address: refused all the same
        response = attempt(client, "admin", ADMIN_PASSWORD, SPRAYER)
        assert response.status_code == 429
        assert 0 < int(response.headers["Retry-After"]) <= 600
        page = response.get_data(as_text=True)
        assert "登录失败次数过多" in page
        # the username typed is kept in the form
        assert 'value="admin"' in page
        assert client.get("/admin/accounts/").status_code == 302


def test_the_throttle_speaks_the_pages_language(config: WebConfig) -> None:
    with web_app(strict(config)) as app:
        client = app.test_client()
        post(client, "/language", {"language": "en", "next": "/login"})
        for n in range(6):
            response = attempt(client, f"user{n}", "wrong password", SPRAYER)
        assert response.status_code == 429
        assert "Too many failed sign-ins from your address" in response.get_data(as_text=True)


def test_the_count_is_shared_by_workers_on_one_data_directory(config: WebConfig) -> None:
    # construct: two applications on the same store, as two server workers are
    with web_app(strict(config)) as first, web_app(strict(config)) as second:
        one, other = first.test_client(), second.test_client()
        # evolve: the sprayer's attempts alternate between the workers
        statuses = [
            attempt(one if n % 2 else other, f"user{n}", "wrong password", SPRAYER).status_code
            for n in range(7)
        ]
    # query: five in all are checked, whichever worker saw them
    assert statuses == [422] * 5 + [429] * 2


def test_guessing_one_username_is_stopped_before_the_address_limit(config: WebConfig) -> None:
    with web_app(strict(config)) as app:
        client = app.test_client()
        guesses = [attempt(client, "admin", f"guess {n}", SPRAYER).status_code for n in range(4)]
        assert guesses == [422, 422, 422, 429]
        # another username from the same address is still checked
        assert attempt(client, "auditor", "guess", SPRAYER).status_code == 422


def test_another_address_signs_in_while_one_is_throttled(
    config: WebConfig, registry: Registry
) -> None:
    add_admin(registry)
    with web_app(strict(config)) as app:
        sprayer = app.test_client()
        for n in range(6):
            attempt(sprayer, "admin" if n % 2 else f"user{n}", "wrong password", SPRAYER)
        assert attempt(sprayer, "admin", ADMIN_PASSWORD, SPRAYER).status_code == 429
        colleague = app.test_client()
        assert attempt(colleague, "admin", ADMIN_PASSWORD, COLLEAGUE).status_code == 302
        assert colleague.get("/admin/accounts/").status_code == 200


def test_a_successful_sign_in_clears_that_usernames_failures(
    config: WebConfig, registry: Registry
) -> None:
    add_admin(registry)
    with web_app(strict(config)) as app:
        client = app.test_client()
        for _ in range(2):
            attempt(client, "admin", "mistyped", SPRAYER)
        assert attempt(client, "admin", ADMIN_PASSWORD, SPRAYER).status_code == 302
        post(client, "/logout", {})
        # three more mistakes are allowed again before the username is throttled
        mistakes = [attempt(client, "admin", "mistyped", SPRAYER).status_code for _ in range(3)]
        assert mistakes == [422, 422, 422]
