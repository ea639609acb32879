"""User accounts and their roles (docs/domain.md#roles).

Accounts, role grants, deactivations and password changes are events, so they are audited
like everything else. Passwords and one-time reset tokens never enter the log: only their
hashes, kept in a credential store beside it, and only the fact of a change is an event.

An enterprise asks for an account (``request``); a province administrator approves it and
binds it to the enterprise, or declines it. Administrators add accounts for the other roles
directly (``add``), change an account's role and binding, deactivate leavers and reactivate.

``session_epoch`` counts the events after which no earlier session may go on: a password
change, a role or binding granted, a deactivation, and signing out everywhere. A session
records the epoch it began in, so every node refuses it once the log has moved on.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Actor, Role
from domain.enterprise import registration_facts
from domain.errors import DomainError, InvalidValue, NotPermitted
from domain.prefectures import validate_prefecture
from domain.record import Record
from domain.rules import require_administrator, require_reason, require_text
from domain.uscc import validate_uscc

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:account")
USERNAME = re.compile(r"[a-z][a-z0-9._-]{2,31}")


class AccountStatus(StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    SENT_BACK = "sent_back"
    DECLINED = "declined"
    DEACTIVATED = "deactivated"


# What each role is bound to: a party (school, enterprise or group), a prefecture, or nothing.
PARTY_ROLES = frozenset({Role.ENTERPRISE_USER, Role.SCHOOL_USER, Role.GROUP_SECRETARIAT})
PREFECTURE_ROLES = frozenset({Role.PREFECTURE_OFFICER})
GRANTABLE_ROLES = frozenset(set(Role) - {Role.SYSTEM})


class BindingInvalid(DomainError):
    """The role needs a different binding: a party, a prefecture, or none."""

    code = "account_binding_invalid"


class AccountNotActive(DomainError):
    """The account is not active, so the step does not apply."""

    code = "account_not_active"


class AccountNotRequested(DomainError):
    """The account is not a request awaiting an answer."""

    code = "account_not_requested"


class AccountAlreadyActive(DomainError):
    """The account is active already."""

    code = "account_already_active"


def validate_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise InvalidValue(field="username", problem="format", value=username)
    return username


def validate_role(role: str) -> Role:
    try:
        checked = Role(role)
    except ValueError:
        raise InvalidValue(field="role", problem="unknown", value=role) from None
    if checked not in GRANTABLE_ROLES:
        raise InvalidValue(field="role", problem="not_grantable", value=role)
    return checked


def check_binding(role: Role, party_id: UUID | None, prefecture: str | None) -> None:
    """A role bound to a party needs exactly a party; an officer exactly a prefecture."""
    needs = "party" if role in PARTY_ROLES else "prefecture" if role in PREFECTURE_ROLES else None
    if (party_id is not None) != (needs == "party") or (prefecture is not None) != (
        needs == "prefecture"
    ):
        raise BindingInvalid(role=role.value, needs=needs or "nothing")
    if prefecture is not None:
        validate_prefecture(prefecture)


class Account(Record):
    """One person's account: a username, a role and what the role is bound to."""

    @staticmethod
    def create_id(username: str) -> UUID:
        return account_id_for(username)

    @classmethod
    def request(
        cls,
        *,
        username: str,
        display_name: str,
        uscc: str,
        organisation: str,
        contact: str,
        actor: Actor,
        registration: dict[str, Any] | None = None,
    ) -> Account:
        """An enterprise asks for an account; the applicant acts under the username asked for.

        ``registration``: the enterprise's own registration facts, for an enterprise the
        registry does not hold yet; an administrator registers it from them on approval.
        """
        if actor.user_id != username and not actor.is_administrator:
            raise NotPermitted(action="request_account", role=str(actor.role))
        account: Account = cls(
            username=validate_username(username),
            display_name=require_text(display_name, "display_name", 100),
            role=Role.ENTERPRISE_USER.value,
            enterprise_uscc=validate_uscc(uscc),
            organisation=require_text(organisation, "organisation"),
            contact=require_text(contact, "contact", 100),
            registration=registration_facts(registration) if registration else None,
            actor=actor,
        )
        return account

    @classmethod
    def add(
        cls,
        *,
        username: str,
        display_name: str,
        role: str,
        actor: Actor,
        party_id: UUID | None = None,
        prefecture: str | None = None,
    ) -> Account:
        """An administrator opens an account directly: a request approved at once."""
        require_administrator(actor, "add_account")
        checked_role = validate_role(role)
        check_binding(checked_role, party_id, prefecture)
        account: Account = cls(
            username=validate_username(username),
            display_name=require_text(display_name, "display_name", 100),
            role=checked_role.value,
            enterprise_uscc=None,
            organisation="",
            contact="",
            registration=None,
            actor=actor,
        )
        account._approve(
            role=checked_role.value, party_id=party_id, prefecture=prefecture, actor=actor
        )
        return account

    @event("Requested")
    def __init__(
        self,
        *,
        username: str,
        display_name: str,
        role: str,
        enterprise_uscc: str | None,
        organisation: str,
        contact: str,
        actor: Actor,
        registration: dict[str, Any] | None = None,
    ) -> None:
        self.username = username
        self.display_name = display_name
        self.role = Role(role)
        self.enterprise_uscc = enterprise_uscc
        self.organisation = organisation
        self.contact = contact
        self.registration = registration
        self.sent_back_because: str | None = None
        self.party_id: UUID | None = None
        self.prefecture: str | None = None
        self.status = AccountStatus.REQUESTED
        self.password_changes = 0
        # sessions carry the epoch they began in; the events that end them all move it
        self.session_epoch = 0

    @property
    def is_active(self) -> bool:
        return self.status is AccountStatus.ACTIVE

    def as_actor(self) -> Actor:
        """The actor this account's commands record."""
        if not self.is_active:
            raise AccountNotActive(username=self.username, status=self.status.value)
        return Actor(self.username, self.role, self.party_id)

    def _require_status(self, status: AccountStatus, error: type[DomainError]) -> None:
        if self.status is not status:
            raise error(username=self.username, status=self.status.value)

    # --- answering a request ------------------------------------------------------------------

    def approve(self, *, party_id: UUID, actor: Actor) -> None:
        """Bind the requested account to its enterprise and let it sign in."""
        require_administrator(actor, "approve_account")
        self._require_status(AccountStatus.REQUESTED, AccountNotRequested)
        check_binding(self.role, party_id, None)
        self._approve(role=self.role.value, party_id=party_id, prefecture=None, actor=actor)

    @event("Approved")
    def _approve(
        self, *, role: str, party_id: UUID | None, prefecture: str | None, actor: Actor
    ) -> None:
        self.role = Role(role)
        self.party_id = party_id
        self.prefecture = prefecture
        self.status = AccountStatus.ACTIVE

    def decline(self, *, reason: str, actor: Actor) -> None:
        require_administrator(actor, "decline_account")
        self._require_status(AccountStatus.REQUESTED, AccountNotRequested)
        self._decline(reason=require_reason(reason), actor=actor)

    @event("Declined")
    def _decline(self, *, reason: str, actor: Actor) -> None:
        self.status = AccountStatus.DECLINED

    def send_back(self, *, reason: str, actor: Actor) -> None:
        """Return the request to the applicant, saying what to correct."""
        require_administrator(actor, "send_back_account_request")
        self._require_status(AccountStatus.REQUESTED, AccountNotRequested)
        self._send_back(reason=require_reason(reason), actor=actor)

    @event("SentBack")
    def _send_back(self, *, reason: str, actor: Actor) -> None:
        self.status = AccountStatus.SENT_BACK
        self.sent_back_because = reason

    def amend_request(
        self,
        *,
        display_name: str,
        uscc: str,
        organisation: str,
        contact: str,
        registration: dict[str, Any] | None,
        actor: Actor,
    ) -> None:
        """The applicant corrects a request sent back, which waits for an answer again."""
        if actor.user_id != self.username:
            raise NotPermitted(action="amend_account_request", role=str(actor.role))
        self._require_status(AccountStatus.SENT_BACK, AccountNotRequested)
        self._amend_request(
            display_name=require_text(display_name, "display_name", 100),
            enterprise_uscc=validate_uscc(uscc),
            organisation=require_text(organisation, "organisation"),
            contact=require_text(contact, "contact", 100),
            registration=registration_facts(registration) if registration else None,
            actor=actor,
        )

    @event("RequestAmended")
    def _amend_request(
        self,
        *,
        display_name: str,
        enterprise_uscc: str,
        organisation: str,
        contact: str,
        registration: dict[str, Any] | None,
        actor: Actor,
    ) -> None:
        self.display_name = display_name
        self.enterprise_uscc = enterprise_uscc
        self.organisation = organisation
        self.contact = contact
        self.registration = registration
        self.status = AccountStatus.REQUESTED

    # --- roles and leavers --------------------------------------------------------------------

    def grant_role(
        self,
        *,
        role: str,
        actor: Actor,
        party_id: UUID | None = None,
        prefecture: str | None = None,
    ) -> None:
        """Give the account another role or binding; it holds one role at a time."""
        require_administrator(actor, "grant_role")
        self._require_status(AccountStatus.ACTIVE, AccountNotActive)
        checked = validate_role(role)
        check_binding(checked, party_id, prefecture)
        self._grant_role(role=checked.value, party_id=party_id, prefecture=prefecture, actor=actor)

    @event("RoleGranted")
    def _grant_role(
        self, *, role: str, party_id: UUID | None, prefecture: str | None, actor: Actor
    ) -> None:
        self.role = Role(role)
        self.party_id = party_id
        self.prefecture = prefecture
        self.session_epoch += 1

    def deactivate(self, *, reason: str, actor: Actor) -> None:
        """A leaver: the account can no longer sign in; its history stays."""
        require_administrator(actor, "deactivate_account")
        if actor.user_id == self.username:
            raise NotPermitted(action="deactivate_own_account", role=str(actor.role))
        self._require_status(AccountStatus.ACTIVE, AccountNotActive)
        self._deactivate(reason=require_reason(reason), actor=actor)

    @event("Deactivated")
    def _deactivate(self, *, reason: str, actor: Actor) -> None:
        self.status = AccountStatus.DEACTIVATED
        self.session_epoch += 1

    def reactivate(self, *, actor: Actor) -> None:
        require_administrator(actor, "reactivate_account")
        if self.status is AccountStatus.ACTIVE:
            raise AccountAlreadyActive(username=self.username)
        self._require_status(AccountStatus.DEACTIVATED, AccountNotActive)
        self._reactivate(actor=actor)

    @event("Reactivated")
    def _reactivate(self, *, actor: Actor) -> None:
        self.status = AccountStatus.ACTIVE

    # --- passwords (the hashes live outside the log) --------------------------------------------

    def issue_password_reset(self, *, valid_hours: int, actor: Actor) -> None:
        """An administrator issues a one-time link to set a new password."""
        require_administrator(actor, "issue_password_reset")
        self._require_status(AccountStatus.ACTIVE, AccountNotActive)
        if not 1 <= valid_hours <= 24 * 14:
            raise InvalidValue(field="valid_hours", problem="out_of_range", value=valid_hours)
        self._issue_password_reset(valid_hours=valid_hours, actor=actor)

    @event("PasswordResetIssued")
    def _issue_password_reset(self, *, valid_hours: int, actor: Actor) -> None:
        pass

    def change_password(self, *, via: str, actor: Actor) -> None:
        """The holder sets a new password (``via`` says how), ending their other sessions."""
        if actor.user_id != self.username and actor.role is not Role.SYSTEM:
            raise NotPermitted(action="change_password", role=str(actor.role))
        if via not in ("own", "reset_link", "command_line"):
            raise InvalidValue(field="via", problem="unknown", value=via)
        self._require_status(AccountStatus.ACTIVE, AccountNotActive)
        self._change_password(via=via, actor=actor)

    @event("PasswordChanged")
    def _change_password(self, *, via: str, actor: Actor) -> None:
        self.password_changes += 1
        self.session_epoch += 1

    # --- sessions ---------------------------------------------------------------------------------

    def end_sessions(self, *, actor: Actor) -> None:
        """Sign out everywhere: the holder (or an administrator) ends every open session."""
        if actor.user_id != self.username and not actor.is_administrator:
            raise NotPermitted(action="end_sessions", role=str(actor.role))
        self._require_status(AccountStatus.ACTIVE, AccountNotActive)
        self._end_sessions(actor=actor)

    @event("SessionsEnded")
    def _end_sessions(self, *, actor: Actor) -> None:
        self.session_epoch += 1


def account_id_for(username: str) -> UUID:
    """The natural-key id of an account: one account per username."""
    return uuid5(_NAMESPACE, username)
