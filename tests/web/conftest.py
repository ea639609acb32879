"""The web application through Flask's test client, on a fresh store per test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from domain.actors import Actor, Role
from registry.config import Settings
from registry.facade import Registry
from tests.factories import ADMIN, uscc
from web import create_app
from web.config import WebConfig

ADMIN_PASSWORD = "admin password 1"
CLI = Actor("system:test", Role.SYSTEM)


@pytest.fixture
def config(tmp_path: Path) -> WebConfig:
    return WebConfig(settings=Settings(data_dir=tmp_path / "var"), secret_key="k" * 48)


@contextmanager
def web_app(config: WebConfig) -> Iterator[Flask]:
    """A web application on ``config``'s store, its reader and registry closed afterwards."""
    built = create_app(config)
    try:
        yield built
    finally:
        built.extensions["reader"].close()
        built.extensions["registry"].close()


@pytest.fixture
def app(config: WebConfig) -> Iterator[Flask]:
    with web_app(config) as built:
        yield built


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


RECORD_ACTION = re.compile(r"^(/[a-z]+/[0-9a-f-]{36}(?:/\d+)?)/[a-z_/]+$")


def shown_version(client: FlaskClient, path: str) -> dict[str, str]:
    """The version a record's page puts in the form posting to ``path``, if it has one."""
    record_page = RECORD_ACTION.match(path)
    if record_page is None:
        return {}
    page = client.get(record_page.group(1))
    if page.status_code != 200:
        return {}
    found = re.search(r'name="version" value="(\d+)"', page.get_data(as_text=True))
    return {"version": found.group(1)} if found else {}


def post(client: FlaskClient, path: str, data: dict[str, Any], **kwargs: Any) -> TestResponse:
    """Submit a form as a browser would: with the session's CSRF token and, on a record's
    page, the version the page showed (unless the test says which version it sends)."""
    shown = {} if "version" in data else shown_version(client, path)
    return client.post(path, data={"csrf_token": csrf_token(client), **shown, **data}, **kwargs)


def add_admin(registry: Registry, username: str = "admin") -> None:
    account_id = registry.add_account(
        username=username, display_name="王敏", role="province_admin", actor=CLI
    )
    registry.set_password(account_id, password=ADMIN_PASSWORD, actor=CLI)


def sign_in(client: FlaskClient, username: str, password: str) -> TestResponse:
    return post(client, "/login", {"username": username, "password": password})


def with_limits(config: WebConfig, login: str) -> WebConfig:
    return replace(config, login_rate_limit=login)


PASSWORD = "a good long password"


@dataclass
class World:
    school: UUID
    enterprise: UUID
    other_enterprise: UUID
    agreement: UUID
    others_agreement: UUID


def account(registry: Registry, username: str, role: str, **binding: object) -> None:
    account_id = registry.add_account(
        username=username, display_name=username.title(), role=role, actor=CLI, **binding
    )
    registry.set_password(account_id, password=PASSWORD, actor=CLI)


def propose(registry: Registry, school: UUID, enterprise: UUID) -> UUID:
    return registry.propose_agreement(
        school_id=school,
        enterprise_id=enterprise,
        title="订单班合作协议",
        modes=["order_class"],
        starts_on=date(2026, 9, 1),
        ends_on=date(2029, 8, 31),
        actor=Actor("someone", Role.ENTERPRISE_USER, enterprise),
    )


@pytest.fixture
def world(registry: Registry) -> World:
    school = registry.register_school(
        uscc=uscc("12", 1),
        name="成都技师学院",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    enterprises = [
        registry.register_enterprise(
            uscc=uscc("91", serial, prefecture),
            name=f"四川测试有限公司{serial}",
            prefecture=prefecture,
            industry="装备制造",
            above_designated_size=True,
            ownership="private",
            actor=ADMIN,
        )
        for serial, prefecture in ((1, "510100"), (2, "510700"))
    ]
    account(registry, "school", "school_user", party_id=school)
    account(registry, "enterprise", "enterprise_user", party_id=enterprises[0])
    account(registry, "officer", "prefecture_officer", prefecture="510700")
    return World(
        school,
        enterprises[0],
        enterprises[1],
        propose(registry, school, enterprises[0]),
        propose(registry, school, enterprises[1]),
    )


ID_NUMBER = "510104200601010018"


@dataclass
class Placed:
    school: UUID
    enterprise: UUID
    agreement: UUID
    student: UUID


def location_id(response: object) -> UUID:
    return UUID(response.headers["Location"].rsplit("/", 1)[1])  # type: ignore[attr-defined]


@pytest.fixture
def placed(registry: Registry) -> Placed:
    school = registry.register_school(
        uscc=uscc("12", 1),
        name="成都技师学院",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    registry.open_major(school, name="数控加工", year=2018, actor=ADMIN)
    enterprise = registry.register_enterprise(
        uscc=uscc("91", 1),
        name="四川测试有限公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )
    at_school = Actor("teacher", Role.SCHOOL_USER, school)
    agreement = registry.propose_agreement(
        school_id=school,
        enterprise_id=enterprise,
        title="实习基地协议",
        modes=["internship_base"],
        starts_on=date.today() - timedelta(days=400),
        ends_on=date.today() + timedelta(days=400),
        actor=at_school,
    )
    registry.countersign_agreement(agreement, actor=Actor("boss", Role.ENTERPRISE_USER, enterprise))
    student = registry.register_student(
        school_id=school,
        name="王小明",
        id_number=ID_NUMBER,
        gender="male",
        entry_year=date.today().year - 2,
        major="数控加工",
        actor=at_school,
    )
    account(registry, "school", "school_user", party_id=school)
    account(registry, "enterprise", "enterprise_user", party_id=enterprise)
    return Placed(school, enterprise, agreement, student)


def register_placement(client: FlaskClient, placed: Placed, **changes: str) -> object:
    today = date.today()
    return post(
        client,
        "/placements/new",
        {
            "student": str(placed.student),
            "agreement": str(placed.agreement),
            "kind": "cognitive_internship",
            "position": "数控车工",
            "workplace_prefecture": "510100",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "mentor": "李师傅",
            "supervising_teacher": "张老师",
            **changes,
        },
    )
