"""Internships and apprenticeships 学生实习 / 企业新型学徒制 (§四(六)4, §四(五)2).

One student with one enterprise under an active agreement that allows placements. The rules
of the 2021 national internship regulations the plan cites (《职业学校学生实习管理规定》) are
checked here: cover before start, a tripartite agreement before a post internship, no post
internship under 16 or in the first school year, at most 6 months without a recorded
exception, no intermediary agencies. Working arrangements and fees are recorded as reported
and answered as violations; they are never refused.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.actors import Actor
from domain.agreement import CooperationAgreement, Mode
from domain.coverage import missing_kinds
from domain.errors import DomainError, InvalidTransition, InvalidValue, NotPermitted
from domain.insurance import InsurancePolicy, PlacementOfAnotherParty, validate_policy_kind
from domain.prefectures import validate_prefecture
from domain.record import Record
from domain.rules import (
    require_period,
    require_plain,
    require_positive,
    require_reason,
    require_text,
)
from domain.student import StudentFacts


class PlacementKind(StrEnum):
    COGNITIVE_INTERNSHIP = "cognitive_internship"
    POST_INTERNSHIP = "post_internship"
    APPRENTICESHIP = "apprenticeship"


class IncidentSeverity(StrEnum):
    MINOR = "minor"
    SERIOUS = "serious"
    MAJOR = "major"
    FATAL = "fatal"


class ClaimOutcome(StrEnum):
    PAID = "paid"
    REJECTED = "rejected"


class PlacementStatus(StrEnum):
    REGISTERED = "registered"
    STARTED = "started"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


PLACEMENT_MODES = frozenset(
    {Mode.INTERNSHIP_BASE, Mode.TRAINING_BASE_IN_ENTERPRISE, Mode.APPRENTICESHIP, Mode.ORDER_CLASS}
)
DEFAULT_REQUIRED_COVER: dict[str, list[str]] = {
    "cognitive_internship": ["internship_liability", "personal_accident"],
    "post_internship": ["internship_liability", "personal_accident"],
    "apprenticeship": ["personal_accident", "work_injury"],
}
MINIMUM_AGE = 16
MAX_POST_INTERNSHIP_MONTHS = 6
MINIMUM_PAY_SHARE = Decimal("0.8")


class PlacementOutsideAgreement(DomainError):
    """The agreement is not active over the whole placement period."""

    code = "placement_outside_agreement"


class AgreementAllowsNoPlacements(DomainError):
    """The agreement has no mode under which students can be placed."""

    code = "agreement_allows_no_placements"


class StudentNotAtSchool(DomainError):
    """The student is not at the school that signed the agreement."""

    code = "student_not_at_agreement_school"


class StudentUnder16(DomainError):
    """No post internship for a student under 16 on its start date."""

    code = "student_under_16"


class FirstSchoolYear(DomainError):
    """No post internship for a student in the first school year."""

    code = "first_school_year"


class PostInternshipTooLong(DomainError):
    """A post internship of more than 6 months needs a recorded exception with a reason."""

    code = "post_internship_over_six_months"


class IntermediaryRefused(DomainError):
    """A placement arranged through an intermediary agency is refused (the attempt is recorded)."""

    code = "intermediary_refused"


class TripartiteAgreementMissing(DomainError):
    """A post internship cannot start before the school–enterprise–student agreement is recorded."""

    code = "tripartite_agreement_missing"


class CoverMissing(DomainError):
    """The placement cannot start: required insurance is not in force on the start date."""

    code = "cover_missing"


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_within_six_months(starts_on: date) -> date:
    return add_months(starts_on, MAX_POST_INTERNSHIP_MONTHS) - timedelta(days=1)


def validate_required_cover(kinds: list[str]) -> list[str]:
    if not kinds:
        raise InvalidValue(field="required_cover", problem="required")
    return sorted({validate_policy_kind(k) for k in kinds})


@dataclass(frozen=True)
class WorkingArrangement:
    effective_on: date
    pay: Decimal
    post_wage: Decimal | None
    night_shifts: bool
    overtime: bool
    holiday_work: bool


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    purpose: str
    reported_by: str
    charged_on: date


@dataclass(frozen=True)
class Incident:
    occurred_on: date
    severity: str
    description: str


@dataclass(frozen=True)
class Claim:
    number: int
    policy_id: UUID
    filed_on: date
    amount: Decimal
    outcome: str | None = None
    amount_paid: Decimal | None = None


class Placement(Record):
    """A student's internship or apprenticeship with an enterprise."""

    SEVERITIES: ClassVar[tuple[str, ...]] = tuple(IncidentSeverity)

    @staticmethod
    def create_id(placement_id: UUID | None = None) -> UUID:
        return placement_id or uuid4()

    # --- registration ---------------------------------------------------------------------

    @classmethod
    def register(
        cls,
        *,
        student: StudentFacts,
        agreement: CooperationAgreement,
        kind: str,
        position: str,
        workplace_prefecture: str,
        starts_on: date,
        ends_on: date,
        pay: Decimal | None,
        mentor: str,
        supervising_teacher: str,
        required_cover: list[str],
        actor: Actor,
        duration_exception: str = "",
        placement_id: UUID | None = None,
    ) -> Placement:
        """Register a placement; ``student`` holds facts derived for ``starts_on``."""
        _require_school(actor, agreement.school_id, "register_placement")
        try:
            kind = PlacementKind(kind).value
        except ValueError:
            raise InvalidValue(field="kind", problem="unknown", value=kind) from None
        require_period(starts_on, ends_on)
        _check_agreement(student, agreement, starts_on, ends_on)
        exception = require_plain(duration_exception, "duration_exception", multiline=True)
        if kind == PlacementKind.POST_INTERNSHIP:
            _check_post_internship_student(student, starts_on)
            limit = last_day_within_six_months(starts_on)
            if ends_on > limit and not exception:
                raise PostInternshipTooLong(ends_on=ends_on.isoformat(), limit=limit.isoformat())
        if pay is not None and (not pay.is_finite() or pay < 0):
            raise InvalidValue(field="pay", problem="negative", value=str(pay))
        placement: Placement = cls(
            placement_id=placement_id,
            student_id=student.student_id,
            school_id=student.school_id,
            enterprise_id=agreement.enterprise_id,
            agreement_id=agreement.id,
            kind=kind,
            position=require_text(position, "position"),
            workplace_prefecture=validate_prefecture(workplace_prefecture),
            starts_on=starts_on,
            ends_on=ends_on,
            pay=pay,
            mentor=require_text(mentor, "mentor", 40),
            supervising_teacher=require_text(supervising_teacher, "supervising_teacher", 40),
            required_cover=validate_required_cover(required_cover),
            duration_exception=exception or None,
            actor=actor,
        )
        return placement

    @event("Registered")
    def __init__(
        self,
        *,
        placement_id: UUID | None,
        student_id: UUID,
        school_id: UUID,
        enterprise_id: UUID,
        agreement_id: UUID,
        kind: str,
        position: str,
        workplace_prefecture: str,
        starts_on: date,
        ends_on: date,
        pay: Decimal | None,
        mentor: str,
        supervising_teacher: str,
        required_cover: list[str],
        duration_exception: str | None,
        actor: Actor,
    ) -> None:
        self.student_id = student_id
        self.school_id = school_id
        self.enterprise_id = enterprise_id
        self.agreement_id = agreement_id
        self.kind = PlacementKind(kind)
        self.position = position
        self.workplace_prefecture = workplace_prefecture
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.pay = pay
        self.mentor = mentor
        self.supervising_teacher = supervising_teacher
        self.required_cover = tuple(required_cover)
        self.duration_exception = duration_exception
        self.status = PlacementStatus.REGISTERED
        self.tripartite_signed_on: date | None = None
        self.started_on: date | None = None
        self.ended_on: date | None = None
        self.suspensions: list[tuple[date, date | None]] = []
        self.policy_ids: list[UUID] = []
        self.arrangements: list[WorkingArrangement] = []
        self.fees: list[Fee] = []
        self.incidents: list[Incident] = []
        self.claims: list[Claim] = []

    # --- who acts ---------------------------------------------------------------------------

    def _require_party(self, actor: Actor, action: str) -> None:
        if not (
            actor.acts_for(self.school_id)
            or actor.acts_for(self.enterprise_id)
            or actor.is_administrator
        ):
            raise NotPermitted(action=action, role=str(actor.role))

    def _require_status(self, action: str, *allowed: PlacementStatus) -> None:
        if self.status not in allowed:
            raise InvalidTransition(action=action, status=self.status.value)

    # --- before the start -------------------------------------------------------------------

    def record_tripartite_agreement(self, *, signed_on: date, actor: Actor) -> None:
        """三方协议: school, enterprise and student; required before a post internship starts."""
        self._require_party(actor, "record_tripartite_agreement")
        self._require_status("record_tripartite_agreement", PlacementStatus.REGISTERED)
        self._record_tripartite_agreement(signed_on=signed_on, actor=actor)

    @event("TripartiteAgreementRecorded")
    def _record_tripartite_agreement(self, *, signed_on: date, actor: Actor) -> None:
        self.tripartite_signed_on = signed_on

    def record_duration_exception(self, *, reason: str, actor: Actor) -> None:
        """The reason a post internship may run longer than 6 months."""
        self._require_party(actor, "record_duration_exception")
        self._require_status(
            "record_duration_exception",
            PlacementStatus.REGISTERED,
            PlacementStatus.STARTED,
            PlacementStatus.SUSPENDED,
        )
        self._record_duration_exception(reason=require_reason(reason), actor=actor)

    @event("DurationExceptionRecorded")
    def _record_duration_exception(self, *, reason: str, actor: Actor) -> None:
        self.duration_exception = reason

    def link_policy(self, *, policy: InsurancePolicy, actor: Actor) -> None:
        """Remember a policy that lists this placement, so its cover can be checked; only a
        policy held by the placement's school or enterprise."""
        if not policy.holder_is_party_of(self):
            raise PlacementOfAnotherParty(
                placement_id=str(self.id), holder_id=str(policy.holder_id)
            )
        if policy.id not in self.policy_ids:
            self._link_policy(policy_id=policy.id, actor=actor)

    @event("PolicyLinked")
    def _link_policy(self, *, policy_id: UUID, actor: Actor) -> None:
        self.policy_ids.append(policy_id)

    def unlink_cross_party_policy(
        self, *, policy: InsurancePolicy, reason: str, actor: Actor
    ) -> None:
        """Forget a policy of another party linked before the party rule was enforced (the
        policy's own correction, ``remove_cross_party_placements``, goes with it)."""
        if not (actor.acts_for(policy.holder_id) or actor.is_administrator):
            raise NotPermitted(action="remove_cross_party_placements", role=str(actor.role))
        if policy.id in self.policy_ids and not policy.holder_is_party_of(self):
            self._unlink_policy(policy_id=policy.id, reason=require_reason(reason), actor=actor)

    @event("PolicyUnlinked")
    def _unlink_policy(self, *, policy_id: UUID, reason: str, actor: Actor) -> None:
        self.policy_ids.remove(policy_id)

    def countable_policies(self, policies: list[InsurancePolicy]) -> list[InsurancePolicy]:
        """The policies whose cover counts: those held by the school or the enterprise (a link
        to another party's policy, recorded before the rule, is a finding, never cover)."""
        return [policy for policy in policies if policy.holder_is_party_of(self)]

    # --- lifecycle --------------------------------------------------------------------------

    def start(
        self,
        *,
        on: date,
        agreement: CooperationAgreement,
        student: StudentFacts,
        policies: list[InsurancePolicy],
        actor: Actor,
    ) -> None:
        """Start only with every required kind of cover in force on the start day."""
        self._require_party(actor, "start_placement")
        self._require_status("start_placement", PlacementStatus.REGISTERED)
        if not agreement.is_active_on(on):
            raise PlacementOutsideAgreement(
                starts_on=on.isoformat(),
                ends_on=on.isoformat(),
                agreement_starts_on=agreement.terms.starts_on.isoformat(),
                agreement_ends_on=agreement.terms.ends_on.isoformat(),
            )
        if self.kind is PlacementKind.POST_INTERNSHIP:
            if self.tripartite_signed_on is None or self.tripartite_signed_on > on:
                raise TripartiteAgreementMissing()
            _check_post_internship_student(student, on)
        missing = missing_kinds(self.required_cover, self.countable_policies(policies), self.id, on)
        if missing:
            raise CoverMissing(kinds=missing, on=on.isoformat())
        self._start(on=on, actor=actor)

    @event("Started")
    def _start(self, *, on: date, actor: Actor) -> None:
        self.status = PlacementStatus.STARTED
        self.started_on = on

    def suspend(self, *, on: date, reason: str, actor: Actor) -> None:
        self._require_party(actor, "suspend_placement")
        self._require_status("suspend_placement", PlacementStatus.STARTED)
        self._require_not_before_start(on)
        self._suspend(on=on, reason=require_reason(reason), actor=actor)

    @event("Suspended")
    def _suspend(self, *, on: date, reason: str, actor: Actor) -> None:
        self.status = PlacementStatus.SUSPENDED
        self.suspensions.append((on, None))

    def resume(self, *, on: date, actor: Actor) -> None:
        self._require_party(actor, "resume_placement")
        self._require_status("resume_placement", PlacementStatus.SUSPENDED)
        if on < self.suspensions[-1][0]:
            raise InvalidValue(field="on", problem="before_suspension", value=on.isoformat())
        self._resume(on=on, actor=actor)

    @event("Resumed")
    def _resume(self, *, on: date, actor: Actor) -> None:
        self.status = PlacementStatus.STARTED
        self.suspensions[-1] = (self.suspensions[-1][0], on)

    def complete(self, *, on: date, actor: Actor) -> None:
        self._require_party(actor, "complete_placement")
        self._require_status("complete_placement", PlacementStatus.STARTED)
        self._require_not_before_start(on)
        self._complete(on=on, actor=actor)

    @event("Completed")
    def _complete(self, *, on: date, actor: Actor) -> None:
        self.status = PlacementStatus.COMPLETED
        self.ended_on = on

    def end_early(self, *, on: date, reason: str, actor: Actor) -> None:
        self._require_party(actor, "end_placement")
        self._require_status(
            "end_placement",
            PlacementStatus.REGISTERED,
            PlacementStatus.STARTED,
            PlacementStatus.SUSPENDED,
        )
        self._require_not_before_start(on)
        self._end_early(on=on, reason=require_reason(reason), actor=actor)

    @event("EndedEarly")
    def _end_early(self, *, on: date, reason: str, actor: Actor) -> None:
        self.status = PlacementStatus.ENDED_EARLY
        self.ended_on = on

    def _require_not_before_start(self, on: date) -> None:
        if self.started_on is not None and on < self.started_on:
            raise InvalidValue(field="on", problem="before_start", value=on.isoformat())

    # --- what happens during it: recorded, answered as violations, never refused ----------

    def record_working_arrangement(
        self,
        *,
        effective_on: date,
        pay: Decimal,
        post_wage: Decimal | None,
        night_shifts: bool,
        overtime: bool,
        holiday_work: bool,
        actor: Actor,
    ) -> None:
        """Pay, the same post's wage, and night, overtime and holiday work, as reported."""
        self._require_party(actor, "record_working_arrangement")
        if not pay.is_finite() or pay < 0:
            raise InvalidValue(field="pay", problem="negative", value=str(pay))
        if post_wage is not None:
            require_positive(post_wage, "post_wage")
        self._record_working_arrangement(
            effective_on=effective_on,
            pay=pay,
            post_wage=post_wage,
            night_shifts=night_shifts,
            overtime=overtime,
            holiday_work=holiday_work,
            actor=actor,
        )

    @event("WorkingArrangementRecorded")
    def _record_working_arrangement(
        self,
        *,
        effective_on: date,
        pay: Decimal,
        post_wage: Decimal | None,
        night_shifts: bool,
        overtime: bool,
        holiday_work: bool,
        actor: Actor,
    ) -> None:
        self.arrangements.append(
            WorkingArrangement(effective_on, pay, post_wage, night_shifts, overtime, holiday_work)
        )

    def report_fee(
        self, *, amount: Decimal, purpose: str, reported_by: str, charged_on: date, actor: Actor
    ) -> None:
        """严禁向学生违规收取实习实训费用: a fee is recorded whoever reports it, in any state."""
        self._report_fee(
            amount=require_positive(amount),
            purpose=require_text(purpose, "purpose"),
            reported_by=require_text(reported_by, "reported_by", 100),
            charged_on=charged_on,
            actor=actor,
        )

    @event("FeeReported")
    def _report_fee(
        self, *, amount: Decimal, purpose: str, reported_by: str, charged_on: date, actor: Actor
    ) -> None:
        self.fees.append(Fee(amount, purpose, reported_by, charged_on))

    def record_incident(
        self, *, occurred_on: date, severity: str, description: str, actor: Actor
    ) -> int:
        self._require_party(actor, "record_incident")
        if severity not in self.SEVERITIES:
            raise InvalidValue(field="severity", problem="unknown", value=severity)
        self._record_incident(
            occurred_on=occurred_on,
            severity=severity,
            description=require_text(description, "description", 2000, multiline=True),
            actor=actor,
        )
        return len(self.incidents)

    @event("IncidentRecorded")
    def _record_incident(
        self, *, occurred_on: date, severity: str, description: str, actor: Actor
    ) -> None:
        self.incidents.append(Incident(occurred_on, severity, description))

    def file_claim(self, *, policy_id: UUID, filed_on: date, amount: Decimal, actor: Actor) -> int:
        """An insurance claim against one of the policies covering this placement."""
        self._require_party(actor, "file_claim")
        if policy_id not in self.policy_ids:
            raise InvalidValue(field="policy_id", problem="not_covering", value=str(policy_id))
        number = len(self.claims) + 1
        self._file_claim(
            number=number,
            policy_id=policy_id,
            filed_on=filed_on,
            amount=require_positive(amount),
            actor=actor,
        )
        return number

    @event("ClaimFiled")
    def _file_claim(
        self, *, number: int, policy_id: UUID, filed_on: date, amount: Decimal, actor: Actor
    ) -> None:
        self.claims.append(Claim(number, policy_id, filed_on, amount))

    def settle_claim(
        self, *, number: int, outcome: str, amount_paid: Decimal, actor: Actor
    ) -> None:
        self._require_party(actor, "settle_claim")
        if not 1 <= number <= len(self.claims) or self.claims[number - 1].outcome:
            raise InvalidValue(field="number", problem="no_open_claim", value=number)
        if outcome not in tuple(ClaimOutcome):
            raise InvalidValue(field="outcome", problem="unknown", value=outcome)
        if amount_paid < 0:
            raise InvalidValue(field="amount_paid", problem="negative", value=str(amount_paid))
        self._settle_claim(number=number, outcome=outcome, amount_paid=amount_paid, actor=actor)

    @event("ClaimSettled")
    def _settle_claim(
        self, *, number: int, outcome: str, amount_paid: Decimal, actor: Actor
    ) -> None:
        claim = self.claims[number - 1]
        self.claims[number - 1] = Claim(
            claim.number, claim.policy_id, claim.filed_on, claim.amount, outcome, amount_paid
        )

    # --- queries on effective dates ---------------------------------------------------------

    def is_running_on(self, day: date) -> bool:
        """Started by ``day`` and not yet ended (a suspension does not end it)."""
        if self.started_on is None or day < self.started_on:
            return False
        return self.ended_on is None or day < self.ended_on

    def overrun_from(self) -> date | None:
        """The first day a post internship runs past 6 months without a recorded exception."""
        if self.kind is not PlacementKind.POST_INTERNSHIP or self.duration_exception:
            return None
        if self.started_on is None:
            return None
        return last_day_within_six_months(self.started_on) + timedelta(days=1)

    def working_violations(self) -> list[str]:
        """Violations in the latest working arrangement, as rule ids."""
        if not self.arrangements:
            return []
        current = self.arrangements[-1]
        found = []
        if (
            self.kind is PlacementKind.POST_INTERNSHIP
            and current.post_wage is not None
            and current.pay < current.post_wage * MINIMUM_PAY_SHARE
        ):
            found.append("pay_below_80_percent")
        if current.night_shifts:
            found.append("night_shift")
        if current.overtime:
            found.append("overtime")
        if current.holiday_work:
            found.append("holiday_work")
        return found


