"""Accounts: requests and approvals, roles, leavers, passwords and one-time reset links.

Events go to the log like every other command's; password hashes and reset-token digests go
to the credential store (registry/stores/credentials.py). Where a command touches both, the event
is saved first: it is the fact, and a hash without its account is never reachable.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any
from uuid import UUID

from domain.account import PARTY_ROLES, Account, AccountStatus, account_id_for, validate_role
from domain.actors import Actor, Role
from domain.enterprise import Enterprise
from domain.errors import InvalidValue
from domain.school import School
from domain.training_group import TrainingGroup
from registry.application import RegistryApplication
from registry.errors import AlreadyRegistered, NotFound
from registry.stores.credentials import (
    PasswordIncorrect,
    Passwords,
    ResetLinkInvalid,
    check_password,
)
from registry.submissions import once

RESET_LINK_HOURS = 72


class AccountCommands(RegistryApplication):
    @cached_property
    def passwords(self) -> Passwords:
        return Passwords(self.side_stores.credential_store())

    def close(self) -> None:
        if "passwords" in self.__dict__:
            self.passwords.store.close()
        super().close()

    def _require_party(self, role: str, party_id: UUID | None) -> None:
        """The party an account is bound to must exist and be of the role's kind."""
        checked = validate_role(role)
        if party_id is None or checked not in PARTY_ROLES:
            return
        if checked is Role.ENTERPRISE_USER:
            self.require_exists(Enterprise, party_id)
        elif checked is Role.SCHOOL_USER:
            self.require_exists(School, party_id)
        else:
            self.require_exists(TrainingGroup, party_id)

    def request_account(
        self,
        *,
        username: str,
        display_name: str,
        uscc: str,
        organisation: str,
        contact: str,
        password: str,
        registration: dict[str, Any] | None = None,
    ) -> UUID:
        """An enterprise asks for an account, choosing its password; it waits for approval.

        A request sent back is corrected by sending the form again under its username with
        its password: the request is amended and waits again. Any other taken username is
        ``AlreadyRegistered``.
        """
        applicant = Actor(username, Role.ENTERPRISE_USER)
        account_id = account_id_for(username)
        if self.exists(account_id):
            account = self.get(Account, account_id)
            if account.status is not AccountStatus.SENT_BACK or not self.passwords.verify(
                account_id, password
            ):
                raise AlreadyRegistered(kind="Account", id=str(account_id), key=username)
            account.amend_request(
                display_name=display_name,
                uscc=uscc,
                organisation=organisation,
                contact=contact,
                registration=registration,
                actor=applicant,
            )
            self.save_changes(account)
            return account.id
        check_password(password, username)
        account = Account.request(
            username=username,
            display_name=display_name,
            uscc=uscc,
            organisation=organisation,
            contact=contact,
            registration=registration,
            actor=applicant,
        )
        self.save_changes(account)
        self.passwords.set(account.id, password)
        return account.id

    @once()
    def approve_registration(self, account_id: UUID, *, actor: Actor) -> UUID:
        """Register the enterprise from the request's own facts and approve the account bound
        to it, in one save: both are recorded or neither."""
        account = self.get(Account, account_id)
        if account.registration is None or account.enterprise_uscc is None:
            raise InvalidValue(field="registration", problem="required")
        enterprise = Enterprise.register(
            uscc=account.enterprise_uscc,
            name=account.organisation,
            actor=actor,
            **account.registration,
        )
        account.approve(party_id=enterprise.id, actor=actor)
        self.save_changes(enterprise, account)
        return account.id

    @once()
    def send_back_account_request(self, account_id: UUID, *, reason: str, actor: Actor) -> UUID:
        account = self.get(Account, account_id)
        account.send_back(reason=reason, actor=actor)
        self.save_changes(account)
        return account.id

    @once(lambda _app, kw: Account.create_id(kw["username"]))
    def add_account(
        self,
        *,
        username: str,
        display_name: str,
        role: str,
        actor: Actor,
        party_id: UUID | None = None,
        prefecture: str | None = None,
    ) -> UUID:
        """Open an active account; its holder sets a password through a reset link."""
        self._require_party(role, party_id)
        account = Account.add(
            username=username,
            display_name=display_name,
            role=role,
            party_id=party_id,
            prefecture=prefecture,
            actor=actor,
        )
        self.save_changes(account)
        return account.id

    @once()
    def approve_account(self, account_id: UUID, *, party_id: UUID, actor: Actor) -> UUID:
        account = self.get(Account, account_id)
        self._require_party(account.role.value, party_id)
        account.approve(party_id=party_id, actor=actor)
        self.save_changes(account)
        return account.id

    @once()
    def decline_account(self, account_id: UUID, *, reason: str, actor: Actor) -> UUID:
        account = self.get(Account, account_id)
        account.decline(reason=reason, actor=actor)
        self.save_changes(account)
        return account.id

    @once()
    def grant_role(
        self,
        account_id: UUID,
        *,
        role: str,
        actor: Actor,
        party_id: UUID | None = None,
        prefecture: str | None = None,
    ) -> UUID:
        account = self.get(Account, account_id)
        self._require_party(role, party_id)
        account.grant_role(role=role, party_id=party_id, prefecture=prefecture, actor=actor)
        self.save_changes(account)
        return account.id

    @once()
    def deactivate_account(self, account_id: UUID, *, reason: str, actor: Actor) -> UUID:
        account = self.get(Account, account_id)
        account.deactivate(reason=reason, actor=actor)
        self.save_changes(account)
        return account.id

    @once()
    def reactivate_account(self, account_id: UUID, *, actor: Actor) -> UUID:
        account = self.get(Account, account_id)
        account.reactivate(actor=actor)
        self.save_changes(account)
        return account.id

    @once()
    def issue_password_reset(
        self, account_id: UUID, *, actor: Actor, valid_hours: int = RESET_LINK_HOURS
    ) -> str:
        """Record the issue and return the one-time token (shown once, stored only hashed)."""
        account = self.get(Account, account_id)
        account.issue_password_reset(valid_hours=valid_hours, actor=actor)
        self.save_changes(account)
        return self.passwords.issue_reset_token(account.id, valid_hours)

    @once()
    def change_password(self, account_id: UUID, *, current: str, new: str, actor: Actor) -> UUID:
        account = self.get(Account, account_id)
        if not self.passwords.verify(account.id, current):
            raise PasswordIncorrect()
        check_password(new, account.username)
        account.change_password(via="own", actor=actor)
        self.save_changes(account)
        self.passwords.set(account.id, new)
        return account.id

    def reset_password(self, token: str, *, new: str) -> UUID:
        """Set a password with a one-time link; the link is spent even if two tabs race."""
        account_id = self.passwords.reset_token_account(token)
        if account_id is None:
            raise ResetLinkInvalid()
        account = self.get(Account, account_id)
        check_password(new, account.username)
        holder = account.as_actor()
        if self.passwords.use_reset_token(token) != account.id:
            raise ResetLinkInvalid()
        account.change_password(via="reset_link", actor=holder)
        self.save_changes(account)
        self.passwords.set(account.id, new)
        return account.id

    @once()
    def set_password(self, account_id: UUID, *, password: str, actor: Actor) -> UUID:
        """The command line sets a password directly (the first administrator's, say)."""
        account = self.get(Account, account_id)
        check_password(password, account.username)
        account.change_password(via="command_line", actor=actor)
        self.save_changes(account)
        self.passwords.set(account.id, password)
        return account.id

    @once()
    def end_sessions(self, account_id: UUID, *, actor: Actor) -> UUID:
        """Sign out everywhere: a ``SessionsEnded`` event every node reads at the next request."""
        account = self.get(Account, account_id)
        account.end_sessions(actor=actor)
        self.save_changes(account)
        return account.id

    def end_session(self, session_id: str, *, until: float) -> None:
        """Sign out one session: its id is refused on every node until ``until`` (a time)."""
        self.passwords.end_session(session_id, until)

    def session_ended(self, session_id: str) -> bool:
        return self.passwords.session_ended(session_id)

    def reset_link_account(self, token: str) -> Account | None:
        """The account a still-valid reset link belongs to, without spending the link."""
        account_id = self.passwords.reset_token_account(token)
        return self.get(Account, account_id) if account_id else None

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account if the password is right (whatever its status), else None."""
        account_id = account_id_for(username.strip().lower())
        if not self.passwords.verify(account_id, password):
            return None
        try:
            return self.get(Account, account_id)
        except NotFound:
            return None
