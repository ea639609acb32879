"""Agreements: the list for roles that see many, one agreement's page, and its answers.

An answer (countersign, decline, accept or decline an amendment) carries the version of the
agreement the page showed. If the agreement has changed since, nothing is saved and the page
comes back with the change, the user's typed reason intact, and a request to look again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from marshmallow import Schema

from domain.agreement import CooperationAgreement, Mode
from domain.errors import DomainError
from projections import accounts, agreement_queries, audit
from registry.errors import ConflictingChange
from registry.registry import Registry
from web.access import agreement_scope, may_see_agreement, side_of
from web.auth import actor, registry, requires, user
from web.forms import Form, submitted
from web.labels import STATUSES
from web.reads import PAGE_SIZE, offset, page_number, read
from web.schemas.agreements import AnswerSchema, DeclineSchema

bp = Blueprint("agreements", __name__, url_prefix="/agreements")

FILTERS = ("status", "mode", "prefecture")


def list_filters(args: Any) -> dict[str, str | None]:
    """The filters a list page was asked for, ignoring values that are not choices."""
    chosen: dict[str, str | None] = {name: args.get(name) or None for name in FILTERS}
    if chosen["status"] not in (None, *agreement_queries.STATUSES):
        chosen["status"] = None
    if chosen["mode"] not in (None, *(m.value for m in Mode)):
        chosen["mode"] = None
    return chosen


def agreement_list(template: str, endpoint: str, **context: Any) -> ResponseReturnValue:
    """A filtered, paginated list of the agreements this user may see."""
    filters = list_filters(request.args)
    scope = agreement_scope(user())
    number = page_number(request.args.get("page"))
    wanted = {**filters, **scope}
    with read() as db:
        found = agreement_queries.list_agreements(
            db,
            prefecture=wanted.get("prefecture"),
            mode=wanted.get("mode"),
            status=wanted.get("status"),
            party=wanted.get("party"),
            limit=PAGE_SIZE,
            offset=offset(number),
        )
        counts = agreement_queries.count_agreements(
            db, "status", prefecture=scope.get("prefecture"), party=scope.get("party")
        )
    args = {k: v for k, v in filters.items() if v}
    return render_template(
        template,
        page=found,
        filters=filters,
        counts=counts,
        statuses=list(STATUSES),
        endpoint=endpoint,
        args=args,
        scope=scope,
        **context,
    )


@bp.get("/")
@requires()
def index() -> ResponseReturnValue:
    return agreement_list("agreements/index.html", "agreements.index")


def _visible(agreement_id: UUID) -> dict[str, Any]:
    with read() as db:
        found = agreement_queries.agreement(db, str(agreement_id))
    if found is None or not may_see_agreement(user(), found):
        abort(404)
    return found


def render_agreement(
    agreement_id: UUID, forms: dict[str, Form] | None = None, status: int = 200
) -> ResponseReturnValue:
    with read() as db:
        found = agreement_queries.agreement(db, str(agreement_id))
        if found is None or not may_see_agreement(user(), found):
            abort(404)
        timeline = audit.audit_trail(db, aggregate_id=str(agreement_id), limit=500).items
        names = accounts.display_names(db, sorted({row["actor"] for row in timeline}))
    side = side_of(user(), found)
    version = max((row["version"] for row in timeline), default=0)
    planned = [row for row in timeline if row["event"] == "InvestmentPlanned"]
    return (
        render_template(
            "agreements/show.html",
            agreement=found,
            timeline=timeline,
            names=names,
            side=side,
            version=version,
            planned=_changed(planned[-1], "amount") if planned else None,
            forms=forms or {},
            empty_form=Form(),
            conflict=status == 409,
        ),
        status,
    )


def _changed(row: dict[str, Any], field: str) -> Any:
    for name, _before, after in row["changes"]:
        if name == field:
            return after
    return None


@bp.get("/<uuid:agreement_id>")
@requires()
def show(agreement_id: UUID) -> ResponseReturnValue:
    return render_agreement(agreement_id)


Answer = Callable[[Registry, UUID, dict[str, Any]], object]


def _answer(
    agreement_id: UUID, form_name: str, schema: Schema, answer: Answer, done: str
) -> ResponseReturnValue:
    """Check the form and the version shown, run one command, then show the agreement."""
    _visible(agreement_id)
    form, data = submitted(schema)
    status = 422
    if data is not None:
        current = registry().get(CooperationAgreement, agreement_id).version
        try:
            if current != data["version"]:
                raise ConflictingChange(ids=[str(agreement_id)])
            answer(registry(), agreement_id, data)
        except ConflictingChange as conflict:
            form.refuse(conflict)
            status = 409
        except DomainError as refused:
            form.refuse(refused, ("reason",))
    if not form.ok:
        return render_agreement(agreement_id, {form_name: form}, status=status)
    flash(done, "ok")
    return redirect(url_for("agreements.show", agreement_id=agreement_id))


@bp.post("/<uuid:agreement_id>/countersign")
@requires()
def countersign(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(
        agreement_id,
        "countersign",
        AnswerSchema(),
        lambda app, id_, _data: app.countersign_agreement(id_, actor=actor()),
        gettext("You have countersigned the agreement. It is in force from its start date."),
    )


@bp.post("/<uuid:agreement_id>/decline")
@requires()
def decline(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(
        agreement_id,
        "decline",
        DeclineSchema(),
        lambda app, id_, data: app.decline_agreement(id_, reason=data["reason"], actor=actor()),
        gettext("You have declined the proposal."),
    )


@bp.post("/<uuid:agreement_id>/amendment/accept")
@requires()
def accept_amendment(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(
        agreement_id,
        "accept_amendment",
        AnswerSchema(),
        lambda app, id_, _data: app.accept_amendment(id_, actor=actor()),
        gettext("You have accepted the amendment: the amended terms now apply."),
    )


@bp.post("/<uuid:agreement_id>/amendment/decline")
@requires()
def decline_amendment(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(
        agreement_id,
        "decline_amendment",
        DeclineSchema(),
        lambda app, id_, data: app.decline_amendment(id_, reason=data["reason"], actor=actor()),
        gettext("You have declined the amendment; the agreed terms stand."),
    )


@bp.post("/<uuid:agreement_id>/amendment/withdraw")
@requires()
def withdraw_amendment(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(
        agreement_id,
        "withdraw_amendment",
        AnswerSchema(),
        lambda app, id_, _data: app.withdraw_amendment(id_, actor=actor()),
        gettext("You have withdrawn your amendment."),
    )
