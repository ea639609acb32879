"""Cooperation agreements 校企合作协议 (§四(四), 专栏5).

Proposed by either side, countersigned (or declined) by the other, active from the start
date, amended by mutual consent, suspended and resumed, terminated early or expiring at the
end date. Enterprise investment is recorded on the agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.actors import Actor
from domain.errors import DomainError, InvalidValue
from domain.record import Record
from domain.rules import (
    check_correction,
    require_administrator,
    require_period,
    require_plain,
    require_positive,
    require_reason,
    require_text,
)
from domain.school import School, SchoolWithdrawn


class Mode(StrEnum):
    CO_BUILT_MAJOR = "co_built_major"
    ORDER_CLASS = "order_class"
    TRAINING_BASE_IN_ENTERPRISE = "training_base_in_enterprise"
    TRAINING_BASE_IN_SCHOOL = "training_base_in_school"
    APPRENTICESHIP = "apprenticeship"
    TEACHER_PRACTICE_STATION = "teacher_practice_station"
    JOINT_ENROLLMENT = "joint_enrollment"
    CURRICULUM = "curriculum"
    INTERNSHIP_BASE = "internship_base"


class Side(StrEnum):
    SCHOOL = "school"
    ENTERPRISE = "enterprise"

    @property
    def other(self) -> Side:
        return Side.ENTERPRISE if self is Side.SCHOOL else Side.SCHOOL


class Status(StrEnum):
    PROPOSED = "proposed"
    DECLINED = "declined"
    COUNTERSIGNED = "countersigned"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"


class StatusOn(StrEnum):
    """An agreement's state on a day (``status_on``): the recorded status, with the states
    that follow from its dates alone."""

    PROPOSED = "proposed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    NOT_YET_STARTED = "not_yet_started"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class InvestmentKind(StrEnum):
    EQUIPMENT = "equipment"
    MONEY = "money"
    OTHER = "other"


class EmptyModes(DomainError):
    """An agreement needs at least one mode of cooperation."""

    code = "modes_empty"


class UnknownMode(DomainError):
    """A mode of cooperation is not one the registry knows."""

    code = "mode_unknown"


class WrongParty(DomainError):
    """The acting user does not act for the party this step belongs to."""

    code = "wrong_party"


class AlreadyCountersigned(DomainError):
    """The agreement has been countersigned already."""

    code = "already_countersigned"


class AgreementTerminated(DomainError):
    """The agreement was terminated and accepts no further changes."""

    code = "agreement_terminated"


class AgreementDeclined(DomainError):
    """The proposal was declined and accepts no further changes."""

    code = "agreement_declined"


class ProposalWithdrawn(DomainError):
    """The proposing party withdrew the proposal; it accepts no further changes."""

    code = "proposal_withdrawn"


class NotProposedByYou(DomainError):
    """Only the party that proposed (an agreement, an amendment) may withdraw it."""

    code = "not_proposed_by_you"


class NotRenewable(DomainError):
    """A renewal continues a countersigned agreement between the same two parties."""

    code = "not_renewable"


class AgreementNotInForce(DomainError):
    """The step needs a countersigned agreement in the right state."""

    code = "agreement_not_in_force"


class AmendmentPending(DomainError):
    """An amendment is already awaiting the other party's answer."""

    code = "amendment_pending"


class NoAmendmentPending(DomainError):
    """There is no amendment awaiting an answer."""

    code = "no_amendment_pending"


class UnknownMajor(DomainError):
    """A major named in the terms is not open at the school."""

    code = "major_unknown"


class DateOutsidePeriod(DomainError):
    """A date falls outside the agreement's period."""

    code = "date_outside_period"


@dataclass(frozen=True)
class Terms:
    modes: tuple[Mode, ...]
    starts_on: date
    ends_on: date
    majors: tuple[str, ...]


@dataclass(frozen=True)
class Investment:
    number: int
    kind: InvestmentKind
    amount: Decimal
    invested_on: date
    description: str


