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
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from projections import accounts, agreement_queries, audit, investments, schools
from web.access import AGREEMENT_PARTIES, may_see_agreement, side_of
from web.actions import Action, perform
from web.agreement_lists import agreement_list
from web.auth import SignedIn, actor, registry, requires, user
from web.forms import Form
from web.labels import yuan
from web.reads import read
from web.schemas.agreements import (
    AmendmentSchema,
    AnswerSchema,
    DeclineSchema,
    InvestmentCorrectionSchema,
    InvestmentSchema,
    PlannedInvestmentSchema,
    ResumptionSchema,
    SuspensionSchema,
    TerminationSchema,
    TitleCorrectionSchema,
)

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
        invested = investments.list_investments(db, agreement_id=str(agreement_id))
        found["investment_count"] = len(invested)
        signed_in = user()
        forms = forms or {}
        offered = [a for a in ACTIONS if a.offered_to(signed_in, found) or a.name in forms]
        amendable = any(a.name == "amend" for a in offered)
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
    open_majors = [m["name"] for m in (school or {}).get("majors", []) if not m["closed_year"]]
    choices = {
        "amend": {"majors": [(m, m, "") for m in open_majors]},
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
    _visible(agreement_id)
    return perform(
        action,
        agreement_id,
        lambda forms, status: render_agreement(agreement_id, forms, status=status),
        url_for("agreements.show", agreement_id=agreement_id),
    )


ANSWERS = {
    action.name: action
    for action in (
        Action(
            "countersign",
            _l("Countersign"),
            AnswerSchema,
            lambda id_, _data: registry().countersign_agreement(id_, actor=actor()),
            _l("You have countersigned the agreement. It is in force from its start date."),
        ),
        Action(
            "decline",
            _l("Decline the proposal"),
            DeclineSchema,
            lambda id_, d: registry().decline_agreement(id_, reason=d["reason"], actor=actor()),
            _l("You have declined the proposal."),
        ),
        Action(
            "accept_amendment",
            _l("Accept the amendment"),
            AnswerSchema,
            lambda id_, _data: registry().accept_amendment(id_, actor=actor()),
            _l("You have accepted the amendment: the amended terms now apply."),
        ),
        Action(
            "decline_amendment",
            _l("Decline the amendment"),
            DeclineSchema,
            lambda id_, d: registry().decline_amendment(id_, reason=d["reason"], actor=actor()),
            _l("You have declined the amendment; the agreed terms stand."),
        ),
        Action(
            "withdraw_amendment",
            _l("Withdraw our amendment"),
            AnswerSchema,
            lambda id_, _data: registry().withdraw_amendment(id_, actor=actor()),
            _l("You have withdrawn your amendment."),
        ),
    )
}


@bp.post("/<uuid:agreement_id>/countersign")
@requires()
def countersign(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(agreement_id, ANSWERS["countersign"])


@bp.post("/<uuid:agreement_id>/decline")
@requires()
def decline(agreement_id: UUID) -> ResponseReturnValue:
    return _answer(agreement_id, ANSWERS["decline"])


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


# --- the other commands on an agreement ------------------------------------------------------

IN_FORCE = ("countersigned", "suspended")


def _party(signed_in: SignedIn, agreement: dict[str, Any]) -> bool:
    return side_of(signed_in, agreement) is not None


def _in_force(signed_in: SignedIn, agreement: dict[str, Any]) -> bool:
    return _party(signed_in, agreement) and agreement["status"] in IN_FORCE


def _amendable(signed_in: SignedIn, agreement: dict[str, Any]) -> bool:
    return _in_force(signed_in, agreement) and not agreement["pending_amendment"]


def _running(signed_in: SignedIn, agreement: dict[str, Any]) -> bool:
    return _party(signed_in, agreement) and agreement["status"] == "countersigned"


def _suspended(signed_in: SignedIn, agreement: dict[str, Any]) -> bool:
    return _party(signed_in, agreement) and agreement["status"] == "suspended"


def _open_to_plan(signed_in: SignedIn, agreement: dict[str, Any]) -> bool:
    return side_of(signed_in, agreement) == "enterprise" and agreement["status"] in (
        "proposed",
        *IN_FORCE,
    )


def _has_investments(signed_in: SignedIn, agreement: dict[str, Any]) -> bool:
    return _party(signed_in, agreement) and bool(agreement.get("investment_count"))


ACTIONS = [
    Action(
        "amend",
        _l("Propose an amendment"),
        AmendmentSchema,
        lambda id_, d: registry().propose_amendment(
            id_,
            modes=d["modes"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            majors=d.get("majors", []),
            reason=d["reason"],
            actor=actor(),
        ),
        _l("The amendment is proposed. The other party is asked to accept or decline it."),
        roles=AGREEMENT_PARTIES,
        when=_amendable,
        intro=_l("The amended terms bind only once the other party accepts them."),
    ),
    Action(
        "record_investment",
        _l("Record an investment"),
        InvestmentSchema,
        lambda id_, d: registry().record_investment(
            id_,
            kind=d["kind"],
            amount=d["amount"],
            invested_on=d["invested_on"],
            description=d.get("description", ""),
            actor=actor(),
        ),
        _l("The investment is recorded."),
        roles=AGREEMENT_PARTIES,
        when=_in_force,
        intro=_l(
            "Equipment, money or other investment by the enterprise in the partnership, "
            "within the agreement's period. A certified enterprise may offset three tenths "
            "of it."
        ),
    ),
    Action(
        "correct_investment",
        _l("Correct an investment"),
        InvestmentCorrectionSchema,
        lambda id_, d: registry().correct_investment(
            id_,
            number=d["number"],
            amount=d["amount"],
            invested_on=d["invested_on"],
            reason=d["reason"],
            actor=actor(),
        ),
        _l("The correction is recorded; the original entry stays in the history."),
        roles=AGREEMENT_PARTIES,
        when=_has_investments,
    ),
    Action(
        "plan_investment",
        _l("State the planned investment"),
        PlannedInvestmentSchema,
        lambda id_, d: registry().plan_investment(id_, amount=d["amount"], actor=actor()),
        _l("The planned investment is recorded."),
        roles=(Role.ENTERPRISE_USER,),
        when=_open_to_plan,
    ),
    Action(
        "suspend",
        _l("Suspend the agreement"),
        SuspensionSchema,
        lambda id_, d: registry().suspend_agreement(
            id_, on=d.get("on"), reason=d["reason"], actor=actor()
        ),
        _l("The agreement is suspended from the date given."),
        roles=AGREEMENT_PARTIES,
        when=_running,
    ),
    Action(
        "resume",
        _l("Resume the agreement"),
        ResumptionSchema,
        lambda id_, d: registry().resume_agreement(id_, on=d.get("on"), actor=actor()),
        _l("The agreement is in force again from the date given."),
        roles=AGREEMENT_PARTIES,
        when=_suspended,
    ),
    Action(
        "terminate",
        _l("Terminate the agreement early"),
        TerminationSchema,
        lambda id_, d: registry().terminate_agreement(
            id_, on=d.get("on"), reason=d["reason"], actor=actor()
        ),
        _l("The agreement is terminated. It accepts no further changes."),
        roles=AGREEMENT_PARTIES,
        when=_in_force,
        danger=True,
    ),
    Action(
        "correct",
        _l("Correct the title"),
        TitleCorrectionSchema,
        lambda id_, d: registry().correct_agreement(
            id_, field="title", value=d["title"], reason=d["reason"], actor=actor()
        ),
        _l("The correction is recorded; the original title stays in the history."),
        roles=(Role.PROVINCE_ADMIN,),
        intro=_l("For a title registered wrongly; terms change only by an amendment."),
    ),
]
BY_NAME = {action.name: action for action in ACTIONS}


@bp.post("/<uuid:record_id>/act/<name>")
@requires()
def act(record_id: UUID, name: str) -> ResponseReturnValue:
    """One of ``ACTIONS``, run as every record's command is."""
    action = BY_NAME.get(name)
    if action is None:
        abort(404)
    _visible(record_id)
    return perform(
        action,
        record_id,
        lambda forms, status: render_agreement(record_id, forms, status=status),
        url_for("agreements.show", agreement_id=record_id),
    )
