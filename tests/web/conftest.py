"""The web application through Flask's test client, on a fresh store per test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from domain.actors import Actor, Role
from registry.config import Settings
from registry.registry import Registry
from web import create_app
from web.config import WebConfig

ADMIN_PASSWORD = "admin password 1"
CLI = Actor("system:test", Role.SYSTEM)


@pytest.fixture
def config(tmp_path: Path) -> WebConfig:
    return WebConfig(settings=Settings(data_dir=tmp_path / "var"), secret_key="k" * 48)


@pytest.fixture
def app(config: WebConfig) -> Iterator[Flask]:
    built = create_app(config)
    yield built
    built.extensions["registry"].close()


@pytest.fixture
def registry(app: Flask) -> Registry:
    found: Registry = app.extensions["registry"]
    return found


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def post(client: FlaskClient, path: str, data: dict[str, Any], **kwargs: Any) -> TestResponse:
    """Submit a form as a browser would: with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client), **data}, **kwargs)


def add_admin(registry: Registry, username: str = "admin") -> None:
    account_id = registry.add_account(
        username=username, display_name="王敏", role="province_admin", actor=CLI
    )
    registry.set_password(account_id, password=ADMIN_PASSWORD, actor=CLI)


def sign_in(client: FlaskClient, username: str, password: str) -> TestResponse:
    return post(client, "/login", {"username": username, "password": password})


def with_limits(config: WebConfig, login: str) -> WebConfig:
    return replace(config, login_rate_limit=login)
