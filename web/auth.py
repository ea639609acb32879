"""Who is signed in, what they may open, and the actor their commands record.

The session holds an account id, the account's session epoch when it began, and a
random session id. Each request reloads the account from the log (one small aggregate, read
again only when its newest version moved) and asks the credential store whether this session
was signed out. So a sign-out ends its own session, and a password change, a role or binding
granted, a deactivation or "sign out everywhere" ends all the account's sessions, at once, on
every worker and every node (docs/web.md, "Sessions and sign-in attempts").
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from flask import abort, current_app, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user

from domain.account import Account
from domain.actors import Actor, Role
from registry.caches import LRU
from registry.errors import NotFound
from registry.facade import Registry
from web.submissions import keyed

F = TypeVar("F", bound=Callable[..., Any])


class SignedIn(UserMixin):  # type: ignore[misc]
    """The signed-in account as pages see it."""

    def __init__(self, account: Account, session_id: str) -> None:
        self.session_id = session_id
        self.account_id: UUID = account.id
        self.username: str = account.username
        self.display_name: str = account.display_name
        self.role: Role = account.role
        self.party_id: UUID | None = account.party_id
        self.prefecture: str | None = account.prefecture
        self.epoch: int = account.session_epoch
        self.actor: Actor = account.as_actor()

    @classmethod
    def begin(cls, account: Account) -> SignedIn:
        """A new session of the account, with an id no other session has."""
        return cls(account, secrets.token_urlsafe(24))

    def get_id(self) -> str:
        return f"{self.account_id}:{self.epoch}:{self.session_id}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


def registry() -> Registry:
    found: Registry = current_app.extensions["registry"]
    return found


# accounts as last loaded, by store and id, with the version they were loaded at
ACCOUNTS_KEPT = 1024
_ACCOUNTS: LRU[tuple[str, UUID], tuple[int, Account]] = LRU(ACCOUNTS_KEPT)


def current_account(account_id: UUID) -> Account | None:
    """The account as the log has it now: replayed only when its last version has moved
    since this process last loaded it (one indexed read of its newest event otherwise)."""
    app = registry()
    newest = app.recorder.select_events(account_id, desc=True, limit=1)
    if not newest:
        return None
    key = (f"{app.settings.data_dir}|{app.settings.event_store}", account_id)
    held = _ACCOUNTS.get(key)
    if held is None or held[0] != newest[0].originator_version:
        try:
            account = app.get(Account, account_id)
        except NotFound:
            return None
        held = (account.version, account)
        _ACCOUNTS.put(key, held)
    return held[1]


def load_user(user_id: str) -> SignedIn | None:
    """The session's user, unless the session or every session of its account has ended."""
    found = _still_signed_in(user_id)
    if found is None:
        # the answer's cookie names no account: a copy kept fresh by later responses would
        # otherwise outlive the time its sign-out is remembered
        for key in ("_user_id", "_fresh", "_id"):
            session.pop(key, None)
    return found


def _still_signed_in(user_id: str) -> SignedIn | None:
    parts = user_id.split(":")
    if len(parts) != 3:
        return None  # a cookie from before sessions had ids, or not one of ours
    account_id, epoch, session_id = parts
    try:
        account = current_account(UUID(account_id))
    except ValueError:
        return None
    if account is None or not account.is_active:
        return None
    if str(account.session_epoch) != epoch or registry().session_ended(session_id):
        return None
    return SignedIn(account, session_id)


def init_login(app: Any) -> LoginManager:
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to open that page.")
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(load_user)
    return manager


def user() -> SignedIn:
    """The signed-in user of a view that requires one."""
    found: SignedIn = current_user._get_current_object()
    return found


def actor() -> Actor:
    return keyed(user().actor)


def requires(*roles: Role) -> Callable[[F], F]:
    """Sign-in required; and, if roles are named, one of them (else 403)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if roles and not user().has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.roles = roles  # type: ignore[attr-defined]  # read by the menus' test
        return wrapper  # type: ignore[return-value]

    return decorate
