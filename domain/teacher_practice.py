"""Teachers' enterprise practice 教师企业实践 (§四(三)4, 专栏5 item 1).

专业课教师 spend at least 6 months in enterprise practice in every 5 years. A teacher is known
only by school and staff number (the registry keeps no names); periods are logged at an
enterprise under an agreement with a ``teacher_practice_station`` mode, on dates when that
agreement is active. "6 months" is counted as 180 days of practice, so any six whole
calendar months (at least 181 days) meet it; the 5 years are the window ending on the day asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Actor
from domain.agreement import AgreementNotInForce, CooperationAgreement, Mode, Status
from domain.errors import DomainError, InvalidValue, NotPermitted
from domain.record import Record
from domain.rules import require_period, require_reason
from domain.school import School, SchoolWithdrawn

REQUIRED_DAYS = 180
WINDOW_YEARS = 5
_NAMESPACE = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:teacher")
_STAFF_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


class InvalidStaffNumber(DomainError):
    """A staff number is 1–32 letters, digits, dots, dashes or underscores (never a name)."""

    code = "staff_number_invalid"


class NotTheSchoolsAgreement(DomainError):
    """The agreement binds another school, not the teacher's."""

    code = "agreement_of_another_school"


class NoPracticeStation(DomainError):
    """The agreement has no teacher practice station mode (教师企业实践工作站)."""

    code = "no_teacher_practice_station"


class PracticeOutsideAgreement(DomainError):
    """The practice period falls outside the dates on which the agreement is active."""

    code = "practice_outside_agreement"


class PracticeOverlaps(DomainError):
    """The practice period overlaps another period logged for the same teacher."""

    code = "practice_overlaps"


@dataclass(frozen=True)
class PracticePeriod:
    number: int
    agreement_id: UUID
    enterprise_id: UUID
    starts_on: date
    ends_on: date
    cancelled: bool = False

    def days_within(self, first: date, last: date) -> int:
        start, end = max(self.starts_on, first), min(self.ends_on, last)
        return (end - start).days + 1 if start <= end else 0


def active_spans(agreement: CooperationAgreement) -> list[tuple[date, date]]:
    """The agreement's active dates as closed intervals: its period, less suspensions and
    everything from an early termination on."""
    if agreement.countersigned_on is None or agreement.status is Status.DECLINED:
        return []
    last = agreement.terms.ends_on
    if agreement.terminated_on is not None:
        last = min(last, agreement.terminated_on - timedelta(days=1))
    spans: list[tuple[date, date]] = []
    start = agreement.terms.starts_on
    for suspended_on, resumed_on in sorted(agreement.suspensions):
        if suspended_on > start:
            spans.append((start, min(last, suspended_on - timedelta(days=1))))
        if resumed_on is None:
            start = last + timedelta(days=1)
            break
        start = max(start, resumed_on)
    if start <= last:
        spans.append((start, last))
    return [(a, b) for a, b in spans if a <= b]


def five_years_before(day: date) -> date:
    """The first day of the 5-year window that ends on ``day``."""
    try:
        start = day.replace(year=day.year - WINDOW_YEARS)
    except ValueError:  # 29 February
        start = day.replace(year=day.year - WINDOW_YEARS, day=28)
    return start + timedelta(days=1)


def validate_staff_number(staff_number: str) -> str:
    staff_number = staff_number.strip()
    if not _STAFF_NUMBER.fullmatch(staff_number):
        raise InvalidStaffNumber(staff_number=staff_number)
    return staff_number


