"""Ending sessions: a cookie that was signed out, or whose account changed, opens nothing.

A copy of a session cookie taken before its holder signs out (from a shared computer, a
proxy's log, a stolen backup) must be refused afterwards by every application on the same
store: another worker on the data directory, or another node on the PostgreSQL log.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from domain.account import Account, account_id_for
from domain.actors import Actor
from registry.config import Settings
from registry.facade import Registry
from tests.factories import uscc
from tests.web.conftest import (
    ADMIN_PASSWORD,
    PASSWORD,
    account,
    add_admin,
    post,
    sign_in,
    web_app,
)
from web.config import WebConfig

COOKIE = "registry_session"


def copy_session(source: FlaskClient, target: FlaskClient) -> None:
    """Give ``target`` the session cookie ``source`` holds now, as a thief would."""
    cookie = source.get_cookie(COOKIE)
    assert cookie is not None
    target.set_cookie(COOKIE, cookie.value)


def refused(client: FlaskClient, path: str = "/audit/") -> bool:
    """The page sends the holder to sign in, and shows nothing of the log."""
    response = client.get(path)
    return response.status_code == 302 and "/login" in response.headers["Location"]


def admin_actor(registry: Registry) -> Actor:
    return registry.get(Account, account_id_for("admin")).as_actor()


def signed_in_auditor(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, "auditor", PASSWORD).status_code == 302
    assert client.get("/audit/").status_code == 200
    return client


@pytest.fixture
def auditor(registry: Registry) -> UUID:
    add_admin(registry)
    account(registry, "auditor", "auditor")
    return account_id_for("auditor")


def test_a_cookie_saved_before_sign_out_is_refused_after_it(app: Flask, auditor: UUID) -> None:
    # construct: an auditor signs in; someone keeps a copy of the cookie
    holder = signed_in_auditor(app)
    thief = app.test_client()
    copy_session(holder, thief)
    assert thief.get("/audit/").status_code == 200
    # evolve: the holder signs out
    assert post(holder, "/logout", {}).status_code == 302
    # query: the copy opens nothing, and the holder is signed out too
    assert refused(thief)
    assert refused(holder)


def test_a_refused_cookie_is_answered_with_one_that_names_no_account(
    app: Flask, auditor: UUID
) -> None:
    """Else the copy could be kept fresh by re-signed cookies (a language switch re-signs
    one) past the time its sign-out is remembered, and then open the log again."""
    holder = signed_in_auditor(app)
    thief = app.test_client()
    copy_session(holder, thief)
    post(holder, "/logout", {})
    post(thief, "/language", {"language": "en", "next": "/audit/"})
    with thief.session_transaction() as session:
        assert "_user_id" not in session


def test_signing_out_ends_that_session_only(app: Flask, auditor: UUID) -> None:
    at_work, at_home = signed_in_auditor(app), signed_in_auditor(app)
    post(at_work, "/logout", {})
    assert refused(at_work)
    assert at_home.get("/audit/").status_code == 200


def test_sign_out_is_refused_by_another_worker_on_the_same_store(
    app: Flask, config: WebConfig, auditor: UUID
) -> None:
    # construct: a second application on the same data directory, as another worker is
    holder = signed_in_auditor(app)
    with web_app(config) as worker:
        thief = worker.test_client()
        copy_session(holder, thief)
        assert thief.get("/audit/").status_code == 200
        # evolve: the holder signs out through the first
        post(holder, "/logout", {})
        # query: the second refuses the copy at once
        assert refused(thief)


@pytest.fixture
def nodes(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Flask, Flask]]:
    """Two nodes sharing one PostgreSQL log and one secret, each with its own data directory."""
    configs = [
        WebConfig(
            settings=Settings(data_dir=tmp_path / name, event_store=postgres_url),
            secret_key="k" * 48,
        )
        for name in ("node-a", "node-b")
    ]
    with web_app(configs[0]) as node_a, web_app(configs[1]) as node_b:
        yield node_a, node_b


@pytest.mark.postgres
def test_sign_out_on_one_node_is_refused_by_another(nodes: tuple[Flask, Flask]) -> None:
    node_a, node_b = nodes
    account(node_a.extensions["registry"], "auditor", "auditor")
    holder = signed_in_auditor(node_a)
    thief = node_b.test_client()
    copy_session(holder, thief)
    assert thief.get("/audit/").status_code == 200
    post(holder, "/logout", {})
    assert refused(thief)


@pytest.mark.postgres
def test_sign_out_everywhere_on_one_node_ends_sessions_on_another(
    nodes: tuple[Flask, Flask],
) -> None:
    node_a, node_b = nodes
    account(node_a.extensions["registry"], "auditor", "auditor")
    here, there = signed_in_auditor(node_a), signed_in_auditor(node_b)
    assert post(here, "/logout/everywhere", {}).status_code == 302
    assert refused(there)
    assert refused(here)


def test_sign_out_everywhere_ends_every_session_of_the_account(app: Flask, auditor: UUID) -> None:
    # construct: the auditor at two computers, someone else signed in too
    at_work, at_home = signed_in_auditor(app), signed_in_auditor(app)
    admin = app.test_client()
    sign_in(admin, "admin", ADMIN_PASSWORD)
    # evolve: sign out everywhere from one of them
    response = post(at_home, "/logout/everywhere", {})
    assert response.status_code == 302
    # query: both of the auditor's sessions end; the other account's does not
    assert refused(at_work) and refused(at_home)
    assert admin.get("/admin/accounts/").status_code == 200
    # and the auditor can sign in again
    signed_in_auditor(app)


def test_sign_out_everywhere_is_in_the_accounts_history(
    app: Flask, registry: Registry, auditor: UUID
) -> None:
    post(signed_in_auditor(app), "/logout/everywhere", {})
    names = [type(event).__name__ for event in registry.events.get(auditor)]
    assert names[-1] == "SessionsEnded"


def test_a_role_change_ends_the_accounts_sessions(
    app: Flask, registry: Registry, auditor: UUID
) -> None:
    holder = signed_in_auditor(app)
    admin = app.test_client()
    sign_in(admin, "admin", ADMIN_PASSWORD)
    registry.grant_role(auditor, role="province_admin", actor=admin_actor(registry))
    assert refused(holder)
    assert refused(holder, "/admin/accounts/")


def test_binding_an_account_to_another_party_ends_its_sessions(
    app: Flask, registry: Registry, world: object
) -> None:
    add_admin(registry)
    school_user = app.test_client()
    sign_in(school_user, "school", PASSWORD)
    assert school_user.get("/school/").status_code == 200
    other = registry.register_school(
        uscc=uscc("12", 3),
        name="绵阳技师学院",
        kind="technician_college",
        prefecture="510700",
        established_on=date(2011, 9, 1),
        actor=admin_actor(registry),
    )
    registry.grant_role(
        account_id_for("school"), role="school_user", party_id=other, actor=admin_actor(registry)
    )
    assert refused(school_user, "/school/")


def test_deactivation_ends_sessions_for_good(app: Flask, registry: Registry, auditor: UUID) -> None:
    # construct: a session, and a copy of its cookie
    holder = signed_in_auditor(app)
    copy = app.test_client()
    copy_session(holder, copy)
    # evolve: the account is deactivated, then reactivated
    registry.deactivate_account(auditor, reason="调离", actor=admin_actor(registry))
    assert refused(holder)
    registry.reactivate_account(auditor, actor=admin_actor(registry))
    # query: the old cookie does not come back to life; a new sign-in works
    assert refused(copy)
    signed_in_auditor(app)


def test_a_session_cookie_of_the_old_form_is_refused(app: Flask, auditor: UUID) -> None:
    """Cookies issued before session ids (account id and password count only) end."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{auditor}:1"
        session["_fresh"] = True
    assert refused(client)
