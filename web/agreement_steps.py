"""What an agreement's page says before a step is taken: the second step of countersigning,
declining, withdrawing and terminating (what each records), the countersignature's
preconditions with a warning for a period already (partly) past, and what a renewal changes
from the agreement it renews."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from domain.agreement import (
    AgreementDeclined,
    AlreadyCountersigned,
    NotProposedByYou,
    ProposalWithdrawn,
    Status,
    WrongParty,
)
from domain.errors import DomainError
from registry.clock import today
from web.confirmation import Check, Confirmation
from web.labels import mode_names, prefecture_name
from web.messages import sentence

Record = dict[str, Any]


def _period(agreement: Record) -> str:
    return f"{agreement['starts_on']} – {agreement['ends_on']}"


def terms(agreement: Record) -> list[tuple[Any, Any]]:
    """The agreement as the two parties would be bound by it."""
    return [
        (gettext("Agreement"), agreement["title"]),
        (
            gettext("School"),
            f"{agreement['school_name']} · {prefecture_name(agreement['school_prefecture'])}",
        ),
        (
            gettext("Enterprise"),
            f"{agreement['enterprise_name']}"
            f" · {prefecture_name(agreement['enterprise_prefecture'])}",
        ),
        (gettext("Modes"), mode_names(agreement["modes"])),
        (gettext("Period"), _period(agreement)),
        (gettext("Majors"), "、".join(agreement["majors"]) or gettext("none named")),
    ]


def period_warnings(agreement: Record, on: date | None = None) -> list[str]:
    """A countersignature binds from the start date: say so when that date is past."""
    day = on or today()
    starts_on = date.fromisoformat(agreement["starts_on"])
    ends_on = date.fromisoformat(agreement["ends_on"])
    if ends_on < day:
        return [
            gettext(
                "The whole period of this agreement (%(period)s) has passed. Countersigned "
                "now, it is recorded as expired at once and binds no one from today; "
                "to cooperate from now on, decline it and agree a new period.",
                period=_period(agreement),
            )
        ]
    if starts_on < day:
        return [
            gettext(
                "Part of this agreement's period has passed: it started on %(starts_on)s. "
                "Countersigned now, it is recorded as in force from %(starts_on)s, so the "
                "days up to %(yesterday)s count as covered by it. If that is not what both "
                "sides agreed, decline it and ask for a new start date.",
                starts_on=agreement["starts_on"],
                yesterday=(day - timedelta(days=1)).isoformat(),
            )
        ]
    return []


def answer_checks(agreement: Record, side: str | None) -> list[Check]:
    """An answer's preconditions, each met or not; an unmet one in the words of the refusal
    the domain would give."""
    addressed = side is not None and side != agreement["proposed_by"]
    checks: list[Check] = [
        (
            gettext("You act for the party the proposal is addressed to.")
            if addressed
            else sentence(WrongParty(action="countersign")),
            addressed,
        ),
        (
            gettext("The proposal still awaits an answer: not withdrawn, declined or signed.")
            if agreement["status"] == Status.PROPOSED
            else sentence(_answered(agreement)),
            agreement["status"] == Status.PROPOSED,
        ),
    ]
    return checks


def withdrawal_checks(agreement: Record) -> list[Check]:
    """Only the proposing party withdraws, and only while the proposal awaits an answer."""
    ours = agreement.get("side") == agreement["proposed_by"]
    waiting = agreement["status"] == Status.PROPOSED
    return [
        (
            gettext("Your side made this proposal.")
            if ours
            else sentence(NotProposedByYou(problem="proposal")),
            ours,
        ),
        (
            gettext("The other party has not answered it yet.")
            if waiting
            else sentence(_answered(agreement)),
            waiting,
        ),
    ]


def countersign_checks(agreement: Record, side: str | None, on: date | None = None) -> list[Check]:
    """The countersignature's preconditions, the period's as a warning."""
    checks = answer_checks(agreement, side)
    warned = period_warnings(agreement, on)
    checks.append(
        (warned[0], None)
        if warned
        else (
            gettext(
                "The period starts on %(starts_on)s, not before today.",
                starts_on=agreement["starts_on"],
            ),
            True,
        )
    )
    return checks


def _answered(agreement: Record) -> DomainError:
    if agreement["status"] == Status.WITHDRAWN:
        return ProposalWithdrawn()
    if agreement["status"] == Status.DECLINED:
        return AgreementDeclined()
    return AlreadyCountersigned()


def _reason(_agreement: Record, data: dict[str, Any]) -> list[tuple[Any, Any]]:
    return [(gettext("Reason"), data["reason"])]


COUNTERSIGN = Confirmation(
    _l("Countersign this agreement?"),
    "Countersigned",
    _l(
        "Once countersigned, the agreement binds both parties from its start date. It "
        "cannot be withdrawn: changing its terms needs an amendment both sides accept, "
        "ending it early a termination."
    ),
    lambda agreement, _data: terms(agreement),
    warnings=lambda agreement, _data: period_warnings(agreement),
    checks=lambda agreement: countersign_checks(agreement, agreement.get("side")),
)

DECLINE = Confirmation(
    _l("Decline this proposal?"),
    "Declined",
    _l(
        "A declined proposal accepts no further changes; the other party reads your reason. "
        "To cooperate later, either party proposes a new agreement."
    ),
    lambda agreement, data: [*terms(agreement)[:3], *_reason(agreement, data)],
    checks=lambda agreement: answer_checks(agreement, agreement.get("side")),
)

WITHDRAW = Confirmation(
    _l("Withdraw your proposal?"),
    "ProposalWithdrawn",
    _l(
        "The other party can no longer countersign it; it stays in the history with your "
        "reason. To cooperate after all, propose the agreement again."
    ),
    lambda agreement, data: [*terms(agreement)[:3], *_reason(agreement, data)],
    checks=withdrawal_checks,
)

TERMINATE = Confirmation(
    _l("Terminate this agreement early?"),
    "Terminated",
    _l(
        "From the date given the agreement is no longer in force for either party, and it "
        "accepts no further changes. Placements and teachers' practice under it need "
        "another agreement."
    ),
    lambda agreement, data: [
        *terms(agreement)[:3],
        (gettext("Terminated from"), (data.get("on") or today()).isoformat()),
        *_reason(agreement, data),
    ],
)


# --- a renewal beside the agreement it renews --------------------------------------------------


def _listed(values: list[str]) -> str:
    return "、".join(values) or gettext("none named")


def renewal_changes(renewal: Record, renewed: Record) -> list[dict[str, Any]]:
    """Each term of the renewal beside the renewed agreement's, marked where it changes."""
    rows = [
        (
            gettext("Modes"),
            mode_names(renewed["modes"]),
            mode_names(renewal["modes"]),
            set(renewal["modes"]) != set(renewed["modes"]),
        ),
        (
            gettext("Period"),
            _period(renewed),
            _period(renewal),
            True,
        ),
        (
            gettext("Majors"),
            _listed(renewed["majors"]),
            _listed(renewal["majors"]),
            set(renewal["majors"]) != set(renewed["majors"]),
        ),
        (
            gettext("Title"),
            renewed["title"],
            renewal["title"],
            renewal["title"] != renewed["title"],
        ),
    ]
    added = [m for m in renewal["modes"] if m not in renewed["modes"]]
    dropped = [m for m in renewed["modes"] if m not in renewal["modes"]]
    found = [
        {"term": term, "before": before, "after": after, "changed": changed}
        for term, before, after, changed in rows
    ]
    found[0]["added"], found[0]["dropped"] = mode_names(added), mode_names(dropped)
    return found