class IntermediaryAttempt(Record):
    """禁止通过中介机构安排实习: an attempt to place a student through an intermediary agency.

    The placement itself is refused; the attempt is kept as its own record so that it is
    answerable as a violation.
    """

    @staticmethod
    def create_id(attempt_id: UUID | None = None) -> UUID:
        return attempt_id or uuid4()

    @classmethod
    def record(
        cls,
        *,
        student: StudentFacts,
        agreement: CooperationAgreement,
        kind: str,
        intermediary: str,
        actor: Actor,
        attempt_id: UUID | None = None,
    ) -> IntermediaryAttempt:
        _require_school(actor, student.school_id, "register_placement")
        try:
            kind = PlacementKind(kind).value
        except ValueError:
            raise InvalidValue(field="kind", problem="unknown", value=kind) from None
        attempt: IntermediaryAttempt = cls(
            attempt_id=attempt_id,
            student_id=student.student_id,
            school_id=student.school_id,
            enterprise_id=agreement.enterprise_id,
            agreement_id=agreement.id,
            kind=kind,
            intermediary=require_text(intermediary, "intermediary"),
            actor=actor,
        )
        return attempt

    @event("Recorded")
    def __init__(
        self,
        *,
        attempt_id: UUID | None,
        student_id: UUID,
        school_id: UUID,
        enterprise_id: UUID,
        agreement_id: UUID,
        kind: str,
        intermediary: str,
        actor: Actor,
    ) -> None:
        self.student_id = student_id
        self.school_id = school_id
        self.enterprise_id = enterprise_id
        self.agreement_id = agreement_id
        self.kind = PlacementKind(kind)
        self.intermediary = intermediary

    def answer_repeat(self) -> None:
        """The same registration sent again is refused again; the attempt stays recorded once."""
        raise IntermediaryRefused(attempt_id=str(self.id), intermediary=self.intermediary)


