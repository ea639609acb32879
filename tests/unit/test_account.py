"""Accounts: requests and approval, role bindings, leavers, password events."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.account import (
    Account,
    AccountAlreadyActive,
    AccountNotActive,
    AccountNotRequested,
    AccountStatus,
    BindingInvalid,
    account_id_for,
)
from domain.actors import Actor, Role
from domain.errors import InvalidUSCC, InvalidValue, NotPermitted
from domain.uscc import with_check_character
from tests.factories import ADMIN

USCC = with_check_character("91510100MA0000001")


def requested(username: str = "li.ming") -> Account:
    return Account.request(
        username=username,
        display_name="李明",
        uscc=USCC,
        organisation="四川测试有限公司",
        contact="028-12345678",
        actor=Actor(username, Role.ENTERPRISE_USER),
    )


def test_request_then_approval_binds_the_enterprise_and_activates() -> None:
    # construct: an enterprise asks for an account
    account = requested()
    assert account.id == account_id_for("li.ming")
    assert account.status is AccountStatus.REQUESTED
    with pytest.raises(AccountNotActive):
        account.as_actor()
    # evolve: an administrator approves it for the enterprise
    enterprise_id = uuid4()
    account.approve(party_id=enterprise_id, actor=ADMIN)
    # query: it acts for that enterprise
    assert account.as_actor() == Actor("li.ming", Role.ENTERPRISE_USER, enterprise_id)
    assert [type(e).__name__ for e in account.collect_events()] == ["Requested", "Approved"]


def test_request_names_the_wrong_check_character() -> None:
    wrong = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    with pytest.raises(InvalidUSCC) as refused:
        Account.request(
            username="li.ming",
            display_name="李明",
            uscc=wrong,
            organisation="四川测试有限公司",
            contact="028",
            actor=Actor("li.ming", Role.ENTERPRISE_USER),
        )
    assert refused.value.params == {
        "reason": "check_character",
        "found": wrong[17],
        "expected": USCC[17],
    }


def test_request_under_someone_elses_name_is_refused() -> None:
    with pytest.raises(NotPermitted):
        Account.request(
            username="li.ming",
            display_name="李明",
            uscc=USCC,
            organisation="四川测试有限公司",
            contact="028",
            actor=Actor("wang.fang", Role.ENTERPRISE_USER),
        )


@pytest.mark.parametrize("username", ["ab", "Li.Ming", "1abc", "li ming", "a" * 33, "li:ming"])
def test_usernames_are_short_lowercase_words(username: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Account.add(username=username, display_name="x", role="auditor", actor=ADMIN)
    assert refused.value.params["field"] == "username"


def test_only_administrators_answer_requests() -> None:
    account = requested()
    with pytest.raises(NotPermitted):
        account.approve(party_id=uuid4(), actor=Actor("li.ming", Role.ENTERPRISE_USER))
    with pytest.raises(NotPermitted):
        account.decline(reason="不明", actor=Actor("x", Role.AUDITOR))


def test_a_declined_request_cannot_be_approved() -> None:
    account = requested()
    account.decline(reason="企业未登记", actor=ADMIN)
    assert account.status is AccountStatus.DECLINED
    with pytest.raises(AccountNotRequested):
        account.approve(party_id=uuid4(), actor=ADMIN)


@pytest.mark.parametrize(
    ("role", "party", "prefecture", "needs"),
    [
        ("school_user", False, None, "party"),
        ("enterprise_user", False, "510100", "party"),
        ("prefecture_officer", True, None, "prefecture"),
        ("prefecture_officer", False, None, "prefecture"),
        ("auditor", True, None, "nothing"),
        ("province_admin", False, "510100", "nothing"),
    ],
)
def test_each_role_needs_its_own_binding(
    role: str, party: bool, prefecture: str | None, needs: str
) -> None:
    with pytest.raises(BindingInvalid) as refused:
        Account.add(
            username="zhao.lei",
            display_name="赵磊",
            role=role,
            party_id=uuid4() if party else None,
            prefecture=prefecture,
            actor=ADMIN,
        )
    assert refused.value.params == {"role": role, "needs": needs}


def test_an_officer_is_bound_to_a_prefecture_and_acts_for_no_party() -> None:
    account = Account.add(
        username="cd.officer",
        display_name="成都市人社局",
        role="prefecture_officer",
        prefecture="510100",
        actor=ADMIN,
    )
    assert account.prefecture == "510100"
    assert account.as_actor() == Actor("cd.officer", Role.PREFECTURE_OFFICER, None)


def test_the_system_role_is_never_granted() -> None:
    with pytest.raises(InvalidValue) as refused:
        Account.add(username="robot", display_name="x", role="system", actor=ADMIN)
    assert refused.value.params["problem"] == "not_grantable"


def test_granting_a_role_replaces_role_and_binding() -> None:
    account = Account.add(username="auditor1", display_name="审计", role="auditor", actor=ADMIN)
    school_id = uuid4()
    account.grant_role(role="school_user", party_id=school_id, actor=ADMIN)
    assert account.as_actor() == Actor("auditor1", Role.SCHOOL_USER, school_id)


def test_deactivation_stops_acting_and_reactivation_restores() -> None:
    account = Account.add(username="auditor1", display_name="审计", role="auditor", actor=ADMIN)
    account.deactivate(reason="调离", actor=ADMIN)
    with pytest.raises(AccountNotActive):
        account.as_actor()
    with pytest.raises(AccountNotActive):
        account.deactivate(reason="again", actor=ADMIN)
    account.reactivate(actor=ADMIN)
    assert account.is_active
    with pytest.raises(AccountAlreadyActive):
        account.reactivate(actor=ADMIN)


def test_administrators_cannot_deactivate_themselves() -> None:
    account = Account.add(
        username="admin2", display_name="管理员", role="province_admin", actor=ADMIN
    )
    with pytest.raises(NotPermitted):
        account.deactivate(reason="x", actor=account.as_actor())


def test_only_the_holder_changes_their_password() -> None:
    account = Account.add(username="auditor1", display_name="审计", role="auditor", actor=ADMIN)
    with pytest.raises(NotPermitted):
        account.change_password(via="own", actor=ADMIN)
    account.change_password(via="own", actor=account.as_actor())
    assert account.password_changes == 1


def test_reset_links_are_issued_by_administrators_for_a_bounded_time() -> None:
    account = Account.add(username="auditor1", display_name="审计", role="auditor", actor=ADMIN)
    with pytest.raises(NotPermitted):
        account.issue_password_reset(valid_hours=24, actor=account.as_actor())
    with pytest.raises(InvalidValue):
        account.issue_password_reset(valid_hours=24 * 15, actor=ADMIN)
    account.issue_password_reset(valid_hours=24, actor=ADMIN)
    assert type(account.collect_events()[-1]).__name__ == "PasswordResetIssued"


def test_every_event_that_must_end_sessions_moves_the_generation() -> None:
    account = Account.add(username="auditor1", display_name="审计", role="auditor", actor=ADMIN)
    seen = [account.session_epoch]
    account.change_password(via="own", actor=account.as_actor())
    seen.append(account.session_epoch)
    account.grant_role(role="school_user", party_id=uuid4(), actor=ADMIN)
    seen.append(account.session_epoch)
    account.grant_role(role="school_user", party_id=uuid4(), actor=ADMIN)
    seen.append(account.session_epoch)
    account.end_sessions(actor=account.as_actor())
    seen.append(account.session_epoch)
    account.deactivate(reason="调离", actor=ADMIN)
    seen.append(account.session_epoch)
    account.reactivate(actor=ADMIN)
    seen.append(account.session_epoch)
    assert seen == [0, 1, 2, 3, 4, 5, 5]


def test_only_the_holder_or_an_administrator_signs_an_account_out_everywhere() -> None:
    account = Account.add(username="auditor1", display_name="审计", role="auditor", actor=ADMIN)
    with pytest.raises(NotPermitted):
        account.end_sessions(actor=Actor("someone.else", Role.AUDITOR))
    account.end_sessions(actor=ADMIN)
    assert type(account.collect_events()[-1]).__name__ == "SessionsEnded"
