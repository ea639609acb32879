"""Signing in and out, asking for an account, and setting passwords."""

from __future__ import annotations

import math
import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from domain.account import Account, AccountStatus
from domain.enterprise import REGISTRATION_FACTS
from domain.errors import DomainError
from domain.uscc import party_id_for
from registry.errors import AlreadyRegistered
from web.addresses import safe_next
from web.auth import SignedIn, registry, requires, user
from web.forms import Form, submitted
from web.schemas.accounts import (
    AccountRequestSchema,
    LoginSchema,
    PasswordChangeSchema,
    PasswordResetSchema,
    registration,
)
from web.security import client_address, sign_in_throttle

bp = Blueprint("auth", __name__)

REQUEST_FIELDS = (
    "organisation",
    "uscc",
    "display_name",
    "contact",
    "username",
    "password",
    *REGISTRATION_FACTS,
)
UNREGISTERED = _l(
    "No enterprise with this code is registered yet: give its registration facts, and the "
    "administrator registers it together with your account."
)


def _end_this_session() -> None:
    """Sign out here: this session's id is refused everywhere until its cookie expires."""
    if current_user.is_authenticated:
        lifetime = current_app.permanent_session_lifetime.total_seconds()
        registry().end_session(user().session_id, until=time.time() + lifetime)
        logout_user()
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def _sign_in(signed_in: SignedIn) -> None:
    _end_this_session()
    login_user(signed_in)


def _cannot_sign_in(account: Account) -> str | None:
    """Why the right password does not sign this account in, if it does not."""
    if account.status is AccountStatus.REQUESTED:
        return str(
            gettext(
                "Your account request is waiting for a province administrator to approve it. "
                "You can sign in once it is approved."
            )
        )
    if account.status is AccountStatus.SENT_BACK:
        return str(
            gettext(
                "Your account request was sent back: %(reason)s Correct it on the request "
                "form, sending it again with the same username and password.",
                reason=account.sent_back_because or "",
            )
        )
    if account.status is AccountStatus.DECLINED:
        return str(
            gettext("Your account request was declined. Ask the province administrator why.")
        )
    if not account.is_active:
        return str(gettext("This account has been deactivated."))
    return None


def _throttled(wait: float, next_page: str | None, username: str) -> ResponseReturnValue:
    """429 with the login form, the username kept, and a sentence; the password was not
    looked at."""
    form = Form(values={"username": username})
    minutes = max(1, math.ceil(wait / 60))
    form.add(
        None,
        ngettext(
            "Too many failed sign-ins from your address. Wait %(num)s minute, then try again.",
            "Too many failed sign-ins from your address. Wait %(num)s minutes, then try again.",
            minutes,
        ),
    )
    page = render_template("auth/login.html", form=form, next=next_page)
    return page, 429, {"Retry-After": str(math.ceil(wait))}


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("auth/login.html", form=Form(), next=request.args.get("next"))
    next_page = safe_next(request.form.get("next"))
    address, tried = client_address(), request.form.get("username") or ""
    wait = sign_in_throttle().wait(address, tried)
    if wait > 0:
        return _throttled(wait, next_page, tried)
    form, data = submitted(LoginSchema())
    if data is None:
        return render_template("auth/login.html", form=form, next=next_page), 422
    account = registry().authenticate(data["username"], data["password"])
    if account is None:
        sign_in_throttle().failed(address, tried)
        form.add(None, gettext("The username or the password is wrong. Check both and try again."))
    else:
        sign_in_throttle().succeeded(address, tried)
        if refusal := _cannot_sign_in(account):
            form.add(None, refusal)
    if not form.ok or account is None:
        return render_template("auth/login.html", form=form, next=next_page), 422
    _sign_in(SignedIn.begin(account))
    return redirect(next_page or url_for("main.home"))


@bp.post("/logout")
def logout() -> Response:
    _end_this_session()
    flash(gettext("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout/everywhere")
@requires()
def logout_everywhere() -> Response:
    """End every session of the account, on every computer and every node."""
    registry().end_sessions(user().account_id, actor=user().actor)
    _end_this_session()
    flash(gettext("You have signed out everywhere. Sign in again to go on here."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/accounts/request", methods=["GET", "POST"])
def request_account() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("auth/request.html", form=Form())
    form, data = submitted(AccountRequestSchema())
    facts = registration(data) if data is not None else None
    if data is not None and not registry().exists(party_id_for(data["uscc"])):
        if facts is None:
            for name in REGISTRATION_FACTS:
                form.add(name, str(UNREGISTERED))
            data = None
    elif facts is not None:
        facts = None  # registered already: the account is bound to the registered enterprise
    if data is not None:
        try:
            registry().request_account(
                username=data["username"],
                display_name=data["display_name"],
                uscc=data["uscc"],
                organisation=data["organisation"],
                contact=data["contact"],
                password=data["password"],
                registration=facts,
            )
        except AlreadyRegistered:
            form.add("username", gettext("This username is taken; choose another."))
        except DomainError as refused:
            form.refuse(refused, REQUEST_FIELDS)
    if not form.ok:
        return render_template("auth/request.html", form=form), 422
    assert data is not None
    return render_template("auth/requested.html", username=data["username"])


@bp.route("/password", methods=["GET", "POST"])
@requires()
def change_password() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("auth/password.html", form=Form())
    form, data = submitted(PasswordChangeSchema(user().username))
    if data is not None:
        try:
            registry().change_password(
                user().account_id, current=data["current"], new=data["new"], actor=user().actor
            )
        except DomainError as refused:
            form.refuse(refused, ("current", "new"))
    if not form.ok:
        return render_template("auth/password.html", form=form), 422
    _sign_in(SignedIn.begin(registry().get(Account, user().account_id)))
    flash(gettext("Your password has been changed. Other sessions have been signed out."), "ok")
    return redirect(url_for("main.home"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    account = registry().reset_link_account(token)
    if account is None or not account.is_active:
        return render_template("auth/reset_invalid.html"), 404
    if request.method == "GET":
        return render_template("auth/reset.html", form=Form(), account=account)
    form, data = submitted(PasswordResetSchema(account.username))
    if data is not None:
        try:
            registry().reset_password(token, new=data["new"])
        except DomainError as refused:
            form.refuse(refused, ("new",))
    if not form.ok:
        return render_template("auth/reset.html", form=form, account=account), 422
    flash(gettext("Your password is set. Sign in with it now."), "ok")
    return redirect(url_for("auth.login"))