def _require_school(actor: Actor, school_id: UUID, action: str) -> None:
    if not (actor.acts_for(school_id) or actor.is_administrator):
        raise NotPermitted(action=action, role=str(actor.role))


def _check_agreement(
    student: StudentFacts, agreement: CooperationAgreement, starts_on: date, ends_on: date
) -> None:
    if agreement.school_id != student.school_id:
        raise StudentNotAtSchool(
            student_id=str(student.student_id), school_id=str(agreement.school_id)
        )
    if not PLACEMENT_MODES.intersection(agreement.terms.modes):
        raise AgreementAllowsNoPlacements(
            modes=[m.value for m in agreement.terms.modes],
            allowed=sorted(m.value for m in PLACEMENT_MODES),
        )
    if not (agreement.is_active_on(starts_on) and agreement.is_active_on(ends_on)):
        raise PlacementOutsideAgreement(
            starts_on=starts_on.isoformat(),
            ends_on=ends_on.isoformat(),
            agreement_starts_on=agreement.terms.starts_on.isoformat(),
            agreement_ends_on=agreement.terms.ends_on.isoformat(),
        )


def _check_post_internship_student(student: StudentFacts, on: date) -> None:
    if student.age < MINIMUM_AGE:
        raise StudentUnder16(age=student.age, on=on.isoformat())
    if student.school_year < 2:
        raise FirstSchoolYear(school_year=student.school_year, on=on.isoformat())
