"""Province administrators: account requests, accounts, roles, leavers and reset links.

There is no mail server: a one-time password link is shown to the administrator once, to be
passed on to its holder. Only its hash is kept, so it cannot be shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from domain.account import GRANTABLE_ROLES, account_id_for
from domain.actors import Role
from domain.errors import DomainError
from domain.uscc import party_id_for
from projections import accounts, audit, enterprises, schools
from projections.engine import Page
from registry.errors import AlreadyRegistered, NotFound
from web.access import ADMIN
from web.actions import Action, perform
from web.auth import actor, registry, requires, user
from web.forms import Form, submitted
from web.labels import ACCOUNT_STATUSES, ROLES
from web.lists import choice, nothing_refused
from web.paging import PAGE_SIZE, offset, page_number
from web.reads import read
from web.schemas.accounts import (
    AddAccountSchema,
    ApprovalSchema,
    EmptySchema,
    ReasonSchema,
    RoleGrantSchema,
)

bp = Blueprint("accounts", __name__, url_prefix="/admin/accounts")

BINDING_FIELDS = ("username", "display_name", "role", "party", "prefecture")


@bp.get("/")
@requires(*ADMIN)
def index() -> ResponseReturnValue:
    status = choice(request.args.get("status"), ACCOUNT_STATUSES, "status")
    role = choice(request.args.get("role"), [r for r in ROLES if r != Role.SYSTEM], "role")
    search = (request.args.get("q") or "").strip()[:50] or None
    number = page_number(request.args.get("page"))
    with read() as db:
        found = accounts.list_accounts(
            db, status=status, role=role, search=search, limit=PAGE_SIZE, offset=offset(number)
        )
        requested = accounts.list_accounts(db, status="requested", limit=1).total
        names = _party_names(db, found.items)
    if not nothing_refused():
        found = Page([], 0, PAGE_SIZE, offset(number))
    args = {k: v for k, v in (("status", status), ("role", role), ("q", search)) if v}
    return render_template(
        "accounts/index.html",
        page=found,
        requested=requested,
        names=names,
        filters={"status": status or "", "role": role or "", "q": search or ""},
        args=args,
    )


def _party_names(db: Any, rows: list[dict[str, Any]]) -> dict[str, str]:
    names: dict[str, str] = {}
    for row in rows:
        party = row.get("party_id")
        if not party or party in names:
            continue
        found = enterprises.enterprise(db, party) or schools.school(db, party)
        names[party] = found["name"] if found else party
    return names


def _account(account_id: UUID) -> dict[str, Any]:
    with read() as db:
        found = accounts.account(db, str(account_id))
    if found is None:
        abort(404)
    return found


def render_account(
    account_id: UUID, forms: dict[str, Form] | None = None, status: int = 200, **extra: Any
) -> ResponseReturnValue:
    with read() as db:
        found = accounts.account(db, str(account_id))
        if found is None:
            abort(404)
        history = audit.audit_trail(db, aggregate_id=str(account_id), limit=200).items
        granted = [
            {"party_id": after}
            for row in history
            for name, _before, after in row["changes"]
            if name == "party_id" and after
        ]
        names = _party_names(db, [found, *granted])
        uscc = found.get("enterprise_uscc")
        requested_enterprise = enterprises.enterprise(db, str(party_id_for(uscc))) if uscc else None
        same_enterprise = (
            accounts.for_the_same_enterprise(db, found["id"], uscc, str(party_id_for(uscc)))
            if uscc and found["status"] == "requested"
            else []
        )
    return (
        render_template(
            "accounts/show.html",
            account=found,
            history=history,
            names=names,
            requested_enterprise=requested_enterprise,
            same_enterprise=same_enterprise,
            version=registry().version_of(account_id),
            forms=forms or {},
            empty_form=Form(),
            # the role selector starts at the role the account has: sent as it is, it changes
            # nothing
            role_form=Form(values={"role": found["role"], "prefecture": found.get("prefecture")}),
            roles=sorted(r.value for r in GRANTABLE_ROLES),
            **extra,
        ),
        status,
    )


@bp.get("/<uuid:account_id>")
@requires(*ADMIN)
def show(account_id: UUID) -> ResponseReturnValue:
    return render_account(account_id)


Command = Callable[[dict[str, Any]], object]


def _act(
    account_id: UUID,
    name: str,
    schema: Schema | None,
    command: Command,
    done: str,
    fields: tuple[str, ...] = (),
) -> ResponseReturnValue:
    """Check the form, run one account command; refusals come back beside their form."""
    _account(account_id)
    form, data = submitted(schema) if schema is not None else (Form(), {})
    if data is not None:
        try:
            command(data)
        except DomainError as refused:
            form.refuse(refused, fields)
    if not form.ok:
        return render_account(account_id, {name: form}, status=422)
    flash(done, "ok")
    return redirect(url_for("accounts.show", account_id=account_id))


@bp.post("/<uuid:account_id>/approve")
@requires(*ADMIN)
def approve(account_id: UUID) -> ResponseReturnValue:
    return _act(
        account_id,
        "approve",
        ApprovalSchema(),
        lambda data: registry().approve_account(
            account_id, party_id=party_id_for(data["uscc"]), actor=actor()
        ),
        gettext("The account is approved and bound to the enterprise. Its holder can sign in."),
        ("uscc",),
    )


# answering a request for an enterprise not registered yet, on the one record-command path
REVIEW = {
    action.name: action
    for action in (
        Action(
            "approve_registration",
            _l("Register the enterprise and approve the account"),
            EmptySchema,
            lambda id_, _d: registry().approve_registration(id_, actor=actor()),
            _l("The enterprise is registered and the account approved. Its holder can sign in."),
            roles=ADMIN,
        ),
        Action(
            "send_back",
            _l("Send the request back"),
            ReasonSchema,
            lambda id_, d: registry().send_back_account_request(
                id_, reason=d["reason"], actor=actor()
            ),
            _l("The request is sent back; the applicant reads the reason when signing in."),
            roles=ADMIN,
        ),
    )
}


@bp.post("/<uuid:account_id>/approve-registration")
@requires(*ADMIN)
def approve_registration(account_id: UUID) -> ResponseReturnValue:
    return _review(account_id, "approve_registration")


@bp.post("/<uuid:account_id>/send-back")
@requires(*ADMIN)
def send_back(account_id: UUID) -> ResponseReturnValue:
    return _review(account_id, "send_back")


def _review(account_id: UUID, name: str) -> ResponseReturnValue:
    _account(account_id)
    return perform(
        REVIEW[name],
        account_id,
        lambda forms, status: render_account(account_id, forms, status=status),
        url_for("accounts.show", account_id=account_id),
    )


@bp.post("/<uuid:account_id>/decline")
@requires(*ADMIN)
def decline(account_id: UUID) -> ResponseReturnValue:
    return _act(
        account_id,
        "decline",
        ReasonSchema(),
        lambda data: registry().decline_account(account_id, reason=data["reason"], actor=actor()),
        gettext("The request is declined."),
        ("reason",),
    )


@bp.post("/<uuid:account_id>/deactivate")
@requires(*ADMIN)
def deactivate(account_id: UUID) -> ResponseReturnValue:
    return _act(
        account_id,
        "deactivate",
        ReasonSchema(),
        lambda data: registry().deactivate_account(
            account_id, reason=data["reason"], actor=actor()
        ),
        gettext("The account is deactivated: it can no longer sign in, and its sessions ended."),
        ("reason",),
    )


@bp.post("/<uuid:account_id>/reactivate")
@requires(*ADMIN)
def reactivate(account_id: UUID) -> ResponseReturnValue:
    return _act(
        account_id,
        "reactivate",
        None,
        lambda _data: registry().reactivate_account(account_id, actor=actor()),
        gettext("The account is active again."),
    )


# roles that read everything (auditors) or manage everything (administrators): granted only
# after a second step that names the old and the new role
CONFIRMED_ROLES = frozenset({Role.AUDITOR.value, Role.PROVINCE_ADMIN.value})


def _unchanged(account: dict[str, Any], data: dict[str, Any]) -> bool:
    """The role and binding the account already has (an empty binding keeps the current one)."""
    party, prefecture = data.get("party"), data.get("prefecture")
    return (
        data["role"] == account["role"]
        and (party is None or str(party) == account.get("party_id"))
        and (prefecture is None or prefecture == account.get("prefecture"))
    )


@bp.post("/<uuid:account_id>/role")
@requires(*ADMIN)
def grant_role(account_id: UUID) -> ResponseReturnValue:
    found = _account(account_id)
    form, data = submitted(RoleGrantSchema())
    if data is not None and _unchanged(found, data):
        flash(gettext("The account already has this role; nothing was changed."), "info")
        return redirect(url_for("accounts.show", account_id=account_id))
    if data is not None and data["role"] in CONFIRMED_ROLES and not data["confirm"]:
        return render_template("accounts/confirm_role.html", account=found, form=form, chosen=data)
    return _act(
        account_id,
        "role",
        RoleGrantSchema(),
        lambda data: registry().grant_role(
            account_id,
            role=data["role"],
            party_id=data.get("party"),
            prefecture=data.get("prefecture"),
            actor=actor(),
        ),
        gettext("The account's role has changed."),
        ("role", "party", "prefecture"),
    )


@bp.post("/<uuid:account_id>/reset-link")
@requires(*ADMIN)
def reset_link(account_id: UUID) -> ResponseReturnValue:
    found = _account(account_id)
    try:
        token = registry().issue_password_reset(account_id, actor=actor())
    except DomainError as refused:
        form = Form()
        form.refuse(refused)
        return render_account(account_id, {"reset": form}, status=422)
    return render_template(
        "accounts/link.html",
        account=found,
        link=url_for("auth.reset_password", token=token, _external=True),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(*ADMIN)
def add() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("accounts/new.html", form=Form(), roles=_roles())
    form, data = submitted(AddAccountSchema())
    if data is not None:
        try:
            account_id = registry().add_account(
                username=data["username"],
                display_name=data["display_name"],
                role=data["role"],
                party_id=data.get("party"),
                prefecture=data.get("prefecture"),
                actor=actor(),
            )
            # the form's key made the account: the link is part of the same submission
            token = registry().issue_password_reset(account_id, actor=user().actor)
        except AlreadyRegistered:
            form.add("username", gettext("This username is taken; choose another."))
        except NotFound:
            form.add(
                "party",
                gettext("No school or enterprise with this code is registered; check the code."),
            )
        except DomainError as refused:
            form.refuse(refused, BINDING_FIELDS)
    if not form.ok or data is None:
        return render_template("accounts/new.html", form=form, roles=_roles()), 422
    return render_template(
        "accounts/link.html",
        account={"id": account_id_for(data["username"]), **data},
        link=url_for("auth.reset_password", token=token, _external=True),
        new=True,
    )


def _roles() -> list[str]:
    return sorted(r.value for r in GRANTABLE_ROLES)
