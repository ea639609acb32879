"""The commands on an agreement's page: the answers to a proposal or an amendment (each at a
route of its own), and the other steps its parties take, as ``Action``s of the one form
mechanism (``web/actions.py``). Countersigning, declining, withdrawing a proposal and
terminating ask again before they are recorded (``web/agreement_steps.py``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from domain.actors import Role
from projections import agreement_queries
from web.access import AGREEMENT_PARTIES, side_of
from web.actions import Action
from web.agreement_steps import COUNTERSIGN, DECLINE, TERMINATE, WITHDRAW
from web.auth import SignedIn, actor, registry
from web.reads import read
from web.schemas.agreements import (
    AmendmentSchema,
    AnswerSchema,
    DeclineSchema,
    InvestmentCorrectionSchema,
    InvestmentSchema,
    PlannedInvestmentSchema,
    RenewalSchema,
    ResumptionSchema,
    SuspensionSchema,
    TerminationSchema,
    TitleCorrectionSchema,
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
            confirm=COUNTERSIGN,
        ),
        Action(
            "decline",
            _l("Decline the proposal"),
            DeclineSchema,
            lambda id_, d: registry().decline_agreement(id_, reason=d["reason"], actor=actor()),
            _l("You have declined the proposal."),
            confirm=DECLINE,
        ),
        Action(
            "withdraw",
            _l("Withdraw our proposal"),
            DeclineSchema,
            lambda id_, d: registry().withdraw_proposal(id_, reason=d["reason"], actor=actor()),
            _l("You have withdrawn your proposal. The other party can no longer countersign it."),
            confirm=WITHDRAW,
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
            DeclineSchema,
            lambda id_, d: registry().withdraw_amendment(id_, reason=d["reason"], actor=actor()),
            _l("You have withdrawn your amendment."),
        ),
    )
}


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


def _renewable(signed_in: SignedIn, agreement: dict[str, Any]) -> bool:
    return _party(signed_in, agreement) and agreement["status"] in IN_FORCE


def _propose_renewal(agreement_id: UUID, data: dict[str, Any]) -> UUID:
    with read() as db:
        found = agreement_queries.agreement(db, str(agreement_id))
    assert found is not None
    return registry().propose_agreement(
        school_id=UUID(found["school_id"]),
        enterprise_id=UUID(found["enterprise_id"]),
        title=data.get("title") or gettext("%(title)s (renewal)", title=found["title"]),
        modes=data["modes"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        majors=data.get("majors", []),
        renews=agreement_id,
        actor=actor(),
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
        confirm=TERMINATE,
    ),
    Action(
        "renew",
        _l("Propose a renewal"),
        RenewalSchema,
        lambda id_, d: _propose_renewal(id_, d),
        _l(
            "The renewal is proposed as a new agreement that names this one. The other party "
            "is asked to countersign it."
        ),
        roles=AGREEMENT_PARTIES,
        when=_renewable,
        intro=_l(
            "A renewal is a new agreement between the same two parties, for a new period "
            "(usually from the day after this one ends); this one stays as it is until it ends."
        ),
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


def renewal_terms(found: dict[str, Any]) -> dict[str, Any]:
    """A renewal's form starts from the terms agreed, as an amendment's does; its dates are
    a new choice, so they start empty (docs/web.md, "Forms and bad input")."""
    return {"modes": found["modes"], "majors": found["majors"]}