class TeacherPractice(Record):
    """One teacher's practice log, keyed by school and staff number."""

    @staticmethod
    def create_id(school_id: UUID, staff_number: str) -> UUID:
        return uuid5(_NAMESPACE, f"{school_id}/{staff_number}")

    @classmethod
    def register(cls, *, school: School, staff_number: str, actor: Actor) -> TeacherPractice:
        if not actor.acts_for(school.id):
            raise NotPermitted(action="register_teacher", role=str(actor.role))
        if school.is_withdrawn:
            raise SchoolWithdrawn(school_id=str(school.id))
        teacher: TeacherPractice = cls(
            school_id=school.id, staff_number=validate_staff_number(staff_number), actor=actor
        )
        return teacher

    @event("Registered")
    def __init__(self, *, school_id: UUID, staff_number: str, actor: Actor) -> None:
        self.school_id = school_id
        self.staff_number = staff_number
        self.periods: list[PracticePeriod] = []

    def log_period(
        self,
        *,
        agreement: CooperationAgreement,
        starts_on: date,
        ends_on: date,
        actor: Actor,
    ) -> int:
        """Log a period at the agreement's enterprise; returns the period's number."""
        if not actor.acts_for(self.school_id):
            raise NotPermitted(action="log_practice", role=str(actor.role))
        require_period(starts_on, ends_on)
        if agreement.school_id != self.school_id:
            raise NotTheSchoolsAgreement(
                agreement_id=str(agreement.id), school_id=str(self.school_id)
            )
        if Mode.TEACHER_PRACTICE_STATION not in agreement.terms.modes:
            raise NoPracticeStation(
                agreement_id=str(agreement.id), modes=",".join(agreement.terms.modes)
            )
        if agreement.countersigned_on is None or agreement.status is Status.DECLINED:
            raise AgreementNotInForce(action="log_practice", status=agreement.status.value)
        spans = active_spans(agreement)
        if not any(a <= starts_on and ends_on <= b for a, b in spans):
            raise PracticeOutsideAgreement(
                starts_on=starts_on.isoformat(),
                ends_on=ends_on.isoformat(),
                active=", ".join(f"{a.isoformat()} to {b.isoformat()}" for a, b in spans) or "none",
            )
        for other in self.current_periods():
            if other.starts_on <= ends_on and starts_on <= other.ends_on:
                raise PracticeOverlaps(
                    starts_on=starts_on.isoformat(),
                    ends_on=ends_on.isoformat(),
                    other_starts_on=other.starts_on.isoformat(),
                    other_ends_on=other.ends_on.isoformat(),
                )
        number = len(self.periods) + 1
        self._log_period(
            number=number,
            agreement_id=agreement.id,
            enterprise_id=agreement.enterprise_id,
            starts_on=starts_on,
            ends_on=ends_on,
            actor=actor,
        )
        return number

    @event("PeriodLogged")
    def _log_period(
        self,
        *,
        number: int,
        agreement_id: UUID,
        enterprise_id: UUID,
        starts_on: date,
        ends_on: date,
        actor: Actor,
    ) -> None:
        self.periods.append(PracticePeriod(number, agreement_id, enterprise_id, starts_on, ends_on))

    def cancel_period(self, *, number: int, reason: str, actor: Actor) -> None:
        """A period logged by mistake stops counting; its event stays in the log."""
        if not actor.acts_for(self.school_id):
            raise NotPermitted(action="cancel_practice", role=str(actor.role))
        if number not in {p.number for p in self.current_periods()}:
            raise InvalidValue(field="number", problem="unknown", value=number)
        self._cancel_period(number=number, reason=require_reason(reason), actor=actor)

    @event("PeriodCancelled")
    def _cancel_period(self, *, number: int, reason: str, actor: Actor) -> None:
        old = self.periods[number - 1]
        self.periods[number - 1] = PracticePeriod(
            old.number, old.agreement_id, old.enterprise_id, old.starts_on, old.ends_on, True
        )

    # --- the 6-months-in-5-years rule, on any date ------------------------------------------

    def current_periods(self) -> list[PracticePeriod]:
        return [p for p in self.periods if not p.cancelled]

    def practice_days_on(self, day: date) -> int:
        """Days of practice in the 5 years ending on ``day`` (days after ``day`` not counted)."""
        first = five_years_before(day)
        return sum(p.days_within(first, day) for p in self.current_periods())

    def shortfall_on(self, day: date) -> int:
        """Days still missing on ``day`` to meet the rule (0 when met)."""
        return max(0, REQUIRED_DAYS - self.practice_days_on(day))

    def meets_requirement_on(self, day: date) -> bool:
        return self.shortfall_on(day) == 0