def validate_modes(modes: list[str] | tuple[str, ...]) -> list[str]:
    if not modes:
        raise EmptyModes()
    checked: list[str] = []
    for mode in modes:
        try:
            value = Mode(mode).value
        except ValueError:
            raise UnknownMode(mode=mode) from None
        if value not in checked:
            checked.append(value)
    return checked


def _terms(modes: list[str], starts_on: date, ends_on: date, majors: list[str]) -> Terms:
    return Terms(tuple(Mode(m) for m in modes), starts_on, ends_on, tuple(majors))


class CooperationAgreement(Record):
    """One school and one enterprise, for a period, with one or more modes."""

    CORRECTABLE: ClassVar[dict[str, Any]] = {"title": lambda v: require_text(str(v), "title")}

    @staticmethod
    def create_id(agreement_id: UUID | None = None) -> UUID:
        return agreement_id or uuid4()

    @classmethod
    def propose(
        cls,
        *,
        school: School,
        enterprise_id: UUID,
        title: str,
        modes: list[str],
        starts_on: date,
        ends_on: date,
        majors: list[str],
        actor: Actor,
        agreement_id: UUID | None = None,
        renews: CooperationAgreement | None = None,
    ) -> CooperationAgreement:
        """Either party proposes; ``renews`` is the agreement between the same two parties
        this one continues, if it is a renewal."""
        if actor.acts_for(school.id):
            side = Side.SCHOOL
        elif actor.acts_for(enterprise_id):
            side = Side.ENTERPRISE
        else:
            raise WrongParty(action="propose", role=str(actor.role))
        if school.is_withdrawn:
            raise SchoolWithdrawn(school_id=str(school.id))
        checked_modes = validate_modes(modes)
        require_period(starts_on, ends_on)
        checked_majors = cls._check_majors(school, majors)
        if renews is not None:
            renews.require_renewable(school.id, enterprise_id)
        agreement: CooperationAgreement = cls(
            agreement_id=agreement_id,
            school_id=school.id,
            enterprise_id=enterprise_id,
            proposed_by=side.value,
            title=require_text(title, "title"),
            modes=checked_modes,
            starts_on=starts_on,
            ends_on=ends_on,
            majors=checked_majors,
            actor=actor,
            renews=None if renews is None else renews.id,
        )
        return agreement

    def require_renewable(self, school_id: UUID, enterprise_id: UUID) -> None:
        """A renewal continues this agreement: the same two parties, and this one was
        countersigned and not terminated early."""
        if (self.school_id, self.enterprise_id) != (school_id, enterprise_id):
            raise NotRenewable(agreement_id=str(self.id), problem="other_parties")
        if self.countersigned_on is None or self.status is Status.TERMINATED:
            raise NotRenewable(agreement_id=str(self.id), problem=self.status.value)

    @staticmethod
    def _check_majors(school: School, majors: list[str]) -> list[str]:
        open_majors = set(school.open_majors())
        checked: list[str] = []
        for major in (m.strip() for m in majors):
            if major and major not in open_majors:
                raise UnknownMajor(major=major, school_id=str(school.id))
            if major and major not in checked:
                checked.append(major)
        return checked

    @event("Proposed")
    def __init__(
        self,
        *,
        agreement_id: UUID | None,
        school_id: UUID,
        enterprise_id: UUID,
        proposed_by: str,
        title: str,
        modes: list[str],
        starts_on: date,
        ends_on: date,
        majors: list[str],
        actor: Actor,
        renews: UUID | None = None,
    ) -> None:
        self.school_id = school_id
        self.renews = renews
        self.enterprise_id = enterprise_id
        self.proposed_by = Side(proposed_by)
        self.title = title
        self.terms = _terms(modes, starts_on, ends_on, majors)
        self.status = Status.PROPOSED
        self.countersigned_on: date | None = None
        self.pending_amendment: tuple[Side, Terms, str] | None = None
        self.suspensions: list[tuple[date, date | None]] = []
        self.terminated_on: date | None = None
        self.investments: list[Investment] = []
        self.planned_investment: Decimal | None = None

    # --- who acts -------------------------------------------------------------------------

    def party_of(self, side: Side) -> UUID:
        return self.school_id if side is Side.SCHOOL else self.enterprise_id

    def side_of(self, actor: Actor) -> Side:
        for side in Side:
            if actor.acts_for(self.party_of(side)):
                return side
        raise WrongParty(action="act_on_agreement", role=str(actor.role))

    def _require_side(self, actor: Actor, side: Side, action: str) -> None:
        if not actor.acts_for(self.party_of(side)):
            raise WrongParty(action=action, expected=side.value, role=str(actor.role))

    def _require_open(self) -> None:
        if self.status is Status.TERMINATED:
            assert self.terminated_on is not None
            raise AgreementTerminated(terminated_on=self.terminated_on.isoformat())
        if self.status is Status.DECLINED:
            raise AgreementDeclined()
        if self.status is Status.WITHDRAWN:
            raise ProposalWithdrawn()

    def _require_in_force(self, action: str, *allowed: Status) -> None:
        self._require_open()
        if self.status not in allowed:
            raise AgreementNotInForce(action=action, status=self.status.value)

    # --- lifecycle ------------------------------------------------------------------------

    def countersign(self, *, on: date, actor: Actor) -> None:
        """The other party signs: the agreed terms bind both from the start date."""
        self._require_open()
        if self.status is not Status.PROPOSED:
            raise AlreadyCountersigned(countersigned_on=str(self.countersigned_on))
        self._require_side(actor, self.proposed_by.other, "countersign")
        self._countersign(on=on, actor=actor)

    @event("Countersigned")
    def _countersign(self, *, on: date, actor: Actor) -> None:
        self.status = Status.COUNTERSIGNED
        self.countersigned_on = on

    def decline(self, *, reason: str, actor: Actor) -> None:
        self._require_open()
        if self.status is not Status.PROPOSED:
            raise AlreadyCountersigned(countersigned_on=str(self.countersigned_on))
        self._require_side(actor, self.proposed_by.other, "decline")
        self._decline(reason=require_reason(reason), actor=actor)

    @event("Declined")
    def _decline(self, *, reason: str, actor: Actor) -> None:
        self.status = Status.DECLINED

    def withdraw_proposal(self, *, reason: str, actor: Actor) -> None:
        """The proposing party takes its proposal back before the other side answers."""
        self._require_open()
        if self.status is not Status.PROPOSED:
            raise AlreadyCountersigned(countersigned_on=str(self.countersigned_on))
        if not actor.acts_for(self.party_of(self.proposed_by)):
            self.side_of(actor)
            raise NotProposedByYou(problem="proposal", proposed_by=self.proposed_by.value)
        self._withdraw_proposal(reason=require_reason(reason), actor=actor)

    @event("ProposalWithdrawn")
    def _withdraw_proposal(self, *, reason: str, actor: Actor) -> None:
        self.status = Status.WITHDRAWN

    def propose_amendment(
        self,
        *,
        school: School,
        modes: list[str],
        starts_on: date,
        ends_on: date,
        majors: list[str],
        reason: str,
        actor: Actor,
    ) -> None:
        """An amendment binds only once the other party accepts it."""
        self._require_in_force("amend", Status.COUNTERSIGNED, Status.SUSPENDED)
        side = self.side_of(actor)
        if self.pending_amendment is not None:
            raise AmendmentPending(proposed_by=self.pending_amendment[0].value)
        checked_modes = validate_modes(modes)
        require_period(starts_on, ends_on)
        self._propose_amendment(
            proposed_by=side.value,
            modes=checked_modes,
            starts_on=starts_on,
            ends_on=ends_on,
            majors=self._check_majors(school, majors),
            reason=require_reason(reason),
            actor=actor,
        )

    @event("AmendmentProposed")
    def _propose_amendment(
        self,
        *,
        proposed_by: str,
        modes: list[str],
        starts_on: date,
        ends_on: date,
        majors: list[str],
        reason: str,
        actor: Actor,
    ) -> None:
        self.pending_amendment = (
            Side(proposed_by),
            _terms(modes, starts_on, ends_on, majors),
            reason,
        )

    def _require_pending_amendment(self) -> Side:
        self._require_open()
        if self.pending_amendment is None:
            raise NoAmendmentPending()
        return self.pending_amendment[0]

    def accept_amendment(self, *, actor: Actor) -> None:
        proposer = self._require_pending_amendment()
        self._require_side(actor, proposer.other, "accept_amendment")
        self._accept_amendment(actor=actor)

    @event("AmendmentAccepted")
    def _accept_amendment(self, *, actor: Actor) -> None:
        assert self.pending_amendment is not None
        self.terms = self.pending_amendment[1]
        self.pending_amendment = None

    def decline_amendment(self, *, reason: str, actor: Actor) -> None:
        proposer = self._require_pending_amendment()
        self._require_side(actor, proposer.other, "decline_amendment")
        self._decline_amendment(reason=require_reason(reason), actor=actor)

    @event("AmendmentDeclined")
    def _decline_amendment(self, *, reason: str, actor: Actor) -> None:
        self.pending_amendment = None

    def withdraw_amendment(self, *, reason: str, actor: Actor) -> None:
        """The proposing party takes its amendment back before the other side answers."""
        proposer = self._require_pending_amendment()
        if not actor.acts_for(self.party_of(proposer)):
            self.side_of(actor)
            raise NotProposedByYou(problem="amendment", proposed_by=proposer.value)
        self._withdraw_amendment(reason=require_reason(reason), actor=actor)

    # withdrawals recorded before a reason was asked for carry none
    @event("AmendmentWithdrawn")
    def _withdraw_amendment(self, *, actor: Actor, reason: str = "") -> None:
        self.pending_amendment = None

    def suspend(self, *, on: date, reason: str, actor: Actor) -> None:
        self._require_in_force("suspend", Status.COUNTERSIGNED)
        self.side_of(actor)
        self._require_within_period(on)
        self._suspend(on=on, reason=require_reason(reason), actor=actor)

    @event("Suspended")
    def _suspend(self, *, on: date, reason: str, actor: Actor) -> None:
        self.status = Status.SUSPENDED
        self.suspensions.append((on, None))

    def resume(self, *, on: date, actor: Actor) -> None:
        self._require_in_force("resume", Status.SUSPENDED)
        self.side_of(actor)
        suspended_on = self.suspensions[-1][0]
        if on < suspended_on:
            raise InvalidValue(field="on", problem="before_suspension", value=on.isoformat())
        self._resume(on=on, actor=actor)

    @event("Resumed")
    def _resume(self, *, on: date, actor: Actor) -> None:
        self.status = Status.COUNTERSIGNED
        self.suspensions[-1] = (self.suspensions[-1][0], on)

    def terminate(self, *, on: date, reason: str, actor: Actor) -> None:
        """Early termination by either party, with a reason; nothing is accepted after it."""
        self._require_in_force("terminate", Status.COUNTERSIGNED, Status.SUSPENDED)
        self.side_of(actor)
        self._terminate(on=on, reason=require_reason(reason), actor=actor)

    @event("Terminated")
    def _terminate(self, *, on: date, reason: str, actor: Actor) -> None:
        self.status = Status.TERMINATED
        self.terminated_on = on
        self.pending_amendment = None

    def record_investment(
        self, *, kind: str, amount: Decimal, invested_on: date, description: str, actor: Actor
    ) -> int:
        """Enterprise investment in the partnership (yuan), dated, for the annual offset."""
        self._require_in_force("record_investment", Status.COUNTERSIGNED, Status.SUSPENDED)
        self.side_of(actor)
        try:
            kind = InvestmentKind(kind).value
        except ValueError:
            raise InvalidValue(field="kind", problem="unknown", value=kind) from None
        self._require_within_period(invested_on)
        number = len(self.investments) + 1
        self._record_investment(
            number=number,
            kind=kind,
            amount=require_positive(amount),
            invested_on=invested_on,
            description=require_plain(description, "description"),
            actor=actor,
        )
        return number

    @event("InvestmentRecorded")
    def _record_investment(
        self,
        *,
        number: int,
        kind: str,
        amount: Decimal,
        invested_on: date,
        description: str,
        actor: Actor,
    ) -> None:
        self.investments.append(
            Investment(number, InvestmentKind(kind), amount, invested_on, description)
        )

    def plan_investment(self, *, amount: Decimal, actor: Actor) -> None:
        """The enterprise's planned investment over the period in yuan: an intent, which
        recorded investments (with their dates) then bear out or not."""
        self._require_open()
        self._require_side(actor, Side.ENTERPRISE, "plan_investment")
        self._plan_investment(amount=require_positive(amount, "planned_investment"), actor=actor)

    @event("InvestmentPlanned")
    def _plan_investment(self, *, amount: Decimal, actor: Actor) -> None:
        self.planned_investment = amount

    def correct_investment(
        self, *, number: int, amount: Decimal, invested_on: date, reason: str, actor: Actor
    ) -> None:
        """Fix a wrongly entered amount or date; the recorded investment stays in the log."""
        self.side_of(actor)
        if not 1 <= number <= len(self.investments):
            raise InvalidValue(field="number", problem="unknown", value=number)
        self._require_within_period(invested_on)
        self._correct_investment(
            number=number,
            amount=require_positive(amount),
            invested_on=invested_on,
            reason=require_reason(reason),
            actor=actor,
        )

    @event("InvestmentCorrected")
    def _correct_investment(
        self, *, number: int, amount: Decimal, invested_on: date, reason: str, actor: Actor
    ) -> None:
        old = self.investments[number - 1]
        self.investments[number - 1] = Investment(
            number, old.kind, amount, invested_on, old.description
        )

    def correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        """A registry correction of a data-entry error; changing terms needs an amendment."""
        require_administrator(actor, "correct_agreement")
        value, reason = check_correction(self.CORRECTABLE, field, value, reason)
        self._correct(field=field, value=value, reason=reason, actor=actor)

    @event("Corrected")
    def _correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        setattr(self, field, value)

    # --- queries on effective dates ---------------------------------------------------------

    def _require_within_period(self, day: date) -> None:
        if not self.terms.starts_on <= day <= self.terms.ends_on:
            raise DateOutsidePeriod(
                date=day.isoformat(),
                starts_on=self.terms.starts_on.isoformat(),
                ends_on=self.terms.ends_on.isoformat(),
            )

    def is_suspended_on(self, day: date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in self.suspensions)

    def is_active_on(self, day: date) -> bool:
        """Countersigned, within its period, not suspended and not yet terminated on ``day``."""
        if self.countersigned_on is None or self.status is Status.DECLINED:
            return False
        if not self.terms.starts_on <= day <= self.terms.ends_on:
            return False
        if self.terminated_on is not None and day >= self.terminated_on:
            return False
        return not self.is_suspended_on(day)

    def status_on(self, day: date) -> StatusOn:
        """The lifecycle state on ``day``, including the states no event marks (expiry)."""
        if self.status in (Status.PROPOSED, Status.DECLINED, Status.WITHDRAWN):
            return StatusOn(self.status.value)
        if self.terminated_on is not None and day >= self.terminated_on:
            return StatusOn.TERMINATED
        if day > self.terms.ends_on:
            return StatusOn.EXPIRED
        if day < self.terms.starts_on:
            return StatusOn.NOT_YET_STARTED
        if self.is_suspended_on(day):
            return StatusOn.SUSPENDED
        return StatusOn.ACTIVE
