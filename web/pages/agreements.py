"""Agreements: the list for roles that see many, one agreement's page, and its answers.

An answer (countersign, decline, accept or decline an amendment) carries the version of the
agreement the page showed. If the agreement has changed since, nothing is saved and the page
comes back with the change, the user's typed reason intact, and a request to look again.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue

from projections import accounts, agreement_queries, audit, investments, schools
from web.access import may_see_agreement, readers, side_of
from web.actions import Action, perform
from web.agreement_actions import ACTIONS, ANSWERS, BY_NAME, renewal_terms
from web.agreement_lists import agreement_list
from web.agreement_steps import (
    countersign_checks,
    renewal_changes,
)
from web.auth import registry, requires, user
from web.forms import Form
from web.labels import yuan
from web.reads import read

bp = Blueprint("agreements", __name__, url_prefix="/agreements")


@bp.get("/")
@requires()
def index() -> ResponseReturnValue:
    return agreement_list("agreements/index.html", "agreements.index")


def _visible(agreement_id: UUID) -> dict[str, Any]:
    with read() as db:
        found = agreement_queries.agreement(db, str(agreement_id))
    if found is None or not may_see_agreement(user(), found):
        abort(404)
    return {**found, "side": side_of(user(), found)}


def _renewal_of(db: Any, found: dict[str, Any]) -> dict[str, Any] | None:
    """The agreement this one renews, if the reader may see it, with what changes."""
    renewed = agreement_queries.agreement(db, found["renews"]) if found.get("renews") else None
    if renewed is None or not may_see_agreement(user(), renewed):
        return None
    return {**renewed, "changes": renewal_changes(found, renewed)}


def render_agreement(
    agreement_id: UUID, forms: dict[str, Form] | None = None, status: int = 200
) -> ResponseReturnValue:
    with read() as db:
        found = agreement_queries.agreement(db, str(agreement_id))
        if found is None or not may_see_agreement(user(), found):
            abort(404)
        timeline = audit.audit_trail(db, aggregate_id=str(agreement_id), limit=500).items
        names = accounts.display_names(db, sorted({row["actor"] for row in timeline}))
        invested = investments.list_investments(db, agreement_id=str(agreement_id))
        found["investment_count"] = len(invested)
        renews = _renewal_of(db, found)
        renewals = [
            row
            for row in agreement_queries.renewals_of(db, str(agreement_id))
            if may_see_agreement(user(), agreement_queries.agreement(db, row["id"]) or {})
        ]
        signed_in = user()
        forms = forms or {}
        offered = [a for a in ACTIONS if a.offered_to(signed_in, found) or a.name in forms]
        amendable = any(a.name in ("amend", "renew") for a in offered)
        school = schools.school(db, found["school_id"]) if amendable else None
    side = side_of(user(), found)
    version = registry().version_of(agreement_id)
    planned = [row for row in timeline if row["event"] == "InvestmentPlanned"]
    forms.setdefault(
        "amend",
        Form(
            values={
                "modes": found["modes"],
                "starts_on": found["starts_on"],
                "ends_on": found["ends_on"],
                "majors": found["majors"],
            }
        ),
    )
    forms.setdefault("renew", Form(values=renewal_terms(found)))
    open_majors = [m["name"] for m in (school or {}).get("majors", []) if not m["closed_year"]]
    choices = {
        "amend": {"majors": [(m, m, "") for m in open_majors]},
        "renew": {"majors": [(m, m, "") for m in open_majors]},
        "correct_investment": {
            "number": [
                (str(i["number"]), f"{i['invested_on']} · {yuan(i['amount'])}", "")
                for i in invested
            ]
        },
    }
    return (
        render_template(
            "agreements/show.html",
            agreement=found,
            timeline=timeline,
            names=names,
            side=side,
            version=version,
            planned=_changed(planned[-1], "amount") if planned else None,
            investments=invested,
            actions=offered,
            action_names=BY_NAME,
            choices=choices,
            forms=forms,
            empty_form=Form(),
            conflict=status == 409,
            renews=renews,
            renewals=renewals,
            checks=countersign_checks(found, side),
            may_audit=user().role in readers("audit.index"),
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


def _answer(agreement_id: UUID, action: Action) -> ResponseReturnValue:
    """An answer to a proposal or an amendment, run as every record's command is."""
    return perform(
        action,
        agreement_id,
        lambda forms, status: render_agreement(agreement_id, forms, status=status),
        url_for("agreements.show", agreement_id=agreement_id),
        _visible(agreement_id),
    )


@bp.post("/<uuid:agreement_id>/countersign")
@requires()
def countersign(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(agreement_id, ANSWERS["countersign"])


@bp.post("/<uuid:agreement_id>/decline")
@requires()
def decline(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(agreement_id, ANSWERS["decline"])


@bp.post("/<uuid:agreement_id>/withdraw")
@requires()
def withdraw(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(agreement_id, ANSWERS["withdraw"])


@bp.post("/<uuid:agreement_id>/amendment/accept")
@requires()
def accept_amendment(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(agreement_id, ANSWERS["accept_amendment"])


@bp.post("/<uuid:agreement_id>/amendment/decline")
@requires()
def decline_amendment(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(agreement_id, ANSWERS["decline_amendment"])


@bp.post("/<uuid:agreement_id>/amendment/withdraw")
@requires()
def withdraw_amendment(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(agreement_id, ANSWERS["withdraw_amendment"])


@bp.post("/<uuid:record_id>/act/<name>")
@requires()
def act(record_id: UUID, name: str) -> ResponseReturnValue:
    """One of ``ACTIONS``, run as every record's command is."""
    action = BY_NAME.get(name)
    if action is None:
        abort(404)
    return perform(
        action,
        record_id,
        lambda forms, status: render_agreement(record_id, forms, status=status),
        url_for("agreements.show", agreement_id=record_id),
        _visible(record_id),
    )
