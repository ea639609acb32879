"""Technical schools 技工院校: the three tiers, majors, upgrades and withdrawal (§三, §四(二)1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from domain.actors import Actor
from domain.errors import DomainError, InvalidValue
from domain.prefectures import validate_prefecture
from domain.record import Record
from domain.rules import (
    check_correction,
    require_administrator,
    require_party_or_administrator,
    require_reason,
    require_text,
)
from domain.uscc import party_id_for, validate_uscc


class SchoolKind(StrEnum):
    TECHNICAL_SCHOOL = "technical_school"
    SENIOR_TECHNICAL_SCHOOL = "senior_technical_school"
    TECHNICIAN_COLLEGE = "technician_college"

    @property
    def tier(self) -> int:
        return list(SchoolKind).index(self)


def validate_kind(kind: str) -> SchoolKind:
    try:
        return SchoolKind(kind)
    except ValueError:
        raise InvalidValue(field="kind", problem="unknown", value=kind) from None


class SchoolWithdrawn(DomainError):
    """The school has withdrawn from the registry and can no longer act."""

    code = "school_withdrawn"


class NotAnUpgrade(DomainError):
    """An upgrade must move a school to a higher tier."""

    code = "not_an_upgrade"


class MajorAlreadyOpen(DomainError):
    """The school already runs a major of that name."""

    code = "major_already_open"


class MajorNotOpen(DomainError):
    """The school runs no open major of that name."""

    code = "major_not_open"


@dataclass(frozen=True)
class Major:
    name: str
    opened_year: int
    opened_as: SchoolKind
    closed_year: int | None = None


def _validate_year(year: int, field: str = "year") -> int:
    if not 1949 <= year <= 2100:
        raise InvalidValue(field=field, problem="out_of_range", value=year)
    return year


def _validate_date(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise InvalidValue(field=field, problem="not_a_date", value=str(value))
    return value


class School(Record):
    """A school, identified by its USCC (public schools' codes begin 12, private ones 52)."""

    CORRECTABLE: ClassVar[dict[str, Any]] = {
        "name": lambda v: require_text(str(v), "name"),
        "prefecture": lambda v: validate_prefecture(str(v)),
        "kind": lambda v: validate_kind(str(v)).value,
        "established_on": lambda v: _validate_date(v, "established_on"),
    }

    @staticmethod
    def create_id(uscc: str) -> UUID:
        return party_id_for(uscc)

    @classmethod
    def register(
        cls,
        *,
        uscc: str,
        name: str,
        kind: str,
        prefecture: str,
        established_on: date,
        actor: Actor,
    ) -> School:
        """Register a school; ``established_on`` is when it was recognised (effective date)."""
        require_administrator(actor, "register_school")
        school: School = cls(
            uscc=validate_uscc(uscc),
            name=require_text(name, "name"),
            kind=validate_kind(kind).value,
            prefecture=validate_prefecture(prefecture),
            established_on=established_on,
            actor=actor,
        )
        return school

    @event("Registered")
    def __init__(
        self,
        *,
        uscc: str,
        name: str,
        kind: str,
        prefecture: str,
        established_on: date,
        actor: Actor,
    ) -> None:
        self.uscc = uscc
        self.name = name
        self.kind = SchoolKind(kind)
        self.prefecture = prefecture
        self.established_on = established_on
        self.majors: dict[str, Major] = {}
        self.withdrawn_on: date | None = None
        self.upgrades: list[tuple[date, SchoolKind]] = []

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def open_majors(self) -> list[str]:
        return sorted(m.name for m in self.majors.values() if m.closed_year is None)

    def _require_active(self) -> None:
        if self.withdrawn_on is not None:
            raise SchoolWithdrawn(
                school_id=str(self.id), withdrawn_on=self.withdrawn_on.isoformat()
            )

    def upgrade(self, *, to_kind: str, on: date, actor: Actor) -> None:
        """晋级: only upward, e.g. a senior technical school becoming a technician college."""
        require_administrator(actor, "upgrade_school")
        self._require_active()
        new_kind = validate_kind(to_kind)
        if new_kind.tier <= self.kind.tier:
            raise NotAnUpgrade(current=self.kind.value, requested=new_kind.value)
        self._upgrade(kind=new_kind.value, on=on, actor=actor)

    @event("Upgraded")
    def _upgrade(self, *, kind: str, on: date, actor: Actor) -> None:
        self.kind = SchoolKind(kind)
        self.upgrades.append((on, self.kind))

    def withdraw(self, *, on: date, reason: str, actor: Actor) -> None:
        """退出机制: a withdrawn school keeps its history but enters no new agreements."""
        require_administrator(actor, "withdraw_school")
        self._require_active()
        self._withdraw(on=on, reason=require_reason(reason), actor=actor)

    @event("Withdrawn")
    def _withdraw(self, *, on: date, reason: str, actor: Actor) -> None:
        self.withdrawn_on = on

    def open_major(self, *, name: str, year: int, actor: Actor) -> None:
        require_party_or_administrator(actor, self.id, "open_major")
        self._require_active()
        name = require_text(name, "major")
        current = self.majors.get(name)
        if current is not None and current.closed_year is None:
            raise MajorAlreadyOpen(major=name)
        self._open_major(name=name, year=_validate_year(year), actor=actor)

    @event("MajorOpened")
    def _open_major(self, *, name: str, year: int, actor: Actor) -> None:
        self.majors[name] = Major(name=name, opened_year=year, opened_as=self.kind)

    def close_major(self, *, name: str, year: int, actor: Actor) -> None:
        require_party_or_administrator(actor, self.id, "close_major")
        self._require_active()
        current = self.majors.get(name)
        if current is None or current.closed_year is not None:
            raise MajorNotOpen(major=name)
        if year < current.opened_year:
            raise InvalidValue(field="year", problem="before_opening", value=year)
        self._close_major(name=name, year=_validate_year(year), actor=actor)

    @event("MajorClosed")
    def _close_major(self, *, name: str, year: int, actor: Actor) -> None:
        major = self.majors[name]
        self.majors[name] = Major(major.name, major.opened_year, major.opened_as, year)

    def correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        """Fix a fact registered wrongly; the original event stays in the log."""
        require_administrator(actor, "correct_school")
        value, reason = check_correction(self.CORRECTABLE, field, value, reason)
        self._correct(field=field, value=value, reason=reason, actor=actor)

    @event("Corrected")
    def _correct(self, *, field: str, value: Any, reason: str, actor: Actor) -> None:
        setattr(self, field, SchoolKind(value) if field == "kind" else value)
