"""Account commands on a real store: events in the log, hashes beside it, one-time links."""

from __future__ import annotations

import sqlite3
from datetime import date
from uuid import UUID

import pytest

from domain.account import Account, AccountNotActive
from domain.actors import Actor, Role
from registry.errors import AlreadyRegistered, NotFound
from registry.facade import Registry
from registry.stores.credentials import PasswordIncorrect, PasswordTooWeak, ResetLinkInvalid
from tests.factories import ADMIN, uscc

PASSWORD = "correct horse battery"


def enterprise(app: Registry) -> UUID:
    return app.register_enterprise(
        uscc=uscc("91", 1),
        name="四川测试有限公司",
        prefecture="510100",
        industry="装备制造",
        above_designated_size=True,
        ownership="private",
        actor=ADMIN,
    )


def request(app: Registry, username: str = "li.ming") -> UUID:
    return app.request_account(
        username=username,
        display_name="李明",
        uscc=uscc("91", 1),
        organisation="四川测试有限公司",
        contact="028-12345678",
        password=PASSWORD,
    )


def test_request_approval_then_sign_in(any_store: Registry) -> None:
    # construct: an enterprise is registered and asks for an account
    enterprise_id = enterprise(any_store)
    account_id = request(any_store)
    pending = any_store.authenticate("li.ming", PASSWORD)
    assert pending is not None and pending.status.value == "requested"
    # evolve: an administrator approves it
    any_store.approve_account(account_id, party_id=enterprise_id, actor=ADMIN)
    # query: the password signs in as the enterprise's user
    account = any_store.authenticate("li.ming", PASSWORD)
    assert account is not None
    assert account.as_actor() == Actor("li.ming", Role.ENTERPRISE_USER, enterprise_id)
    assert any_store.authenticate("li.ming", "wrong password!") is None
    assert any_store.authenticate("nobody", PASSWORD) is None


def test_the_log_holds_no_password_or_hash(registry: Registry) -> None:
    request(registry)
    stored = sqlite3.connect(registry.settings.data_dir / "events.sqlite3").execute(
        "SELECT state FROM stored_events"
    )
    text = b"".join(bytes(row[0]) for row in stored)
    assert PASSWORD.encode() not in text and b"argon2" not in text
    hashes = sqlite3.connect(registry.settings.data_dir / "credentials.sqlite3")
    assert hashes.execute("SELECT hash FROM passwords").fetchone()[0].startswith("$argon2id$")


def test_a_username_is_taken_once(registry: Registry) -> None:
    request(registry)
    with pytest.raises(AlreadyRegistered):
        request(registry)


def test_a_weak_password_is_refused_before_anything_is_recorded(registry: Registry) -> None:
    with pytest.raises(PasswordTooWeak) as refused:
        registry.request_account(
            username="li.ming",
            display_name="李明",
            uscc=uscc("91", 1),
            organisation="四川测试有限公司",
            contact="028",
            password="short",
        )
    assert refused.value.params == {"reason": "too_short", "min_length": 10}
    assert registry.max_position() == 0


def test_approval_binds_only_to_a_registered_enterprise(registry: Registry) -> None:
    account_id = request(registry)
    school_id = registry.register_school(
        uscc=uscc("12", 2),
        name="成都技师学院",
        kind="technician_college",
        prefecture="510100",
        established_on=date(2010, 9, 1),
        actor=ADMIN,
    )
    with pytest.raises(NotFound):
        registry.approve_account(account_id, party_id=school_id, actor=ADMIN)


def test_reset_link_works_once_and_ends_old_password(any_store: Registry) -> None:
    # construct: an administrator adds an account and issues its first link
    account_id = any_store.add_account(
        username="auditor1", display_name="审计员", role="auditor", actor=ADMIN
    )
    token = any_store.issue_password_reset(account_id, actor=ADMIN)
    holder = any_store.reset_link_account(token)
    assert holder is not None and holder.username == "auditor1"
    # evolve: the holder sets a password through it
    with pytest.raises(PasswordTooWeak):
        any_store.reset_password(token, new="auditor1")
    any_store.reset_password(token, new=PASSWORD)
    # query: it signs in; the link is spent
    assert any_store.authenticate("auditor1", PASSWORD) is not None
    assert any_store.reset_link_account(token) is None
    with pytest.raises(ResetLinkInvalid):
        any_store.reset_password(token, new="another good password")


def test_a_new_link_replaces_the_previous_one(any_store: Registry) -> None:
    account_id = any_store.add_account(
        username="auditor1", display_name="审计员", role="auditor", actor=ADMIN
    )
    first = any_store.issue_password_reset(account_id, actor=ADMIN)
    second = any_store.issue_password_reset(account_id, actor=ADMIN)
    assert any_store.reset_link_account(first) is None
    assert any_store.reset_link_account(second) is not None


def test_changing_a_password_needs_the_current_one(any_store: Registry) -> None:
    account_id = any_store.add_account(
        username="auditor1", display_name="审计员", role="auditor", actor=ADMIN
    )
    any_store.set_password(account_id, password=PASSWORD, actor=Actor("system:cli", Role.SYSTEM))
    holder = Actor("auditor1", Role.AUDITOR)
    with pytest.raises(PasswordIncorrect):
        any_store.change_password(account_id, current="not it at all", new="x" * 12, actor=holder)
    any_store.change_password(account_id, current=PASSWORD, new="a brand new secret", actor=holder)
    assert any_store.authenticate("auditor1", "a brand new secret") is not None
    assert any_store.get(Account, account_id).password_changes == 2


def test_a_deactivated_account_can_no_longer_reset_its_password(any_store: Registry) -> None:
    account_id = any_store.add_account(
        username="auditor1", display_name="审计员", role="auditor", actor=ADMIN
    )
    token = any_store.issue_password_reset(account_id, actor=ADMIN)
    any_store.deactivate_account(account_id, reason="调离", actor=ADMIN)
    with pytest.raises(AccountNotActive):
        any_store.reset_password(token, new=PASSWORD)
