"""Annual statistics returns 年度统计报表, per school and year (专栏1 items 3–7, §四(六)1).

A school files its figures once per year; a later correction is a new event with a reason,
so both the filed and the corrected figures stay visible with the day each was recorded. The
province administrator sets each year's filing deadline; a return recorded after it is
accepted and marked late. "As filed" means as recorded by the deadline
(docs/domain.md#dates-ratios-and-states-without-events).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from domain.actors import Actor
from domain.errors import DomainError, InvalidValue, NotPermitted
from domain.record import Record
from domain.rules import require_administrator, require_party_or_administrator, require_reason
from domain.school import School

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:sichuan-coop-registry:annual-return")
FIGURES = (
    "enrollment",
    "students",
    "senior_students",
    "graduates",
    "employed",
    "training_person_times",
)


class NegativeFigure(DomainError):
    """A figure of a statistics return is negative."""

    code = "figure_negative"


class EmployedExceedsGraduates(DomainError):
    """Graduates employed at first destination cannot outnumber the graduates."""

    code = "employed_exceeds_graduates"


class SeniorExceedsStudents(DomainError):
    """Students in senior-class and above cannot outnumber the students."""

    code = "senior_exceeds_students"


class YearNotOver(DomainError):
    """A year's return is filed after that year has ended."""

    code = "year_not_over"


class NoReturnForYear(DomainError):
    """The school did not exist in that year, so it files no return for it."""

    code = "no_return_for_year"


class ReturnAlreadyFiled(DomainError):
    """The school has filed that year's return already; file a correction instead."""

    code = "return_already_filed"


class NothingToCorrect(DomainError):
    """The corrected figures are the same as the figures on record."""

    code = "nothing_to_correct"


class DeadlineBeforeYearEnd(DomainError):
    """A year's filing deadline falls after that year has ended."""

    code = "deadline_before_year_end"


@dataclass(frozen=True)
class Figures:
    enrollment: int
    students: int
    senior_students: int
    graduates: int
    employed: int
    training_person_times: int


@dataclass(frozen=True)
class Revision:
    """One recorded set of figures: the filing (``reason`` None) or a correction."""

    version: int
    figures: Figures
    recorded_on: date
    reason: str | None = None


def validate_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidValue(field="year", problem="out_of_range", value=year)
    return year


def validate_figures(figures: Mapping[str, object]) -> dict[str, int]:
    """Every figure present, a whole number, not negative, and consistent with the others."""
    for field in figures:
        if field not in FIGURES:
            raise InvalidValue(field=field, problem="unknown_field")
    checked: dict[str, int] = {}
    for field in FIGURES:
        if field not in figures:
            raise InvalidValue(field=field, problem="required")
        value = figures[field]
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(field=field, problem="not_an_integer", value=str(value))
        if value < 0:
            raise NegativeFigure(field=field, value=value)
        checked[field] = value
    if checked["employed"] > checked["graduates"]:
        raise EmployedExceedsGraduates(employed=checked["employed"], graduates=checked["graduates"])
    if checked["senior_students"] > checked["students"]:
        raise SeniorExceedsStudents(
            senior_students=checked["senior_students"], students=checked["students"]
        )
    return checked


class ReturnDeadline(Record):
    """The filing deadline of one year's returns, set (and moved) by the province."""

    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(_NAMESPACE, f"deadline/{year}")

    @staticmethod
    def _check(year: int, due_on: date) -> None:
        if due_on.year <= year:
            raise DeadlineBeforeYearEnd(year=year, due_on=due_on.isoformat())

    @classmethod
    def set(cls, *, year: int, due_on: date, actor: Actor) -> ReturnDeadline:
        require_administrator(actor, "set_return_deadline")
        cls._check(validate_year(year), due_on)
        deadline: ReturnDeadline = cls(year=year, due_on=due_on, actor=actor)
        return deadline

    @event("Set")
    def __init__(self, *, year: int, due_on: date, actor: Actor) -> None:
        self.year = year
        self.due_on = due_on

    def move(self, *, due_on: date, reason: str, actor: Actor) -> None:
        """A moved deadline leaves the late marks already recorded as they were."""
        require_administrator(actor, "move_return_deadline")
        self._check(self.year, due_on)
        self._move(due_on=due_on, reason=require_reason(reason), actor=actor)

    @event("Moved")
    def _move(self, *, due_on: date, reason: str, actor: Actor) -> None:
        self.due_on = due_on


class AnnualReturn(Record):
    """One school's statistics for one year; filed once, corrected by new events."""

    @staticmethod
    def create_id(school_id: UUID, year: int) -> UUID:
        return uuid5(_NAMESPACE, f"{school_id}/{year}")

    @classmethod
    def file(
        cls,
        *,
        school: School,
        year: int,
        figures: Mapping[str, object],
        recorded_on: date,
        deadline: date | None,
        actor: Actor,
    ) -> AnnualReturn:
        """``recorded_on`` is the Asia/Shanghai day of filing; after ``deadline`` it is late."""
        if not actor.acts_for(school.id):
            raise NotPermitted(action="file_return", role=str(actor.role))
        validate_year(year)
        if recorded_on.year <= year:
            raise YearNotOver(year=year, recorded_on=recorded_on.isoformat())
        if school.established_on.year > year:
            raise NoReturnForYear(year=year, established_on=school.established_on.isoformat())
        if school.withdrawn_on is not None and school.withdrawn_on.year < year:
            raise NoReturnForYear(year=year, withdrawn_on=school.withdrawn_on.isoformat())
        annual_return: AnnualReturn = cls(
            school_id=school.id,
            year=year,
            figures=validate_figures(figures),
            recorded_on=recorded_on,
            deadline=deadline,
            late=deadline is not None and recorded_on > deadline,
            actor=actor,
        )
        return annual_return

    @event("Filed")
    def __init__(
        self,
        *,
        school_id: UUID,
        year: int,
        figures: dict[str, int],
        recorded_on: date,
        deadline: date | None,
        late: bool,
        actor: Actor,
    ) -> None:
        self.school_id = school_id
        self.year = year
        self.deadline = deadline
        self.late = late
        self.revisions = [Revision(1, Figures(**figures), recorded_on)]

    def correct(
        self, *, figures: Mapping[str, object], reason: str, recorded_on: date, actor: Actor
    ) -> None:
        """A new set of figures with its reason; the filed figures stay on record."""
        require_party_or_administrator(actor, self.school_id, "correct_return")
        checked = validate_figures(figures)
        if Figures(**checked) == self.figures:
            raise NothingToCorrect(school_id=str(self.school_id), year=self.year)
        self._correct(
            figures=checked, reason=require_reason(reason), recorded_on=recorded_on, actor=actor
        )

    @event("Corrected")
    def _correct(
        self, *, figures: dict[str, int], reason: str, recorded_on: date, actor: Actor
    ) -> None:
        self.revisions.append(Revision(self.version + 1, Figures(**figures), recorded_on, reason))

    # --- queries ----------------------------------------------------------------------------

    @property
    def figures(self) -> Figures:
        """The figures as corrected since filing (the latest revision)."""
        return self.revisions[-1].figures

    @property
    def as_filed(self) -> Revision:
        return self.revisions[0]

    def as_recorded_by(self, day: date) -> Figures | None:
        """The figures on record at the end of ``day`` (None if not yet filed by then).

        With the year's deadline as ``day`` this is the return "as filed by the deadline".
        """
        recorded = [r for r in self.revisions if r.recorded_on <= day]
        return recorded[-1].figures if recorded else None
