"""The security suite runs against the demo: loaded once per session, copied per module for
reads and refused writes, and per test where a test records something."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.config import Settings
from tests.security.demo_store import PASSWORD, USERNAMES, Demo, build
from tests.web.conftest import web_app
from web.config import WebConfig

# sign-ins are limited per address; every role signs in from the test client's one address
UNLIMITED = "100000 per minute"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: hostile input; `make fuzz` runs it at length")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build(tmp_path_factory.mktemp("security-demo") / "var")


def web_config(settings: Settings) -> WebConfig:
    config = WebConfig(settings=settings, secret_key="s" * 48)
    return replace(
        config,
        login_rate_limit=UNLIMITED,
        login_address_rate_limit=UNLIMITED,
        form_rate_limit=UNLIMITED,
    )


@pytest.fixture(scope="module")
def shared_app(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An application on a copy of the demo, shared by a module's tests that record nothing."""
    target = tmp_path_factory.mktemp("security-shared") / "var"
    with web_app(web_config(demo.copy(target))) as app:
        yield app


@pytest.fixture
def fresh_app(demo: Demo, tmp_path: Path) -> Iterator[Flask]:
    """An application on a copy of the demo of its own."""
    with web_app(web_config(demo.copy(tmp_path / "var"))) as app:
        yield app


def signed_in(app: Flask, username: str | None) -> FlaskClient:
    """A test client signed in as a demo account (None: nobody signed in)."""
    client = app.test_client()
    token = csrf_of(client)
    if username is not None:
        response = client.post(
            "/login", data={"csrf_token": token, "username": username, "password": PASSWORD}
        )
        assert response.status_code == 302, f"{username} could not sign in"
    return client


def csrf_of(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on /login"
    return found.group(1)


@pytest.fixture(scope="module")
def clients(shared_app: Flask) -> dict[str | None, FlaskClient]:
    """One client per demo account, and one nobody signed in to (key None)."""
    return {name: signed_in(shared_app, name) for name in (*USERNAMES, None)}


def log_position(app: Flask) -> int:
    found = app.extensions["registry"].recorder.max_notification_id()
    return int(found or 0)


def fuzzing() -> bool:
    """Under ``make fuzz``: every listed value of every class, and many drawn ones."""
    return "REGISTRY_FUZZ_EXAMPLES" in os.environ


def still_signed_in(app: Flask, client: FlaskClient, username: str | None) -> FlaskClient:
    """``client`` if it is still signed in (a form may have signed it out), else a new one."""
    if username is None or client.get("/").status_code != 302:
        return client
    if client.get("/").headers.get("Location", "").startswith("/login"):
        return signed_in(app, username)
    return client


def examples(default: int) -> int:
    """Hypothesis examples per test: bounded in ``make test``, many under ``make fuzz``."""
    return int(os.environ.get("REGISTRY_FUZZ_EXAMPLES", default))
